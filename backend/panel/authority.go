package panel

import (
	"context"
	"fmt"
)

// Authority is the level that suspended a service or disabled an account.
// Only that level or a higher one lifts it, and a lower one cannot delete
// what it covers: a reseller cannot undo an administrator's suspension.
type Authority string

const (
	AuthorityAdmin    Authority = "admin"
	AuthorityReseller Authority = "reseller"
)

// Authorities lists every Authority, highest first.
var Authorities = []Authority{AuthorityAdmin, AuthorityReseller}

func (a Authority) rank() int {
	switch a {
	case AuthorityAdmin:
		return 2
	case AuthorityReseller:
		return 1
	}
	return 0
}

// authorityOf is the level the caller acts with: during "log in as", that
// of the account it acts as.
func authorityOf(c *Caller) Authority {
	switch {
	case c.Account.IsAdmin():
		return AuthorityAdmin
	case c.Account.IsReseller():
		return AuthorityReseller
	}
	return ""
}

// imposedBy is a pointer to the caller's authority, as stored.
func imposedBy(c *Caller) *Authority {
	a := authorityOf(c)
	return &a
}

// outranked refuses the caller when by, the level that imposed a state,
// is above its own: keyed by field, with params {level}.
func outranked(c *Caller, by *Authority, field, message string) error {
	if by == nil || authorityOf(c).rank() >= by.rank() {
		return nil
	}
	return FieldError(CodeForbidden, message, field, ReasonSetByHigherLevel, Params{"level": string(*by)})
}

const (
	msgServiceOutranked = "An administrator suspended this service: only an administrator can lift the suspension or delete the service."
	msgAccountOutranked = "An administrator disabled this account: only an administrator can enable or delete it."
)

// mayDeleteImposed refuses deleting acc when a level above the caller's
// disabled it or suspended one of its services (deleting the account
// would delete them too).
func mayDeleteImposed(ctx context.Context, r Reader, c *Caller, acc *Account) error {
	if !acc.IsEnabled() {
		by, err := r.AccountDisabledBy(ctx, acc.ID)
		if err != nil {
			return err
		}
		if err := outranked(c, by, "status", msgAccountOutranked); err != nil {
			return err
		}
	}
	by, err := r.HighestSuspension(ctx, acc.ID)
	if err != nil {
		return err
	}
	return outranked(c, by, "services", fmt.Sprintf("An administrator suspended a service of %s: only an administrator can delete the account.", acc.Username))
}

// mayEnable refuses enabling acc (was disabled, becomes enabled) when a
// level above the caller's disabled it.
func mayEnable(ctx context.Context, r Reader, c *Caller, before, after *Account) error {
	if before.IsEnabled() || !after.IsEnabled() {
		return nil
	}
	by, err := r.AccountDisabledBy(ctx, before.ID)
	if err != nil {
		return err
	}
	return outranked(c, by, "status", msgAccountOutranked)
}

// recordDisabledBy stores who disabled acc when its status changed (from
// was; "" for a new account), and forgets it when it is enabled again.
func recordDisabledBy(ctx context.Context, tx Tx, c *Caller, was Status, acc *Account) error {
	if acc.Status == was {
		return nil
	}
	var by *Authority
	if !acc.IsEnabled() {
		by = imposedBy(c)
	}
	return tx.SetAccountDisabledBy(ctx, acc.ID, by)
}
