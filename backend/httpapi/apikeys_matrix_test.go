package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"castdesk/backend/httpapi"
	"castdesk/backend/ops"
	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// keyWorld is one server with a key of every kind: admin, reseller, customer, revoked, API access off.
type keyWorld struct {
	e                        *env
	admin, reseller          *client // cookie sessions, to arrange objects
	keys                     map[string]*client
	planID, resellerID, cust int64
	svc                      int64
	seq                      int
	// webhook is a subscription of the admin's (the webhook rows).
	webhook int64
}

var keyKinds = []string{"admin", "reseller", "customer", "api_off", "revoked", "disabled", "none"}

// newMediaEnabledServer is a server whose panel runs the media index, so
// every route can answer a success.
func newMediaEnabledServer(t *testing.T) *env {
	t.Helper()
	kit := testkit.New(t)
	p, _ := kit.StartMedia(t)
	srv := httptest.NewServer(httpapi.New(p, fstest.MapFS{}, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	return &env{Env: kit, srv: srv}
}

func newKeyWorld(t *testing.T) *keyWorld {
	t.Helper()
	e := newMediaEnabledServer(t)
	w := &keyWorld{e: e, admin: e.client(t), keys: map[string]*client{}}
	adminID := accountID(w.admin.do("POST", "/api/v1/setup", setupBody).expect(t, 201, ""))
	w.admin.do("PATCH", fmt.Sprintf("/api/v1/customers/%d", adminID), map[string]any{"api_access": true}).expect(t, 200, "")
	w.planID = id(w.admin.do("POST", "/api/v1/plans", map[string]any{"name": "Gold", "server_limit": 100}).expect(t, 201, ""))
	r := newCustomer("reseller")
	r["reseller_plan_id"], r["api_access"] = w.planID, true
	w.resellerID = accountID(w.admin.do("POST", "/api/v1/customers", r).expect(t, 201, ""))
	w.reseller = w.login(t, "reseller")
	c := newCustomer("cust")
	c["api_access"] = true
	w.cust = accountID(w.reseller.do("POST", "/api/v1/customers", c).expect(t, 201, ""))
	w.svc = id(w.reseller.do("POST", "/api/v1/services", map[string]any{"owner_id": w.cust, "name": "Radio", "type": "icecast"}).expect(t, 201, ""))

	w.keys["admin"] = w.newKey(t, w.admin)
	w.keys["reseller"] = w.newKey(t, w.reseller)
	w.keys["customer"] = w.newKey(t, w.login(t, "cust"))
	for _, kind := range []string{"api_off", "revoked", "disabled"} {
		body := newCustomer(kind)
		body["api_access"] = true
		accID := accountID(w.admin.do("POST", "/api/v1/customers", body).expect(t, 201, ""))
		owner := w.login(t, kind)
		key := owner.do("POST", "/api/v1/api-keys", map[string]any{"name": kind}).expect(t, 201, "")
		w.keys[kind] = e.keyClient(t, key.body["key"].(string))
		switch kind {
		case "api_off":
			w.admin.do("PATCH", fmt.Sprintf("/api/v1/customers/%d", accID), map[string]any{"api_access": false}).expect(t, 200, "")
		case "revoked":
			owner.do("DELETE", fmt.Sprintf("/api/v1/api-keys/%d", id(key)), nil).expect(t, 200, "")
		case "disabled":
			w.admin.do("PATCH", fmt.Sprintf("/api/v1/customers/%d", accID), map[string]any{"status": "disabled"}).expect(t, 200, "")
		}
	}
	// No credentials at all (the CSRF header is there, so the answer is about authorization).
	w.keys["none"] = &client{t: t, base: e.srv.URL, http: &http.Client{}, header: map[string]string{"X-Requested-With": "castdesk"}}
	w.addScopedKeys(t)
	w.webhook = id(w.admin.do("POST", "/api/v1/webhooks", map[string]any{"url": "https://203.0.113.10/hook", "events": []string{"account.created"}}).expect(t, 201, ""))
	return w
}

func (w *keyWorld) login(t *testing.T, username string) *client {
	c := w.e.client(t)
	c.do("POST", "/api/v1/auth/login", map[string]any{"username": username, "password": "Another-Str0ng-Pass"}).expect(t, 200, "")
	return c
}

func (w *keyWorld) newKey(t *testing.T, owner *client) *client {
	res := owner.do("POST", "/api/v1/api-keys", map[string]any{"name": "matrix"}).expect(t, 201, "")
	return w.e.keyClient(t, res.body["key"].(string))
}

func (w *keyWorld) next() int { w.seq++; return w.seq }

// mcase is one request of a route. path and body may make fresh objects
// for the caller (deletes); want is the status for admin, reseller,
// customer and no key. The key kinds that must fail do so on every route:
// API access off 403, revoked 401, disabled account 403.
type mcase struct {
	name string
	path func(t *testing.T, who string) string
	body any
	want [4]int
	// send replaces the JSON request (uploads, event streams).
	send func(c *client, path string) response
}

// rawDo sends a body of any content type with the client's headers.
func (c *client) rawDo(method, path, contentType string, body []byte) response {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
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

// upload posts one file as multipart/form-data.
func (c *client) uploadOne(path, name, content string) response {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	io.WriteString(fw, content)
	mw.Close()
	return c.rawDo("POST", path, mw.FormDataContentType(), buf.Bytes())
}

// openStream opens an event stream and reads up to its first event (or the
// error body), then hangs up.
func (c *client) openStream(path string) response {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", c.base+path, nil)
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	out := response{status: res.StatusCode, header: res.Header}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		line, _ := bufio.NewReader(res.Body).ReadString('\n')
		out.raw = line
		return out
	}
	raw, _ := io.ReadAll(res.Body)
	out.raw = string(raw)
	json.Unmarshal(raw, &out.body)
	return out
}

func fixed(path string) func(*testing.T, string) string {
	return func(*testing.T, string) string { return path }
}

// TestAPIKeyAuthorizationMatrix drives every registered route with every
// kind of key, and no key.
func TestAPIKeyAuthorizationMatrix(t *testing.T) {
	w := newKeyWorld(t)
	p := fmt.Sprintf
	cust, svc, plan := w.cust, w.svc, w.planID
	matrix := map[string][]mcase{
		"GET /api/v1/health":       {{path: fixed("/api/v1/health"), want: [4]int{200, 200, 200, 200}}},
		"POST /api/v1/setup":       {{path: fixed("/api/v1/setup"), body: setupBody, want: [4]int{409, 409, 409, 409}}},
		"GET /api/v1/openapi.json": {{path: fixed("/api/v1/openapi.json"), want: [4]int{200, 200, 200, 200}}},
		"GET /api/v1/about":        {{path: fixed("/api/v1/about"), want: [4]int{200, 200, 200, 200}}},
		"GET /api/v1/licenses":     {{path: fixed("/api/v1/licenses"), want: [4]int{200, 200, 200, 200}}},
		"GET /api/v1/settings":     {{path: fixed("/api/v1/settings"), want: [4]int{200, 403, 403, 401}}},
		"PATCH /api/v1/settings":   {{path: fixed("/api/v1/settings"), body: map[string]any{}, want: [4]int{200, 403, 403, 401}}},
		"GET /api/v1/audit":        {{path: fixed("/api/v1/audit"), want: [4]int{200, 403, 403, 401}}},

		"GET /api/v1/backups":               {{path: fixed("/api/v1/backups"), want: [4]int{200, 403, 403, 401}}},
		"POST /api/v1/backups":              {{path: fixed("/api/v1/backups"), want: [4]int{201, 403, 403, 401}}},
		"GET /api/v1/backups/{id}":          {{name: "unknown", path: fixed("/api/v1/backups/castdesk-20200101-000000"), want: [4]int{404, 403, 403, 401}}},
		"GET /api/v1/backups/{id}/download": {{name: "unknown", path: fixed("/api/v1/backups/castdesk-20200101-000000/download"), want: [4]int{404, 403, 403, 401}}},
		"DELETE /api/v1/backups/{id}":       {{name: "unknown", path: fixed("/api/v1/backups/castdesk-20200101-000000"), want: [4]int{404, 403, 403, 401}}},
		"GET /api/v1/backups/schedule":      {{path: fixed("/api/v1/backups/schedule"), want: [4]int{200, 403, 403, 401}}},
		"PATCH /api/v1/backups/schedule":    {{path: fixed("/api/v1/backups/schedule"), body: map[string]any{"keep": 3}, want: [4]int{200, 403, 403, 401}}},

		"POST /api/v1/auth/login":   {{path: fixed("/api/v1/auth/login"), body: map[string]any{"username": "nobody", "password": "x"}, want: [4]int{401, 401, 401, 401}}},
		"POST /api/v1/auth/logout":  {{name: "needs a session", path: fixed("/api/v1/auth/logout"), want: [4]int{403, 403, 403, 401}}},
		"GET /api/v1/auth/me":       {{path: fixed("/api/v1/auth/me"), want: [4]int{200, 200, 200, 401}}},
		"PUT /api/v1/auth/password": {{name: "needs a session", path: fixed("/api/v1/auth/password"), body: map[string]any{"current_password": "Another-Str0ng-Pass", "password": "Fresh-Passw0rd-11", "password_confirm": "Fresh-Passw0rd-11"}, want: [4]int{403, 403, 403, 401}}},

		"GET /api/v1/customers":  {{path: fixed("/api/v1/customers"), want: [4]int{200, 200, 200, 401}}},
		"POST /api/v1/customers": {{name: "invalid body: authorization first", path: fixed("/api/v1/customers"), body: map[string]any{"username": "x"}, want: [4]int{400, 400, 403, 401}}},
		"GET /api/v1/customers/{id}": {
			{name: "reseller's customer", path: fixed(p("/api/v1/customers/%d", cust)), want: [4]int{200, 200, 200, 401}},
			{name: "the reseller", path: fixed(p("/api/v1/customers/%d", w.resellerID)), want: [4]int{200, 200, 404, 401}},
		},
		"PATCH /api/v1/customers/{id}": {
			{name: "details", path: fixed(p("/api/v1/customers/%d", cust)), body: map[string]any{"contact_number": "+1 555"}, want: [4]int{200, 200, 200, 401}},
			{name: "API access switch", path: fixed(p("/api/v1/customers/%d", cust)), body: map[string]any{"api_access": true}, want: [4]int{200, 200, 403, 401}},
		},
		"GET /api/v1/customers/export.csv": {{path: fixed("/api/v1/customers/export.csv"), want: [4]int{200, 200, 200, 401}}},
		"POST /api/v1/customers/import.csv": {{name: "dry run", path: fixed("/api/v1/customers/import.csv?dry_run=true"),
			send: func(c *client, path string) response {
				return c.rawDo("POST", path, "text/csv", []byte("username,email,name\nfromcsv,csv@example.org,From CSV\n"))
			}, want: [4]int{200, 200, 403, 401}}},
		"GET /api/v1/customers/{id}/export": {{name: "the reseller's customer", path: fixed(p("/api/v1/customers/%d/export", cust)), want: [4]int{200, 200, 403, 401}}},
		"POST /api/v1/customers/import": {{name: "not a bundle: authorization first", path: fixed("/api/v1/customers/import?dry_run=true"),
			send: func(c *client, path string) response {
				return c.rawDo("POST", path, "application/zip", []byte("not a zip"))
			},
			want: [4]int{400, 400, 403, 401}}},
		"GET /api/v1/customers/{id}/delete-preview": {{path: fixed(p("/api/v1/customers/%d/delete-preview", cust)), want: [4]int{200, 200, 403, 401}}},
		"GET /api/v1/customers/username-check": {
			{name: "a new account", path: fixed("/api/v1/customers/username-check?username=free-name"), want: [4]int{200, 200, 403, 401}},
			{name: "the reseller's customer", path: fixed(p("/api/v1/customers/username-check?username=free-name&id=%d", cust)), want: [4]int{200, 200, 403, 401}},
		},
		"POST /api/v1/customers/bulk": {{name: "enable the reseller's customer", path: fixed("/api/v1/customers/bulk"),
			body: map[string]any{"action": "enable", "ids": []int64{cust}}, want: [4]int{200, 200, 403, 401}}},
		"POST /api/v1/customers/bulk/delete-preview": {{path: fixed("/api/v1/customers/bulk/delete-preview"),
			body: map[string]any{"ids": []int64{cust}}, want: [4]int{200, 200, 403, 401}}},
		"DELETE /api/v1/customers/{id}": {{name: "a fresh customer of the reseller", path: func(t *testing.T, who string) string {
			u := p("gone%d", w.next())
			acc := accountID(w.reseller.do("POST", "/api/v1/customers", newCustomer(u)).expect(t, 201, ""))
			return p("/api/v1/customers/%d?confirm=%s", acc, u)
		}, want: [4]int{200, 200, 404, 401}}},
		"POST /api/v1/customers/{id}/login-as": {{name: "needs a session", path: fixed(p("/api/v1/customers/%d/login-as", cust)), want: [4]int{403, 403, 403, 401}}},
		"PUT /api/v1/customers/{id}/password":  {{name: "too short: authorization first", path: fixed(p("/api/v1/customers/%d/password", cust)), body: map[string]any{"password": "short"}, want: [4]int{400, 400, 403, 401}}},

		"GET /api/v1/plans": {{path: fixed("/api/v1/plans"), want: [4]int{200, 403, 403, 401}}},
		"POST /api/v1/plans": {{name: "a fresh name", path: fixed("/api/v1/plans"), send: func(c *client, path string) response {
			return c.do("POST", path, map[string]any{"name": p("Silver %d", w.next())})
		}, want: [4]int{201, 403, 403, 401}}},
		"GET /api/v1/plans/{id}":    {{path: fixed(p("/api/v1/plans/%d", plan)), want: [4]int{200, 200, 404, 401}}},
		"PATCH /api/v1/plans/{id}":  {{path: fixed(p("/api/v1/plans/%d", plan)), body: map[string]any{"max_connections": 500}, want: [4]int{200, 403, 403, 401}}},
		"DELETE /api/v1/plans/{id}": {{name: "assigned", path: fixed(p("/api/v1/plans/%d", plan)), want: [4]int{409, 403, 403, 401}}},

		"GET /api/v1/services":           {{path: fixed("/api/v1/services"), want: [4]int{200, 200, 200, 401}}},
		"GET /api/v1/services/next-port": {{path: fixed("/api/v1/services/next-port"), want: [4]int{200, 200, 403, 401}}},
		"POST /api/v1/services":          {{path: fixed("/api/v1/services"), body: map[string]any{"owner_id": cust, "name": "New", "type": "icecast", "max_connections": 1}, want: [4]int{201, 201, 403, 401}}},
		"GET /api/v1/services/{id}":      {{path: fixed(p("/api/v1/services/%d", svc)), want: [4]int{200, 200, 200, 401}}},
		"PATCH /api/v1/services/{id}":    {{path: fixed(p("/api/v1/services/%d", svc)), body: map[string]any{"name": "Renamed"}, want: [4]int{200, 200, 403, 401}}},
		"DELETE /api/v1/services/{id}": {{name: "a fresh service of the customer", path: func(t *testing.T, who string) string {
			s := id(w.admin.do("POST", "/api/v1/services", map[string]any{"owner_id": cust, "name": "Gone", "type": "icecast", "max_connections": 1}).expect(t, 201, ""))
			return p("/api/v1/services/%d", s)
		}, want: [4]int{200, 200, 403, 401}}},
		"POST /api/v1/services/{id}/suspend": {{name: "the admin's key suspends first: the reseller's cannot take it over",
			path: fixed(p("/api/v1/services/%d/suspend", svc)), body: map[string]any{"reason": "matrix"}, want: [4]int{200, 403, 403, 401}}},
		"POST /api/v1/services/{id}/unsuspend": {{path: fixed(p("/api/v1/services/%d/unsuspend", svc)), want: [4]int{200, 200, 403, 401}}},
		"POST /api/v1/services/bulk": {{name: "unsuspend (a refusal is a row, not the answer)", path: fixed("/api/v1/services/bulk"),
			body: map[string]any{"action": "unsuspend", "ids": []int64{svc}}, want: [4]int{200, 200, 403, 401}}},

		"GET /api/v1/customers/{id}/media": {{path: fixed(p("/api/v1/customers/%d/media", cust)), want: [4]int{200, 200, 200, 401}}},
		"POST /api/v1/customers/{id}/media": {{name: "a fresh file", path: func(t *testing.T, who string) string {
			return p("/api/v1/customers/%d/media", cust)
		}, send: func(c *client, path string) response {
			return c.uploadOne(path, p("up%d.mp3", w.next()), "ID3 matrix")
		}, want: [4]int{201, 201, 201, 401}}},
		"DELETE /api/v1/customers/{id}/media": {{name: "a fresh file", path: func(t *testing.T, who string) string {
			name := p("del%d.mp3", w.next())
			w.admin.uploadOne(p("/api/v1/customers/%d/media", cust), name, "ID3 matrix").expect(t, 201, "")
			return p("/api/v1/customers/%d/media?path=%s", cust, name)
		}, want: [4]int{200, 200, 200, 401}}},
		"GET /api/v1/customers/{id}/media/events": {{path: fixed(p("/api/v1/customers/%d/media/events", cust)),
			send: func(c *client, path string) response { return c.openStream(path) }, want: [4]int{200, 200, 200, 401}}},
		"GET /api/v1/media/status": {{path: fixed("/api/v1/media/status"), want: [4]int{200, 403, 403, 401}}},
		"GET /api/v1/storage":      {{path: fixed("/api/v1/storage"), want: [4]int{200, 403, 403, 401}}},

		"GET /api/v1/mail/status":                   {{path: fixed("/api/v1/mail/status"), want: [4]int{200, 200, 200, 401}}},
		"GET /api/v1/mail/outbox":                   {{path: fixed("/api/v1/mail/outbox?state=failed"), want: [4]int{200, 403, 403, 401}}},
		"POST /api/v1/mail/retry-failed":            {{path: fixed("/api/v1/mail/retry-failed"), body: map[string]any{"reason": "settings"}, want: [4]int{202, 403, 403, 401}}},
		"GET /api/v1/home/checklist":                {{path: fixed("/api/v1/home/checklist"), want: [4]int{200, 403, 403, 401}}},
		"POST /api/v1/settings/email/test":          {{name: "email not configured", path: fixed("/api/v1/settings/email/test"), body: map[string]any{"to": "ops@example.org"}, want: [4]int{503, 403, 403, 401}}},
		"POST /api/v1/customers/{id}/email":         {{path: fixed(p("/api/v1/customers/%d/email", cust)), body: map[string]any{"subject": "Hi", "message": "<p>Hi</p>"}, want: [4]int{202, 202, 403, 401}}},
		"POST /api/v1/customers/{id}/email/preview": {{path: fixed(p("/api/v1/customers/%d/email/preview", cust)), body: map[string]any{"subject": "Hi", "message": "<p>Hi</p>"}, want: [4]int{200, 200, 403, 401}}},
		"GET /api/v1/customers/{id}/mail":           {{path: fixed(p("/api/v1/customers/%d/mail", cust)), want: [4]int{200, 200, 200, 401}}},
		"POST /api/v1/customers/{id}/mail/{mail_id}/resend": {{name: "still queued", path: func(t *testing.T, who string) string {
			q := w.admin.do("POST", p("/api/v1/customers/%d/email", cust), map[string]any{"subject": "Hi", "message": "<p>Hi</p>"}).expect(t, 202, "")
			return p("/api/v1/customers/%d/mail/%d/resend", cust, int64(q.body["mail_id"].(float64)))
		}, want: [4]int{409, 409, 403, 401}}},
		"GET /api/v1/templates":                            {{path: fixed("/api/v1/templates"), want: [4]int{200, 403, 403, 401}}},
		"PUT /api/v1/templates/{name}/{language}":          {{path: fixed("/api/v1/templates/welcome/en"), body: map[string]any{"subject": "Hi {{name}}", "html": "<p>Hi</p>"}, want: [4]int{200, 403, 403, 401}}},
		"DELETE /api/v1/templates/{name}/{language}":       {{path: fixed("/api/v1/templates/welcome/en"), want: [4]int{200, 403, 403, 401}}},
		"POST /api/v1/templates/{name}/{language}/preview": {{path: fixed("/api/v1/templates/welcome/en/preview"), body: map[string]any{"subject": "Hi {{name}}", "html": "<p>Hi</p>"}, want: [4]int{200, 403, 403, 401}}},

		"POST /api/v1/auth/forgot": {{path: fixed("/api/v1/auth/forgot"), body: map[string]any{"login": "nobody"}, want: [4]int{202, 202, 202, 202}}},
		"POST /api/v1/auth/reset": {{name: "wrong code", path: fixed("/api/v1/auth/reset"),
			body: map[string]any{"code": "AAAA-BBBB-CCCCC", "password": "Reset-Passw0rd-42", "password_confirm": "Reset-Passw0rd-42"}, want: [4]int{400, 400, 400, 400}}},
		"POST /api/v1/customers/{id}/reset-password": {{name: "a fresh customer of the reseller", path: func(t *testing.T, who string) string {
			acc := accountID(w.reseller.do("POST", "/api/v1/customers", newCustomer(p("reset%d", w.next()))).expect(t, 201, ""))
			return p("/api/v1/customers/%d/reset-password", acc)
		}, want: [4]int{202, 202, 404, 401}}},

		// Account security: a key is its own factor; what changes a second factor or needs a session refuses keys.
		"POST /api/v1/auth/login/2fa":              {{name: "no pending login", path: fixed("/api/v1/auth/login/2fa"), body: map[string]any{"code": "123456"}, want: [4]int{401, 401, 401, 401}}},
		"POST /api/v1/auth/2fa/setup":              {{name: "needs a session", path: fixed("/api/v1/auth/2fa/setup"), want: [4]int{403, 403, 403, 401}}},
		"POST /api/v1/auth/2fa/enable":             {{name: "needs a session", path: fixed("/api/v1/auth/2fa/enable"), body: map[string]any{"code": "123456"}, want: [4]int{403, 403, 403, 401}}},
		"POST /api/v1/auth/2fa/disable":            {{name: "needs a session", path: fixed("/api/v1/auth/2fa/disable"), body: map[string]any{"password": "Another-Str0ng-Pass"}, want: [4]int{403, 403, 403, 401}}},
		"POST /api/v1/auth/2fa/recovery-codes":     {{name: "needs a session", path: fixed("/api/v1/auth/2fa/recovery-codes"), body: map[string]any{"password": "Another-Str0ng-Pass"}, want: [4]int{403, 403, 403, 401}}},
		"POST /api/v1/auth/sessions/revoke-others": {{name: "needs a session", path: fixed("/api/v1/auth/sessions/revoke-others"), want: [4]int{403, 403, 403, 401}}},
		"GET /api/v1/auth/sessions":                {{path: fixed("/api/v1/auth/sessions"), want: [4]int{200, 200, 200, 401}}},
		"DELETE /api/v1/auth/sessions/{id}": {{name: "a fresh session of the reseller", path: func(t *testing.T, who string) string {
			items := w.login(t, "reseller").do("GET", "/api/v1/auth/sessions", nil).expect(t, 200, "").body["items"].([]any)
			for _, it := range items {
				if s := it.(map[string]any); s["current"] == true {
					return "/api/v1/auth/sessions/" + s["id"].(string)
				}
			}
			t.Fatal("no current session listed")
			return ""
		}, want: [4]int{200, 200, 404, 401}}},
		"GET /api/v1/customers/{id}/sessions": {{path: fixed(p("/api/v1/customers/%d/sessions", cust)), want: [4]int{200, 403, 200, 401}}},
		"GET /api/v1/customers/{id}/logins":   {{path: fixed(p("/api/v1/customers/%d/logins", cust)), want: [4]int{200, 403, 200, 401}}},
		"DELETE /api/v1/customers/{id}/2fa": {
			{name: "none to remove", path: fixed(p("/api/v1/customers/%d/2fa", cust)), want: [4]int{409, 403, 403, 401}},
			{name: "a fresh enrolled account", path: func(t *testing.T, who string) string {
				u := p("tfa%d", w.next())
				acc := accountID(w.admin.do("POST", "/api/v1/customers", newCustomer(u)).expect(t, 201, ""))
				c := w.login(t, u)
				c.do("POST", "/api/v1/auth/2fa/setup", nil).expect(t, 200, "")
				c.do("POST", "/api/v1/auth/2fa/enable", map[string]any{"code": w.e.Code(t, acc, 0)}).expect(t, 200, "")
				return p("/api/v1/customers/%d/2fa", acc)
			}, want: [4]int{200, 403, 403, 401}},
		},

		"GET /api/v1/api-keys": {
			{name: "own", path: fixed("/api/v1/api-keys"), want: [4]int{200, 200, 200, 401}},
			{name: "another account's", path: fixed(p("/api/v1/api-keys?account_id=%d", w.resellerID)), want: [4]int{200, 200, 403, 401}},
		},
		"POST /api/v1/api-keys": {{path: fixed("/api/v1/api-keys"), body: map[string]any{"name": "more"}, want: [4]int{201, 201, 201, 401}}},
		"DELETE /api/v1/api-keys/{id}": {
			{name: "a fresh key of the caller", path: func(t *testing.T, who string) string {
				owner := w.admin
				if who == "reseller" {
					owner = w.reseller
				}
				if who == "customer" {
					return p("/api/v1/api-keys/%d", id(w.keys["customer"].do("POST", "/api/v1/api-keys", map[string]any{"name": "tmp"}).expect(t, 201, "")))
				}
				return p("/api/v1/api-keys/%d", id(owner.do("POST", "/api/v1/api-keys", map[string]any{"name": "tmp"}).expect(t, 201, "")))
			}, want: [4]int{200, 200, 200, 401}},
			{name: "the reseller's key", path: func(t *testing.T, who string) string {
				return p("/api/v1/api-keys/%d", id(w.reseller.do("POST", "/api/v1/api-keys", map[string]any{"name": "tmp"}).expect(t, 201, "")))
			}, want: [4]int{200, 200, 404, 401}},
		},
		"PATCH /api/v1/api-keys/{id}": {
			{name: "a fresh key of the caller", path: func(t *testing.T, who string) string {
				owner := w.admin
				switch who {
				case "reseller":
					owner = w.reseller
				case "customer":
					owner = w.keys["customer"]
				}
				return p("/api/v1/api-keys/%d", id(owner.do("POST", "/api/v1/api-keys", map[string]any{"name": "tmp"}).expect(t, 201, "")))
			}, body: map[string]any{"scopes": []string{"read"}, "allowed_ips": []string{"127.0.0.0/8"}}, want: [4]int{200, 200, 200, 401}},
			{name: "the reseller's key", path: func(t *testing.T, who string) string {
				return p("/api/v1/api-keys/%d", id(w.reseller.do("POST", "/api/v1/api-keys", map[string]any{"name": "tmp"}).expect(t, 201, "")))
			}, body: map[string]any{"name": "renamed"}, want: [4]int{200, 200, 404, 401}},
		},

		"GET /api/v1/webhooks": {{path: fixed("/api/v1/webhooks"), want: [4]int{200, 200, 403, 401}}},
		"POST /api/v1/webhooks": {{path: fixed("/api/v1/webhooks"), body: map[string]any{"url": "https://203.0.113.11/hook", "events": []string{"service.suspended"}},
			want: [4]int{201, 201, 403, 401}}},
		"GET /api/v1/webhooks/{id}": {{name: "the admin's", path: func(*testing.T, string) string { return p("/api/v1/webhooks/%d", w.webhook) },
			want: [4]int{200, 404, 403, 401}}},
		"PATCH /api/v1/webhooks/{id}": {{name: "the admin's", path: func(*testing.T, string) string { return p("/api/v1/webhooks/%d", w.webhook) },
			body: map[string]any{"active": true}, want: [4]int{200, 404, 403, 401}}},
		"DELETE /api/v1/webhooks/{id}": {{name: "a fresh one of the admin", path: func(t *testing.T, _ string) string {
			return p("/api/v1/webhooks/%d", id(w.admin.do("POST", "/api/v1/webhooks", map[string]any{"url": "https://203.0.113.12/hook", "events": []string{"mail.failed"}}).expect(t, 201, "")))
		}, want: [4]int{200, 404, 403, 401}}},
		"GET /api/v1/webhooks/{id}/deliveries": {{name: "the admin's", path: func(*testing.T, string) string { return p("/api/v1/webhooks/%d/deliveries", w.webhook) },
			want: [4]int{200, 404, 403, 401}}},
		"POST /api/v1/webhooks/{id}/test": {{name: "the admin's", path: func(*testing.T, string) string { return p("/api/v1/webhooks/%d/test", w.webhook) },
			want: [4]int{202, 404, 403, 401}}},
		"POST /api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver": {{name: "a delivery still queued", path: func(t *testing.T, _ string) string {
			d := id(w.admin.do("POST", p("/api/v1/webhooks/%d/test", w.webhook), nil).expect(t, 202, ""))
			return p("/api/v1/webhooks/%d/deliveries/%d/redeliver", w.webhook, d)
		}, want: [4]int{409, 404, 403, 401}}},
	}

	registered := patternsOf(t, httpapi.New(w.e.Panel, fstest.MapFS{}, slog.New(slog.NewTextHandler(io.Discard, nil))))
	seen := map[string]bool{}
	for _, pattern := range registered {
		seen[pattern] = true
		cases, ok := matrix[pattern]
		if !ok {
			t.Errorf("no authorization matrix row for %q", pattern)
			continue
		}
		method, _, _ := strings.Cut(pattern, " ")
		op := opByPattern(t, pattern)
		for _, mc := range cases {
			for _, kind := range append(keyKinds, scopedKindNames()...) {
				sk, scoped := scopedKinds[kind]
				if scoped && op.Access == ops.Public {
					continue // a public route takes no scope (and some throttle their client)
				}
				name := pattern + " " + mc.name + " with " + kind + " key"
				t.Run(name, func(t *testing.T) {
					var want int
					switch {
					case scoped && !sk.allows(op):
						want = 403
					case scoped:
						want = mc.want[map[string]int{"admin": 0, "reseller": 1}[sk.base]]
					case kind == "api_off", kind == "disabled":
						want = 403
					case kind == "revoked":
						want = 401
					default:
						want = mc.want[map[string]int{"admin": 0, "reseller": 1, "customer": 2, "none": 3}[kind]]
					}
					var got response
					if mc.send != nil {
						got = mc.send(w.keys[kind], mc.path(t, kind))
					} else {
						got = w.keys[kind].do(method, mc.path(t, kind), mc.body)
					}
					if got.status != want {
						t.Fatalf("status %d, want %d: %s", got.status, want, got.raw)
					}
					if scoped {
						sk.checkAnswer(t, op, got)
					}
					switch kind {
					case "api_off":
						got.expect(t, 403, "forbidden")
						if !strings.Contains(got.raw, "API access is off") {
							t.Fatalf("unclear: %s", got.raw)
						}
					case "disabled":
						if !strings.Contains(got.raw, "disabled") {
							t.Fatalf("unclear: %s", got.raw)
						}
					case "revoked":
						if !strings.Contains(got.raw, "revoked") {
							t.Fatalf("unclear: %s", got.raw)
						}
					}
				})
			}
		}
	}
	for pattern := range matrix {
		if !seen[pattern] {
			// Not an error: rows may land before their route (shared tree).
			// The OpenAPI test is the strict check that docs name real routes.
			t.Logf("matrix row for a route that is not registered: %q", pattern)
		}
	}
}

// TestAPIKeyOverHTTP: Bearer needs no CSRF header, never falls back to the
// cookie, the key is shown once, and unknown keys are throttled per client
// IP without ever refusing a valid key from that IP.
func TestAPIKeyOverHTTP(t *testing.T) {
	e := newServer(t)
	admin := e.client(t)
	adminID := accountID(admin.do("POST", "/api/v1/setup", setupBody).expect(t, 201, ""))
	admin.do("PATCH", fmt.Sprintf("/api/v1/customers/%d", adminID), map[string]any{"api_access": true}).expect(t, 200, "")
	created := admin.do("POST", "/api/v1/api-keys", map[string]any{"name": "ci"}).expect(t, 201, "")
	key := created.body["key"].(string)
	list := admin.do("GET", "/api/v1/api-keys", nil).expect(t, 200, "")
	if strings.Contains(list.raw, key) || strings.Contains(list.raw, `"key"`) || !strings.Contains(list.raw, created.body["prefix"].(string)) {
		t.Fatalf("list shows the key or lacks the prefix: %s", list.raw)
	}

	// An unsafe request with only the key: no X-Requested-With needed.
	api := e.keyClient(t, key)
	api.do("POST", "/api/v1/customers", newCustomer("bykey")).expect(t, 201, "")
	// "bearer" in any case is the same scheme.
	lower := e.keyClient(t, key)
	lower.header["Authorization"] = "bearer " + key
	lower.do("GET", "/api/v1/auth/me", nil).expect(t, 200, "")
	// Another scheme is refused clearly, not ignored.
	basic := e.keyClient(t, key)
	basic.header["Authorization"] = "Basic YWRtaW46eA=="
	if r := basic.do("GET", "/api/v1/auth/me", nil).expect(t, 401, "unauthorized"); !strings.Contains(r.raw, "Bearer") {
		t.Fatalf("unclear: %s", r.raw)
	}
	// A bad key next to a good cookie: the key decides, the cookie is not a fallback.
	admin.header["Authorization"] = "Bearer cdk_wrong"
	admin.do("GET", "/api/v1/auth/me", nil).expect(t, 401, "unauthorized")
	delete(admin.header, "Authorization")

	// Throttling is per remote IP: 127.0.0.2 guesses, 127.0.0.3 is unaffected.
	from := func(ip, k string) *client {
		c := e.keyClient(t, k)
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
		c.http = &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		}}}
		return c
	}
	guesser := from("127.0.0.2", "cdk_aaaaaaaa_guess")
	for i := 0; i < 5; i++ {
		guesser.do("GET", "/api/v1/auth/me", nil).expect(t, 401, "unauthorized")
	}
	guesser.do("GET", "/api/v1/auth/me", nil).expect(t, 429, "rate_limited")
	// A valid key is never refused for other clients' bad keys from its address.
	for i := 0; i < 30; i++ {
		guesser.do("GET", "/api/v1/auth/me", nil)
	}
	from("127.0.0.2", key).do("GET", "/api/v1/auth/me", nil).expect(t, 200, "")
	from("127.0.0.3", "cdk_aaaaaaaa_guess").do("GET", "/api/v1/auth/me", nil).expect(t, 401, "unauthorized")
	// The cookie door is not throttled by key guesses from the same address.
	admin.do("GET", "/api/v1/auth/me", nil).expect(t, 200, "")
}

