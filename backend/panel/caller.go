package panel

import (
	"context"
	"strings"
)

// Caller is who is making a call: the account whose rights apply and, during
// "log in as", the administrator really at the keyboard.
type Caller struct {
	Account      *Account
	Impersonator *Account
	SessionHash  string
	// MustEnrol: the session may only enrol a second factor that System
	// Settings require (twofactor.go) — like a temporary password.
	MustEnrol bool
	// ViaKey marks a caller authenticated by an API key (KeyID, KeyPrefix):
	// it has the account's rights but no session, so what needs a session
	// (log in as, logout, own password change) is refused.
	ViaKey    bool
	KeyID     int64
	KeyPrefix string
	// Scopes narrow a key's rights (scopes.go); nil: the account's full rights.
	Scopes []string
}

type callerKey struct{}

// WithCaller is how a door tells the services who is calling.
func WithCaller(ctx context.Context, c *Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller a door attached, if any.
func CallerFrom(ctx context.Context) (*Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(*Caller)
	return c, ok && c != nil && c.Account != nil
}

// requireSession is a logged-in caller, even one that must still change a
// temporary password: enough for me, logout and the password change.
func requireSession(ctx context.Context) (*Caller, error) {
	c, ok := CallerFrom(ctx)
	if !ok {
		return nil, Unauthorized()
	}
	return c, nil
}

// requireCaller is a logged-in caller free to use the panel: an account with
// a temporary password must set its own first (docs/spec.md §7).
func requireCaller(ctx context.Context) (*Caller, error) {
	c, err := requireSession(ctx)
	if err != nil {
		return nil, err
	}
	if c.Account.MustChangePassword && c.Impersonator == nil {
		return nil, &Error{Code: CodeForbidden, Message: "Choose a new password before going on.",
			Fields: map[string]Reason{"password": ReasonMustChange}}
	}
	if c.MustEnrol && c.Impersonator == nil {
		return nil, mustEnrolError()
	}
	return c, nil
}

func requireAdmin(ctx context.Context) (*Caller, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return nil, err
	}
	if !c.Account.IsAdmin() {
		return nil, Forbidden("Only administrators can do this.")
	}
	return c, nil
}

// audit fills the actor fields of an entry from the caller.
func (c *Caller) audit(e AuditEntry) AuditEntry {
	if c != nil && c.Account != nil {
		e.ActorName = c.Account.Username
		if id := c.Account.ID; id != 0 {
			e.ActorID = &id
		}
		if c.Impersonator != nil {
			imp := c.Impersonator.ID
			e.ImpersonatorID, e.ImpersonatorName = &imp, c.Impersonator.Username
		}
		if c.ViaKey {
			e.Details = strings.TrimSpace(e.Details + " via_api_key=" + c.KeyPrefix)
		}
	}
	return e
}

// Operator is the person at the server's console running `castdesk admin ...`:
// whoever can read the data directory already holds everything, so the CLI
// acts with administrator rights. It is audited as "console".
func Operator(ctx context.Context) context.Context {
	return WithCaller(ctx, &Caller{Account: &Account{ID: 0, Username: "console", Level: LevelAdmin, Status: StatusEnabled}})
}
