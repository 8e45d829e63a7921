//go:build !linux

package media

import (
	"os"

	"castdesk/backend/panel"
)

// listDir reads one folder: file gets each regular file, and the names of
// the folders in it are returned. Names the index never holds are skipped.
func listDir(abs, rel string, file func(panel.MediaFile)) (subdirs []string, err error) {
	f, err := os.Open(abs)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	entries, readErr := f.ReadDir(-1)
	for _, e := range entries {
		name := e.Name()
		if panel.IsTransientName(name) {
			continue
		}
		switch {
		case e.IsDir():
			subdirs = append(subdirs, name)
		case e.Type().IsRegular():
			info, err := e.Info()
			if err != nil || !info.Mode().IsRegular() {
				continue // gone or replaced since the listing: an event follows
			}
			r := name
			if rel != "" {
				r = rel + "/" + name
			}
			file(fileOf(r, info))
		}
	}
	return subdirs, readErr
}