// Scopes × routes: every route of the matrix is also called with keys
// narrowed by scopes, of the admin (full rights: only the scopes refuse)
// and of the reseller (the scopes never widen an account's rights). A
// scope that covers the route's area (and its write, if it writes) gets
// the same answer as the account's full-rights key; any other is refused
// with 403 forbidden naming the scope the route needs, before the route
// runs. Managing API keys and webhooks needs a key without scopes.
type scopedKind struct {
	base   string // the account: admin or reseller
	scopes []string
}

var scopedKinds = func() map[string]scopedKind {
	out := map[string]scopedKind{
		"admin read":              {"admin", []string{"read"}},
		"reseller read":           {"reseller", []string{"read"}},
		"reseller services:write": {"reseller", []string{"customers:write", "services:write"}},
	}
	var every []string
	for _, a := range panel.ScopeAreas {
		out["admin "+string(a)+":read"] = scopedKind{"admin", []string{string(a) + ":read"}}
		if a != panel.AreaAudit {
			out["admin "+string(a)+":write"] = scopedKind{"admin", []string{string(a) + ":write"}}
			every = append(every, string(a)+":write")
		}
	}
	out["admin every write scope"] = scopedKind{"admin", append(every, "audit:read")}
	return out
}()

func scopedKindNames() []string {
	var names []string
	for n := range scopedKinds {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// addScopedKeys makes a key of every scoped kind.
func (w *keyWorld) addScopedKeys(t *testing.T) {
	t.Helper()
	for name, sk := range scopedKinds {
		owner := w.admin
		if sk.base == "reseller" {
			owner = w.reseller
		}
		res := owner.do("POST", "/api/v1/api-keys", map[string]any{"name": name, "scopes": sk.scopes}).expect(t, 201, "")
		w.keys[name] = w.e.keyClient(t, res.body["key"].(string))
	}
}

// allows is the rule of docs/api.md ("Scopes"), written out on its own.
func (sk scopedKind) allows(op *ops.Op) bool {
	area := op.KeyScope()
	switch area {
	case "", panel.AreaAnyKey:
		return true
	case panel.AreaFullKey:
		return false
	}
	for _, s := range sk.scopes {
		if s == string(area)+":write" || (!op.Writes() && (s == "read" || s == string(area)+":read")) {
			return true
		}
	}
	return false
}

// checkAnswer: a refusal by scope names the scope the route needs.
func (sk scopedKind) checkAnswer(t *testing.T, op *ops.Op, got response) {
	t.Helper()
	if sk.allows(op) {
		if fields, _ := got.body["fields"].(map[string]any); fields["scope"] != nil {
			t.Fatalf("refused by scope although %v covers it: %s", sk.scopes, got.raw)
		}
		return
	}
	got.expect(t, 403, "forbidden")
	fields, _ := got.body["fields"].(map[string]any)
	params, _ := got.body["params"].(map[string]any)
	if op.KeyScope() == panel.AreaFullKey {
		if fields["scope"] != "needs_full_key" {
			t.Fatalf("want needs_full_key: %s", got.raw)
		}
		return
	}
	need := panel.ScopeName(op.KeyScope(), op.Writes())
	scope, _ := params["scope"].(map[string]any)
	if fields["scope"] != "missing_scope" || scope["required"] != need || !strings.Contains(got.raw, need) {
		t.Fatalf("want missing_scope %s: %s", need, got.raw)
	}
}

func opByPattern(t *testing.T, pattern string) *ops.Op {
	t.Helper()
	for _, o := range ops.All() {
		if o.OnHTTP() && o.HTTPPattern() == pattern {
			return o
		}
	}
	t.Fatalf("no operation for %q", pattern)
	return nil
}
