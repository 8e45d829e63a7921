package panel_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// from is a context of a door's client (where sessions and sign-ins come from).
func from(address, ua string) context.Context {
	return panel.WithClient(context.Background(), panel.ClientInfo{Address: address, UserAgent: ua})
}

const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"

// enrol turns two-factor sign-in on for the account of ctx and returns its recovery codes.
func enrol(t *testing.T, env *testkit.Env, ctx context.Context, accountID int64) []string {
	t.Helper()
	setup, err := env.Panel.Auth.SetupTwoFactor(ctx)
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	if setup.Secret == "" || !strings.HasPrefix(setup.OTPAuthURL, "otpauth://totp/Castdesk:") ||
		!strings.Contains(setup.OTPAuthURL, "secret="+setup.Secret) || !strings.HasPrefix(setup.QRCode, "data:image/png;base64,") {
		t.Fatalf("setup answer: %+v", setup)
	}
	codes, err := env.Panel.Auth.EnableTwoFactor(ctx, panel.TwoFactorCodeInput{Code: testkit.TOTP(t, setup.Secret, env.Clock.Now())})
	if err != nil {
		t.Fatalf("enable: %v", err)
	}
	return codes.RecoveryCodes
}

// loginStep1 is a right password of an account with a second factor: the pending token.
func loginStep1(t *testing.T, env *testkit.Env, username string) string {
	t.Helper()
	res, err := env.Panel.Auth.Login(from("198.51.100.4", firefox), panel.LoginInput{Username: username, Password: testkit.StrongPassword})
	if err != nil || !res.TwoFactorRequired || res.Token != "" || res.PendingToken == "" || res.Account != nil {
		t.Fatalf("first step: %+v %v", res, err)
	}
	return res.PendingToken
}

func fieldReason(err error, field string) panel.Reason { return panel.AsError(err).Fields[field] }

