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
	"slices"
	"testing"
	"time"

	"castdesk/backend/media"
	"castdesk/backend/panel"
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

	// CPU time (user + system) is printed beside the wall time: on a
	// loaded machine it tells the work done from the waiting for a core.
	var findCPU time.Duration
	find := func() time.Duration {
		cmd := exec.Command("find", root, "-type", "f", "-printf", "%s")
		cmd.Stdout = io.Discard
		s := time.Now()
		if err := cmd.Run(); err != nil {
			t.Fatal(err)
		}
		took := time.Since(s)
		if c := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(); findCPU == 0 || c < findCPU {
			findCPU = c
		}
		return took
	}
	find() // warm the cache for both sides
	findCPU = 0
	baseline := min(find(), find(), find())

	run := func() (time.Duration, time.Duration, *media.Watcher, func()) {
		w := &media.Watcher{Index: env.Store, Root: func(context.Context) (string, error) { return root, nil },
			Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		notify := make(notifyChan, 1024)
		w.Notify = notify
		wctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		s, c := time.Now(), processCPU()
		go func() {
			defer close(done)
			w.Run(wctx)
		}()
		<-w.Ready()
		took, cpu := time.Since(s), processCPU()-c
		return took, cpu, w, func() { cancel(); <-done }
	}
	cold, coldCPU, _, stop := run()
	stop()
	tot, _, _ := env.Store.MediaTotals(ctx, ids[0])
	if tot.Files != perAccount {
		t.Fatalf("index incomplete: %+v", tot)
	}
	warm, warmCPU, w, stop := run()
	defer stop()

	fmt.Printf("%-44s %10s %8s %10s %8s\n", "start-up, until the index is complete", "time", "× find", "CPU", "× find")
	fmt.Printf("%-44s %10s %8s %10s %8s\n", "find -type f -printf '%s' (baseline)", baseline.Round(time.Millisecond), "1.00", findCPU.Round(time.Millisecond), "1.00")
	fmt.Printf("%-44s %10s %8.2f %10s %8.2f\n", "first start (empty index: 200,000 inserts)", cold.Round(time.Millisecond), float64(cold)/float64(baseline),
		coldCPU.Round(time.Millisecond), float64(coldCPU)/float64(findCPU))
	fmt.Printf("%-44s %10s %8.2f %10s %8.2f\n", "next start (index up to date: diff only)", warm.Round(time.Millisecond), float64(warm)/float64(baseline),
		warmCPU.Round(time.Millisecond), float64(warmCPU)/float64(findCPU))

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
					if f, _, _ := env.Store.MediaTotals(ctx, id); f.Files > perAccount {
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
