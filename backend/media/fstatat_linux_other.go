//go:build linux && !amd64

package media

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// fstatat is unix.Fstatat(dirfd, name, st, AT_SYMLINK_NOFOLLOW) for a name
// ending in a NUL (in listDir's buffer).
func fstatat(dirfd int, name *byte, st *unix.Stat_t) error {
	n := 0
	for *(*byte)(unsafe.Add(unsafe.Pointer(name), n)) != 0 {
		n++
	}
	return unix.Fstatat(dirfd, unsafe.String(name, n), st, unix.AT_SYMLINK_NOFOLLOW)
}