func TestTwoFactorEnrolment(t *testing.T) {
	env := testkit.New(t)
	adminCtx, admin := env.Setup(t)
	ctx := context.Background()

	// Nothing is in force before the first code confirms the set-up.
	setup, err := env.Panel.Auth.SetupTwoFactor(adminCtx)
	if err != nil {
		t.Fatal(err)
	}
	if me, _ := env.Panel.Auth.Me(adminCtx); me.TwoFactor.Enabled {
		t.Fatal("enabled before confirmation")
	}
	if res, err := env.Panel.Auth.Login(ctx, panel.LoginInput{Username: "admin", Password: testkit.StrongPassword}); err != nil || res.TwoFactorRequired {
		t.Fatalf("an unconfirmed set-up asked for a code: %+v %v", res, err)
	}
	// A new set-up replaces an unconfirmed one: the first secret's codes no longer work.
	setup2, err := env.Panel.Auth.SetupTwoFactor(adminCtx)
	if err != nil || setup2.Secret == setup.Secret {
		t.Fatalf("second set-up: %v", err)
	}
	_, err = env.Panel.Auth.EnableTwoFactor(adminCtx, panel.TwoFactorCodeInput{Code: testkit.TOTP(t, setup.Secret, env.Clock.Now())})
	if fieldReason(err, "code") != panel.ReasonInvalidCode {
		t.Fatalf("the replaced secret's code: %v", err)
	}
	_, err = env.Panel.Auth.EnableTwoFactor(adminCtx, panel.TwoFactorCodeInput{Code: ""})
	if fieldReason(err, "code") != panel.ReasonRequired {
		t.Fatalf("empty code: %v", err)
	}
	codes, err := env.Panel.Auth.EnableTwoFactor(adminCtx, panel.TwoFactorCodeInput{Code: testkit.TOTP(t, setup2.Secret, env.Clock.Now())})
	if err != nil {
		t.Fatal(err)
	}
	if len(codes.RecoveryCodes) != 10 {
		t.Fatalf("%d recovery codes", len(codes.RecoveryCodes))
	}
	seen := map[string]bool{}
	for _, c := range codes.RecoveryCodes {
		if len(c) != 11 || c[5] != '-' || seen[c] {
			t.Fatalf("recovery code %q in %v", c, codes.RecoveryCodes)
		}
		seen[c] = true
	}
	me, _ := env.Panel.Auth.Me(adminCtx)
	if !me.TwoFactor.Enabled || me.TwoFactor.RecoveryCodesLeft != 10 {
		t.Fatalf("me: %+v", me.TwoFactor)
	}
	if ov, _ := env.Panel.Accounts.Overview(adminCtx, admin.ID); !ov.TwoFactor.Enabled || ov.TwoFactor.RecoveryCodesLeft != 10 {
		t.Fatalf("overview: %+v", ov.TwoFactor)
	}
	// Only hashes are kept.
	var stored int
	if err := env.Store.Write(ctx, func(tx panel.Tx) error {
		n, err := tx.RecoveryCodesLeft(ctx, admin.ID)
		stored = n
		return err
	}); err != nil || stored != 10 {
		t.Fatalf("stored codes: %d %v", stored, err)
	}
	if _, err := env.Panel.Auth.SetupTwoFactor(adminCtx); fieldReason(err, "two_factor") != panel.ReasonAlreadyDone {
		t.Fatalf("set-up while on: %v", err)
	}

	// An API key cannot change a second factor; "log in as" cannot change the target's.
	if _, err := env.Panel.Auth.SetupTwoFactor(panel.WithCaller(ctx, &panel.Caller{Account: admin, ViaKey: true})); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("by key: %v", err)
	}

	// Regenerating replaces the set (with the password); disabling needs it too.
	if _, err := env.Panel.Auth.RegenerateRecoveryCodes(adminCtx, panel.PasswordConfirmInput{Password: "wrong"}); fieldReason(err, "password") != panel.ReasonWrongPassword {
		t.Fatalf("regenerate with a wrong password: %v", err)
	}
	fresh, err := env.Panel.Auth.RegenerateRecoveryCodes(adminCtx, panel.PasswordConfirmInput{Password: testkit.StrongPassword})
	if err != nil || len(fresh.RecoveryCodes) != 10 || fresh.RecoveryCodes[0] == codes.RecoveryCodes[0] {
		t.Fatalf("regenerate: %v", err)
	}
	env.Clock.Advance(time.Minute)
	pending := loginStep1(t, env, "admin")
	if _, err := env.Panel.Auth.LoginSecondStep(ctx, pending, panel.TwoFactorCodeInput{Code: codes.RecoveryCodes[0]}); fieldReason(err, "code") != panel.ReasonInvalidCode {
		t.Fatalf("an old recovery code after regenerating: %v", err)
	}
	if err := env.Panel.Auth.DisableTwoFactor(adminCtx, panel.PasswordConfirmInput{Password: testkit.StrongPassword}); err != nil {
		t.Fatal(err)
	}
	if res, err := env.Panel.Auth.Login(ctx, panel.LoginInput{Username: "admin", Password: testkit.StrongPassword}); err != nil || res.TwoFactorRequired || res.Token == "" {
		t.Fatalf("login after disabling: %+v %v", res, err)
	}
	if err := env.Panel.Auth.DisableTwoFactor(adminCtx, panel.PasswordConfirmInput{Password: testkit.StrongPassword}); fieldReason(err, "two_factor") != panel.ReasonNotEnabled {
		t.Fatalf("disable twice: %v", err)
	}
	for _, ev := range []string{"two_factor.setup", "two_factor.enable", "two_factor.recovery_codes", "two_factor.disable"} {
		if page, _ := env.Panel.Audit.List(adminCtx, panel.AuditQuery{Event: ev}); len(page.Items) == 0 {
			t.Errorf("no audit entry %s", ev)
		}
	}
}

