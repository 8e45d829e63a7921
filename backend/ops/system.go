package ops

import (
	"net/http"

	"castdesk/backend/panel"
)

var systemOps = []*Op{
	declare(Op{Name: "health", Method: "GET", Path: "/health", Tag: "System", Access: Public,
		Summary: "Status and version; needs_setup before the first admin exists"},
		func(e Env, _ NoInput) (panel.Health, error) { return e.Panel.Health(e.Ctx) }),

	declare(Op{Name: "setup", Method: "POST", Path: "/setup", Tag: "System", Access: Public, Status: http.StatusCreated,
		Summary: "Create the first administrator and log in", Description: "Refused with 409 once any account exists.",
		Errors: []int{409}},
		func(e Env, in panel.SetupInput) (AccountBody, error) {
			res, err := e.Panel.Auth.Setup(e.Ctx, in)
			if err != nil {
				return AccountBody{}, err
			}
			e.Door.SetSession(res.Token)
			keepDevices(e, res.DeviceTokens)
			return accountBody(res.Account, nil)
		}),

	raw[NoInput, map[string]any](Op{Name: "openapi", Method: "GET", Path: "/openapi.json", Tag: "System", Access: Public,
		Summary: "This document"}),

	declare(Op{Name: "settingsGet", Scope: panel.AreaSettings, Method: "GET", Path: "/settings", Tag: "System", Access: AdminOnly,
		Summary: "System settings"},
		func(e Env, _ NoInput) (panel.SystemSettings, error) { return e.Panel.Settings.Get(e.Ctx) }),

	declare(Op{Name: "settingsUpdate", Scope: panel.AreaSettings, Method: "PATCH", Path: "/settings", Tag: "System", Access: AdminOnly,
		Summary: "Change system settings (only the fields sent)"},
		func(e Env, in panel.SettingsPatch) (panel.SystemSettings, error) {
			return e.Panel.Settings.Update(e.Ctx, in)
		}),

	declare(Op{Name: "auditList", Scope: panel.AreaAudit, Method: "GET", Path: "/audit", Tag: "System", Access: AdminOnly,
		Summary: "The audit log, newest first",
		ParamDocs: map[string]string{"actor": "username or id of the actor", "subject": `"account:12", "plan:3", or an id`,
			"event": `an event name or its prefix ("login")`, "cursor": "next_cursor of the previous page", "limit": "page size"}},
		func(e Env, in panel.AuditQuery) (panel.AuditPage, error) { return e.Panel.Audit.List(e.Ctx, in) }),
}

var sessionOps = []*Op{
	declare(Op{Name: "login", Method: "POST", Path: "/auth/login", Tag: "Sessions", Access: Public,
		Summary: "Log in: sets the session cookie, or asks for the second factor",
		Description: "Every failure is the same 401, whatever the reason; repeated failures answer 429. A right password " +
			"also sets the castdesk_device cookie (HttpOnly, SameSite=Strict, path /api/v1/auth/, 180 days): later " +
			"attempts for that account from this browser are throttled on their own budget, so failures elsewhere " +
			"never lock its owner out. An account with two-factor sign-in gets {two_factor_required: true}, no " +
			"session and a short-lived pending-login cookie: POST /auth/login/2fa finishes the login.",
		Errors: []int{401, 429}},
		func(e Env, in panel.LoginInput) (LoginBody, error) { return login(e, in) }),

	declare(Op{Name: "logout", Scope: panel.AreaAnyKey, Method: "POST", Path: "/auth/logout", Tag: "Sessions", Access: SessionOnly, NoBody: true,
		Summary:     "Log out",
		Description: "Inside \"log in as\" it returns to the administrator: account is then the admin (else null)."},
		func(e Env, _ NoInput) (LogoutBody, error) {
			res, err := e.Panel.Auth.Logout(e.Ctx)
			if err != nil {
				return LogoutBody{}, err
			}
			e.Door.SetSession(res.Token) // the admin's fresh session after "log in as", else none
			return LogoutBody{res.Account}, nil
		}),

	declare(Op{Name: "me", Scope: panel.AreaAnyKey, Method: "GET", Path: "/auth/me", Tag: "Sessions", Access: AnyAccount,
		Summary: "Who is calling (and who is really there during \"log in as\")"},
		func(e Env, _ NoInput) (panel.Me, error) { return e.Panel.Auth.Me(e.Ctx) }),

	declare(Op{Name: "changePassword", Scope: panel.AreaAnyKey, Method: "PUT", Path: "/auth/password", Tag: "Sessions", Access: SessionOnly,
		Summary: "Change your own password"},
		func(e Env, in panel.ChangePasswordInput) (Updated, error) {
			return Updated{true}, e.Panel.Auth.ChangePassword(e.Ctx, in)
		}),

	declare(Op{Name: "forgotPassword", Method: "POST", Path: "/auth/forgot", Tag: "Sessions", Access: Public,
		Status: http.StatusAccepted, Errors: []int{429},
		Summary:     "Email a password reset code (and a link in serve mode)",
		Description: "Answers 202 whether or not the account exists; 429 when this client asks too often."},
		func(e Env, in panel.ForgotInput) (Accepted, error) {
			return Accepted{true}, e.Panel.Auth.Forgot(e.Ctx, in, e.Door.ClientID())
		}),

	declare(Op{Name: "resetPassword", Method: "POST", Path: "/auth/reset", Tag: "Sessions", Access: Public, Errors: []int{429},
		Summary:     "Set a new password with a reset code",
		Description: "The code works once, for 30 minutes; every session of the account ends. Wrong codes are throttled (429)."},
		func(e Env, in panel.ResetInput) (Updated, error) {
			return Updated{true}, e.Panel.Auth.Reset(e.Ctx, in, e.Door.ClientID())
		}),
}
