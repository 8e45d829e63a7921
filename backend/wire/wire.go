// Package wire builds the Castdesk core over a data directory: the SQLite
// store and what it backs (media index, outbox), the media folders, the
// media watcher and the panel services. The app (package main) and
// backend/testkit both call Open, so the tests run the wiring the binary
// runs; only what differs between them (clock, mailer, keyring, logger,
// tuning) is passed in.
package wire

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"time"

	"castdesk/backend/backup"
	"castdesk/backend/media"
	"castdesk/backend/panel"
	"castdesk/backend/sqlite"
	"castdesk/backend/webhook"
)

// DBFile is the database's file name in the data directory.
const DBFile = "castdesk.db"

// Folders are the per-account media folders on disk: their life cycle
// (panel.MediaFolders) and the files written into them (panel.MediaStorage).
type Folders interface {
	panel.MediaFolders
	panel.MediaStorage
}

// Options are what the app and the tests choose. DataDir, Log, Now, Mailer
// and Secrets are required.
type Options struct {
	// DataDir holds the database and the default content root.
	DataDir string
	// DBPath is the database file (default DataDir/DBFile).
	DBPath string
	Log    *slog.Logger
	Now    func() time.Time
	// Mailer sends email and Secrets keeps the SMTP password: the SMTP
	// adapter and the OS keyring in the app, twins in the tests.
	Mailer  panel.Mailer
	Secrets panel.Secrets
	// Folders is media.Folders unless set (tests inject failures here).
	Folders Folders
	// Mail tunes the outbox worker (zero values: its defaults).
	Mail panel.MailOptions
	// Webhooks tunes the webhook delivery worker (zero values: its defaults).
	Webhooks panel.WebhookOptions
	// WatchDebounce and WatchPoll tune the media watcher (0: its defaults).
	WatchDebounce time.Duration
	WatchPoll     time.Duration
}

// Core is the wired core. Nothing runs yet: the caller runs Panel.Start,
// Watcher.Run, Panel.Mail.Run and Panel.Webhooks.Run when a door needs
// them, and closes Store after stopping them.
type Core struct {
	Store   *sqlite.Store
	Folders Folders
	// Watcher keeps the media index in step with the content root; the
	// panel reports its status (Media.Status) whether it runs or not.
	Watcher *media.Watcher
	Panel   *panel.Panel
}

// Open opens the database and wires the core over it. On error nothing is
// left open.
func Open(ctx context.Context, o Options) (*Core, error) {
	if o.DataDir == "" {
		return nil, errors.New("wire.Open: no data directory")
	}
	path := o.DBPath
	if path == "" {
		path = filepath.Join(o.DataDir, DBFile)
	}
	store, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	folders := o.Folders
	if folders == nil {
		folders = &media.Folders{Log: o.Log}
	}
	relay := &panel.Relay{}
	// The watcher is built before the panel, which reports its status: it
	// publishes to the same relay and reads the content root setting itself.
	watcher := &media.Watcher{Index: store, Notify: relay, Root: panel.ContentRootOf(store, o.DataDir), Log: o.Log,
		Debounce: o.WatchDebounce, PollInterval: o.WatchPoll}
	p, err := panel.New(panel.Deps{
		Store:       store,
		Folders:     folders,
		Log:         o.Log,
		Now:         o.Now,
		DataDir:     o.DataDir,
		MediaIndex:  store,
		Storage:     folders,
		Relay:       relay,
		Monitor:     watcher,
		Outbox:      store,
		Mailer:      o.Mailer,
		Secrets:     o.Secrets,
		MailOptions: o.Mail,
		// Webhooks: the delivery queue is the store, the requests go
		// through the one HTTP sender (backend/webhook).
		WebhookQueue:   store,
		WebhookSender:  &webhook.Sender{},
		WebhookOptions: o.Webhooks,
		Backups:        backup.New(filepath.Join(o.DataDir, "backups"), store, o.Log),
	})
	if err != nil {
		store.Close()
		return nil, err
	}
	return &Core{Store: store, Folders: folders, Watcher: watcher, Panel: p}, nil
}
