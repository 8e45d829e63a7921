package httpapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"castdesk/backend/httpapi"
	"castdesk/backend/testkit"
)

// client is a browser stand-in: it keeps cookies and sends the SPA's header.
type client struct {
	t      *testing.T
	base   string
	http   *http.Client
	header map[string]string
}

type env struct {
	*testkit.Env
	srv *httptest.Server
}

func newServer(t *testing.T) *env {
	t.Helper()
	kit := testkit.New(t)
	assets := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Castdesk</title>")}}
	srv := httptest.NewServer(httpapi.New(kit.Panel, assets, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	return &env{Env: kit, srv: srv}
}

func (e *env) client(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: e.srv.URL, http: &http.Client{Jar: jar}, header: map[string]string{"X-Requested-With": "castdesk"}}
}

type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (c *client) do(method, path string, body any) response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := response{status: res.StatusCode, header: res.Header, raw: string(raw)}
	json.Unmarshal(raw, &out.body)
	return out
}

func (r response) expect(t *testing.T, status int, code string) response {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
	if code != "" && r.body["code"] != code {
		t.Fatalf("code %v, want %s: %s", r.body["code"], code, r.raw)
	}
	return r
}

func (r response) field(name string) string {
	f, _ := r.body["fields"].(map[string]any)
	s, _ := f[name].(string)
	return s
}

var setupBody = map[string]any{"username": "admin", "password": testkit.StrongPassword,
	"password_confirm": testkit.StrongPassword, "name": "Ada Admin", "email": "admin@example.org"}

func TestHealthSetupLoginLogoutMe(t *testing.T) {
	e := newServer(t)
	c := e.client(t)
	h := c.do("GET", "/api/v1/health", nil).expect(t, 200, "")
	if h.body["status"] != "ok" || h.body["needs_setup"] != true || h.body["version"] == nil {
		t.Fatalf("health: %s", h.raw)
	}
	if h.header.Get("Content-Security-Policy") == "" || h.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("security headers missing: %v", h.header)
	}
	c.do("GET", "/api/v1/auth/me", nil).expect(t, 401, "unauthorized")

	// Setup: missing fields, then for real; it logs in with a hardened cookie.
	bad := c.do("POST", "/api/v1/setup", map[string]any{"username": "admin"}).expect(t, 400, "invalid")
	if bad.field("password") != "required" || bad.field("email") != "required" || bad.field("name") != "required" {
		t.Fatalf("field errors: %s", bad.raw)
	}
	res := c.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")
	cookie := res.header.Get("Set-Cookie")
	for _, want := range []string{"castdesk_session=", "HttpOnly", "SameSite=Strict", "Path=/"} {
		if !strings.Contains(cookie, want) {
			t.Fatalf("cookie %q lacks %s", cookie, want)
		}
	}
	if strings.Contains(res.raw, "password") && strings.Contains(res.raw, "argon2") {
		t.Fatal("password hash leaked in the response")
	}
	c.do("POST", "/api/v1/setup", setupBody).expect(t, 409, "conflict")
	me := c.do("GET", "/api/v1/auth/me", nil).expect(t, 200, "")
	if acc := me.body["account"].(map[string]any); acc["username"] != "admin" || me.body["impersonator"] != nil {
		t.Fatalf("me: %s", me.raw)
	}

	c.do("POST", "/api/v1/auth/logout", nil).expect(t, 200, "")
	c.do("GET", "/api/v1/auth/me", nil).expect(t, 401, "unauthorized")
	c.do("POST", "/api/v1/auth/logout", nil).expect(t, 401, "unauthorized")

	// Login: generic failure, then success.
	wrong := c.do("POST", "/api/v1/auth/login", map[string]any{"username": "admin", "password": "not-the-password"}).expect(t, 401, "unauthorized")
	unknown := c.do("POST", "/api/v1/auth/login", map[string]any{"username": "nobody", "password": "not-the-password"}).expect(t, 401, "unauthorized")
	if wrong.raw != unknown.raw {
		t.Fatalf("failures differ: %s vs %s", wrong.raw, unknown.raw)
	}
	c.do("POST", "/api/v1/auth/login", map[string]any{"username": "admin", "password": testkit.StrongPassword}).expect(t, 200, "")
	c.do("GET", "/api/v1/auth/me", nil).expect(t, 200, "")
}

