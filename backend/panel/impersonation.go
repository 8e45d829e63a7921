package panel

import (
	"context"
	"fmt"
)

// LoginAs puts the caller inside another account (docs/spec.md §5): admins into any
// non-admin account, resellers into their own customers. The caller's
// session is replaced by one that remembers who is really there; the new
// token goes back to the door.
func (a *Auth) LoginAs(ctx context.Context, targetID int64) (LoginResult, *Account, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return LoginResult{}, nil, err
	}
	if err := refuseKey(c, "Logging in as another account"); err != nil {
		return LoginResult{}, nil, err
	}
	if c.Impersonator != nil {
		return LoginResult{}, nil, Forbidden("You are already logged in as another account: log out of it first.")
	}
	target, err := a.deps.Store.AccountByID(ctx, targetID)
	if err != nil {
		return LoginResult{}, nil, wrapErr(err)
	}
	switch {
	case !visible(c, target):
		return LoginResult{}, nil, NotFound("Account")
	case target.ID == c.Account.ID:
		return LoginResult{}, nil, Forbidden("You are already in your own account.")
	case target.IsAdmin():
		return LoginResult{}, nil, Forbidden("Logging in as an administrator is not possible.")
	case !c.Account.IsAdmin() && !c.Account.IsReseller():
		return LoginResult{}, nil, Forbidden("Only administrators and resellers can log in as another account.")
	case !target.IsEnabled():
		return LoginResult{}, nil, FieldError(CodeConflict, "This account is disabled: enable it first.", "status", ReasonDisabled, nil)
	}
	var token string
	err = a.deps.Store.Write(ctx, func(tx Tx) error {
		if err := tx.DeleteSession(ctx, c.SessionHash); err != nil {
			return err
		}
		impersonator := c.Account.ID
		if token, err = a.openSession(ctx, tx, target.ID, &impersonator); err != nil {
			return err
		}
		if err := a.deps.webhooks.loginAs(ctx, tx, EventLoginAsStarted, target, c.Account); err != nil {
			return err
		}
		inside := &Caller{Account: target, Impersonator: c.Account}
		return tx.InsertAudit(ctx, inside.audit(AuditEntry{At: a.deps.now(), Event: "login_as.start", SubjectType: "account",
			SubjectID: fmt.Sprint(target.ID), Details: "by=" + c.Account.Username}))
	})
	if err != nil {
		return LoginResult{}, nil, wrapErr(err)
	}
	a.deps.webhooks.wake()
	return LoginResult{Account: target, Token: token}, c.Account, nil
}

// endImpersonation closes a "log in as" session and opens a fresh one for
// the administrator behind it.
func (a *Auth) endImpersonation(ctx context.Context, c *Caller) (LoginResult, error) {
	var token string
	err := a.deps.Store.Write(ctx, func(tx Tx) error {
		if err := tx.DeleteSession(ctx, c.SessionHash); err != nil {
			return err
		}
		var err error
		if token, err = a.openSession(ctx, tx, c.Impersonator.ID, nil); err != nil {
			return err
		}
		if err := a.deps.webhooks.loginAs(ctx, tx, EventLoginAsEnded, c.Account, c.Impersonator); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: a.deps.now(), Event: "login_as.end", SubjectType: "account",
			SubjectID: fmt.Sprint(c.Account.ID), Details: "back_to=" + c.Impersonator.Username}))
	})
	if err != nil {
		return LoginResult{}, wrapErr(err)
	}
	a.deps.webhooks.wake()
	return LoginResult{Account: c.Impersonator, Token: token}, nil
}

// refuseWhileImpersonating guards the target's credentials: during "log in
// as" nobody changes its password, email or API keys.
func refuseWhileImpersonating(c *Caller, targetID int64, what string) error {
	if c.Impersonator != nil && c.Account.ID == targetID {
		return Forbidden(fmt.Sprintf("Changing the %s is not possible while logged in as this account.", what))
	}
	return nil
}
