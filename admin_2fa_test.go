package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"castdesk/backend/panel"
)

// TestAdminReset2FA: the offline admin who lost the phone gets back in from
// the console; the removal is audited as the console and the notice waits
// in the outbox.
func TestAdminReset2FA(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCLI(t, "Corr3ct-Horse-Battery\n", "admin", "create", "--data", dir, "--username", "root.admin",
		"--name", "Root Admin", "--email", "root@example.org", "--password-stdin")
	if code != 0 {
		t.Fatalf("create: %d %q %q", code, out, errOut)
	}
	a, err := openApp(context.Background(), dir, false)
	if err != nil {
		t.Fatal(err)
	}
	p := a.panel
	login, err := p.Auth.Login(context.Background(), panel.LoginInput{Username: "root.admin", Password: "Corr3ct-Horse-Battery"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.Auth.Authenticate(context.Background(), login.Token)
	if err != nil {
		t.Fatal(err)
	}
	ctx := panel.WithCaller(context.Background(), c)
	setup, err := p.Auth.SetupTwoFactor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	first, _ := totp.GenerateCodeCustom(setup.Secret, time.Now(), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if _, err := p.Auth.EnableTwoFactor(ctx, panel.TwoFactorCodeInput{Code: first}); err != nil {
		t.Fatal(err)
	}
	if res, _ := p.Auth.Login(context.Background(), panel.LoginInput{Username: "root.admin", Password: "Corr3ct-Horse-Battery"}); !res.TwoFactorRequired {
		t.Fatal("no second step after enrolling")
	}
	a.close()

	code, out, errOut = runCLI(t, "", "admin", "reset-2fa", "ROOT.admin", "--data", dir)
	if code != 0 || !strings.Contains(out, `Two-factor sign-in of "ROOT.admin" is off`) {
		t.Fatalf("reset-2fa: %d %q %q", code, out, errOut)
	}
	code, _, errOut = runCLI(t, "", "admin", "reset-2fa", "root.admin", "--data", dir)
	if code != 1 || !strings.Contains(errOut, "two_factor: not_enabled") {
		t.Fatalf("twice: %d %q", code, errOut)
	}
	code, _, errOut = runCLI(t, "", "admin", "reset-2fa", "nobody", "--data", dir)
	if code != 1 || !strings.Contains(errOut, "not found") {
		t.Fatalf("unknown user: %d %q", code, errOut)
	}
	if code, _, _ = runCLI(t, "", "admin", "reset-2fa", "--data", dir); code != 2 {
		t.Fatalf("missing username: %d", code)
	}

	a, err = openApp(context.Background(), dir, false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	res, err := a.panel.Auth.Login(context.Background(), panel.LoginInput{Username: "root.admin", Password: "Corr3ct-Horse-Battery"})
	if err != nil || res.TwoFactorRequired || res.Token == "" {
		t.Fatalf("login after the console reset: %+v %v", res, err)
	}
	ctx = panel.Operator(context.Background())
	page, err := a.panel.Audit.List(ctx, panel.AuditQuery{Event: "two_factor.remove"})
	if err != nil || len(page.Items) != 1 || page.Items[0].ActorName != "console" {
		t.Fatalf("audit: %+v %v", page.Items, err)
	}
	log, err := a.panel.Mail.MailLog(ctx, res.Account.ID, panel.MailLogInput{})
	if err != nil || len(log.Items) == 0 || log.Items[0].Kind != panel.TemplateTwoFactorRemoved {
		t.Fatalf("the notice in the outbox: %+v %v", log.Items, err)
	}
}
