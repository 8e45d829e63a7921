//go:build linux

package main

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// serveKeepsLibrary says which shared libraries serve itself calls: the C
// library (SQLite's and cgo's allocations, the resolver) and the loader.
// Every other one is linked for the window door only (GTK, WebKit and the
// 150-odd libraries they pull in).
func serveKeepsLibrary(name string) bool {
	for _, keep := range []string{"ld-linux", "ld-musl", "libc.so", "libc.musl", "libm.so", "libpthread.so", "libdl.so", "librt.so",
		"libresolv.so", "libnss_"} {
		if strings.HasPrefix(name, keep) {
			return true
		}
	}
	return false
}

// dropWindowLibraries tells the kernel that serve does not need the pages
// of the window door's libraries (MADV_PAGEOUT, Linux 5.4): the one binary
// links GTK and WebKit, so the dynamic loader maps and relocates them at
// every start, which left about 35 MiB of their files resident in an idle
// serve (README "Memory"). The advice keeps every byte's content: a page
// that is touched again comes back from the file (or swap). It returns how
// many KiB were advised; on an older kernel nothing happens.
func dropWindowLibraries() (kib int64) {
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(maps))
	for sc.Scan() {
		// start-end perms offset dev inode path
		f := strings.Fields(sc.Text())
		if len(f) < 6 || !strings.HasPrefix(f[5], "/") || !strings.Contains(f[5], ".so") {
			continue
		}
		if serveKeepsLibrary(filepath.Base(f[5])) {
			continue
		}
		lo, hi, ok := strings.Cut(f[0], "-")
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			continue
		}
		if _, _, errno := unix.Syscall(unix.SYS_MADVISE, uintptr(start), uintptr(end-start), unix.MADV_PAGEOUT); errno == 0 {
			kib += int64(end-start) >> 10
		}
	}
	return kib
}
