package media

import (
	"errors"
	"os"
	"strings"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"castdesk/backend/panel"
)

// direntBufs are the buffers listDir reads folders into (getdents64).
var direntBufs = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// listDir reads one folder: file gets each regular file (its size and time
// from fstatat on the open folder, so the kernel does not resolve the whole
// path again for every file), and the names of the folders in it are
// returned. Names the index never holds are skipped.
//
// The folder is read with getdents64 into a buffer of its own and each
// name is handed to fstatat where it lies in that buffer (the kernel ends
// it with a NUL): a first start reads 200,000 files this way (make bench,
// media index), and os.ReadDir made an entry and a name per file, and
// unix.Fstatat one more copy of the name, all garbage at once.
func listDir(abs, rel string, file func(panel.MediaFile)) (subdirs []string, err error) {
	var fd int
	for {
		fd, err = unix.Open(abs, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: abs, Err: err}
	}
	defer unix.Close(fd)
	bp := direntBufs.Get().(*[]byte)
	defer direntBufs.Put(bp)
	buf := *bp
	var sb unix.Stat_t
	for {
		n, err := unix.Getdents(fd, buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return subdirs, &os.PathError{Op: "readdirent", Path: abs, Err: err}
		}
		if n <= 0 {
			return subdirs, nil
		}
		for off := 0; off < n; {
			// struct linux_dirent64: d_ino u64, d_off s64, d_reclen u16,
			// d_type u8, d_name (NUL-terminated).
			reclen := int(*(*uint16)(unsafe.Pointer(&buf[off+16])))
			if reclen == 0 || off+reclen > n {
				return subdirs, &os.PathError{Op: "readdirent", Path: abs, Err: errors.New("malformed directory entry")}
			}
			typ := buf[off+18]
			nameAt := off + 19
			end := nameAt
			for end < off+reclen && buf[end] != 0 {
				end++
			}
			off += reclen
			if end == nameAt || end == off {
				continue // no name, or no NUL within the entry
			}
			// A view of the name in buf, copied only where it is kept.
			name := unsafe.String(&buf[nameAt], end-nameAt)
			if name == "." || name == ".." || panel.IsTransientName(name) {
				continue
			}
			if typ != unix.DT_DIR && typ != unix.DT_REG && typ != unix.DT_UNKNOWN {
				continue // a symlink, socket, device...: not indexed
			}
			if typ == unix.DT_DIR {
				subdirs = append(subdirs, strings.Clone(name))
				continue
			}
			if fstatat(fd, &buf[nameAt], &sb) != nil {
				continue // gone since the listing: an event follows
			}
			switch sb.Mode & unix.S_IFMT {
			case unix.S_IFREG:
			case unix.S_IFDIR:
				if typ == unix.DT_UNKNOWN { // a file system that does not say
					subdirs = append(subdirs, strings.Clone(name))
				}
				continue
			default:
				continue // replaced since the listing: an event follows
			}
			var r string
			if rel != "" {
				r = rel + "/" + name
			} else {
				r = strings.Clone(name)
			}
			sec, nsec := sb.Mtim.Unix()
			file(panel.MediaFile{Path: r, Size: sb.Size, Kind: panel.KindOf(r),
				ModifiedAt: time.Unix(sec, nsec).UTC().Truncate(time.Millisecond)})
		}
	}
}
