package panel

import "context"

// UsernameCheckInput is a username as typed in the account form, and the
// account being edited (0 or absent: a new account).
type UsernameCheckInput struct {
	Username string `json:"username"`
	ID       int64  `json:"id"`
}

// UsernameCheck says, before the form is sent, whether a username can be
// used: the reason the create or update would give for the username field
// (taken, too_short, invalid, …) with its params, or available. The check at
// submit stays the authority (a name can be taken in between).
type UsernameCheck struct {
	// Username is the name as it would be stored (trimmed, NFKC).
	Username  string `json:"username"`
	Available bool   `json:"available"`
	Reason    Reason `json:"reason,omitempty"`
	Params    Params `json:"params,omitempty"`
}

// CheckUsername answers whether in.Username is free for a new account, or
// for account in.ID. Only who may set a username asks: administrators, and
// resellers (for a new customer, or one of their customers); the account
// must be one the caller sees. Nothing is written.
func (s *Accounts) CheckUsername(ctx context.Context, in UsernameCheckInput) (UsernameCheck, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return UsernameCheck{}, err
	}
	if !c.Account.IsAdmin() && !c.Account.IsReseller() {
		return UsernameCheck{}, FieldError(CodeForbidden, "Only administrators and resellers can choose usernames.",
			"username", ReasonForbidden, nil)
	}
	if in.ID != 0 {
		if _, err := s.get(ctx, s.deps.Store, c, in.ID); err != nil {
			return UsernameCheck{}, err
		}
		if in.ID == c.Account.ID && !c.Account.IsAdmin() {
			return UsernameCheck{}, FieldError(CodeForbidden, "You are not allowed to change your username.",
				"username", ReasonForbidden, nil)
		}
	}
	out := UsernameCheck{Username: NormalizeUsername(in.Username)}
	fields := &Problems{}
	validateUsername(out.Username, fields)
	if err := usernameFree(ctx, s.deps.Store, out.Username, in.ID, fields); err != nil {
		return UsernameCheck{}, err
	}
	if r, ok := fields.Fields["username"]; ok {
		out.Reason, out.Params = r, fields.Params["username"]
		return out, nil
	}
	out.Available = true
	return out, nil
}
