package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

func (c *client) cookie(name string) *http.Cookie {
	u, _ := url.Parse(c.base + "/api/v1/auth/login")
	for _, k := range c.http.Jar.Cookies(u) {
		if k.Name == name {
			return k
		}
	}
	return nil
}

func login(c *client, user, pw string) response {
	return c.do("POST", "/api/v1/auth/login", map[string]any{"username": user, "password": pw})
}

// TestDeviceTokenKeepsTheOwnerIn: an attacker who spends wrong passwords on
// an account locks out untrusted attempts only. The owner's browser, which
// logged in there before and so carries a castdesk_device cookie, logs in
// at once; the same owner from a browser without it waits like everybody
// else. All clients share one address (NAT, a proxy), so no per-address
// rule could tell them apart. Through the real HTTP door.
func TestDeviceTokenKeepsTheOwnerIn(t *testing.T) {
	e := newServer(t)
	admin := e.client(t)
	admin.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")
	admin.do("POST", "/api/v1/customers", map[string]any{"username": "dora", "name": "Dora", "email": "dora@example.org",
		"password": testkit.StrongPassword, "password_confirm": testkit.StrongPassword}).expect(t, 201, "")

	owner := e.client(t)
	res := login(owner, "dora", testkit.StrongPassword).expect(t, 200, "")
	var set string
	for _, v := range res.header.Values("Set-Cookie") {
		if strings.HasPrefix(v, "castdesk_device=") {
			set = v
		}
	}
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/api/v1/auth/", "Max-Age="} {
		if !strings.Contains(set, want) {
			t.Fatalf("device cookie %q lacks %s", set, want)
		}
	}
	if strings.Contains(res.raw, owner.cookie("castdesk_device").Value) {
		t.Fatal("the device token is in the body, where scripts read it")
	}
	owner.do("POST", "/api/v1/auth/logout", nil).expect(t, 200, "")

	// The attacker: wrong passwords until locked, then even the right one is refused.
	attacker := e.client(t)
	for i := 0; i < 5; i++ {
		login(attacker, "dora", fmt.Sprintf("guess-%d-wrong", i)).expect(t, 401, "unauthorized")
	}
	for i := 0; i < 20; i++ {
		login(attacker, "dora", "guess-wrong").expect(t, 429, "rate_limited")
	}
	login(attacker, "dora", testkit.StrongPassword).expect(t, 429, "rate_limited")

	// The owner, from the browser it logged in from: in at once.
	login(owner, "dora", testkit.StrongPassword).expect(t, 200, "")
	owner.do("GET", "/api/v1/auth/me", nil).expect(t, 200, "")
	// Without the device cookie (another browser), the owner waits.
	elsewhere := e.client(t)
	login(elsewhere, "dora", testkit.StrongPassword).expect(t, 429, "rate_limited")
	// A token that is forged, expired-looking, or another account's is no help.
	forged := e.client(t)
	tok := owner.cookie("castdesk_device").Value
	forged.http.Jar.SetCookies(mustURL(forged.base+"/api/v1/auth/"), []*http.Cookie{{Name: "castdesk_device", Value: tok[:len(tok)-2] + "AA", Path: "/api/v1/auth/"}})
	login(forged, "dora", testkit.StrongPassword).expect(t, 429, "rate_limited")
	adminTok := admin.cookie("castdesk_device")
	if adminTok == nil {
		t.Fatal("setup set no device cookie")
	}
	other := e.client(t)
	other.http.Jar.SetCookies(mustURL(other.base+"/api/v1/auth/"), []*http.Cookie{{Name: "castdesk_device", Value: adminTok.Value, Path: "/api/v1/auth/"}})
	login(other, "dora", testkit.StrongPassword).expect(t, 429, "rate_limited")

	// A trusted browser has its own budget: its own wrong passwords throttle it, not the others.
	owner.do("POST", "/api/v1/auth/logout", nil).expect(t, 200, "")
	for i := 0; i < 5; i++ {
		login(owner, "dora", "my-typo-again").expect(t, 401, "unauthorized")
	}
	login(owner, "dora", testkit.StrongPassword).expect(t, 429, "rate_limited")
	// One browser keeps the tokens of several accounts.
	login(admin, "admin", testkit.StrongPassword).expect(t, 200, "")
	if v := admin.cookie("castdesk_device").Value; strings.Count(v, "~") != 0 {
		t.Fatalf("admin's browser: %q", v)
	}
	e.Clock.Advance(time.Hour)
	login(admin, "dora", testkit.StrongPassword).expect(t, 200, "")
	if v := admin.cookie("castdesk_device").Value; strings.Count(v, "~") != 1 {
		t.Fatalf("one browser, two accounts: %q", v)
	}

}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// TestTwoThousandBadLoginsLeaveFewAuditRows: 2,000 failed logins in a row
// over HTTP (before: 1,999 audit rows, for ever) leave a handful of counted
// rows whose counts add up to 2,000.
func TestTwoThousandBadLoginsLeaveFewAuditRows(t *testing.T) {
	e := newServer(t)
	admin := e.client(t)
	admin.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")
	before := auditCount(t, e)
	attacker := e.client(t)
	const n = 2000
	for i := 0; i < n; i++ {
		user := "admin"
		if i%100 == 0 {
			user = fmt.Sprintf("ghost%d", i) // unknown usernames too
		}
		r := login(attacker, user, "wrong-password")
		if r.status != 401 && r.status != 429 {
			t.Fatalf("attempt %d: %d %s", i, r.status, r.raw)
		}
	}
	rows, total := auditCount(t, e)-before, 0
	page := admin.do("GET", "/api/v1/audit?event=login&limit=200", nil).expect(t, 200, "")
	for _, it := range page.body["items"].([]any) {
		total += int(it.(map[string]any)["count"].(float64))
	}
	t.Logf("%d failed logins: %d audit rows, counts adding up to %d", n, rows, total)
	if rows > 6 || total != n {
		t.Fatalf("%d failed logins left %d audit rows (counts %d)", n, rows, total)
	}
}

