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

// The one bound method is called here as the window calls it, without a
// window: the session token must stay in the Go process and every call
// must authenticate.

func code(err error) panel.Code {
	if err == nil {
		return ""
	}
	return panel.AsError(err).Code
}

// call is API.Call with a Go value as input; out receives the answer.
func call(t *testing.T, api *API, name string, in any, out any) error {
	t.Helper()
	raw, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	res, err := api.Call(name, raw)
	if err != nil {
		return err
	}
	if out != nil {
		b, _ := json.Marshal(res)
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s answered %s: %v", name, b, err)
		}
	}
	return nil
}

type accountBody struct {
	Account *panel.Account `json:"account"`
}

type me struct {
	Account      *panel.Account `json:"account"`
	Impersonator *panel.Account `json:"impersonator"`
}

func TestWindowSessionLifecycle(t *testing.T) {
	env := testkit.New(t)
	s := NewSession(env.Panel)
	api := &API{s}
	none := map[string]any{}

	var h panel.Health
	if err := call(t, api, "health", none, &h); err != nil || !h.NeedsSetup {
		t.Fatalf("health: %+v %v", h, err)
	}
	if err := call(t, api, "me", none, nil); code(err) != panel.CodeUnauthorized {
		t.Fatalf("me before login: %v", err)
	}
	if err := call(t, api, "customersList", none, nil); code(err) != panel.CodeUnauthorized {
		t.Fatalf("list before login: %v", err)
	}
	var res accountBody
	err := call(t, api, "setup", map[string]any{"username": "owner", "name": "Owner", "email": "owner@example.org",
		"password": testkit.StrongPassword, "password_confirm": testkit.StrongPassword}, &res)
	if err != nil || res.Account.Username != "owner" {
		t.Fatalf("setup: %+v %v", res, err)
	}
	// The token never leaves Go: the answer carries only the account.
	raw, _ := api.Call("me", nil)
	b, _ := json.Marshal(raw)
	if s.get() == "" || strings.Contains(string(b), s.get()) {
		t.Fatalf("token missing from the session or leaked into an answer: %s", b)
	}
	var created accountBody
	if err := call(t, api, "customersCreate", map[string]any{"username": "dora", "name": "Dora", "email": "dora@example.org",
		"password": testkit.StrongPassword, "password_confirm": testkit.StrongPassword}, &created); err != nil {
		t.Fatal(err)
	}
	id := created.Account.ID
	var page panel.AccountPage
	if err := call(t, api, "customersList", map[string]any{"q": "dora"}, &page); err != nil || page.Total != 1 {
		t.Fatalf("list: %+v %v", page, err)
	}
	if err := call(t, api, "customerUpdate", map[string]any{"id": id, "name": "Dora D."}, nil); err != nil {
		t.Fatal(err)
	}
	var ov panel.Overview
	if err := call(t, api, "customerOverview", map[string]any{"id": id}, &ov); err != nil || ov.Account.Name != "Dora D." {
		t.Fatalf("overview: %+v %v", ov, err)
	}

	// Log in as, then log out: back in the owner's own (fresh) session.
	before := s.get()
	var inside me
	if err := call(t, api, "customerLoginAs", map[string]any{"id": id}, &inside); err != nil ||
		inside.Account.Username != "dora" || inside.Impersonator.Username != "owner" || s.get() == before {
		t.Fatalf("login as: %+v %v", inside, err)
	}
	var back accountBody
	if err := call(t, api, "logout", none, &back); err != nil || back.Account == nil || back.Account.Username != "owner" {
		t.Fatalf("logout from inside: %+v %v", back, err)
	}
	var m me
	if err := call(t, api, "me", none, &m); err != nil || m.Impersonator != nil || m.Account.Username != "owner" {
		t.Fatalf("after returning: %+v %v", m, err)
	}

	if err := call(t, api, "customerDelete", map[string]any{"id": id, "confirm": "dora"}, nil); err != nil {
		t.Fatal(err)
	}
	var out accountBody
	if err := call(t, api, "logout", none, &out); err != nil || out.Account != nil {
		t.Fatalf("logout: %+v %v", out, err)
	}
	if s.get() != "" {
		t.Fatal("the token outlived the logout")
	}
	if err := call(t, api, "customersList", none, nil); code(err) != panel.CodeUnauthorized {
		t.Fatalf("list after logout: %v", err)
	}
	// Login through the window, and the generic failure.
	if err := call(t, api, "login", map[string]any{"username": "owner", "password": "wrong-password-x"}, nil); code(err) != panel.CodeUnauthorized {
		t.Fatalf("bad login: %v", err)
	}
	if err := call(t, api, "login", map[string]any{"username": "owner", "password": testkit.StrongPassword}, nil); err != nil {
		t.Fatal(err)
	}
}

// Operations the window does not offer, unknown names and input of the
// wrong shape are refused before anything runs.
func TestWindowRefusesWhatItDoesNotOffer(t *testing.T) {
	env := testkit.New(t)
	api := &API{NewSession(env.Panel)}
	for _, name := range []string{"mediaUpload", "openapi", "noSuchOperation"} {
		if _, err := api.Call(name, json.RawMessage(`{}`)); code(err) != panel.CodeNotFound {
			t.Errorf("%s: %v, want not_found", name, err)
		}
	}
	_, err := api.Call("login", json.RawMessage(`{"username": 7}`))
	if pe := panel.AsError(err); pe.Code != panel.CodeInvalid || pe.Fields["username"] != panel.ReasonInvalid {
		t.Fatalf("wrong type: %+v", pe)
	}
	// mediaAddDropped with a token no drop gave.
	_, err = api.Call("mediaAddDropped", json.RawMessage(`{"id": 1, "token": "forged"}`))
	if pe := panel.AsError(err); pe.Code != panel.CodeInvalid || pe.Fields["token"] != panel.ReasonInvalid {
		t.Fatalf("forged drop token: %+v", pe)
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
