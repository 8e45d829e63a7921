package panel

import (
	"context"
	"time"
)

// OneReadStore is the reads that answer the busiest requests in as few
// statements as the store can: the caller of a session cookie (every API
// request) and an account's overview (GET /customers/{id}). Reader embeds it.
// They only read: whether the caller may see what they return is decided
// by the services, exactly as with the single-row reads.
type OneReadStore interface {
	// SessionWithAccount is the session whose token hashes to hash together
	// with the account it belongs to; NotFound when either is absent.
	SessionWithAccount(ctx context.Context, hash string) (*Session, *Account, error)
	// AccountOverview is everything the overview shows of account id, read
	// at once (the account's row, its services by state, its outbox counts,
	// its second factor, its media index totals and, for a reseller, its
	// plan and what its customers use); NotFound when the account is
	// absent. defaultQuotaMB counts for a customer of the reseller without
	// a quota of its own, as in CustomerQuotaTotal.
	AccountOverview(ctx context.Context, id int64, defaultQuotaMB *int) (*OverviewFacts, error)
}

// OverviewFacts is what AccountOverview reads.
type OverviewFacts struct {
	Account           *Account
	ServicesSuspended int // of Account.ServicesCount
	Mail              MailCounts
	// TwoFactorEnabledAt is nil without an enabled second factor (an
	// enrolment waiting for its first code does not count);
	// RecoveryCodesLeft counts the unused recovery codes.
	TwoFactorEnabledAt *time.Time
	RecoveryCodesLeft  int
	// Media is the media index's totals; MediaIndexed is false when the
	// index has never held a file of the account (MediaIndex.MediaTotals).
	Media        MediaTotals
	MediaIndexed bool
	// Reseller is set for a reseller (Account.IsReseller) only.
	Reseller *ResellerFacts
}

// ResellerFacts is a reseller's plan and what it and its customers use.
type ResellerFacts struct {
	Plan           Plan
	Usage          Usage // as ResellerUsage with no service left out
	AutoDJInUse    bool
	ProxyInUse     bool
	CustomerQuotas int64 // as CustomerQuotaTotal with no account left out
}
