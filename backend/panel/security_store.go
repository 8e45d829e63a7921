package panel

import (
	"context"
	"time"
)

// What two-factor sign-in, sessions and the sign-in history need from the
// store. Reader and Tx embed these.

// TwoFactor is an account's TOTP second factor. EnabledAt is nil while the
// enrolment waits for its first code. LastStep is the last time step whose
// code was accepted: a code of that step or an earlier one is a replay.
type TwoFactor struct {
	AccountID int64
	Secret    string
	CreatedAt time.Time
	EnabledAt *time.Time
	LastStep  int64
}

// LoginPending is a login whose password was right and whose second factor
// is awaited. Only the hash of its token is stored.
type LoginPending struct {
	Hash      string
	AccountID int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

type SecurityReader interface {
	// TwoFactorOf answers NotFound when the account has no second factor,
	// enabled or being enrolled.
	TwoFactorOf(ctx context.Context, accountID int64) (TwoFactor, error)
	// RecoveryCodesLeft counts the account's unused recovery codes.
	RecoveryCodesLeft(ctx context.Context, accountID int64) (int, error)
	// LoginPendingByHash answers NotFound for an unknown token hash.
	LoginPendingByHash(ctx context.Context, hash string) (LoginPending, error)
	// SessionsOf lists the sessions of the account and those it opened inside
	// other accounts ("log in as"), expired ones included, newest first.
	SessionsOf(ctx context.Context, accountID int64) ([]Session, error)
	// SessionByPublicID answers NotFound for an unknown id.
	SessionByPublicID(ctx context.Context, id string) (*Session, error)
	// LoginEvents lists the account's last sign-ins, newest first.
	LoginEvents(ctx context.Context, accountID int64, limit int) ([]LoginEvent, error)
}

type SecurityWriter interface {
	// SaveTwoFactor stores the account's second factor, replacing any.
	SaveTwoFactor(ctx context.Context, tf TwoFactor) error
	// DeleteTwoFactor removes the second factor and the recovery codes.
	DeleteTwoFactor(ctx context.Context, accountID int64) error
	SetTwoFactorStep(ctx context.Context, accountID, step int64) error
	// ReplaceRecoveryCodes stores a new set of code hashes, dropping the old.
	ReplaceRecoveryCodes(ctx context.Context, accountID int64, hashes []string, at time.Time) error
	// UseRecoveryCode deletes one code and tells whether it existed.
	UseRecoveryCode(ctx context.Context, accountID int64, hash string) (bool, error)
	// InsertLoginPending stores a pending login and drops expired ones.
	InsertLoginPending(ctx context.Context, p LoginPending) error
	DeleteLoginPending(ctx context.Context, hash string) error
	// ClearMustEnrol lifts the enrolment restriction of the account's sessions.
	ClearMustEnrol(ctx context.Context, accountID int64) error
	// InsertLoginEvent records a sign-in and keeps the account's last keep.
	InsertLoginEvent(ctx context.Context, e LoginEvent, keep int) error
}
