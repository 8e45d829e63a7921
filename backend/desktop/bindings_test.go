package desktop

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// The bound structs are called here as the window calls them, without a
// window: the session token must stay in the Go process and every call
// must authenticate.

func code(err error) panel.Code {
	if err == nil {
		return ""
	}
	return panel.AsError(err).Code
}

func TestWindowSessionLifecycle(t *testing.T) {
	env := testkit.New(t)
	s := NewSession(env.Panel)
	system, auth, customers := &System{s}, &Auth{s}, &Customers{s}

	h, err := system.Health(Empty{})
	if err != nil || !h.NeedsSetup {
		t.Fatalf("health: %+v %v", h, err)
	}
	if _, err := auth.Me(Empty{}); code(err) != panel.CodeUnauthorized {
		t.Fatalf("me before login: %v", err)
	}
	if _, err := customers.List(panel.ListAccountsInput{}); code(err) != panel.CodeUnauthorized {
		t.Fatalf("list before login: %v", err)
	}
	res, err := system.Setup(panel.SetupInput{Username: "owner", Name: "Owner", Email: "owner@example.org",
		Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
	if err != nil || res.Account.Username != "owner" {
		t.Fatalf("setup: %+v %v", res, err)
	}
	// The token never leaves Go: the result carries only the account.
	raw, _ := json.Marshal(res)
	if s.get() == "" || strings.Contains(string(raw), s.get()) {
		t.Fatalf("token missing from the session or leaked into the result: %s", raw)
	}
	created, err := customers.Create(panel.CreateAccountInput{Username: "dora", Name: "Dora", Email: "dora@example.org",
		Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	page, err := customers.List(panel.ListAccountsInput{Q: "dora"})
	if err != nil || page.Total != 1 {
		t.Fatalf("list: %+v %v", page, err)
	}
	name := "Dora D."
	if _, err := customers.Update(UpdateCustomerInput{ID: created.Account.ID, UpdateAccountInput: panel.UpdateAccountInput{Name: &name}}); err != nil {
		t.Fatal(err)
	}
	ov, err := customers.Overview(IDInput{ID: created.Account.ID})
	if err != nil || ov.Account.Name != name {
		t.Fatalf("overview: %+v %v", ov, err)
	}

	// Log in as, then log out: back in the owner's own (fresh) session.
	before := s.get()
	me, err := customers.LoginAs(IDInput{ID: created.Account.ID})
	if err != nil || me.Account.Username != "dora" || me.Impersonator.Username != "owner" || s.get() == before {
		t.Fatalf("login as: %+v %v", me, err)
	}
	back, err := auth.Logout(Empty{})
	if err != nil || back.Account == nil || back.Account.Username != "owner" {
		t.Fatalf("logout from inside: %+v %v", back, err)
	}
	if m, err := auth.Me(Empty{}); err != nil || m.Impersonator != nil || m.Account.Username != "owner" {
		t.Fatalf("after returning: %+v %v", m, err)
	}

	if _, err := customers.Delete(DeleteCustomerInput{ID: created.Account.ID, Confirm: "dora"}); err != nil {
		t.Fatal(err)
	}
	if out, err := auth.Logout(Empty{}); err != nil || out.Account != nil {
		t.Fatalf("logout: %+v %v", out, err)
	}
	if s.get() != "" {
		t.Fatal("the token outlived the logout")
	}
	if _, err := customers.List(panel.ListAccountsInput{}); code(err) != panel.CodeUnauthorized {
		t.Fatalf("list after logout: %v", err)
	}
	// Login through the window, and the generic failure.
	if _, err := auth.Login(panel.LoginInput{Username: "owner", Password: "wrong-password-x"}); code(err) != panel.CodeUnauthorized {
		t.Fatalf("bad login: %v", err)
	}
	if _, err := auth.Login(panel.LoginInput{Username: "owner", Password: testkit.StrongPassword}); err != nil {
		t.Fatal(err)
	}
}

func TestFormatErrorShapesLikeTheAPI(t *testing.T) {
	format := FormatError(slog.New(slog.NewTextHandler(io.Discard, nil)))
	invalid, _ := json.Marshal(format(panel.InvalidField("email", panel.ReasonInvalidEmail)))
	if string(invalid) != `{"code":"invalid","message":"Some fields need attention.","fields":{"email":"invalid_email"}}` {
		t.Fatalf("invalid: %s", invalid)
	}
	internal, _ := json.Marshal(format(errors.New("disk I/O error at /secret/path")))
	if strings.Contains(string(internal), "/secret/path") || !strings.Contains(string(internal), `"code":"internal"`) {
		t.Fatalf("internal cause leaked: %s", internal)
	}
}
