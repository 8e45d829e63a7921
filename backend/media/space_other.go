//go:build !linux && !darwin && !freebsd && !windows

package media

import (
	"errors"

	"castdesk/backend/panel"
)

// Space is not measured on this system: uploads are held to quotas only.
func (f *Folders) Space(path string) (panel.DiskSpace, error) {
	return panel.DiskSpace{}, errors.New("free space is not measured on this system")
}
