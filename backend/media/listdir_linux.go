package media

import (
	"os"
	"time"

	"golang.org/x/sys/unix"

	"castdesk/backend/panel"
)

// listDir reads one folder: file gets each regular file (its size and time
// from fstatat on the open folder, so the kernel does not resolve the whole
// path again for every file), and the names of the folders in it are
// returned. Names the index never holds are skipped.
func listDir(abs, rel string, file func(panel.MediaFile)) (subdirs []string, err error) {
	f, err := os.Open(abs)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	entries, readErr := f.ReadDir(-1) // unsorted: the order does not matter here
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	err = rc.Control(func(fd uintptr) {
		var sb unix.Stat_t
		for _, e := range entries {
			name := e.Name()
			if panel.IsTransientName(name) {
				continue
			}
			switch {
			case e.IsDir():
				subdirs = append(subdirs, name)
			case e.Type().IsRegular():
				if unix.Fstatat(int(fd), name, &sb, unix.AT_SYMLINK_NOFOLLOW) != nil || sb.Mode&unix.S_IFMT != unix.S_IFREG {
					continue // gone or replaced since the listing: an event follows
				}
				r := name
				if rel != "" {
					r = rel + "/" + name
				}
				sec, nsec := sb.Mtim.Unix()
				file(panel.MediaFile{Path: r, Size: sb.Size, Kind: panel.KindOf(r),
					ModifiedAt: time.Unix(sec, nsec).UTC().Truncate(time.Millisecond)})
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return subdirs, readErr
}
