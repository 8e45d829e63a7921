// Package proc reads what Linux's /proc says about a process: the benches
// read resident memory from it (VmRSS, VmHWM, Pss), and this is the one
// reader of those files.
package proc

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// KiB reads one "Name:   123 kB" line of file (a path under /proc), e.g.
// KiB("/proc/self/status", "VmHWM").
func KiB(file, name string) (int, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, name+":"); ok {
			return strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
		}
	}
	return 0, fmt.Errorf("%s: no %s line", file, name)
}

// StatusKiB reads a field of /proc/PID/status (VmRSS, VmHWM...).
func StatusKiB(pid int, name string) (int, error) {
	return KiB(fmt.Sprintf("/proc/%d/status", pid), name)
}
