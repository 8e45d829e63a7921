package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"castdesk/backend/panel"
)

func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestHelpAndVersion(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"serve", "--help"}, {"admin", "create", "--help"}} {
		code, out, _ := runCLI(t, "", args...)
		if code != 0 || !strings.Contains(out, "castdesk serve") || !strings.Contains(out, "reset-password") || !strings.Contains(out, "reset-2fa") {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
	code, out, _ := runCLI(t, "", "--version")
	if code != 0 || !strings.HasPrefix(out, "castdesk ") {
		t.Errorf("--version: %d %q", code, out)
	}
	code, _, errOut := runCLI(t, "", "frobnicate")
	if code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: %d %q", code, errOut)
	}
}

func TestNoDisplayPointsToServe(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	code, _, errOut := runCLI(t, "", "--data", t.TempDir())
	if code != 2 || !strings.Contains(errOut, "no display") || !strings.Contains(errOut, "castdesk serve") {
		t.Fatalf("exit %d, %q", code, errOut)
	}
}

func TestAdminCreateAndResetPassword(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCLI(t, "Corr3ct-Horse-Battery\n", "admin", "create", "--data", dir, "--username", "root.admin",
		"--name", "Root Admin", "--email", "root@example.org", "--password-stdin")
	if code != 0 || !strings.Contains(out, `Created admin account "root.admin"`) {
		t.Fatalf("create: %d %q %q", code, out, errOut)
	}
	code, _, errOut = runCLI(t, "password\n", "admin", "create", "--data", dir, "--username", "x2",
		"--name", "X", "--email", "x@example.org", "--password-stdin")
	if code != 1 || !strings.Contains(errOut, "password: common_password") {
		t.Fatalf("weak password accepted: %d %q", code, errOut)
	}
	code, out, errOut = runCLI(t, "Brand-New-Passw0rd\n", "admin", "reset-password", "ROOT.admin", "--data", dir, "--password-stdin")
	if code != 0 || !strings.Contains(out, "password of") {
		t.Fatalf("reset: %d %q %q", code, out, errOut)
	}
	code, _, errOut = runCLI(t, "Brand-New-Passw0rd\n", "admin", "reset-password", "nobody", "--data", dir, "--password-stdin")
	if code != 1 || !strings.Contains(errOut, "not found") {
		t.Fatalf("unknown user: %d %q", code, errOut)
	}
	code, _, _ = runCLI(t, "", "admin", "reset-password", "--data", dir)
	if code != 2 {
		t.Fatalf("missing username: %d", code)
	}
	// The new password logs in; the old one does not.
	a, err := openApp(context.Background(), dir, false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	p := a.panel
	if _, err := p.Auth.Login(context.Background(), panel.LoginInput{Username: "root.admin", Password: "Brand-New-Passw0rd"}); err != nil {
		t.Fatalf("new password: %v", err)
	}
	if _, err := p.Auth.Login(context.Background(), panel.LoginInput{Username: "root.admin", Password: "Corr3ct-Horse-Battery"}); err == nil {
		t.Fatal("old password still works")
	}
}

func TestLicensesNeedNoDisplay(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	code, out, errOut := runCLI(t, "", "--licenses")
	if code != 0 || errOut != "" {
		t.Fatalf("--licenses: exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"MIT License", "Castdesk authors", "Castdesk third-party notices",
		"github.com/wailsapp/wails/v2", "github.com/mattn/go-sqlite3", "SQLite", "vue-router", "zxcvbn"} {
		if !strings.Contains(out, want) {
			t.Errorf("--licenses does not mention %q", want)
		}
	}
}
