//go:build linux

package main

import (
	"debug/elf"
	"encoding/binary"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// serveKeepsLibrary says which shared libraries serve itself calls: the C
// library (SQLite's and cgo's allocations, the resolver), the loader, and
// the unwinder the C library may load for a thread. Every other one is
// linked for the window door only (GTK, WebKit and the 150-odd libraries
// they pull in); nssNeeds adds those a name-service module loaded later
// would call.
func serveKeepsLibrary(name string) bool {
	for _, keep := range []string{"ld-linux", "ld-musl", "libc.so", "libc.musl", "libm.so", "libpthread.so", "libdl.so", "librt.so",
		"libresolv.so", "libnss_", "libgcc_s.so"} {
		if strings.HasPrefix(name, keep) {
			return true
		}
	}
	return false
}

// nssNeeds returns the libraries (by file name) that the C library's
// name-service modules named in /etc/nsswitch.conf link, with what those
// link in turn: a host or user lookup made through cgo loads such a module
// after start-up, and the loader binds it to copies already in memory
// (libnss_systemd, for one, calls libcap, which GTK's dependencies have
// loaded too). Their relocated data must stay.
func nssNeeds(libDir string) map[string]bool {
	needs := map[string]bool{}
	conf, err := os.ReadFile("/etc/nsswitch.conf")
	if err != nil {
		return needs
	}
	for _, line := range strings.Split(string(conf), "\n") {
		_, sources, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		for _, source := range strings.Fields(sources) {
			if !strings.HasPrefix(source, "[") {
				neededBy(filepath.Join(libDir, "libnss_"+source+".so.2"), libDir, needs)
			}
		}
	}
	return needs
}

// dropWindowLibraries gives back the memory that the window door's
// libraries hold in a serve process: the one binary links GTK and WebKit, so
// the dynamic loader maps and relocates them at every start, which left
// about 45 MiB of their pages resident in an idle serve (README "Memory").
// It returns how many KiB of mappings were dropped.
//
// Two kinds of pages, two rules:
//
//   - A page that holds only its file's bytes (a read-only mapping without a
//     private copy, smaps' Anonymous 0) gets MADV_DONTNEED: touched again,
//     it comes back from the file unchanged. Every window library's such
//     pages are dropped.
//   - A page the loader relocated (GOTs and relocated read-only data, ~9 MiB
//     in all, private to this process and resident for good where there is
//     no swap) can only be given back by discarding it: touched again it
//     would come back as the file's bytes, without relocations. That is done
//     only for a library no code of this process can still run: serve never
//     calls into GTK or WebKit (Wails does only when the window opens), but
//     a library's static initializers may have started a thread of its own
//     (JavaScriptCore does), and a name-service module
//     loaded later by a host or user lookup may call libraries already
//     loaded (libnss_systemd calls libcap). So the libraries whose code is
//     on such a thread's stack, the ones nsswitch.conf's modules link, and
//     all they link in turn keep their relocated pages (MADV_PAGEOUT only:
//     reclaimed where swap can take them). If a thread cannot be looked at,
//     every library keeps them.
//
// The C library still reads each library's thread-local initial data when
// a thread starts (a copy nobody here uses) and symbol tables when it loads
// a module (never relocated, so unchanged).
func dropWindowLibraries() (kib int64) {
	maps := readMappings()
	libDir := ""
	for _, m := range maps {
		if m.lib && strings.HasPrefix(m.name, "libc.so") {
			libDir = filepath.Dir(m.path)
		}
	}
	keepData := nssNeeds(libDir)
	running, ok := librariesOnThreadStacks(maps)
	for _, m := range maps {
		if ok && m.lib && running[m.name] && !keepData[m.name] {
			keepData[m.name] = true
			neededBy(m.path, libDir, keepData)
		}
	}
	for _, m := range maps {
		if !m.lib || serveKeepsLibrary(m.name) {
			continue
		}
		advice := uintptr(unix.MADV_DONTNEED)
		if (m.anon > 0 || m.writable) && (!ok || keepData[m.name] || keepData[soname(m.name)]) {
			advice = unix.MADV_PAGEOUT
		}
		if _, _, errno := unix.Syscall(unix.SYS_MADVISE, uintptr(m.start), uintptr(m.end-m.start), advice); errno == 0 && advice == unix.MADV_DONTNEED {
			kib += int64(m.end-m.start) >> 10
		}
	}
	return kib
}

// mapping is one line of /proc/self/smaps' headers, with its Anonymous
// size (KiB): the pages of it this process has a private copy of.
type mapping struct {
	start, end     uint64
	writable, exec bool
	path, name     string
	lib            bool // a shared library's file
	anon           int64
}

// readMappings reads /proc/self/smaps, ordered by address.
func readMappings() []mapping {
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return nil
	}
	var all []mapping
	for _, line := range strings.Split(string(smaps), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if lo, hi, ok := strings.Cut(f[0], "-"); ok && len(f) >= 5 {
			// A header: start-end perms offset dev inode [path].
			start, err1 := strconv.ParseUint(lo, 16, 64)
			end, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 == nil && err2 == nil && end > start {
				m := mapping{start: start, end: end, writable: strings.Contains(f[1], "w"), exec: strings.Contains(f[1], "x")}
				if len(f) >= 6 {
					m.path = f[5]
					m.name = filepath.Base(m.path)
					m.lib = strings.HasPrefix(m.path, "/") && strings.Contains(m.name, ".so")
				}
				all = append(all, m)
				continue
			}
		}
		if f[0] == "Anonymous:" && len(f) >= 2 && len(all) > 0 {
			all[len(all)-1].anon, _ = strconv.ParseInt(f[1], 10, 64)
		}
	}
	return all
}