func TestTwoFactorLoginSkewAndReplay(t *testing.T) {
	env := testkit.New(t)
	adminCtx, admin := env.Setup(t)
	ctx := context.Background()
	enrol(t, env, adminCtx, admin.ID)
	secret := env.Secret(t, admin.ID)
	at := func(steps int) string {
		return testkit.TOTP(t, secret, env.Clock.Now().Add(time.Duration(steps)*30*time.Second))
	}

	// The code of the step the enrolment used is spent: a replay, refused.
	pending := loginStep1(t, env, "admin")
	if _, err := env.Panel.Auth.LoginSecondStep(ctx, pending, panel.TwoFactorCodeInput{Code: at(0)}); fieldReason(err, "code") != panel.ReasonInvalidCode {
		t.Fatalf("replayed enrolment code: %v", err)
	}
	// Two steps away is outside the skew.
	if _, err := env.Panel.Auth.LoginSecondStep(ctx, pending, panel.TwoFactorCodeInput{Code: at(2)}); fieldReason(err, "code") != panel.ReasonInvalidCode {
		t.Fatalf("two steps ahead: %v", err)
	}
	// One step ahead (a phone's clock running fast) is accepted, typed with spaces.
	code := at(1)
	res, err := env.Panel.Auth.LoginSecondStep(from("198.51.100.4", firefox), pending, panel.TwoFactorCodeInput{Code: code[:3] + " " + code[3:]})
	if err != nil || res.Token == "" || res.Account.ID != admin.ID {
		t.Fatalf("code one step ahead: %+v %v", res, err)
	}
	if _, err := env.Panel.Auth.Authenticate(ctx, res.Token); err != nil {
		t.Fatalf("the new session: %v", err)
	}
	// The pending login is spent.
	if _, err := env.Panel.Auth.LoginSecondStep(ctx, pending, panel.TwoFactorCodeInput{Code: at(1)}); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatalf("pending login used twice: %v", err)
	}
	// The same code again, in a new login within its step: refused as a replay.
	pending = loginStep1(t, env, "admin")
	if _, err := env.Panel.Auth.LoginSecondStep(ctx, pending, panel.TwoFactorCodeInput{Code: code}); fieldReason(err, "code") != panel.ReasonInvalidCode {
		t.Fatalf("replayed code: %v", err)
	}
	// 90 s later the clock has moved three steps: the code of the step
	// before now (a phone's clock running slow) is accepted.
	env.Clock.Advance(90 * time.Second)
	if _, err := env.Panel.Auth.LoginSecondStep(ctx, pending, panel.TwoFactorCodeInput{Code: at(-1)}); err != nil {
		t.Fatalf("code one step behind: %v", err)
	}
	// A pending login expires after 5 minutes.
	pending = loginStep1(t, env, "admin")
	env.Clock.Advance(5*time.Minute + time.Second)
	if _, err := env.Panel.Auth.LoginSecondStep(ctx, pending, panel.TwoFactorCodeInput{Code: at(0)}); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatalf("expired pending login: %v", err)
	}
	if _, err := env.Panel.Auth.LoginSecondStep(ctx, "", panel.TwoFactorCodeInput{Code: at(0)}); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatalf("no pending login: %v", err)
	}
	// A wrong password is still the one generic failure, second factor or not.
	if _, err := env.Panel.Auth.Login(ctx, panel.LoginInput{Username: "admin", Password: "wrong"}); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatalf("wrong password: %v", err)
	}
	page, _ := env.Panel.Audit.List(adminCtx, panel.AuditQuery{Event: "login.failure"})
	var replays int
	for _, e := range page.Items {
		if strings.Contains(e.Details, "reason=replayed_code") {
			replays++
		}
	}
	if replays != 2 {
		t.Fatalf("replays audited: %d", replays)
	}
}