func auditCount(t *testing.T, e *env) int {
	t.Helper()
	var n int
	if err := e.Store.Write(context.Background(), func(tx panel.Tx) error {
		page, err := tx.ListAudit(context.Background(), panel.AuditQuery{Limit: 100000})
		n = len(page.Items)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCrossSiteUnsafeRequestsAreRefused: a browser request whose Origin is
// another host, or that says Sec-Fetch-Site: cross-site, is refused even
// with the X-Requested-With header; the same origin, no Origin at all (API
// clients, curl) and safe methods pass. Same origin is the request's Host
// (the scheme is not compared: behind a TLS proxy the server cannot see it).
func TestCrossSiteUnsafeRequestsAreRefused(t *testing.T) {
	e := newServer(t)
	c := e.client(t)
	c.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")
	host := strings.TrimPrefix(e.srv.URL, "http://")
	patch := map[string]any{"password_min_length": 9}
	for _, h := range []map[string]string{
		{"Origin": "https://evil.example"},
		{"Origin": "http://" + host + ".evil.example"},
		{"Origin": "null"},
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "http://" + host, "Sec-Fetch-Site": "cross-site"},
	} {
		for k, v := range h {
			c.header[k] = v
		}
		r := c.do("PATCH", "/api/v1/settings", patch).expect(t, 403, "forbidden")
		if !strings.Contains(r.raw, "Cross-site") {
			t.Fatalf("%v: %s", h, r.raw)
		}
		c.do("POST", "/api/v1/auth/login", map[string]any{"username": "admin", "password": testkit.StrongPassword}).expect(t, 403, "forbidden")
		c.do("GET", "/api/v1/settings", nil).expect(t, 200, "") // reading is not refused
		for k := range h {
			delete(c.header, k)
		}
	}
	if s := c.do("GET", "/api/v1/settings", nil); s.body["password_min_length"] == float64(9) {
		t.Fatal("a cross-site request changed the settings")
	}
	for _, h := range []map[string]string{
		{"Origin": "http://" + host},
		{"Origin": "HTTP://" + strings.ToUpper(host)},
		{"Sec-Fetch-Site": "same-origin"},
		{},
	} {
		for k, v := range h {
			c.header[k] = v
		}
		c.do("PATCH", "/api/v1/settings", patch).expect(t, 200, "")
		for k := range h {
			delete(c.header, k)
		}
	}
}

// TestResellerCannotLiftAnAdminSuspensionOverHTTP: the reported request,
// POST /services/{id}/unsuspend by the reseller after an admin's
// suspension, answered 200; now 403 forbidden with fields.status =
// set_by_higher_level, and DELETE is refused the same way.
func TestResellerCannotLiftAnAdminSuspensionOverHTTP(t *testing.T) {
	e := newServer(t)
	admin := e.client(t)
	admin.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")
	plan := admin.do("POST", "/api/v1/plans", map[string]any{"name": "Bronze"}).expect(t, 201, "")
	admin.do("POST", "/api/v1/customers", map[string]any{"username": "res", "name": "Res", "email": "res@example.org",
		"password": testkit.StrongPassword, "password_confirm": testkit.StrongPassword, "reseller_plan_id": plan.body["id"]}).expect(t, 201, "")
	reseller := e.client(t)
	login(reseller, "res", testkit.StrongPassword).expect(t, 200, "")
	cust := reseller.do("POST", "/api/v1/customers", map[string]any{"username": "cust", "name": "Cust", "email": "c@example.org",
		"password": testkit.StrongPassword, "password_confirm": testkit.StrongPassword}).expect(t, 201, "")
	custID := cust.body["account"].(map[string]any)["id"]
	svc := reseller.do("POST", "/api/v1/services", map[string]any{"owner_id": custID, "name": "Radio", "type": "icecast"}).expect(t, 201, "")
	id := int64(svc.body["id"].(float64))

	s := admin.do("POST", fmt.Sprintf("/api/v1/services/%d/suspend", id), map[string]any{"reason": "abuse"}).expect(t, 200, "")
	if s.body["suspended_by_level"] != "admin" {
		t.Fatalf("suspend: %s", s.raw)
	}
	for _, r := range []response{
		reseller.do("POST", fmt.Sprintf("/api/v1/services/%d/unsuspend", id), nil),
		reseller.do("DELETE", fmt.Sprintf("/api/v1/services/%d", id), nil),
	} {
		r.expect(t, 403, "forbidden")
		if r.field("status") != "set_by_higher_level" {
			t.Fatalf("refusal: %s", r.raw)
		}
	}
	r := admin.do("POST", fmt.Sprintf("/api/v1/services/%d/unsuspend", id), nil).expect(t, 200, "")
	if r.body["suspended_by_level"] != nil || r.body["status"] != "active" {
		t.Fatalf("admin lifted: %s", r.raw)
	}
}
