//go:build linux

package desktop

import (
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// processStart is when the kernel started this process: its start time in
// /proc/self/stat (clock ticks since boot) against CLOCK_BOOTTIME now,
// expressed on Go's monotonic clock. 10 ms resolution; where it cannot be
// read, now.
func processStart() time.Time {
	now := time.Now()
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return now
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return now
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 20 {
		return now
	}
	ticks, err := strconv.ParseInt(f[19], 10, 64) // field 22: starttime
	if err != nil {
		return now
	}
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts) != nil {
		return now
	}
	const clkTck = 100 // USER_HZ on Linux
	age := time.Duration(ts.Nano()) - time.Duration(ticks)*time.Second/clkTck
	return now.Add(-age)
}
