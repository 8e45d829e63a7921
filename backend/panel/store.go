package panel

import (
	"context"
	"time"
)

// Store is what the services need from persistence. The sqlite package
// implements it; nothing here knows it is SQL.
type Store interface {
	Reader
	// Write runs fn in one write transaction. Writes are serialised, so a
	// check made inside fn still holds when fn's writes commit.
	Write(ctx context.Context, fn func(Tx) error) error
}

// Reader answers questions; inside Write it reads the transaction's view.
type Reader interface {
	SecurityReader
	OutboxReader
	OneReadStore
	CountAccounts(ctx context.Context) (int, error)
	CountEnabledAdmins(ctx context.Context, excludingID int64) (int, error)
	// AccountByID and AccountByUsernameKey answer NotFound when absent.
	AccountByID(ctx context.Context, id int64) (*Account, error)
	AccountByUsernameKey(ctx context.Context, key string) (*Account, error)
	// AccountsByLogin finds the account whose username is login or, failing
	// that, the accounts whose email is login (case-insensitively).
	AccountsByLogin(ctx context.Context, login string) ([]Account, error)
	// PasswordReset answers NotFound for an unknown code hash.
	PasswordReset(ctx context.Context, codeHash string) (PasswordReset, error)
	ListAccounts(ctx context.Context, q AccountQuery) (AccountPage, error)
	AllAccountIDs(ctx context.Context) ([]int64, error)
	AccountsOwnedBy(ctx context.Context, ownerID int64) ([]AccountRef, error)

	ServicesOwnedBy(ctx context.Context, ownerID int64) ([]ServiceSummary, error)
	// PlanName and PlanByID answer NotFound for an unknown plan.
	PlanName(ctx context.Context, id int64) (string, error)
	PlanByID(ctx context.Context, id int64) (*Plan, error)
	ListPlans(ctx context.Context) ([]Plan, error)

	ServiceByID(ctx context.Context, id int64) (*Service, error)
	ListServices(ctx context.Context, q ServiceQuery) (ServicePage, error)
	// UsedPorts lists every service port but that of service exceptID.
	UsedPorts(ctx context.Context, exceptID int64) (map[int]bool, error)
	// ResellerUsage sums the services of the reseller and of the accounts it
	// owns, leaving out service exceptID (the one being changed).
	ResellerUsage(ctx context.Context, resellerID, exceptID int64) (Usage, error)
	ResellerFeaturesInUse(ctx context.Context, resellerID int64) (autodj, proxy bool, err error)
	// CustomerQuotaTotal sums, in MB, the storage quotas of the accounts
	// resellerID owns, leaving out exceptID; an account without its own
	// counts defaultMB (nil: 0, as an unlimited one does).
	CustomerQuotaTotal(ctx context.Context, resellerID, exceptID int64, defaultMB *int) (int64, error)
	// AccountsOverQuota lists, largest overrun first, up to limit accounts
	// whose indexed media take more than their quota, and how many there are.
	AccountsOverQuota(ctx context.Context, defaultMB *int, limit int) ([]StorageUse, int, error)

	SessionByHash(ctx context.Context, hash string) (*Session, error)
	LoginThrottle(ctx context.Context, key string) (Throttle, error)
	Settings(ctx context.Context) (map[string]string, error)
	ListAudit(ctx context.Context, q AuditQuery) (AuditPage, error)

	// DeviceKey is the key that signs device tokens, nil before it exists.
	DeviceKey(ctx context.Context) ([]byte, error)
	// AccountDisabledBy is the level that disabled the account (nil when
	// enabled); HighestSuspension the highest level that suspended one of
	// the account's services (nil when none is suspended).
	AccountDisabledBy(ctx context.Context, id int64) (*Authority, error)
	HighestSuspension(ctx context.Context, ownerID int64) (*Authority, error)

	// APIKeyByHash and APIKeyByID answer NotFound when absent; revoked keys
	// are found (RevokedAt set). ListAPIKeys lists an account's live keys.
	APIKeyByHash(ctx context.Context, hash string) (*APIKey, error)
	APIKeyByID(ctx context.Context, id int64) (*APIKey, error)
	ListAPIKeys(ctx context.Context, accountID int64) ([]APIKey, error)
	// APIKeysExpiringBefore lists live keys expiring before t whose expiry
	// was not warned about yet.
	APIKeysExpiringBefore(ctx context.Context, t time.Time) ([]APIKey, error)

	WebhookReader
}

