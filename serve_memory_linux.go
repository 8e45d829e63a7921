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
// of the window door's libraries: the one binary links GTK and WebKit, so
// the dynamic loader maps and relocates them at every start, which left
// about 35 MiB of their files resident in an idle serve (README "Memory").
//
// A read-only mapping without a private copy of any page (smaps:
// Anonymous 0) only ever holds the file's bytes, so MADV_DONTNEED drops it
// from this process whoever else maps the file, and a page touched again
// comes back from the file unchanged. Every other mapping of those
// libraries (their relocated data above all) keeps its content: it gets
// MADV_PAGEOUT (Linux 5.4), which reclaims what only this process maps and
// what swap can take, and is ignored elsewhere. It returns how many KiB were
// dropped.
func dropWindowLibraries() (kib int64) {
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return 0
	}
	type vma struct {
		start, end uint64
		readOnly   bool
		anon       int64
		lib        bool
	}
	var all []vma
	sc := bufio.NewScanner(bytes.NewReader(smaps))
	for sc.Scan() {
		line := sc.Text()
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if lo, hi, ok := strings.Cut(f[0], "-"); ok && len(f) >= 5 {
			// A mapping's header: start-end perms offset dev inode [path].
			start, err1 := strconv.ParseUint(lo, 16, 64)
			end, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 == nil && err2 == nil && end > start {
				lib := len(f) >= 6 && strings.HasPrefix(f[5], "/") && strings.Contains(f[5], ".so") &&
					!serveKeepsLibrary(filepath.Base(f[5]))
				all = append(all, vma{start: start, end: end, readOnly: !strings.Contains(f[1], "w"), lib: lib})
				continue
			}
		}
		if f[0] == "Anonymous:" && len(f) >= 2 && len(all) > 0 {
			all[len(all)-1].anon, _ = strconv.ParseInt(f[1], 10, 64)
		}
	}
	for _, m := range all {
		if !m.lib {
			continue
		}
		advice := uintptr(unix.MADV_PAGEOUT)
		if m.readOnly && m.anon == 0 {
			advice = unix.MADV_DONTNEED
		}
		if _, _, errno := unix.Syscall(unix.SYS_MADVISE, uintptr(m.start), uintptr(m.end-m.start), advice); errno == 0 && advice == unix.MADV_DONTNEED {
			kib += int64(m.end-m.start) >> 10
		}
	}
	return kib
}
