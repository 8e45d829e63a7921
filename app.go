package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"castdesk/backend/datalock"
	"castdesk/backend/mailer"
	"castdesk/backend/media"
	"castdesk/backend/panel"
	"castdesk/backend/secrets"
	"castdesk/backend/sqlite"
	"castdesk/backend/wire"
)

// app is the composition root: it opens the store, builds the services
// (backend/wire) and hands them to a door. No business logic lives here.
type app struct {
	dataDir string
	log     *slog.Logger
	store   *sqlite.Store
	panel   *panel.Panel
	watcher *media.Watcher
	logFile *os.File
	// stopWatcher ends the media folder watcher started by start.
	stopWatcher func()
	// mail is the outbox worker started by start.
	mail *mailWorker
	// webhooks is the webhook delivery worker started by start.
	webhooks *webhookWorker
	// stopPruner ends the audit retention loop started by start.
	stopPruner func()
	// lock is the data directory's lock, held shared (admin_backup.go).
	lock *datalock.Lock
	// stopBackups ends the backup schedule started by start.
	stopBackups func()
	// stopTrim ends the idle memory trimming started by start.
	stopTrim func()
	// alsoTrim, when set before start, runs with each idle trim (serve:
	// the window libraries' pages touched since, serve_memory_linux.go).
	alsoTrim func()
}

// defaultDataDir is os.UserConfigDir()/castdesk.
func defaultDataDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no data directory: %w (pass --data DIR)", err)
	}
	return filepath.Join(dir, "castdesk"), nil
}

// openApp opens the data directory. verbose sends logs to stderr too; the
// log file in the data dir always gets them.
func openApp(ctx context.Context, dataDir string, verbose bool) (*app, error) {
	if dataDir == "" {
		var err error
		if dataDir, err = defaultDataDir(); err != nil {
			return nil, err
		}
	}
	dataDir, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the data directory %s: %w", dataDir, err)
	}
	lock, err := lockDataDir(dataDir)
	if err != nil {
		return nil, err
	}
	logFile, err := os.OpenFile(filepath.Join(dataDir, "castdesk.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("cannot open the log file in %s: %w", dataDir, err)
	}
	var stderr io.Writer = io.Discard
	if verbose {
		stderr = os.Stderr
	}
	log := slog.New(slog.NewMultiHandler(
		slog.NewJSONHandler(logFile, nil),
		stderrLog(stderr), // JSON lines under systemd (serve_deploy.go)
	))
	core, err := wire.Open(ctx, wire.Options{DataDir: dataDir, Log: log, Now: time.Now,
		Mailer: &mailer.Mailer{}, Secrets: secrets.NewKeyring(keyringService())})
	if err != nil {
		logFile.Close()
		lock.Close()
		return nil, err
	}
	return &app{dataDir: dataDir, log: log, store: core.Store, panel: core.Panel, watcher: core.Watcher, logFile: logFile, lock: lock}, nil
}

// start runs start-up work that a door needs before serving.
func (a *app) start(ctx context.Context) {
	if err := a.panel.Start(ctx); err != nil {
		// Not fatal: the panel works, and the admin sees it in the log.
		a.log.Error("start-up reconcile incomplete", "err", err)
	}
	// The media index: a full reconcile, then live updates until close.
	wctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.watcher.Run(wctx)
	}()
	a.stopWatcher = func() { cancel(); <-done }
	a.mail = startMailWorker(a.panel)
	a.webhooks = startWebhookWorker(a.panel)
	// Audit retention: prune now, then every few hours.
	pctx, stopPrune := context.WithCancel(context.Background())
	pruned := make(chan struct{})
	go func() {
		defer close(pruned)
		a.panel.Audit.RunPruner(pctx, panel.PruneEvery)
	}()
	a.stopPruner = func() { stopPrune(); <-pruned }
	a.stopBackups = startBackupSchedule(a.panel)
	// Memory back to the system once a burst of work is over (start-up's
	// reconcile and index first of all): backend/wire/memory.go.
	tctx, stopTrim := context.WithCancel(context.Background())
	trimmed := make(chan struct{})
	go func() {
		defer close(trimmed)
		wire.TrimWhenIdle(tctx, func(ctx context.Context) {
			a.store.ReleaseMemory(ctx)
			if a.alsoTrim != nil {
				a.alsoTrim()
			}
		})
	}()
	a.stopTrim = func() { stopTrim(); <-trimmed }
}

func (a *app) close() {
	if a.stopBackups != nil {
		a.stopBackups()
	} else {
		a.panel.Backups.Shutdown()
	}
	a.mail.Stop()
	a.webhooks.Stop()
	if a.stopPruner != nil {
		a.stopPruner()
	}
	a.panel.Auth.Settle() // forgot-password work still sending
	if a.stopTrim != nil {
		a.stopTrim()
	}
	if a.stopWatcher != nil {
		a.stopWatcher()
	}
	a.store.Close()
	a.logFile.Close()
	a.lock.Close()
}
