//go:build linux

package panel_test

import (
	"context"
	"fmt"
	"os"
	"runtime/metrics"
	"runtime/trace"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"castdesk/backend/panel"
	"castdesk/backend/proc"
	"castdesk/backend/testkit"
	"castdesk/backend/wire"
)

// benchFirstLogin is one fresh process of TestBenchHashing's first-login
// case: it starts as a restarted serve does (app.start: the panel's
// start-up work, the media watcher, the mail worker, the audit pruner and
// the idle trim; not the backup schedule nor the webhook worker, which do
// nothing on this desk), waits until /health would say "ok" (the start-up
// reconcile and the media index's first pass done). Then logins, each
// followed by one hash: L1 H1 L2 H2 ... Every login is divided by the hash
// after it ("against the load"): the load of this machine changes from
// second to second, and a login and the hash made right after it see about
// the same.
//
// Without afterTrim the first login comes as soon as the start-up work is
// done and the next 12 come one after the other. With afterTrim the first
// login comes after the idle trim has run and the process has been idle
// for benchIdle, and each of the next 10 after the same idle time: a login
// after an idle spell costs more than one right after other work here (the
// other processes of this machine have the cores and their caches
// meanwhile), so the first login is compared with logins that had the same
// idle spell without a trim and a start before them.
func benchFirstLogin(t *testing.T, kit *testkit.Env, afterTrim bool) {
	kit.Reopen(t)
	ctx, cancel := context.WithCancel(context.Background())
	var bg sync.WaitGroup
	t.Cleanup(func() { cancel(); bg.Wait() }) // before the store closes (cleanups run last first)
	if err := kit.Panel.Start(ctx); err != nil {
		t.Fatal(err)
	}
	kit.StartMedia(t)
	bg.Go(func() { kit.Panel.Mail.Run(ctx) })
	bg.Go(func() { kit.Panel.Audit.RunPruner(ctx, panel.PruneEvery) })
	bg.Go(func() { wire.TrimWhenIdle(ctx, kit.Store.ReleaseMemory) })
	<-kit.Panel.StartDone()

	// The trim is a forced collection (debug.FreeOSMemory); so is the one
	// that ends the start-up work, done before StartDone.
	trimmed := 0
	if afterTrim {
		// The trim follows a burst of at least 4 MiB allocated (wire: a
		// desk's start-up is more than that); this desk of two accounts
		// allocates less, so 5 MiB stand for the rest of the burst.
		benchSink = make([]byte, 5<<20)
		benchSink = nil
		before := forcedGCs()
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if forcedGCs() > before {
				trimmed = 1
				break
			}
		}
		// The collection is the trim's middle step: the scavenge and
		// malloc_trim come after it, well within the idle spell.
		time.Sleep(benchIdle)
		// The idle process after the trim (the start-up's dummy hash done).
		for _, f := range []string{"VmRSS", "RssAnon", "RssFile", "Threads"} {
			if n, err := proc.KiB("/proc/self/status", f); err == nil {
				fmt.Printf("RESULT idle_%s %d\n", f, n)
			}
		}
	}
	hash := func() sample {
		return measure(func() {
			if _, err := panel.HashPassword(benchHashPW); err != nil {
				t.Fatal(err)
			}
		})
	}
	var logins, hashes []sample
	forced := forcedGCs()
	next, gap := benchStartLogins, time.Duration(0)
	if afterTrim {
		next, gap = benchIdleLogins, benchIdle
	}
	for i := range next + 1 {
		if i > 0 {
			time.Sleep(gap)
		}
		stop := traceLogin(t, i)
		m0 := monoNs()
		logins = append(logins, benchLogin(t, kit))
		m1 := monoNs()
		stop()
		if os.Getenv("CASTDESK_BENCH_MARKS") != "" {
			fmt.Printf("MARK %d %d %d\n", i, m0, m1)
		}
		if i == 0 && forcedGCs() > forced {
			fmt.Println("RESULT trim_in_first 1")
		}
		hashes = append(hashes, hash())
	}
	wall := func(s []sample) []float64 {
		v := make([]float64, len(s))
		for i, x := range s {
			v[i] = ms(x.wall)
		}
		return v
	}
	lw, hw := wall(logins), wall(hashes)
	load := make([]float64, len(lw))
	for i := range lw {
		load[i] = lw[i] / hw[i]
	}
	cpu := make([]float64, len(logins))
	faults := make([]float64, len(logins))
	for i, l := range logins {
		cpu[i], faults[i] = ms(l.cpu), float64(l.faults)
	}
	fmt.Printf("RESULT trimmed %d\n", trimmed)
	fmt.Printf("RESULT first_ms %.3f\n", lw[0])
	fmt.Printf("RESULT next_ms %.3f\n", medianOf(lw[1:]))
	fmt.Printf("RESULT first_load %.4f\n", load[0])
	fmt.Printf("RESULT next_load %.4f\n", medianOf(load[1:]))
	fmt.Printf("RESULT first_cpu_ms %.3f\n", cpu[0])
	fmt.Printf("RESULT next_cpu_ms %.3f\n", medianOf(cpu[1:]))
	fmt.Printf("RESULT second_ms %.3f\n", lw[1])
	fmt.Printf("RESULT after_ms %.3f\n", medianOf(lw[2:]))
	fmt.Printf("RESULT second_load %.4f\n", load[1])
	fmt.Printf("RESULT second_cpu_ms %.3f\n", cpu[1])
	fmt.Printf("RESULT after_cpu_ms %.3f\n", medianOf(cpu[2:]))
	fmt.Printf("RESULT after_load %.4f\n", medianOf(load[2:]))
	fmt.Printf("RESULT first_faults %.0f\n", faults[0])
	fmt.Printf("RESULT next_faults %.0f\n", medianOf(faults[1:]))
	// The process after its logins: its threads and resident memory.
	if n, err := proc.KiB("/proc/self/status", "Threads"); err == nil {
		fmt.Printf("RESULT threads %d\n", n)
	}
	if n, err := proc.KiB("/proc/self/status", "VmRSS"); err == nil {
		fmt.Printf("RESULT rss_kib %d\n", n)
	}
}

// benchIdle is the idle spell before each login after the trim (the first
// one included), and benchIdleLogins how many come after the first.
const (
	benchIdle       = 300 * time.Millisecond
	benchIdleLogins = 10
)

// traceLogin writes a Go execution trace (runtime/trace) of the first and
// the sixth login to $CASTDESK_BENCH_TRACE.1 and .6 when that is set (for
// `go tool trace`: where a first login's time goes).
func traceLogin(t *testing.T, i int) (stop func()) {
	path := os.Getenv("CASTDESK_BENCH_TRACE")
	if path == "" || (i != 0 && i != 5) {
		return func() {}
	}
	f, err := os.Create(fmt.Sprintf("%s.%d", path, i+1))
	if err != nil {
		t.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		t.Fatal(err)
	}
	return func() { trace.Stop(); f.Close() }
}

// monoNs is CLOCK_MONOTONIC in ns (perf record -k mono uses the same
// clock): CASTDESK_BENCH_MARKS=1 prints each login's start and end on it,
// so perf samples can be split by login.
func monoNs() int64 {
	var ts unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return ts.Nano()
}

// benchSink keeps an allocation from being optimized away.
var benchSink []byte

// forcedGCs is how many collections were forced (runtime.GC,
// debug.FreeOSMemory) so far.
func forcedGCs() uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/forced:gc-cycles"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