// Tx is a write transaction.
type Tx interface {
	Reader
	SecurityWriter
	OutboxWriter
	// InsertAccount answers InvalidField("username", ReasonTaken) when the
	// username is taken case-insensitively.
	InsertAccount(ctx context.Context, a *Account) (int64, error)
	UpdateAccount(ctx context.Context, a *Account) error
	SetPasswordHash(ctx context.Context, id int64, hash string, mustChange bool) error
	SetLastLogin(ctx context.Context, id int64, at time.Time) error
	// DeleteAccount removes the account and its services and sessions, and
	// hands the accounts it owned to the top level.
	DeleteAccount(ctx context.Context, id int64) error

	InsertSession(ctx context.Context, s *Session) error
	ExtendSession(ctx context.Context, hash string, expires, seen time.Time) error
	DeleteSession(ctx context.Context, hash string) error
	DeleteSessionsOf(ctx context.Context, accountID int64) error
	DeleteOtherSessions(ctx context.Context, accountID int64, keepHash string) error

	SaveLoginThrottle(ctx context.Context, key string, t Throttle) error
	// ReplacePasswordReset stores a new code for the account, dropping its old ones.
	ReplacePasswordReset(ctx context.Context, r PasswordReset) error
	DeletePasswordResets(ctx context.Context, accountID int64) error
	ClearLoginThrottle(ctx context.Context, key string) error

	SaveSettings(ctx context.Context, values map[string]string) error

	InsertPlan(ctx context.Context, p *Plan) (int64, error)
	UpdatePlan(ctx context.Context, p *Plan) error
	DeletePlan(ctx context.Context, id int64) error

	// InsertService and UpdateService answer InvalidField("port", ReasonTaken)
	// when the port is in use.
	InsertService(ctx context.Context, s *Service) (int64, error)
	UpdateService(ctx context.Context, s *Service) error
	DeleteService(ctx context.Context, id int64) error
	InsertAudit(ctx context.Context, e AuditEntry) error
	// CountAudit adds one to the count of the audit row named windowKey,
	// inserting e as that row (count 1) when there is none.
	CountAudit(ctx context.Context, e AuditEntry, windowKey string) error
	// PruneAudit deletes the audit entries older than cutoff through the
	// prune permit and tells how many went; PruneThrottles drops login
	// throttle states whose wait ended before until.
	PruneAudit(ctx context.Context, cutoff time.Time) (int64, error)
	PruneThrottles(ctx context.Context, until time.Time) error
	// InitDeviceKey stores the device token key unless one exists.
	InitDeviceKey(ctx context.Context, secret []byte) error
	// SetAccountDisabledBy records the level that disabled the account (nil: enabled).
	SetAccountDisabledBy(ctx context.Context, id int64, by *Authority) error

	InsertAPIKey(ctx context.Context, k *APIKey) (int64, error)
	// UpdateAPIKey saves a key's name, scopes, expiry, allowed addresses
	// and expiry warning mark (never its hash).
	UpdateAPIKey(ctx context.Context, k *APIKey) error
	RevokeAPIKey(ctx context.Context, id int64, at time.Time) error
	// TouchAPIKey records a use: when and from which client address.
	TouchAPIKey(ctx context.Context, id int64, at time.Time, client string) error
	MarkAPIKeyWarned(ctx context.Context, id int64, at time.Time) error

	WebhookWriter

	// InsertMail queues an outbox row in this transaction (e.g. the welcome
	// email with the account it welcomes).
	InsertMail(ctx context.Context, m *OutboxMail) (int64, error)
}

// AccountQuery is one page of the customers list. Scope limits the rows to
// what the caller may see; it is filled in by the service, never by a door.
type AccountQuery struct {
	Q          string
	Level      Level
	Status     Status
	ResellerID int64 // accounts owned by this reseller
	Sort       string
	Cursor     string
	Limit      int

	ScopeOwnerID int64 // >0: only accounts owned by it, plus itself
	ScopeSelfID  int64 // >0: only this account
}

type AccountPage struct {
	Items      []Account `json:"items"`
	NextCursor string    `json:"next_cursor"`
	Total      int       `json:"total"`
}

// AccountRef names an account in lists where the whole account is not needed.
type AccountRef struct {
	ID       int64  `json:"id"`
	Username string `json:"username"`
	Name     string `json:"name"`
}

// ServiceSummary is what the overview and the delete preview show of a service.
type ServiceSummary struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Type   string `json:"type"`
	Port   int    `json:"port"`
	Status string `json:"status"`
}

// Throttle is the persisted login-failure state of one username key.
type Throttle struct {
	Failures int
	Until    time.Time
}

// AuditEntry records who did what to whom. Details never hold a secret.
type AuditEntry struct {
	ID             int64     `json:"id"`
	At             time.Time `json:"at"`
	ActorID        *int64    `json:"actor_id"`
	ActorName      string    `json:"actor"`
	ImpersonatorID *int64    `json:"impersonator_id"`
	// ImpersonatorName is the administrator behind a "log in as".
	ImpersonatorName string `json:"impersonator"`
	Event            string `json:"event"`
	SubjectType      string `json:"subject_type"`
	SubjectID        string `json:"subject_id"`
	Details          string `json:"details"`
	// Count is how many times the event happened: more than 1 only for the
	// counted events (failed and throttled logins, forgot-password requests
	// for unknown logins), one row per subject, client and hour; LastAt is
	// then the last time (else null).
	Count  int        `json:"count"`
	LastAt *time.Time `json:"last_at"`
}
