package panel

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Version is set by main from the build.
var Version = "dev"

// MediaFolders is the per-account media folder on disk (docs/spec.md §9). Delete is
// two steps so the database change can sit between them: MoveAside before the
// transaction, Purge after its commit, Restore if it fails.
type MediaFolders interface {
	Path(root string, accountID int64) string
	Create(root string, accountID int64) error
	Stats(root string, accountID int64) (files int, bytes int64, err error)
	MoveAside(root string, accountID int64) (aside string, err error)
	Restore(root string, accountID int64, aside string) error
	Purge(aside string) error
	// Reconcile finishes or undoes deletes interrupted by a crash and
	// recreates missing folders of existing accounts.
	Reconcile(root string, existing map[int64]bool) error
}

// Deps are the outside world the services use. Every field is required:
// New refuses to build a Panel without one, so no service carries a
// "not available in this build" branch. The only wiring is backend/wire.
type Deps struct {
	Store   Store
	Folders MediaFolders
	Log     *slog.Logger
	Now     func() time.Time
	// DataDir is where the default content root lives.
	DataDir string
	// MediaIndex and Storage are the live media index and the file writer.
	MediaIndex MediaIndex
	Storage    MediaStorage
	// Relay carries media index changes to the doors; the media watcher,
	// built before the Panel, publishes to it too.
	Relay *Relay
	// Monitor reports the media watcher's state. It may start running after
	// New (a watcher that is not running reports Running false).
	Monitor MediaMonitor
	// Outbox, Mailer and Secrets are email (docs/spec.md §6): the persistent
	// outbox, the SMTP sender and the OS keyring for the SMTP password.
	Outbox  MailOutbox
	Mailer  Mailer
	Secrets Secrets
	// MailOptions tune the outbox worker; zero values take the defaults
	// (this one is a setting, not a dependency).
	MailOptions MailOptions
	// Backups keeps the whole-desk backups (backend/backup).
	Backups BackupVault
	// WebhookQueue and WebhookSender are webhooks (webhooks.go): the
	// delivery queue's claims and verdicts, and the HTTP requests.
	// WebhookOptions tune the delivery worker (zero values: its defaults).
	WebhookQueue   WebhookQueue
	WebhookSender  WebhookSender
	WebhookOptions WebhookOptions

	// webhooks is set by New: every service queues its events through it.
	webhooks *Webhooks
}

// missing names the required fields that are not set.
func (d *Deps) missing() []string {
	var out []string
	for _, f := range []struct {
		name string
		set  bool
	}{
		{"Store", d.Store != nil}, {"Folders", d.Folders != nil}, {"Log", d.Log != nil}, {"Now", d.Now != nil},
		{"DataDir", d.DataDir != ""}, {"MediaIndex", d.MediaIndex != nil}, {"Storage", d.Storage != nil},
		{"Relay", d.Relay != nil}, {"Monitor", d.Monitor != nil}, {"Outbox", d.Outbox != nil},
		{"Mailer", d.Mailer != nil}, {"Secrets", d.Secrets != nil}, {"Backups", d.Backups != nil},
		{"WebhookQueue", d.WebhookQueue != nil}, {"WebhookSender", d.WebhookSender != nil},
	} {
		if !f.set {
			out = append(out, f.name)
		}
	}
	return out
}

// Panel bundles the services; both doors and the CLI drive these.
type Panel struct {
	Auth     *Auth
	Accounts *Accounts
	Settings *Settings
	Plans    *Plans
	Services *Services
	Audit    *Audit
	Media    *Media
	Mail     *Mail
	Backups  *Backups
	Webhooks *Webhooks
	apiKeys  *APIKeys
	deps     *Deps
	// mon: workers' states and the transport, for Health (monitor.go).
	mon monitor
}

// New builds the services over d. A missing dependency is an error rather
// than a panic: New runs in start-up code that already reports errors (the
// app prints them and exits, testkit fails the test), and an error naming
// the missing fields says more there than a stack trace would.
func New(d Deps) (*Panel, error) {
	if missing := d.missing(); len(missing) > 0 {
		return nil, fmt.Errorf("panel.New: missing dependencies: %s", strings.Join(missing, ", "))
	}
	d.Folders = &startGate{MediaFolders: d.Folders}
	deps := &d
	settings := &Settings{deps: deps}
	// Accounts queues welcome mail through Mail, and Mail finds the account
	// it writes to through Accounts: the two are linked here, once.
	accounts := &Accounts{deps: deps, settings: settings}
	mail := newMail(deps, settings, accounts)
	accounts.mail = mail
	apiKeys := &APIKeys{deps: deps, mail: mail}
	deps.webhooks = &Webhooks{deps: deps, settings: settings, apiKeys: apiKeys, kick: make(chan struct{}, 1)}
	return &Panel{
		Mail:     mail,
		deps:     deps,
		Settings: settings,
		Auth:     &Auth{deps: deps, settings: settings, throttle: defaultThrottlePolicy, mail: mail},
		Accounts: accounts,
		Plans:    &Plans{deps: deps},
		Services: &Services{deps: deps},
		Audit:    &Audit{deps: deps},
		Media:    &Media{deps: deps, settings: settings, Relay: deps.Relay},
		Backups:  newBackups(deps, settings),
		Webhooks: deps.webhooks,
		apiKeys:  apiKeys,
	}, nil
}

// Start begins start-up work in the background and returns at once:
// reconcile media folders with the accounts (startup.go).
func (p *Panel) Start(ctx context.Context) error {
	return p.startBackground(ctx)
}

// now is truncated to the millisecond the store keeps, so what a call returns
// equals what a later read returns.
func (d *Deps) now() time.Time { return d.Now().UTC().Truncate(time.Millisecond) }

// Health is the unauthenticated status of the app.
type Health struct {
	Status     string `json:"status"`
	Version    string `json:"version"`
	NeedsSetup bool   `json:"needs_setup"`
	// PasswordMinLength lets every password form say the rule before it is broken.
	PasswordMinLength int `json:"password_min_length"`
	// Database is "ok" when it answered (it does not: 500, as any failure).
	Database string `json:"database"`
	// Watcher and MailWorker: "running", "stopped" (shutting down) or "off"
	// (this process runs none, like a console command).
	Watcher    string `json:"watcher"`
	MailWorker string `json:"mail_worker"`
	// PlainHTTP: serve answers over plain HTTP on an address other machines
	// can reach; Settings warns the admin (README, "Install").
	PlainHTTP bool `json:"plain_http"`
}

func (p *Panel) Health(ctx context.Context) (Health, error) {
	n, err := p.deps.Store.CountAccounts(ctx)
	if err != nil {
		return Health{}, Internal(err)
	}
	set, err := p.Settings.current(ctx, p.deps.Store)
	if err != nil {
		return Health{}, err
	}
	status := "ok"
	if p.indexing() {
		status = "indexing" // start-up work still runs (startup.go)
	}
	return Health{Status: status, Version: Version, NeedsSetup: n == 0, PasswordMinLength: set.PasswordMinLength,
		Database: "ok", Watcher: p.worker(WorkerWatcher), MailWorker: p.worker(WorkerMail), PlainHTTP: p.isPlainHTTP()}, nil
}