func TestBadRequests(t *testing.T) {
	e := newServer(t)
	c := e.client(t)
	cases := []struct {
		name, method, path string
		body               any
		status             int
		code               string
	}{
		{"bad JSON", "POST", "/api/v1/auth/login", `{"username":`, 400, "invalid"},
		{"not an object", "POST", "/api/v1/auth/login", `[1,2]`, 400, "invalid"},
		{"wrong type", "POST", "/api/v1/auth/login", `{"username": 5, "password": "x"}`, 400, "invalid"},
		{"two objects", "POST", "/api/v1/auth/login", `{} {}`, 400, "invalid"},
		{"empty body", "POST", "/api/v1/setup", "", 400, "invalid"},
		{"missing fields", "POST", "/api/v1/auth/login", `{}`, 400, "invalid"},
		{"oversized body", "POST", "/api/v1/setup", `{"name":"` + strings.Repeat("x", 2<<20) + `"}`, 413, "too_large"},
		{"wrong method on health", "DELETE", "/api/v1/health", nil, 405, "method_not_allowed"},
		{"wrong method on login", "GET", "/api/v1/auth/login", nil, 405, "method_not_allowed"},
		{"unknown route", "GET", "/api/v1/nope", nil, 404, "not_found"},
		{"bad id", "GET", "/api/v1/customers/abc", nil, 404, "not_found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body
			if s, ok := body.(string); ok && s == "" {
				body = " "
			}
			c.do(tc.method, tc.path, body).expect(t, tc.status, tc.code)
		})
	}
	if h := c.do("GET", "/api/v1/health", nil); h.body["needs_setup"] != true {
		t.Fatal("bad requests changed something")
	}
}

func TestCSRFHeaderRequiredOnUnsafeMethods(t *testing.T) {
	e := newServer(t)
	c := e.client(t)
	c.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")
	delete(c.header, "X-Requested-With")
	c.do("POST", "/api/v1/auth/logout", nil).expect(t, 403, "forbidden")
	c.do("PATCH", "/api/v1/settings", map[string]any{"password_min_length": 9}).expect(t, 403, "forbidden")
	c.do("GET", "/api/v1/auth/me", nil).expect(t, 200, "") // safe methods need no header
	c.header["X-Requested-With"] = "castdesk"
	c.do("POST", "/api/v1/auth/logout", nil).expect(t, 200, "")
}

func TestSettingsAdminOnly(t *testing.T) {
	e := newServer(t)
	admin := e.client(t)
	admin.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")
	s := admin.do("GET", "/api/v1/settings", nil).expect(t, 200, "")
	if s.body["password_min_length"] != float64(8) || s.body["default_timezone"] != "UTC" || !strings.HasSuffix(s.body["content_root"].(string), "content") {
		t.Fatalf("defaults: %s", s.raw)
	}
	bad := admin.do("PATCH", "/api/v1/settings", map[string]any{"password_min_length": 4, "default_timezone": "Mars/Olympus",
		"content_root": "relative/path", "public_base_url": "ftp://x"}).expect(t, 400, "invalid")
	for _, f := range []string{"password_min_length", "default_timezone", "content_root", "public_base_url"} {
		if bad.field(f) == "" {
			t.Errorf("no error for %s: %s", f, bad.raw)
		}
	}
	ok := admin.do("PATCH", "/api/v1/settings", map[string]any{"password_min_length": 12, "default_timezone": "Europe/Madrid",
		"public_base_url": "https://panel.example.org/"}).expect(t, 200, "")
	if ok.body["password_min_length"] != float64(12) || ok.body["default_timezone"] != "Europe/Madrid" || ok.body["public_base_url"] != "https://panel.example.org" {
		t.Fatalf("patched: %s", ok.raw)
	}
	// A customer may not read or change them.
	admin.do("POST", "/api/v1/customers", map[string]any{"username": "cust", "name": "C", "email": "c@example.org",
		"password": "Another-Str0ng-Pass", "password_confirm": "Another-Str0ng-Pass"}).expect(t, 201, "")
	cust := e.client(t)
	cust.do("POST", "/api/v1/auth/login", map[string]any{"username": "cust", "password": "Another-Str0ng-Pass"}).expect(t, 200, "")
	cust.do("GET", "/api/v1/settings", nil).expect(t, 403, "forbidden")
	cust.do("PATCH", "/api/v1/settings", map[string]any{"password_min_length": 5}).expect(t, 403, "forbidden")
	anon := e.client(t)
	anon.do("GET", "/api/v1/settings", nil).expect(t, 401, "unauthorized")
}

func TestSPAIsServed(t *testing.T) {
	e := newServer(t)
	c := e.client(t)
	for _, p := range []string{"/", "/customers/12"} {
		r := c.do("GET", p, nil).expect(t, 200, "")
		if !strings.Contains(r.raw, "<title>Castdesk</title>") || r.header.Get("Content-Security-Policy") == "" {
			t.Fatalf("%s: %s", p, r.raw)
		}
	}
}
