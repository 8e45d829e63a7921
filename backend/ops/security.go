package ops

import "castdesk/backend/panel"

// Account security: the second login step, two-factor sign-in, "Where
// you're signed in" and the sign-in history (docs/spec.md §1.4).

// LoginBody answers the first login step: {account} and a session, or
// {two_factor_required: true} and a pending login (no session yet) when the
// account has a second factor. must_enrol_two_factor: the session may only
// enrol the second factor System Settings require.
type LoginBody struct {
	Account            *panel.Account `json:"account,omitempty"`
	TwoFactorRequired  bool           `json:"two_factor_required"`
	MustEnrolTwoFactor bool           `json:"must_enrol_two_factor,omitempty"`
}

// login is the first step on either door.
func login(e Env, in panel.LoginInput) (LoginBody, error) {
	res, err := e.Panel.Auth.Login(e.Ctx, loginFrom(e, in))
	keepDevices(e, res.DeviceTokens)
	if err != nil {
		return LoginBody{}, err
	}
	if res.TwoFactorRequired {
		e.Door.SetPendingLogin(res.PendingToken)
		return LoginBody{TwoFactorRequired: true}, nil
	}
	e.Door.SetPendingLogin("")
	e.Door.SetSession(res.Token)
	return LoginBody{Account: res.Account, MustEnrolTwoFactor: res.MustEnrol}, nil
}

// SessionByID names session {id} (its public id).
type SessionByID struct {
	ID string `json:"id" path:"id"`
}

// Removed answers the removal of a second factor.
type Removed struct {
	Removed bool `json:"removed"`
}

var securityOps = []*Op{
	declare(Op{Name: "login2fa", Method: "POST", Path: "/auth/login/2fa", Tag: "Sessions", Access: Public, Errors: []int{401, 429},
		Summary: "Log in, second step: the code of the authenticator app or a recovery code",
		Description: "After POST /auth/login answered two_factor_required, with the pending-login cookie it set (5 minutes). " +
			"A wrong code is 400 (code: invalid_code); a code already used in its time step is refused the same; " +
			"wrong codes are throttled per account (429); an expired or missing pending login is 401 (start again)."},
		func(e Env, in panel.TwoFactorCodeInput) (AccountBody, error) {
			res, err := e.Panel.Auth.LoginSecondStep(e.Ctx, e.Door.PendingLogin(), in)
			if err != nil {
				if panel.IsCode(err, panel.CodeUnauthorized) {
					e.Door.SetPendingLogin("")
				}
				return AccountBody{}, err
			}
			e.Door.SetPendingLogin("")
			e.Door.SetSession(res.Token)
			return accountBody(res.Account, nil)
		}),

	declare(Op{Name: "twoFactorSetup", Scope: panel.AreaAnyKey, Method: "POST", Path: "/auth/2fa/setup", Tag: "Sessions", Access: SessionOnly,
		NoBody: true, Errors: []int{409},
		Summary:     "Start enrolling an authenticator app: a new secret, as text and as a QR code",
		Description: "qr_code is a PNG data URL rendered by the server (no outside service). Nothing is in force until /auth/2fa/enable."},
		func(e Env, _ NoInput) (panel.TwoFactorSetup, error) { return e.Panel.Auth.SetupTwoFactor(e.Ctx) }),

	declare(Op{Name: "twoFactorEnable", Scope: panel.AreaAnyKey, Method: "POST", Path: "/auth/2fa/enable", Tag: "Sessions", Access: SessionOnly,
		Errors: []int{409, 429}, Summary: "Confirm the enrolment with a first code: two-factor sign-in is on",
		Description: "Answers the ten recovery codes, shown this once (each works once; only hashes are kept)."},
		func(e Env, in panel.TwoFactorCodeInput) (panel.RecoveryCodes, error) {
			return e.Panel.Auth.EnableTwoFactor(e.Ctx, in)
		}),

	declare(Op{Name: "twoFactorDisable", Scope: panel.AreaAnyKey, Method: "POST", Path: "/auth/2fa/disable", Tag: "Sessions", Access: SessionOnly,
		Errors: []int{409, 429}, Summary: "Turn your two-factor sign-in off (with your password)",
		Description: "409 (two_factor: enforced) while System Settings require a second factor of your account."},
		func(e Env, in panel.PasswordConfirmInput) (Updated, error) {
			return Updated{true}, e.Panel.Auth.DisableTwoFactor(e.Ctx, in)
		}),

	declare(Op{Name: "twoFactorRecoveryCodes", Scope: panel.AreaAnyKey, Method: "POST", Path: "/auth/2fa/recovery-codes", Tag: "Sessions",
		Access: SessionOnly, Errors: []int{409, 429}, Summary: "Replace your recovery codes (with your password)",
		Description: "The old codes stop working; the new ones are in this answer only."},
		func(e Env, in panel.PasswordConfirmInput) (panel.RecoveryCodes, error) {
			return e.Panel.Auth.RegenerateRecoveryCodes(e.Ctx, in)
		}),

	declare(Op{Name: "sessionsList", Scope: panel.AreaAnyKey, Method: "GET", Path: "/auth/sessions", Tag: "Sessions", Access: AnyAccount,
		Summary:     "Where you're signed in: your live sessions",
		Description: "current marks the session asking (none for an API key)."},
		func(e Env, _ NoInput) (panel.SessionList, error) { return e.Panel.Auth.Sessions(e.Ctx) }),

	declare(Op{Name: "sessionRevoke", Scope: panel.AreaFullKey, Method: "DELETE", Path: "/auth/sessions/{id}", Tag: "Sessions", Access: AnyAccount,
		Summary: "Sign a session out (yours; administrators anyone's)"},
		func(e Env, in SessionByID) (Revoked, error) {
			return Revoked{true}, e.Panel.Auth.RevokeSession(e.Ctx, in.ID)
		}),

	declare(Op{Name: "sessionsRevokeOthers", Scope: panel.AreaAnyKey, Method: "POST", Path: "/auth/sessions/revoke-others", Tag: "Sessions",
		Access: SessionOnly, NoBody: true, Summary: "Sign out everywhere else: every session of yours but this one"},
		func(e Env, _ NoInput) (panel.RevokedSessions, error) { return e.Panel.Auth.RevokeOtherSessions(e.Ctx) }),

	declare(Op{Name: "customerSessions", Scope: panel.AreaCustomers, Method: "GET", Path: "/customers/{id}/sessions", Tag: "Customers", Access: AnyAccount,
		Summary: "An account's live sessions (administrators; an account its own)"},
		func(e Env, in ByID) (panel.SessionList, error) { return e.Panel.Auth.AccountSessions(e.Ctx, in.ID) }),

	declare(Op{Name: "customerLogins", Scope: panel.AreaCustomers, Method: "GET", Path: "/customers/{id}/logins", Tag: "Customers", Access: AnyAccount,
		Summary: "An account's last 100 sign-ins, successful and failed (administrators; an account its own)"},
		func(e Env, in ByID) (panel.LoginHistory, error) { return e.Panel.Auth.LoginHistory(e.Ctx, in.ID) }),

	declare(Op{Name: "customerTwoFactorRemove", Scope: panel.AreaCustomers, Method: "DELETE", Path: "/customers/{id}/2fa", Tag: "Customers",
		Access: AdminOnly, Errors: []int{409},
		Summary:     "Remove an account's second factor (administrators)",
		Description: "For an account that lost its device and its recovery codes. Audited; the account is emailed a notice."},
		func(e Env, in ByID) (Removed, error) {
			return Removed{true}, e.Panel.Accounts.RemoveTwoFactor(e.Ctx, in.ID)
		}),
}