func TestRecoveryCodesAreSingleUse(t *testing.T) {
	env := testkit.New(t)
	adminCtx, admin := env.Setup(t)
	ctx := context.Background()
	codes := enrol(t, env, adminCtx, admin.ID)

	pending := loginStep1(t, env, "admin")
	// Typed loosely: lower case, no dash.
	loose := strings.ToLower(strings.ReplaceAll(codes[3], "-", ""))
	res, err := env.Panel.Auth.LoginSecondStep(ctx, pending, panel.TwoFactorCodeInput{Code: loose})
	if err != nil || res.Token == "" {
		t.Fatalf("recovery code: %v", err)
	}
	me, _ := env.Panel.Auth.Me(env.As(t, res.Token))
	if me.TwoFactor.RecoveryCodesLeft != 9 {
		t.Fatalf("left: %d", me.TwoFactor.RecoveryCodesLeft)
	}
	pending = loginStep1(t, env, "admin")
	if _, err := env.Panel.Auth.LoginSecondStep(ctx, pending, panel.TwoFactorCodeInput{Code: codes[3]}); fieldReason(err, "code") != panel.ReasonInvalidCode {
		t.Fatalf("a used recovery code worked again: %v", err)
	}
	if _, err := env.Panel.Auth.LoginSecondStep(ctx, pending, panel.TwoFactorCodeInput{Code: codes[4]}); err != nil {
		t.Fatalf("another recovery code: %v", err)
	}
	page, _ := env.Panel.Audit.List(adminCtx, panel.AuditQuery{Event: "login.success"})
	if len(page.Items) == 0 || !strings.Contains(page.Items[0].Details, "second_factor=recovery_code") {
		t.Fatalf("audit: %+v", page.Items)
	}
	for _, c := range codes {
		if strings.Contains(fmt.Sprint(page.Items), c) {
			t.Fatal("a recovery code in the audit log")
		}
	}
}

func TestTwoFactorCodesThrottledPerAccount(t *testing.T) {
	env := testkit.New(t)
	adminCtx, admin := env.Setup(t)
	ctx := context.Background()
	enrol(t, env, adminCtx, admin.ID)
	env.Clock.Advance(time.Minute)

	// Five wrong codes are answered, across pending logins (the throttle is
	// the account's); the fifth starts a wait of 30 s.
	for i := range 5 {
		pending := loginStep1(t, env, "admin")
		if _, err := env.Panel.Auth.LoginSecondStep(ctx, pending, panel.TwoFactorCodeInput{Code: fmt.Sprintf("%06d", i)}); fieldReason(err, "code") != panel.ReasonInvalidCode {
			t.Fatalf("wrong code %d: %v", i, err)
		}
	}
	pending := loginStep1(t, env, "admin")
	// Now even the right code waits.
	if _, err := env.Panel.Auth.LoginSecondStep(ctx, pending, panel.TwoFactorCodeInput{Code: env.Code(t, admin.ID, 0)}); testkit.Code(err) != panel.CodeRateLimited {
		t.Fatalf("throttled: %v", err)
	}
	// The password's own throttle is not touched: the first step still works.
	loginStep1(t, env, "admin")
	env.Clock.Advance(31 * time.Second)
	res, err := env.Panel.Auth.LoginSecondStep(ctx, pending, panel.TwoFactorCodeInput{Code: env.Code(t, admin.ID, 0)})
	if err != nil || res.Token == "" {
		t.Fatalf("after the wait: %v", err)
	}
	// Success clears the count: five free again.
	for i := range 5 {
		pending := loginStep1(t, env, "admin")
		if _, err := env.Panel.Auth.LoginSecondStep(ctx, pending, panel.TwoFactorCodeInput{Code: fmt.Sprintf("%06d", i)}); fieldReason(err, "code") != panel.ReasonInvalidCode {
			t.Fatalf("after success, wrong code %d: %v", i, err)
		}
	}
	// Enrolment confirmations count against the same throttle.
	other := env.CreateAccount(t, adminCtx, "olga", panel.LevelCustomer)
	olga := env.Login(t, "olga", testkit.StrongPassword)
	if _, err := env.Panel.Auth.SetupTwoFactor(olga); err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		env.Panel.Auth.EnableTwoFactor(olga, panel.TwoFactorCodeInput{Code: fmt.Sprintf("%06d", i)})
	}
	if _, err := env.Panel.Auth.EnableTwoFactor(olga, panel.TwoFactorCodeInput{Code: env.Code(t, other.ID, 0)}); testkit.Code(err) != panel.CodeRateLimited {
		t.Fatalf("enrolment throttled: %v", err)
	}
}

