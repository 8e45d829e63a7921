// Package testkit builds a real Castdesk core over a real SQLite file in a
// temp dir, for the tests of every package. Only tests import it.
package testkit

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"castdesk/backend/mailer"
	"castdesk/backend/media"
	"castdesk/backend/panel"
	"castdesk/backend/secrets"
	"castdesk/backend/sqlite"
	"castdesk/backend/wire"
)

// StrongPassword passes the default policy.
const StrongPassword = "Corr3ct-Horse-Battery"

// Clock is a settable clock for tests of expiry and throttling.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

func NewClock() *Clock { return &Clock{now: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)} }

func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Env is a core wired by wire.Open, as the app wires it, over a temp dir.
type Env struct {
	// Mailer, Secrets and MailOptions, when set before Reopen, are the
	// panel's; New gives the real SMTP mailer (nothing sends until a test
	// runs the outbox or a test email; mailertest.New is the in-memory
	// twin), an in-memory keyring and the worker's default options.
	Mailer      panel.Mailer
	Secrets     panel.Secrets
	MailOptions panel.MailOptions
	Dir         string
	DBPath      string
	Store       *sqlite.Store
	Panel       *panel.Panel
	Clock       *Clock
	// Folders, when set before Reopen, are the panel's (it must write
	// files too, as media.Folders does); tests inject failures here.
	Folders panel.MediaFolders
	// Watcher is the panel's media watcher, not running until StartMedia.
	Watcher *media.Watcher
	// watching is set once StartMedia ran the current Watcher.
	watching bool

	// WebhookOptions, when set before Reopen, tune the webhook worker.
	WebhookOptions panel.WebhookOptions
}

// New opens a fresh data dir. Its store closes when the test ends.
func New(t testing.TB) *Env {
	t.Helper()
	dir := t.TempDir()
	e := &Env{Dir: dir, DBPath: filepath.Join(dir, wire.DBFile), Clock: NewClock(),
		Mailer: &mailer.Mailer{}, Secrets: secrets.NewMemory()}
	e.Reopen(t)
	return e
}

// Reopen opens the same data dir again, as a restarted process would.
func (e *Env) Reopen(t testing.TB) {
	t.Helper()
	if e.Store != nil {
		e.Panel.Auth.Settle() // work left after an answer finishes first
		e.Store.Close()
	}
	var folders wire.Folders
	if e.Folders != nil {
		f, ok := e.Folders.(wire.Folders)
		if !ok {
			t.Fatalf("testkit: Env.Folders (%T) does not write files (panel.MediaStorage)", e.Folders)
		}
		folders = f
	}
	core, err := wire.Open(context.Background(), wire.Options{DataDir: e.Dir, DBPath: e.DBPath,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: e.Clock.Now, Mailer: e.Mailer, Secrets: e.Secrets,
		Folders: folders, Mail: e.MailOptions, Webhooks: e.WebhookOptions, WatchDebounce: 20 * time.Millisecond, WatchPoll: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("open core: %v", err)
	}
	store := core.Store
	p := core.Panel
	t.Cleanup(func() { p.Auth.Settle(); store.Close() })
	// Before the store closes and the temp dir goes: a backup still
	// being written stops and cleans up.
	t.Cleanup(core.Panel.Backups.Shutdown)
	e.Store, e.Panel, e.Folders, e.Watcher, e.watching = store, core.Panel, core.Folders, core.Watcher, false
}

// OtherProcess opens the same data dir beside e, as a second process (the
// window beside serve) would: its own store on the same file, the same
// clock, mailer, keyring and mail options.
func (e *Env) OtherProcess(t testing.TB) *Env {
	t.Helper()
	o := &Env{Dir: e.Dir, DBPath: e.DBPath, Clock: e.Clock, Mailer: e.Mailer, Secrets: e.Secrets, MailOptions: e.MailOptions,
		Folders: e.Folders}
	o.WebhookOptions = e.WebhookOptions
	o.Reopen(t)
	return o
}

// Setup creates the first admin and returns a context acting as it.
func (e *Env) Setup(t testing.TB) (context.Context, *panel.Account) {
	t.Helper()
	res, err := e.Panel.Auth.Setup(context.Background(), panel.SetupInput{Username: "admin", Name: "Ada Admin",
		Email: "admin@example.org", Password: StrongPassword, PasswordConfirm: StrongPassword})
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	return e.As(t, res.Token), res.Account
}

// As returns a context authenticated with a session token.
func (e *Env) As(t testing.TB, token string) context.Context {
	t.Helper()
	c, err := e.Panel.Auth.Authenticate(context.Background(), token)
	if err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	return panel.WithCaller(context.Background(), c)
}

// Login logs in and returns a context acting as that account.
func (e *Env) Login(t testing.TB, username, password string) context.Context {
	t.Helper()
	res, err := e.Panel.Auth.Login(context.Background(), panel.LoginInput{Username: username, Password: password})
	if err != nil {
		t.Fatalf("login %s: %v", username, err)
	}
	return e.As(t, res.Token)
}

// CreateAccount creates an account as ctx's caller with sensible defaults.
func (e *Env) CreateAccount(t testing.TB, ctx context.Context, username string, level panel.Level) *panel.Account {
	t.Helper()
	acc, err := e.Panel.Accounts.Create(ctx, panel.CreateAccountInput{Username: username, Name: "Name of " + username,
		Email: username + "@example.org", Level: level, Password: StrongPassword, PasswordConfirm: StrongPassword})
	if err != nil {
		t.Fatalf("create %s: %v", username, err)
	}
	return acc
}

// Code returns the panel error code of err ("" for nil).
func Code(err error) panel.Code {
	if err == nil {
		return ""
	}
	return panel.AsError(err).Code
}
