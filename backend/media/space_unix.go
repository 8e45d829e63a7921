//go:build linux || darwin || freebsd

package media

import (
	"fmt"
	"os"
	"syscall"

	"castdesk/backend/panel"
)

// Space is the free and total space of the volume holding path: the blocks
// an unprivileged writer may still use (Bavail, not Bfree: the root reserve
// of ext4 is no room for us). Volume is the device number.
func (f *Folders) Space(path string) (panel.DiskSpace, error) {
	path = existingParent(path)
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return panel.DiskSpace{}, err
	}
	info, err := os.Stat(path)
	if err != nil {
		return panel.DiskSpace{}, err
	}
	volume := path
	if sys, ok := info.Sys().(*syscall.Stat_t); ok {
		volume = fmt.Sprint(sys.Dev)
	}
	bsize := int64(st.Bsize)
	return panel.DiskSpace{Free: int64(st.Bavail) * bsize, Total: int64(st.Blocks) * bsize, Volume: volume}, nil
}
