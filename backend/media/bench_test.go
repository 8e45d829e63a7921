package media_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
	"slices"
	"strings"
	"testing"
	"time"

	"castdesk/backend/media"
	"castdesk/backend/panel"
	"castdesk/backend/sqlite"
	"castdesk/backend/testkit"
)

// notifyChan hands every index change to the benchmark.
type notifyChan chan panel.MediaChanged

func (n notifyChan) Publish(ev panel.MediaChanged) {
	select {
	case n <- ev:
	default:
	}
}

// TestBenchMediaIndex is `make bench`'s media part (CASTDESK_BENCH=1):
// 2,000 account folders x 100 files. It times the start-up index against
// `find -printf '%s'` over the same tree in the same run (the cost of just
// reading every file's size), and the latency from a file written to the
// index updated. It prints; it asserts nothing about time.
func TestBenchMediaIndex(t *testing.T) {
	if os.Getenv("CASTDESK_BENCH") == "" {
		t.Skip("benchmark: run with CASTDESK_BENCH=1 (make bench)")
	}
	const accounts, perAccount = 2000, 100
	env := testkit.New(t)
	root := env.ContentRoot()
	hash, _ := panel.HashPassword("seeded-Passw0rd")
	ctx := context.Background()
	now := time.Now()
	var ids []int64
	err := env.Store.Write(ctx, func(tx panel.Tx) error {
		for i := range accounts {
			id, err := tx.InsertAccount(ctx, &panel.Account{Username: fmt.Sprintf("user%05d", i), Name: "N", Email: "u@example.org",
				Level: panel.LevelCustomer, Status: panel.StatusEnabled, Language: "en", PasswordHash: hash, CreatedAt: now, UpdatedAt: now})
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	buf := make([]byte, 4096)
	for _, id := range ids {
		dir := filepath.Join(root, fmt.Sprintf("user_%d", id))
		for j := range perAccount {
			sub := dir
			if j%10 == 0 {
				sub = filepath.Join(dir, "album")
			}
			os.MkdirAll(sub, 0o755)
			if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("track%03d.mp3", j)), buf[:j*37%4096], 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	fmt.Printf("\nmedia index: %d folders x %d files (tree written in %s)\n", accounts, perAccount, time.Since(start).Round(time.Millisecond))

	// The first start of each round gets an index with no file: a copy of
	// the database as it was before any media (accounts only).
	template := filepath.Join(t.TempDir(), "template.db")
	if err := env.Store.Backup(ctx, template); err != nil {
		t.Fatal(err)
	}

	// CPU time (user + system) is printed beside the wall time: on a
	// loaded machine it tells the work done from the waiting for a core.
	find := func() (time.Duration, time.Duration) {
		cmd := exec.Command("find", root, "-type", "f", "-printf", "%s")
		cmd.Stdout = io.Discard
		s := time.Now()
		if err := cmd.Run(); err != nil {
			t.Fatal(err)
		}
		return time.Since(s), cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	find() // warm the cache for both sides

	// CASTDESK_BENCH_PROFILE=dir writes a CPU profile of every first start
	// (cold-N.pprof) and next start (warm-N.pprof), and an execution trace
	// of the first round's (cold-1.trace, warm-1.trace).
	profDir := os.Getenv("CASTDESK_BENCH_PROFILE")
	profile := func(name string, round int) func() {
		if profDir == "" {
			return func() {}
		}
		f, err := os.Create(filepath.Join(profDir, fmt.Sprintf("%s-%d.pprof", name, round)))
		if err != nil {
			t.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		heap := func(when string) {
			hf, _ := os.Create(filepath.Join(profDir, fmt.Sprintf("%s-%d-%s.heap", name, round, when)))
			pprof.Lookup("allocs").WriteTo(hf, 0)
			hf.Close()
		}
		heap("before")
		var tf *os.File
		if round == 1 {
			tf, _ = os.Create(filepath.Join(profDir, name+"-1.trace"))
			trace.Start(tf)
		}
		return func() {
			heap("after")
			pprof.StopCPUProfile()
			f.Close()
			if tf != nil {
				trace.Stop()
				tf.Close()
			}
		}
	}

	run := func(store *sqlite.Store, name string, round int) (time.Duration, time.Duration, *media.Watcher, func()) {
		w := &media.Watcher{Index: store, Root: func(context.Context) (string, error) { return root, nil },
			Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		notify := make(notifyChan, 1024)
		w.Notify = notify
		wctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		runtime.GC() // the last round's garbage is not this one's
		stopProfile := profile(name, round)
		s, c := time.Now(), processCPU()
		go func() {
			defer close(done)
			w.Run(wctx)
		}()
		<-w.Ready()
		took, cpu := time.Since(s), processCPU()-c
		stopProfile()
		return took, cpu, w, func() { cancel(); <-done }
	}
	// Rounds alternate find, a first start on a fresh copy of the database,
	// and a next start on the same (the machine's load changes from one
	// second to the next: medians of alternated runs compare like with like).
	const rounds = 3
	var findT, findC, coldT, coldC, warmT, warmC []time.Duration
	var w *media.Watcher
	var store *sqlite.Store
	for round := 1; round <= rounds; round++ {
		ft, fc := find()
		findT, findC = append(findT, ft), append(findC, fc)

		dbPath := filepath.Join(t.TempDir(), "castdesk.db")
		b, err := os.ReadFile(template)
		if err == nil {
			err = os.WriteFile(dbPath, b, 0o600)
		}
		if err != nil {
			t.Fatal(err)
		}
		s, err := sqlite.Open(ctx, dbPath)
		if err != nil {
			t.Fatal(err)
		}
		ct, cc, _, stop := run(s, "cold", round)
		stop()
		coldT, coldC = append(coldT, ct), append(coldC, cc)
		tot, _, _ := s.MediaTotals(ctx, ids[0])
		if tot.Files != perAccount {
			t.Fatalf("index incomplete: %+v", tot)
		}
		wt, wc, ww, stop := run(s, "warm", round)
		warmT, warmC = append(warmT, wt), append(warmC, wc)
		if round < rounds {
			stop()
			s.Close()
			continue
		}
		defer s.Close()
		defer stop()
		w, store = ww, s
	}
	median := func(d []time.Duration) time.Duration {
		d = slices.Clone(d)
		slices.Sort(d)
		return d[len(d)/2]
	}
	list := func(d []time.Duration) string {
		var out []string
		for _, x := range d {
			out = append(out, fmt.Sprintf("%.2f", x.Seconds()))
		}
		return strings.Join(out, " ")
	}
	ft, fc := median(findT), median(findC)
	fmt.Printf("%-44s %10s %8s %10s %8s   (runs: time | CPU, s)\n", "start-up, until the index is complete", "time", "× find", "CPU", "× find")
	fmt.Printf("%-44s %10s %8s %10s %8s   %s | %s\n", "find -type f -printf '%s' (baseline)", ft.Round(time.Millisecond), "1.00", fc.Round(time.Millisecond), "1.00",
		list(findT), list(findC))
	line := func(name string, ts, cs []time.Duration) {
		tm, cm := median(ts), median(cs)
		fmt.Printf("%-44s %10s %8.2f %10s %8.2f   %s | %s\n", name, tm.Round(time.Millisecond), float64(tm)/float64(ft),
			cm.Round(time.Millisecond), float64(cm)/float64(fc), list(ts), list(cs))
	}
	line("first start (empty index: 200,000 inserts)", coldT, coldC)
	line("next start (index up to date: diff only)", warmT, warmC)
	fmt.Printf("(medians of %d alternated rounds: find, first start, next start)\n", rounds)

	// Latency: a file written -> the change applied to the index.
	notify := w.Notify.(notifyChan)
	var lat []time.Duration
	for i := range 300 {
		id := ids[rand.IntN(len(ids))]
		path := filepath.Join(root, fmt.Sprintf("user_%d", id), fmt.Sprintf("live%03d.mp3", i))
		s := time.Now()
		if err := os.WriteFile(path, buf[:100], 0o644); err != nil {
			t.Fatal(err)
		}
		deadline := time.After(10 * time.Second)
	wait:
		for {
			select {
			case ev := <-notify:
				if ev.AccountID == id {
					if f, _, _ := store.MediaTotals(ctx, id); f.Files > perAccount {
						lat = append(lat, time.Since(s))
						break wait
					}
				}
			case <-deadline:
				t.Fatalf("no index update for %s", path)
			}
		}
		os.Remove(path)
		time.Sleep(60 * time.Millisecond) // let the delete settle before the next sample
		for len(notify) > 0 {
			<-notify
		}
	}
	slices.Sort(lat)
	p := func(q float64) time.Duration { return lat[int(q*float64(len(lat)-1))].Round(100 * time.Microsecond) }
	fmt.Printf("file written -> index updated (%d samples, debounce %s): p50 %s  p99 %s  max %s\n",
		len(lat), "40ms", p(0.50), p(0.99), lat[len(lat)-1].Round(100*time.Microsecond))
	fmt.Printf("watches: %d\n\n", w.Status().Watches)
}
