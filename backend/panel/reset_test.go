package panel_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

var codePattern = regexp.MustCompile(`[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{5}`)

// lastMail is the newest outbox message of an account with the given kind.
func lastMail(t *testing.T, env *testkit.Env, accountID int64, kind string) *panel.OutboxMail {
	t.Helper()
	env.Panel.Auth.Settle() // forgot-password sends after its answer
	mails, err := env.Store.ListMail(context.Background(), accountID, 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	for i := range mails {
		if mails[i].Kind == kind {
			return &mails[i]
		}
	}
	return nil
}

func countMail(t *testing.T, env *testkit.Env, accountID int64, kind string) int {
	env.Panel.Auth.Settle() // forgot-password sends after its answer
	mails, _ := env.Store.ListMail(context.Background(), accountID, 0, 50)
	n := 0
	for _, m := range mails {
		if m.Kind == kind {
			n++
		}
	}
	return n
}

func TestForgotAndReset(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	if _, err := env.Panel.Settings.Update(adminCtx, panel.SettingsPatch{PublicBaseURL: ptr("https://panel.example.org")}); err != nil {
		t.Fatal(err)
	}
	dora, err := env.Panel.Accounts.Create(adminCtx, panel.CreateAccountInput{Username: "dora", Name: "Dora", Email: "Dora@Example.org",
		Language: "es", Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	live, _ := panel.CallerFrom(env.Login(t, "dora", testkit.StrongPassword))

	// Unknown accounts are answered exactly like known ones.
	if err := env.Panel.Auth.Forgot(ctx, panel.ForgotInput{Login: "nobody@example.org"}, "1.1.1.1"); err != nil {
		t.Fatalf("unknown: %v", err)
	}
	if err := env.Panel.Auth.Forgot(ctx, panel.ForgotInput{Login: "dora@example.org"}, "1.1.1.1"); err != nil {
		t.Fatalf("known (by email, any case): %v", err)
	}
	m := lastMail(t, env, dora.ID, panel.TemplateResetCode)
	if m == nil || !m.Sensitive {
		t.Fatalf("reset mail: %+v", m)
	}
	if !strings.Contains(m.Subject, "restablecer") {
		t.Fatalf("not in the user's language: %q", m.Subject)
	}
	code := codePattern.FindString(m.Text)
	if code == "" || !strings.Contains(m.HTML, "https://panel.example.org/#/reset?code="+code) {
		t.Fatalf("code/link missing: %q / %q", m.Text, m.HTML)
	}
	// Only a hash is stored.
	if _, err := env.Store.PasswordReset(ctx, code); testkit.Code(err) != panel.CodeNotFound {
		t.Fatal("the raw code is stored")
	}
	// A second request invalidates the first code.
	if err := env.Panel.Auth.Forgot(ctx, panel.ForgotInput{Login: "dora"}, "1.1.1.1"); err != nil {
		t.Fatal(err)
	}
	code2 := codePattern.FindString(lastMail(t, env, dora.ID, panel.TemplateResetCode).Text)
	if code2 == code {
		t.Fatal("same code twice")
	}
	newPw := "Brand-New-Passw0rd"
	in := func(c string) panel.ResetInput {
		return panel.ResetInput{Code: c, Password: newPw, PasswordConfirm: newPw}
	}
	if err := env.Panel.Auth.Reset(ctx, in(code), "2.2.2.2"); panel.AsError(err).Fields["code"] != "invalid_code" {
		t.Fatalf("old code: %v", err)
	}
	if err := env.Panel.Auth.Reset(ctx, panel.ResetInput{Code: code2, Password: "short", PasswordConfirm: "short"}, "2.2.2.2"); panel.AsError(err).Fields["password"] != panel.ReasonTooShort {
		t.Fatalf("policy: %v", err)
	}
	// Typed loosely: lower case, spaces instead of dashes.
	loose := strings.ToLower(strings.ReplaceAll(code2, "-", " "))
	if err := env.Panel.Auth.Reset(ctx, in(loose), "2.2.2.2"); err != nil {
		t.Fatalf("reset: %v", err)
	}
	// Single use; every session ended; a notice went out; the new password works.
	if err := env.Panel.Auth.Reset(ctx, in(code2), "2.2.2.2"); panel.AsError(err).Fields["code"] != "invalid_code" {
		t.Fatalf("replay: %v", err)
	}
	if _, err := env.Store.SessionByHash(ctx, live.SessionHash); testkit.Code(err) != panel.CodeNotFound {
		t.Fatal("a session survived the reset")
	}
	if n := countMail(t, env, dora.ID, panel.TemplatePasswordChanged); n != 1 {
		t.Fatalf("notices: %d", n)
	}
	env.Login(t, "dora", newPw)
	if _, err := env.Panel.Auth.Login(ctx, panel.LoginInput{Username: "dora", Password: testkit.StrongPassword}); err == nil {
		t.Fatal("old password still works")
	}
	page, _ := env.Panel.Audit.List(adminCtx, panel.AuditQuery{Event: "password"})
	events := map[string]int{}
	for _, e := range page.Items {
		events[e.Event]++
	}
	if events["password.forgot"] != 3 || events["password.reset"] != 1 {
		t.Fatalf("audit: %v", events)
	}
}

func TestResetCodeExpiresAndWrongCodesAreThrottled(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	dora := env.CreateAccount(t, adminCtx, "dora", panel.LevelCustomer)
	ctx := context.Background()
	env.Panel.Auth.Forgot(ctx, panel.ForgotInput{Login: "dora"}, "9.9.9.9")
	code := codePattern.FindString(lastMail(t, env, dora.ID, panel.TemplateResetCode).Text)
	env.Clock.Advance(30*time.Minute + time.Second)
	pw := "Brand-New-Passw0rd"
	if err := env.Panel.Auth.Reset(ctx, panel.ResetInput{Code: code, Password: pw, PasswordConfirm: pw}, "9.9.9.9"); panel.AsError(err).Fields["code"] != "invalid_code" {
		t.Fatalf("expired code: %v", err)
	}
	// Guessing: after a few wrong codes the client must wait, even with the right code.
	env.Panel.Auth.Forgot(ctx, panel.ForgotInput{Login: "dora"}, "9.9.9.9")
	good := codePattern.FindString(lastMail(t, env, dora.ID, panel.TemplateResetCode).Text)
	for i := 0; i < 6; i++ {
		env.Panel.Auth.Reset(ctx, panel.ResetInput{Code: "AAAA-AAAA-AAAAA", Password: pw, PasswordConfirm: pw}, "6.6.6.6")
	}
	if err := env.Panel.Auth.Reset(ctx, panel.ResetInput{Code: good, Password: pw, PasswordConfirm: pw}, "6.6.6.6"); testkit.Code(err) != panel.CodeRateLimited {
		t.Fatalf("guessing not throttled: %v", err)
	}
	// Another client is not blocked.
	if err := env.Panel.Auth.Reset(ctx, panel.ResetInput{Code: good, Password: pw, PasswordConfirm: pw}, "7.7.7.7"); err != nil {
		t.Fatalf("reset from another client: %v", err)
	}
	// Flooding one inbox: after 3 codes the account gets no more for a while,
	// and the answer does not change.
	before := countMail(t, env, dora.ID, panel.TemplateResetCode)
	for i := 0; i < 6; i++ {
		if err := env.Panel.Auth.Forgot(ctx, panel.ForgotInput{Login: "dora"}, "8.8.8."+itoa(int64(i))); err != nil {
			t.Fatalf("forgot %d: %v", i, err)
		}
	}
	if sent := countMail(t, env, dora.ID, panel.TemplateResetCode) - before; sent >= 6 {
		t.Fatalf("%d codes sent in a row: not throttled", sent)
	}
	// One client asking too often is told to wait.
	var err error
	for i := 0; i < 15 && err == nil; i++ {
		err = env.Panel.Auth.Forgot(ctx, panel.ForgotInput{Login: "x" + itoa(int64(i))}, "5.5.5.5")
	}
	if testkit.Code(err) != panel.CodeRateLimited {
		t.Fatalf("client flood: %v", err)
	}
}

func TestResetAndEmailForcesAChange(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	dora := env.CreateAccount(t, adminCtx, "dora", panel.LevelCustomer)
	live := env.Login(t, "dora", testkit.StrongPassword)
	c, _ := panel.CallerFrom(live)
	q, err := env.Panel.Accounts.ResetAndEmail(adminCtx, dora.ID)
	if err != nil || q.MailID == 0 || q.State != panel.MailQueued || q.Configured {
		t.Fatalf("reset & email (email not configured here): %+v %v", q, err)
	}
	if _, err := env.Store.SessionByHash(context.Background(), c.SessionHash); testkit.Code(err) != panel.CodeNotFound {
		t.Fatal("the customer's session survived the reset")
	}
	m := lastMail(t, env, dora.ID, panel.TemplateTempPassword)
	pw := regexp.MustCompile(`[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}`).FindString(m.Text)
	if pw == "" || !m.Sensitive {
		t.Fatalf("temporary password mail: %+v", m)
	}
	tmp := env.Login(t, "dora", pw)
	if me, _ := env.Panel.Auth.Me(tmp); !me.Account.MustChangePassword {
		t.Fatal("not marked temporary")
	}
	if _, err := env.Panel.Accounts.Overview(tmp, dora.ID); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("used before changing: %v", err)
	}
	// Rules: not on oneself, not by a customer, not while logged in as.
	if _, err := env.Panel.Accounts.ResetAndEmail(adminCtx, 1); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("self: %v", err)
	}
	env.CreateAccount(t, adminCtx, "other", panel.LevelCustomer)
	otherCtx := env.Login(t, "other", testkit.StrongPassword)
	if _, err := env.Panel.Accounts.ResetAndEmail(otherCtx, dora.ID); testkit.Code(err) != panel.CodeNotFound {
		t.Fatalf("by a customer: %v", err)
	}
}

func TestMailLogHidesCodesAndPasswords(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	dora := env.CreateAccount(t, adminCtx, "dora", panel.LevelCustomer)
	if _, err := env.Panel.Accounts.ResetAndEmail(adminCtx, dora.ID); err != nil {
		t.Fatal(err)
	}
	env.Panel.Auth.Forgot(context.Background(), panel.ForgotInput{Login: "dora"}, "1.2.3.4")
	env.Panel.Auth.Settle()
	page, err := env.Panel.Mail.MailLog(adminCtx, dora.ID, panel.MailLogInput{})
	if err != nil || len(page.Items) < 2 {
		t.Fatalf("log: %+v %v", page, err)
	}
	for _, m := range page.Items {
		if m.Sensitive && (m.HTML != "" || m.Text != "") {
			t.Fatalf("the log shows a secret: %+v", m)
		}
	}
}
