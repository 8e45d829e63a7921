package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	"castdesk/backend/panel"
	"castdesk/backend/proc"
	"castdesk/backend/sqlite"
	"castdesk/backend/wire"
)

// TestBenchServeRSS is `make bench`, not `make test`: the resident memory of
// an idle `castdesk serve` (this test binary run as the app) with 100,000
// accounts, each with its media folder watched, against the same serve on an
// empty data directory in the same run, 5 s and 20 s after /health says "ok"
// (the ratios are of the 20 s figures).
func TestBenchServeRSS(t *testing.T) {
	if dir := os.Getenv("CASTDESK_BENCH_SERVE_DIR"); dir != "" {
		if prof := os.Getenv("CASTDESK_BENCH_PROFILE"); prof != "" {
			profileOnSignal(prof)
		}
		os.Exit(runServe([]string{"--data", dir, "--addr", "127.0.0.1:0"}, os.Stdout, os.Stderr))
	}
	if os.Getenv("CASTDESK_BENCH") == "" {
		t.Skip("set CASTDESK_BENCH=1 (make bench)")
	}
	const accounts = 100_000
	empty := t.TempDir()
	full := t.TempDir()
	seedDataDir(t, full, accounts)
	shipped := copyDB(t, full) // the same accounts, no folders yet
	fmt.Printf("%-44s %10s %10s %10s %10s\n", "serve, idle after /health ok", "VmRSS 5 s", "VmRSS 20 s", "VmHWM", "Pss 20 s")
	test := func(dir string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestBenchServeRSS$")
		cmd.Env = append(os.Environ(), "CASTDESK_BENCH_SERVE_DIR="+dir)
		return cmd
	}
	base := serveRSS(t, test(empty), "empty data directory (baseline)")
	first := serveRSS(t, test(full), fmt.Sprintf("%d accounts, first start (folders made)", accounts))
	next := serveRSS(t, test(full), fmt.Sprintf("%d accounts, next start", accounts))
	fmt.Printf("%-44s %7.2fx / %.2fx the empty one (target <= 50 MiB)\n", "", float64(first)/float64(base), float64(next)/float64(base))

	// The shipped binary links GTK and WebKit for the window door: the
	// same serve, built as make build does (the Makefile's BUILD_FLAGS and
	// LDFLAGS: bound at load, so no symbol lookup touches the window's
	// libraries later).
	bin := filepath.Join(t.TempDir(), "castdesk")
	build := exec.Command("go", "build", "-trimpath", "-buildvcs=false", "-buildmode=pie", "-tags", "desktop,production,webkit2_41,sqlite_fts5",
		"-ldflags", "-s -w -buildid= -extldflags=-Wl,-z,relro,-z,now", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Printf("shipped binary not built (no GTK/WebKit here?): %v\n%s", err, out)
		return
	}
	real := func(dir string) *exec.Cmd { return exec.Command(bin, "serve", "--data", dir, "--addr", "127.0.0.1:0") }
	fmt.Printf("%-44s\n", "shipped binary (GTK and WebKit linked):")
	sbase := serveRSS(t, real(t.TempDir()), "  empty data directory")
	sfirst := serveRSS(t, real(shipped), fmt.Sprintf("  %d accounts, first start", accounts))
	snext := serveRSS(t, real(shipped), fmt.Sprintf("  %d accounts, next start", accounts))
	fmt.Printf("%-44s %7.2fx / %.2fx its empty one, %.2fx the test binary's empty one\n", "", float64(sfirst)/float64(sbase),
		float64(snext)/float64(sbase), float64(sbase)/float64(base))
}

// copyDB copies the database of data directory dir into a new one.
func copyDB(t *testing.T, dir string) string {
	to := t.TempDir()
	b, err := os.ReadFile(filepath.Join(dir, wire.DBFile))
	if err == nil {
		err = os.WriteFile(filepath.Join(to, wire.DBFile), b, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
	return to
}

func seedDataDir(t *testing.T, dir string, n int) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(dir, wire.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	hash, _ := panel.HashPassword("seeded-Passw0rd")
	now := time.Now()
	for start := 0; start < n; start += 5000 {
		err := store.Write(ctx, func(tx panel.Tx) error {
			for i := start; i < start+5000 && i < n; i++ {
				if _, err := tx.InsertAccount(ctx, &panel.Account{Username: fmt.Sprintf("user%06d", i), Name: fmt.Sprintf("Name %d", i),
					Email: fmt.Sprintf("u%d@example.org", i), Level: panel.LevelCustomer, Status: panel.StatusEnabled,
					Language: "en", PasswordHash: hash, CreatedAt: now, UpdatedAt: now}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// serveRSS runs serve (cmd) until /health is "ok", waits 5 s and returns
// its VmRSS in KiB.
func serveRSS(t *testing.T, cmd *exec.Cmd, name string) int {
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	start := time.Now()
	sc := bufio.NewScanner(out)
	url := ""
	for url == "" && sc.Scan() {
		if m := regexp.MustCompile(`http://[^/ ]+/`).FindString(sc.Text()); m != "" {
			url = m
		}
	}
	go func() {
		for sc.Scan() {
		}
	}()
	if url == "" {
		t.Fatalf("%s: serve printed no address", name)
	}
	var health struct{ Status string }
	for {
		res, err := http.Get(url + "api/v1/health")
		if err == nil {
			json.NewDecoder(res.Body).Decode(&health)
			res.Body.Close()
			if health.Status == "ok" {
				break
			}
		}
		if time.Since(start) > 10*time.Minute {
			t.Fatalf("%s: never ok", name)
		}
		time.Sleep(100 * time.Millisecond)
	}
	ready := time.Since(start)
	time.Sleep(5 * time.Second)
	rss5 := procStatus(t, cmd.Process.Pid, "VmRSS")
	// Then settled: the idle trim (wire.TrimWhenIdle) runs once the
	// process is quiet, at most once per 10 s, so 5 s after "ok" may come
	// before the start-up burst's last trim.
	time.Sleep(15 * time.Second)
	rss, hwm := procStatus(t, cmd.Process.Pid, "VmRSS"), procStatus(t, cmd.Process.Pid, "VmHWM")
	// Pss shares each page among the processes mapping it: lower than
	// VmRSS when another process maps the same libraries (a WebKit app).
	pss := procField(t, fmt.Sprintf("/proc/%d/smaps_rollup", cmd.Process.Pid), "Pss")
	fmt.Printf("%-44s %6.1f MiB %6.1f MiB %6.1f MiB %6.1f MiB (indexing done after %.1f s)\n", name, float64(rss5)/1024, float64(rss)/1024,
		float64(hwm)/1024, float64(pss)/1024, ready.Seconds())
	return rss
}

func procStatus(t *testing.T, pid int, field string) int {
	return procField(t, fmt.Sprintf("/proc/%d/status", pid), field)
}

func procField(t *testing.T, file, field string) int {
	n, err := proc.KiB(file, field)
	if err != nil {
		t.Skip(err)
	}
	return n
}
