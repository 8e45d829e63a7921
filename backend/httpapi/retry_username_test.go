package httpapi_test

import (
	"fmt"
	"net/url"
	"strconv"
	"testing"
	"time"

	"castdesk/backend/testkit"
)

// TestRateLimitedSaysHowLongToWait: a throttled login answers 429 with the
// wait as the retry field's params {seconds} (what the SPA says in the
// user's language) and as Retry-After, both the wait left, rounded up.
func TestRateLimitedSaysHowLongToWait(t *testing.T) {
	e := newServer(t)
	admin := e.client(t)
	admin.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")
	admin.do("POST", "/api/v1/customers", map[string]any{"username": "dora", "name": "Dora", "email": "dora@example.org",
		"password": testkit.StrongPassword, "password_confirm": testkit.StrongPassword}).expect(t, 201, "")
	c := e.client(t)
	for i := 0; i < 5; i++ {
		login(c, "dora", fmt.Sprintf("guess-%d-wrong", i)).expect(t, 401, "unauthorized")
	}
	th, err := e.Store.LoginThrottle(t.Context(), "dora")
	if err != nil {
		t.Fatal(err)
	}
	left := th.Until.Sub(e.Clock.Now())
	want := int((left + time.Second - 1) / time.Second)
	r := login(c, "dora", testkit.StrongPassword).expect(t, 429, "rate_limited")
	if r.field("retry") != "too_many_attempts" {
		t.Fatalf("fields: %s", r.raw)
	}
	params, _ := r.body["params"].(map[string]any)
	retry, _ := params["retry"].(map[string]any)
	if got, _ := retry["seconds"].(float64); int(got) != want || want < 1 {
		t.Fatalf("params %s, want %d seconds", r.raw, want)
	}
	if r.header.Get("Retry-After") != strconv.Itoa(want) {
		t.Fatalf("Retry-After %q, want %d", r.header.Get("Retry-After"), want)
	}
	// Other refusals carry no Retry-After.
	if h := login(e.client(t), "nobody", "x-wrong-password").expect(t, 401, "").header.Get("Retry-After"); h != "" {
		t.Fatalf("Retry-After on a 401: %q", h)
	}
}

// TestUsernameCheck: GET /customers/username-check says, before a form is
// sent, the reason a create or update would give for the username (taken,
// case folded; too short with its params) or available (a free name, or the
// account's own); only administrators and resellers may ask, and a reseller
// only about its own customers.
func TestUsernameCheck(t *testing.T) {
	e := newServer(t)
	admin := e.client(t)
	admin.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")
	mk := func(body map[string]any) int {
		body["password"], body["password_confirm"] = testkit.StrongPassword, testkit.StrongPassword
		r := admin.do("POST", "/api/v1/customers", body).expect(t, 201, "")
		acc, _ := r.body["account"].(map[string]any)
		id, _ := acc["id"].(float64)
		return int(id)
	}
	dora := mk(map[string]any{"username": "dora", "name": "Dora", "email": "dora@example.org"})
	plan := admin.do("POST", "/api/v1/plans", map[string]any{"name": "Bronze"}).expect(t, 201, "")
	rita := mk(map[string]any{"username": "rita", "name": "Rita", "email": "rita@example.org", "reseller_plan_id": plan.body["id"]})
	check := func(c *client, q url.Values) response {
		return c.do("GET", "/api/v1/customers/username-check?"+q.Encode(), nil)
	}
	r := check(admin, url.Values{"username": {"  DORA "}}).expect(t, 200, "")
	if r.body["available"] != false || r.body["reason"] != "taken" || r.body["username"] != "DORA" {
		t.Fatalf("taken: %s", r.raw)
	}
	r = check(admin, url.Values{"username": {"dora"}, "id": {strconv.Itoa(dora)}}).expect(t, 200, "")
	if r.body["available"] != true || r.body["reason"] != nil {
		t.Fatalf("its own name: %s", r.raw)
	}
	r = check(admin, url.Values{"username": {"dora"}, "id": {strconv.Itoa(rita)}}).expect(t, 200, "")
	if r.body["reason"] != "taken" {
		t.Fatalf("another's name on update: %s", r.raw)
	}
	r = check(admin, url.Values{"username": {"x"}}).expect(t, 200, "")
	if p, _ := r.body["params"].(map[string]any); r.body["reason"] != "too_short" || p["min"] == nil {
		t.Fatalf("too short: %s", r.raw)
	}
	if r = check(admin, url.Values{"username": {"free-name"}}).expect(t, 200, ""); r.body["available"] != true {
		t.Fatalf("free: %s", r.raw)
	}
	check(admin, url.Values{"username": {"dora"}, "id": {"999"}}).expect(t, 404, "not_found")

	// A customer may not ask; a reseller only about its own customers.
	cust := e.client(t)
	login(cust, "dora", testkit.StrongPassword).expect(t, 200, "")
	if r = check(cust, url.Values{"username": {"rita"}}).expect(t, 403, "forbidden"); r.field("username") != "forbidden" {
		t.Fatalf("customer: %s", r.raw)
	}
	res := e.client(t)
	login(res, "rita", testkit.StrongPassword).expect(t, 200, "")
	if r = check(res, url.Values{"username": {"dora"}}).expect(t, 200, ""); r.body["reason"] != "taken" {
		t.Fatalf("reseller, new customer: %s", r.raw)
	}
	own := res.do("POST", "/api/v1/customers", map[string]any{"username": "cust", "name": "Cust", "email": "c@example.org",
		"password": testkit.StrongPassword, "password_confirm": testkit.StrongPassword}).expect(t, 201, "")
	ownAcc, _ := own.body["account"].(map[string]any)
	ownID, _ := ownAcc["id"].(float64)
	if r = check(res, url.Values{"username": {"cust"}, "id": {strconv.Itoa(int(ownID))}}).expect(t, 200, ""); r.body["available"] != true {
		t.Fatalf("reseller, its customer's own name: %s", r.raw)
	}
	check(res, url.Values{"username": {"dora2"}, "id": {strconv.Itoa(dora)}}).expect(t, 404, "not_found")
	check(res, url.Values{"username": {"rita2"}, "id": {strconv.Itoa(rita)}}).expect(t, 403, "forbidden")
}
