package panel

import (
	"context"
	"log/slog"
	"time"
)

// Version is set by main from the build.
var Version = "dev"

// MediaFolders is the per-account media folder on disk (spec §9). Delete is
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

// Deps are the outside world the services use.
type Deps struct {
	Store   Store
	Folders MediaFolders
	Log     *slog.Logger
	Now     func() time.Time
	// DataDir is where the default content root lives.
	DataDir string
	// MediaIndex and Storage are the live media index and the file writer
	// (optional: without an index, counts come from a walk of the folder).
	MediaIndex MediaIndex
	Storage    MediaStorage
	// Outbox, Mailer and Secrets are email (spec §6): the persistent
	// outbox, the SMTP sender and the OS keyring for the SMTP password.
	Outbox  MailOutbox
	Mailer  Mailer
	Secrets Secrets
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
	deps     *Deps
}

func New(d Deps) *Panel {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.Default()
	}
	deps := &d
	settings := &Settings{deps: deps}
	mail := newMail(deps, settings)
	return &Panel{
		Mail:     mail,
		deps:     deps,
		Settings: settings,
		Auth:     &Auth{deps: deps, settings: settings, throttle: defaultThrottlePolicy, mail: mail},
		Accounts: &Accounts{deps: deps, settings: settings, mail: mail},
		Plans:    &Plans{deps: deps},
		Services: &Services{deps: deps},
		Audit:    &Audit{deps: deps},
		Media:    &Media{deps: deps, settings: settings, Relay: &Relay{}},
	}
}

// Start runs start-up work: reconcile media folders with the accounts.
func (p *Panel) Start(ctx context.Context) error {
	return p.Accounts.reconcileFolders(ctx)
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
	return Health{Status: "ok", Version: Version, NeedsSetup: n == 0, PasswordMinLength: set.PasswordMinLength}, nil
}
