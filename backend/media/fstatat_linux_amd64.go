package media

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// fstatat is unix.Fstatat(dirfd, name, st, AT_SYMLINK_NOFOLLOW) for a name
// already ending in a NUL (in listDir's buffer): no copy of it.
func fstatat(dirfd int, name *byte, st *unix.Stat_t) error {
	for {
		_, _, e := unix.Syscall6(unix.SYS_NEWFSTATAT, uintptr(dirfd), uintptr(unsafe.Pointer(name)), uintptr(unsafe.Pointer(st)), unix.AT_SYMLINK_NOFOLLOW, 0, 0)
		switch e {
		case 0:
			return nil
		case unix.EINTR:
			continue
		default:
			return e
		}
	}
}