// mappingAt finds the mapping holding address a.
func mappingAt(maps []mapping, a uint64) *mapping {
	i := sort.Search(len(maps), func(i int) bool { return maps[i].end > a })
	if i < len(maps) && maps[i].start <= a {
		return &maps[i]
	}
	return nil
}

// librariesOnThreadStacks names the shared libraries with code on the stack
// of a thread that is not running Go code. Such threads were started by a
// library (serve starts none itself); each is found waiting in a system call
// the C library made, and every word of its stack that points into a
// library's code counts (a return address, or a value that looks like one:
// that only keeps more). Go's own threads are told apart by their system
// calls, which Go makes from its own code. ok is false when a thread could
// not be looked at (it kept running, or its stack is not where it said).
func librariesOnThreadStacks(maps []mapping) (libs map[string]bool, ok bool) {
	exe, _ := os.Readlink("/proc/self/exe")
	mem, err := os.Open("/proc/self/mem")
	if err != nil {
		return nil, false
	}
	defer mem.Close()
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return nil, false
	}
	self := strconv.Itoa(unix.Gettid())
	libs = map[string]bool{}
	for _, task := range tasks {
		if task.Name() == self {
			continue
		}
		var sp, pc uint64
		for deadline := time.Now().Add(500 * time.Millisecond); ; {
			// "nr args... sp pc" in a system call, "-1 sp pc" blocked
			// otherwise, "running" when it runs.
			b, err := os.ReadFile("/proc/self/task/" + task.Name() + "/syscall")
			if err != nil {
				break // it ended
			}
			f := strings.Fields(string(b))
			if len(f) >= 3 && f[0] != "running" {
				sp, _ = strconv.ParseUint(strings.TrimPrefix(f[len(f)-2], "0x"), 16, 64)
				pc, _ = strconv.ParseUint(strings.TrimPrefix(f[len(f)-1], "0x"), 16, 64)
				break
			}
			if time.Now().After(deadline) {
				return nil, false
			}
			time.Sleep(time.Millisecond)
		}
		if sp == 0 {
			continue
		}
		if m := mappingAt(maps, pc); m != nil && m.path == exe {
			continue // Go's own system call
		}
		stack := mappingAt(maps, sp)
		if stack == nil || stack.end-sp > 16<<20 {
			return nil, false
		}
		buf := make([]byte, stack.end-sp)
		if _, err := mem.ReadAt(buf, int64(sp)); err != nil {
			return nil, false
		}
		for i := 0; i+8 <= len(buf); i += 8 {
			if m := mappingAt(maps, binary.LittleEndian.Uint64(buf[i:])); m != nil && m.lib && m.exec {
				libs[m.name] = true
			}
		}
	}
	return libs, true
}

// soname turns a library's file name into the name programs link it by:
// libcap.so.2.66 -> libcap.so.2.
func soname(file string) string {
	i := strings.Index(file, ".so.")
	if i < 0 {
		return file
	}
	rest := file[i+4:]
	if j := strings.IndexByte(rest, '.'); j >= 0 {
		rest = rest[:j]
	}
	return file[:i+4] + rest
}

// neededBy adds to needs every library the ELF file at path links, with
// what those link in turn (looked for in libDir).
func neededBy(path, libDir string, needs map[string]bool) {
	f, err := elf.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	libs, _ := f.ImportedLibraries()
	for _, lib := range libs {
		if !needs[lib] {
			needs[lib] = true
			neededBy(filepath.Join(libDir, lib), libDir, needs)
		}
	}
}
