//go:build linux

package argon2id

import (
	"fmt"
	"os"
	"runtime/debug"
	"slices"
	"syscall"
	"testing"
	"time"
)

// TestBenchPrefault (CASTDESK_BENCH=1; not make test) times one hash at
// Castdesk's parameters with the prefault and without it, alternately in
// ABBA order in this one process, so the machine's load falls on both
// alike: right after another hash ("warm") and after the Go heap was given
// back and the process idle for 300 ms ("after idle"), as a first login
// after serve's idle trim meets it.
func TestBenchPrefault(t *testing.T) {
	if os.Getenv("CASTDESK_BENCH") == "" {
		t.Skip("set CASTDESK_BENCH=1")
	}
	defer prefaultOn.Store(true)
	n := 40
	if s := os.Getenv("CASTDESK_BENCH_PREFAULT_N"); s != "" {
		fmt.Sscan(s, &n)
	}
	pw, salt := []byte("bench-hash-password"), []byte("saltsaltsaltsalt")
	// CASTDESK_BENCH_PREFAULT_MODE=on or off: every hash the same way (for
	// perf stat: the faults the hash's own thread takes).
	mode := os.Getenv("CASTDESK_BENCH_PREFAULT_MODE")
	hash := func(on bool) (wall, cpu time.Duration, faults int64) {
		if mode != "" {
			on = mode == "on"
		}
		prefaultOn.Store(on)
		c0, f0 := rusage()
		start := time.Now()
		IDKey(pw, salt, 2, 19*1024, 1, 32)
		wall = time.Since(start)
		c1, f1 := rusage()
		return wall, c1 - c0, f1 - f0
	}
	// Each measured hash follows a hash and 300 ms of idle, as the bench's
	// logins after the trim do; "after a trim" also frees 16 MiB of Go heap
	// garbage to the system (debug.FreeOSMemory) before the idle spell.
	for _, trim := range []bool{false, true} {
		var w, c [2][]time.Duration
		var f [2][]int64
		for i := range n {
			for j := range 2 {
				on := (i+j)%2 == 0 // ABBA
				IDKey(pw, salt, 2, 19*1024, 1, 32)
				if trim {
					for range 64 {
						benchGarbage = append(benchGarbage, make([]byte, 256<<10))
					}
					benchGarbage = nil
					debug.FreeOSMemory()
				}
				time.Sleep(300 * time.Millisecond)
				k := 0
				if on {
					k = 1
				}
				a, b, d := hash(on)
				w[k], c[k], f[k] = append(w[k], a), append(c[k], b), append(f[k], d)
			}
		}
		name := "after idle (300 ms)"
		if trim {
			name = "after a trim and idle (300 ms)"
		}
		fmt.Printf("%-32s without / with prefault (%d each, p50): wall %.2f / %.2f ms (%.2fx), CPU %.2f / %.2f ms, faults %d / %d\n",
			name, n, msOf(med(w[0])), msOf(med(w[1])), float64(med(w[1]))/float64(med(w[0])), msOf(med(c[0])), msOf(med(c[1])), med(f[0]), med(f[1]))
	}
}

var benchGarbage [][]byte

func med[T int64 | time.Duration](v []T) T {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func msOf(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

// rusage is the process's CPU time (user + sys) and minor page faults.
func rusage() (time.Duration, int64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), ru.Minflt
}
