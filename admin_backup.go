package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"castdesk/backend/backup"
	"castdesk/backend/datalock"
	"castdesk/backend/panel"
)

// `castdesk admin backup` and `castdesk admin restore` (docs/spec.md §11),
// the data directory's lock, and the daily backup schedule of the window
// and serve.

// lockDataDir takes the data directory's lock shared: the window, serve and
// admin commands run side by side, and `castdesk admin restore`, which
// takes it exclusively, refuses to replace a directory someone is using.
func lockDataDir(dataDir string) (*datalock.Lock, error) {
	l, err := datalock.TryShared(filepath.Join(dataDir, datalock.DataDirFile))
	if errors.Is(err, datalock.ErrLocked) {
		return nil, fmt.Errorf("a restore is replacing the data directory %s right now; start Castdesk again when it is done", dataDir)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot lock the data directory %s: %w", dataDir, err)
	}
	return l, nil
}

// startBackupSchedule makes the scheduled backups while a door runs; the
// returned function stops it and any backup this process is writing.
func startBackupSchedule(p *panel.Panel) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.Backups.RunSchedule(ctx, time.Minute)
	}()
	return func() {
		cancel()
		<-done
		p.Backups.Shutdown()
	}
}

func adminBackup(args []string, stdout, stderr io.Writer) int {
	fl := newFlags("castdesk admin backup", stderr)
	dataDir := fl.String("data", "", "data directory")
	out := fl.String("out", "", "the archive to write (.zip)")
	if code, ok := parse(fl, args, stdout); !ok {
		return code
	}
	if *out == "" {
		fmt.Fprintln(stderr, "castdesk admin backup: say where to write it: castdesk admin backup --out FILE.zip")
		return 2
	}
	target, err := filepath.Abs(*out)
	if err != nil {
		fmt.Fprintln(stderr, "castdesk:", err)
		return 1
	}
	if _, err := os.Stat(target); err == nil {
		fmt.Fprintf(stderr, "castdesk: %s exists already; choose another name (a backup never overwrites a file)\n", target)
		return 1
	}
	ctx, stop := signal.NotifyContext(panel.Operator(context.Background()), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := openApp(ctx, *dataDir, false)
	if err != nil {
		fmt.Fprintln(stderr, "castdesk:", err)
		return 1
	}
	defer a.close()
	bar := newProgressLine(stderr)
	started := time.Now()
	b, err := a.panel.Backups.WriteTo(ctx, target, func(done, total int64) { bar.show("Backing up", done, total) })
	bar.end()
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "castdesk: stopped; no backup was written")
			return 1
		}
		printPanelError(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "Backup written: %s (%s in %s).\n", target, humanBytes(b.Size), time.Since(started).Round(time.Millisecond))
	fmt.Fprintln(stdout, "The SMTP password is not in it (it lives in the OS keyring). Restore with: castdesk admin restore "+target)
	return 0
}

func adminRestore(args []string, stdout, stderr io.Writer) int {
	fl := newFlags("castdesk admin restore", stderr)
	dataDir := fl.String("data", "", "data directory")
	force := fl.Bool("force", false, "replace a data directory that holds a desk (it is kept aside)")
	// FILE may come before or after the flags.
	var archive string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		archive, args = args[0], args[1:]
	}
	if code, ok := parse(fl, args, stdout); !ok {
		return code
	}
	if archive == "" && fl.NArg() > 0 {
		archive = fl.Arg(0)
	}
	if archive == "" {
		fmt.Fprintln(stderr, "castdesk admin restore: say which backup: castdesk admin restore FILE.zip [--data DIR] [--force]")
		return 2
	}
	dir := *dataDir
	if dir == "" {
		var err error
		if dir, err = defaultDataDir(); err != nil {
			fmt.Fprintln(stderr, "castdesk:", err)
			return 1
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	bar := newProgressLine(stderr)
	started := time.Now()
	res, err := backup.Restore(ctx, backup.RestoreOptions{Archive: archive, DataDir: dir, Force: *force,
		Progress: func(stage string, done, total int64) {
			bar.show(map[string]string{"verify": "Checking", "extract": "Restoring"}[stage], done, total)
		}})
	bar.end()
	if err != nil {
		fmt.Fprintln(stderr, "castdesk: restore refused:", err)
		if errors.Is(err, backup.ErrDamaged) || errors.Is(err, backup.ErrNewerSchema) || errors.Is(err, backup.ErrInUse) || errors.Is(err, backup.ErrExists) {
			fmt.Fprintln(stderr, "Nothing was changed.")
		}
		return 1
	}
	m := res.Manifest
	fmt.Fprintf(stdout, "Restored %s (made %s by Castdesk %s, schema %d) into %s in %s:\n", filepath.Base(archive),
		m.CreatedAt.Format(time.RFC3339), m.CastdeskVersion, m.SchemaVersion, res.DataDir, time.Since(started).Round(time.Millisecond))
	fmt.Fprintf(stdout, "  %d accounts, %d services, %d emails, %d media files in %s\n", m.Counts.Accounts, m.Counts.Services,
		m.Counts.Mails, m.Counts.Files, res.ContentRoot)
	if res.Aside != "" {
		fmt.Fprintf(stdout, "The previous data directory is kept at %s; delete it once you are satisfied.\n", res.Aside)
	}
	if res.ContentAside != "" {
		fmt.Fprintf(stdout, "The previous media folders are kept at %s.\n", res.ContentAside)
	}
	fmt.Fprintln(stdout, "The SMTP password is not in backups (it lives in the OS keyring): if this machine's keyring does not have it, "+
		"enter it again under Settings → Email.")
	return 0
}

// progressLine redraws "Backing up  42% (1.2 GB of 2.9 GB)" in place on a
// terminal, and prints a line every 10 % otherwise.
type progressLine struct {
	w        io.Writer
	tty      bool
	last     time.Time
	lastTen  int64
	lastWhat string
	drawn    bool
}

func newProgressLine(w io.Writer) *progressLine {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &progressLine{w: w, tty: tty, lastTen: -1}
}

func (p *progressLine) show(what string, done, total int64) {
	pct := int64(100)
	if total > 0 {
		pct = done * 100 / total
	}
	line := fmt.Sprintf("%s %3d%% (%s of %s)", what, pct, humanBytes(done), humanBytes(total))
	if p.tty {
		if time.Since(p.last) < 100*time.Millisecond && done < total {
			return
		}
		p.last = time.Now()
		fmt.Fprintf(p.w, "\r%-60s", line)
		p.drawn = true
		return
	}
	if what != p.lastWhat {
		p.lastWhat, p.lastTen = what, -1
	}
	if pct/10 != p.lastTen {
		p.lastTen = pct / 10
		fmt.Fprintln(p.w, line)
	}
}

func (p *progressLine) end() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}

func humanBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for v := n / unit; v >= unit; v /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}