func TestRequiredTwoFactorEnrolment(t *testing.T) {
	env := testkit.New(t)
	adminCtx, admin := env.Setup(t)
	ctx := context.Background()
	plan, err := env.Panel.Plans.Create(adminCtx, panel.PlanInput{Name: ptr("Gold")})
	if err != nil {
		t.Fatal(err)
	}
	res, err := env.Panel.Accounts.Create(adminCtx, panel.CreateAccountInput{Username: "rita", Name: "Rita", Email: "rita@example.org",
		Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword, ResellerPlanID: &plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	cust := env.CreateAccount(t, adminCtx, "carl", panel.LevelCustomer)
	ritaBefore := env.Login(t, "rita", testkit.StrongPassword) // a session from before the rule
	on := true
	if _, err := env.Panel.Settings.Update(adminCtx, panel.SettingsPatch{SecurityPatch: panel.SecurityPatch{RequireTwoFactorResellers: &on}}); err != nil {
		t.Fatal(err)
	}
	set, _ := env.Panel.Settings.Get(adminCtx)
	if !set.RequireTwoFactorResellers || set.RequireTwoFactorAdmins || !set.NewDeviceEmail {
		t.Fatalf("settings: %+v", set.SecuritySettings)
	}
	// Sessions from before go on: the rule applies at the next login.
	if _, err := env.Panel.Accounts.List(ritaBefore, panel.ListAccountsInput{}); err != nil {
		t.Fatalf("an earlier session: %v", err)
	}
	// At the next login the reseller may do nothing but enrol.
	login, err := env.Panel.Auth.Login(ctx, panel.LoginInput{Username: "rita", Password: testkit.StrongPassword})
	if err != nil || !login.MustEnrol {
		t.Fatalf("login: %+v %v", login, err)
	}
	rita := env.As(t, login.Token)
	_, err = env.Panel.Accounts.List(rita, panel.ListAccountsInput{})
	if testkit.Code(err) != panel.CodeForbidden || fieldReason(err, "two_factor") != panel.ReasonMustEnrol {
		t.Fatalf("before enrolling: %v", err)
	}
	me, err := env.Panel.Auth.Me(rita)
	if err != nil || !me.TwoFactor.MustEnrol || !me.TwoFactor.Required || me.TwoFactor.Enabled {
		t.Fatalf("me: %+v %v", me.TwoFactor, err)
	}
	// Customers are not concerned.
	if login, err := env.Panel.Auth.Login(ctx, panel.LoginInput{Username: "carl", Password: testkit.StrongPassword}); err != nil || login.MustEnrol {
		t.Fatalf("customer: %+v %v", login, err)
	}
	// The admin's "log in as" is not blocked by the target's enrolment... (rita is a reseller; log in as a customer)
	if _, _, err := env.Panel.Auth.LoginAs(adminCtx, cust.ID); err != nil {
		t.Fatalf("log in as: %v", err)
	}
	adminCtx = env.Login(t, "admin", testkit.StrongPassword)
	enrol(t, env, rita, res.ID)
	rita = env.As(t, login.Token) // the next call of the same session
	if _, err := env.Panel.Accounts.List(rita, panel.ListAccountsInput{}); err != nil {
		t.Fatalf("after enrolling: %v", err)
	}
	// A required second factor cannot be turned off.
	if err := env.Panel.Auth.DisableTwoFactor(rita, panel.PasswordConfirmInput{Password: testkit.StrongPassword}); fieldReason(err, "two_factor") != panel.ReasonEnforced {
		t.Fatalf("disable while required: %v", err)
	}
	// Next login asks for the code; an admin without one is forced too once the rule covers admins.
	loginStep1(t, env, "rita")
	if _, err := env.Panel.Settings.Update(adminCtx, panel.SettingsPatch{SecurityPatch: panel.SecurityPatch{RequireTwoFactorAdmins: &on}}); err != nil {
		t.Fatal(err)
	}
	if login, err := env.Panel.Auth.Login(ctx, panel.LoginInput{Username: "admin", Password: testkit.StrongPassword}); err != nil || !login.MustEnrol {
		t.Fatalf("admin login: %+v %v", login, err)
	}
	_ = admin
}

func TestAdminRemovesSecondFactor(t *testing.T) {
	env := testkit.New(t)
	adminCtx, admin := env.Setup(t)
	ctx := context.Background()
	dora, err := env.Panel.Accounts.Create(adminCtx, panel.CreateAccountInput{Username: "dora", Name: "Dora", Email: "dora@example.org",
		Language: "es", Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	doraCtx := env.Login(t, "dora", testkit.StrongPassword)
	enrol(t, env, doraCtx, dora.ID)

	// "Log in as" does not ask for the target's code.
	if _, _, err := env.Panel.Auth.LoginAs(adminCtx, dora.ID); err != nil {
		t.Fatalf("log in as: %v", err)
	}
	adminCtx = env.Login(t, "admin", testkit.StrongPassword)

	// Only administrators, and not on themselves.
	if err := env.Panel.Accounts.RemoveTwoFactor(doraCtx, dora.ID); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("by the customer: %v", err)
	}
	if err := env.Panel.Accounts.RemoveTwoFactor(adminCtx, admin.ID); fieldReason(err, "two_factor") != panel.ReasonSelf {
		t.Fatalf("on oneself: %v", err)
	}
	if err := env.Panel.Accounts.RemoveTwoFactor(adminCtx, dora.ID); err != nil {
		t.Fatal(err)
	}
	if res, err := env.Panel.Auth.Login(ctx, panel.LoginInput{Username: "dora", Password: testkit.StrongPassword}); err != nil || res.TwoFactorRequired {
		t.Fatalf("login after removal: %+v %v", res, err)
	}
	if err := env.Panel.Accounts.RemoveTwoFactor(adminCtx, dora.ID); fieldReason(err, "two_factor") != panel.ReasonNotEnabled {
		t.Fatalf("remove twice: %v", err)
	}
	m := lastMail(t, env, dora.ID, panel.TemplateTwoFactorRemoved)
	if m == nil || m.To != "dora@example.org" || !strings.Contains(m.Subject, "dos pasos") {
		t.Fatalf("notice (in Spanish): %+v", m)
	}
	page, _ := env.Panel.Audit.List(adminCtx, panel.AuditQuery{Event: "two_factor.remove"})
	if len(page.Items) != 1 || page.Items[0].ActorName != "admin" || page.Items[0].SubjectID != fmt.Sprint(dora.ID) {
		t.Fatalf("audit: %+v", page.Items)
	}
}

func TestSessionsAndLoginHistory(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	dora := env.CreateAccount(t, adminCtx, "dora", panel.LevelCustomer)
	chrome := "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0 Safari/537.36"

	first, err := env.Panel.Auth.Login(from("198.51.100.4", firefox), panel.LoginInput{Username: "dora", Password: testkit.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(time.Minute)
	if _, err := env.Panel.Auth.Login(from("203.0.113.9", chrome), panel.LoginInput{Username: "dora", Password: "wrong"}); err == nil {
		t.Fatal("wrong password")
	}
	second, err := env.Panel.Auth.Login(from("203.0.113.9", chrome), panel.LoginInput{Username: "dora", Password: testkit.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	window, err := env.Panel.Auth.Login(from(panel.DesktopAddress, panel.DesktopUserAgent), panel.LoginInput{Username: "dora", Password: testkit.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	doraCtx := env.As(t, first.Token)
	list, err := env.Panel.Auth.Sessions(doraCtx)
	if err != nil || len(list.Items) != 3 {
		t.Fatalf("sessions: %+v %v", list, err)
	}
	var current, other, desk panel.SessionInfo
	for _, s := range list.Items {
		switch {
		case s.Current:
			current = s
		case s.Address == "203.0.113.9":
			other = s
		case s.Address == panel.DesktopAddress:
			desk = s
		}
	}
	if current.Device != (panel.Device{Browser: "Firefox", OS: "Linux"}) || current.Address != "198.51.100.4" ||
		other.Device != (panel.Device{Browser: "Chrome", OS: "Windows"}) || desk.Device != (panel.Device{Desktop: true}) {
		t.Fatalf("sessions: %+v", list.Items)
	}
	for _, s := range list.Items {
		if len(s.ID) != 18 || strings.Contains(s.ID, panel.HashToken(first.Token)[:18]) {
			t.Fatalf("a session id that is not a public handle: %q", s.ID)
		}
	}
	// Another account cannot end it (not found); the owner can.
	carl := env.CreateAccount(t, adminCtx, "carl", panel.LevelCustomer)
	_ = carl
	carlCtx := env.Login(t, "carl", testkit.StrongPassword)
	if err := env.Panel.Auth.RevokeSession(carlCtx, other.ID); testkit.Code(err) != panel.CodeNotFound {
		t.Fatalf("someone else's session: %v", err)
	}
	if _, err := env.Panel.Auth.LoginHistory(carlCtx, dora.ID); testkit.Code(err) != panel.CodeNotFound {
		t.Fatalf("someone else's history: %v", err)
	}
	if err := env.Panel.Auth.RevokeSession(doraCtx, other.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Panel.Auth.Authenticate(context.Background(), second.Token); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatalf("the ended session still works: %v", err)
	}
	// Sign out everywhere else: the window goes, this one stays.
	n, err := env.Panel.Auth.RevokeOtherSessions(doraCtx)
	if err != nil || n.Revoked != 1 {
		t.Fatalf("revoke others: %+v %v", n, err)
	}
	if _, err := env.Panel.Auth.Authenticate(context.Background(), window.Token); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatal("the window session survived")
	}
	if _, err := env.Panel.Auth.Authenticate(context.Background(), first.Token); err != nil {
		t.Fatalf("this session ended: %v", err)
	}
	// Admins see and end any account's sessions.
	adminList, err := env.Panel.Auth.AccountSessions(adminCtx, dora.ID)
	if err != nil || len(adminList.Items) != 1 || adminList.Items[0].Current {
		t.Fatalf("admin's view: %+v %v", adminList, err)
	}
	if err := env.Panel.Auth.RevokeSession(adminCtx, adminList.Items[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Panel.Auth.Authenticate(context.Background(), first.Token); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatal("the admin could not end it")
	}
	// The history, newest first, failures included, kept to the last 100.
	hist, err := env.Panel.Auth.LoginHistory(adminCtx, dora.ID)
	if err != nil || len(hist.Items) != 4 {
		t.Fatalf("history: %+v %v", hist, err)
	}
	if h := hist.Items[2]; h.Success || h.Reason != "bad_password" || h.Address != "203.0.113.9" || h.Device.Browser != "Chrome" {
		t.Fatalf("failed sign-in: %+v", h)
	}
	if h := hist.Items[0]; !h.Success || h.Method != "password" || !h.Device.Desktop {
		t.Fatalf("newest: %+v", h)
	}
	for range 110 {
		env.Clock.Advance(16 * time.Minute) // past the password's throttle
		env.Panel.Auth.Login(from("192.0.2.1", "curl/8.5"), panel.LoginInput{Username: "dora", Password: "wrong"})
	}
	if hist, _ := env.Panel.Auth.LoginHistory(adminCtx, dora.ID); len(hist.Items) != 100 || hist.Items[0].Device.Browser != "curl" {
		t.Fatalf("kept %d", len(hist.Items))
	}
}

func TestNewDeviceEmail(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	dora, err := env.Panel.Accounts.Create(adminCtx, panel.CreateAccountInput{Username: "dora", Name: "Dora", Email: "dora@example.org",
		Language: "es", Timezone: "Europe/Madrid", Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	login := func(addr, ua string) {
		t.Helper()
		if _, err := env.Panel.Auth.Login(from(addr, ua), panel.LoginInput{Username: "dora", Password: testkit.StrongPassword}); err != nil {
			t.Fatal(err)
		}
	}
	login("198.51.100.4", firefox)                                       // the first sign-in is no news
	login("198.51.100.4", strings.Replace(firefox, "140.0", "141.0", 2)) // a browser update is the same device
	if n := countMail(t, env, dora.ID, panel.TemplateNewSignIn); n != 0 {
		t.Fatalf("%d new-device emails for a known device", n)
	}
	login("203.0.113.9", firefox)
	m := lastMail(t, env, dora.ID, panel.TemplateNewSignIn)
	if m == nil || !strings.Contains(m.Subject, "Nuevo inicio de sesión") || !strings.Contains(m.Text, "Firefox en Linux") ||
		!strings.Contains(m.Text, "203.0.113.9") || !strings.Contains(m.Text, "10:00 (Europe/Madrid)") {
		t.Fatalf("new device email: %+v", m)
	}
	off := false
	if _, err := env.Panel.Settings.Update(adminCtx, panel.SettingsPatch{SecurityPatch: panel.SecurityPatch{NewDeviceEmail: &off}}); err != nil {
		t.Fatal(err)
	}
	login("192.0.2.77", firefox)
	if n := countMail(t, env, dora.ID, panel.TemplateNewSignIn); n != 1 {
		t.Fatalf("%d emails with the setting off", n)
	}
}

func TestDeviceOf(t *testing.T) {
	for ua, want := range map[string]panel.Device{
		firefox: {Browser: "Firefox", OS: "Linux"},
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15":               {Browser: "Safari", OS: "macOS"},
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile Safari/604.1": {Browser: "Safari", OS: "iOS"},
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0 Safari/537.36 Edg/141.0":            {Browser: "Edge", OS: "Windows"},
		"Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0 Mobile Safari/537.36":                         {Browser: "Chrome", OS: "Android"},
		"curl/8.5.0":           {Browser: "curl"},
		"":                     {},
		panel.DesktopUserAgent: {Desktop: true},
	} {
		if got := panel.DeviceOf(ua); got != want {
			t.Errorf("%q: %+v, want %+v", ua, got, want)
		}
	}
}

// A temporary password does not skip the second factor: the code comes
// first, then the forced password change.
func TestTemporaryPasswordStillAsksForTheCode(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	dora := env.CreateAccount(t, adminCtx, "dora", panel.LevelCustomer)
	enrol(t, env, env.Login(t, "dora", testkit.StrongPassword), dora.ID)
	if _, err := env.Panel.Accounts.ResetAndEmail(adminCtx, dora.ID); err != nil {
		t.Fatal(err)
	}
	m := lastMail(t, env, dora.ID, panel.TemplateTempPassword)
	temp := regexp.MustCompile(`[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}`).FindString(m.Text)
	if temp == "" {
		t.Fatalf("no temporary password in %q", m.Text)
	}
	res, err := env.Panel.Auth.Login(context.Background(), panel.LoginInput{Username: "dora", Password: temp})
	if err != nil || !res.TwoFactorRequired || res.Token != "" {
		t.Fatalf("temporary password without a code: %+v %v", res, err)
	}
	done, err := env.Panel.Auth.LoginSecondStep(context.Background(), res.PendingToken, panel.TwoFactorCodeInput{Code: env.Code(t, dora.ID, 1)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := env.As(t, done.Token)
	if _, err := env.Panel.Accounts.List(ctx, panel.ListAccountsInput{}); fieldReason(err, "password") != panel.ReasonMustChange {
		t.Fatalf("after the code, the password change comes first: %v", err)
	}
	if err := env.Panel.Auth.ChangePassword(ctx, panel.ChangePasswordInput{CurrentPassword: temp, Password: "Quiet-Lantern-Orchard-42",
		PasswordConfirm: "Quiet-Lantern-Orchard-42"}); err != nil {
		t.Fatal(err)
	}
	if res, _ := env.Panel.Auth.Login(context.Background(), panel.LoginInput{Username: "dora", Password: "Quiet-Lantern-Orchard-42"}); !res.TwoFactorRequired {
		t.Fatal("the second factor went away with the password change")
	}
}
