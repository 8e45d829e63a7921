package backup_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"castdesk/backend/backup"
	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// TestBenchBackupRestore (make bench; CASTDESK_BENCH=1): a backup and a
// restore of 5,000 accounts and 400 MB of media in 1,000 files, against
// sqlite3 .backup + tar cf, and tar xf + sync, in the same run.
func TestBenchBackupRestore(t *testing.T) {
	if os.Getenv("CASTDESK_BENCH") == "" {
		t.Skip("make bench (CASTDESK_BENCH=1)")
	}
	env := testkit.New(t)
	admin, _ := env.Setup(t)
	var csv strings.Builder
	csv.WriteString("username,email,name\n")
	for i := range 5000 {
		fmt.Fprintf(&csv, "user%05d,u%d@example.org,User %d\n", i, i, i)
	}
	if _, err := env.Panel.Accounts.ImportCSV(admin, strings.NewReader(csv.String()), panel.ImportCSVInput{}); err != nil {
		t.Fatal(err)
	}
	body := make([]byte, 400<<10)
	for u := 2; u < 202; u++ {
		dir := filepath.Join(env.ContentRoot(), fmt.Sprintf("user_%d", u))
		os.MkdirAll(dir, 0o750)
		for f := range 5 {
			rand.Read(body)
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("track%d.mp3", f)), body, 0o640); err != nil {
				t.Fatal(err)
			}
		}
	}
	work := t.TempDir()
	best := func(n int, fn func(i int) error) time.Duration {
		var min time.Duration
		for i := range n {
			started := time.Now()
			if err := fn(i); err != nil {
				t.Fatal(err)
			}
			if d := time.Since(started); min == 0 || d < min {
				min = d
			}
		}
		return min
	}
	archive := func(i int) string { return filepath.Join(work, fmt.Sprintf("b%d.zip", i)) }
	ours := best(2, func(i int) error { _, err := env.Panel.Backups.WriteTo(admin, archive(i), nil); return err })
	st, _ := os.Stat(archive(0))
	restore := best(2, func(i int) error {
		_, err := backup.Restore(context.Background(), backup.RestoreOptions{Archive: archive(0), DataDir: filepath.Join(work, fmt.Sprintf("r%d", i))})
		return err
	})
	fmt.Printf("    %-58s %8s %8s\n", "5,000 accounts, 1,000 files, "+fmt.Sprintf("%.0f MB", float64(st.Size())/1e6), "time", "× base")
	if _, err := exec.LookPath("sqlite3"); err != nil {
		fmt.Printf("    castdesk backup %s, restore %s (no sqlite3 for the baseline)\n", ours.Round(time.Millisecond), restore.Round(time.Millisecond))
		return
	}
	db := filepath.Join(env.Dir, "castdesk.db")
	base := best(2, func(i int) error {
		dir := filepath.Join(work, fmt.Sprintf("base%d", i))
		os.MkdirAll(dir, 0o700)
		if out, err := exec.Command("sqlite3", db, ".backup "+filepath.Join(dir, "castdesk.db")).CombinedOutput(); err != nil {
			return fmt.Errorf("%v: %s", err, out)
		}
		return exec.Command("tar", "cf", filepath.Join(dir, "b.tar"), "-C", env.Dir, "content", "-C", dir, "castdesk.db").Run()
	})
	untar := best(2, func(i int) error {
		dir := filepath.Join(work, fmt.Sprintf("x%d", i))
		os.MkdirAll(dir, 0o700)
		if err := exec.Command("tar", "xf", filepath.Join(work, "base0", "b.tar"), "-C", dir).Run(); err != nil {
			return err
		}
		return exec.Command("sync").Run()
	})
	row := func(what string, d, b time.Duration) {
		fmt.Printf("    %-58s %8s %8.1f\n", what, d.Round(10*time.Millisecond), float64(d)/float64(b))
	}
	row("sqlite3 .backup + tar cf (baseline)", base, base)
	row("castdesk backup (snapshot, SHA-256 of all, fsync, rename)", ours, base)
	row("tar xf + sync (baseline)", untar, untar)
	row("castdesk restore (verify, extract, integrity, swap)", restore, untar)
}
