package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestAuthorizationMatrix drives every plans, services, customers and
// account-security route as admin, reseller, the reseller's customer, an
// unrelated customer and nobody, and checks the status each one gets.
func TestAuthorizationMatrix(t *testing.T) {
	e := newServer(t)
	admin := e.client(t)
	admin.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")
	plan := admin.do("POST", "/api/v1/plans", map[string]any{"name": "Gold", "server_limit": 10}).expect(t, 201, "")
	planID := int64(plan.body["id"].(float64))
	reseller := newCustomer("reseller")
	reseller["reseller_plan_id"] = planID
	resellerID := accountID(admin.do("POST", "/api/v1/customers", reseller).expect(t, 201, ""))
	other := accountID(admin.do("POST", "/api/v1/customers", newCustomer("other")).expect(t, 201, ""))

	login := func(u string) *client {
		c := e.client(t)
		c.do("POST", "/api/v1/auth/login", map[string]any{"username": u, "password": "Another-Str0ng-Pass"}).expect(t, 200, "")
		return c
	}
	res := login("reseller")
	cust := accountID(res.do("POST", "/api/v1/customers", newCustomer("cust")).expect(t, 201, ""))
	svcBody := func(owner int64) map[string]any {
		return map[string]any{"owner_id": owner, "name": "Radio", "type": "icecast", "max_connections": 10, "bitrate_kbps": 128, "data_transfer_mb": 100}
	}
	custSvc := int64(res.do("POST", "/api/v1/services", svcBody(cust)).expect(t, 201, "").body["id"].(float64))
	otherSvc := int64(admin.do("POST", "/api/v1/services", svcBody(other)).expect(t, 201, "").body["id"].(float64))
	callers := map[string]*client{"admin": admin, "reseller": res, "customer": login("cust"), "other": login("other"), "anon": e.client(t)}

	type row struct {
		method, path string
		body         any
		want         map[string]int // caller -> status; missing callers expect the "default"
	}
	all := func(admin, reseller, customer, other, anon int) map[string]int {
		return map[string]int{"admin": admin, "reseller": reseller, "customer": customer, "other": other, "anon": anon}
	}
	// noAdmin leaves the admin out: its call would change what the others see.
	noAdmin := func(reseller, customer, other, anon int) map[string]int {
		m := all(0, reseller, customer, other, anon)
		delete(m, "admin")
		return m
	}
	p := func(format string, a ...any) string { return fmt.Sprintf(format, a...) }
	rows := []row{
		{"GET", "/api/v1/plans", nil, all(200, 403, 403, 403, 401)},
		{"POST", "/api/v1/plans", map[string]any{"name": "X"}, all(201, 403, 403, 403, 401)},
		{"GET", p("/api/v1/plans/%d", planID), nil, all(200, 200, 404, 404, 401)},
		{"PATCH", p("/api/v1/plans/%d", planID), map[string]any{"max_connections": 500}, all(200, 403, 403, 403, 401)},
		{"DELETE", p("/api/v1/plans/%d", planID), nil, all(409, 403, 403, 403, 401)},

		{"GET", "/api/v1/services", nil, all(200, 200, 200, 200, 401)},
		{"GET", "/api/v1/services/next-port", nil, all(200, 200, 403, 403, 401)},
		{"POST", "/api/v1/services", svcBody(cust), all(201, 201, 403, 403, 401)},
		{"GET", p("/api/v1/services/%d", custSvc), nil, all(200, 200, 200, 404, 401)},
		{"GET", p("/api/v1/services/%d", otherSvc), nil, all(200, 404, 404, 200, 401)},
		{"PATCH", p("/api/v1/services/%d", custSvc), map[string]any{"name": "Renamed"}, all(200, 200, 403, 403, 401)},
		{"PATCH", p("/api/v1/services/%d", otherSvc), map[string]any{"name": "Renamed"}, all(200, 404, 403, 403, 401)},
		// Suspensions: the reseller lifts its own; only an admin lifts the admin's.
		{"POST", p("/api/v1/services/%d/suspend", custSvc), map[string]any{"reason": "test"}, noAdmin(200, 403, 403, 401)},
		{"POST", p("/api/v1/services/%d/unsuspend", custSvc), nil, noAdmin(200, 403, 403, 401)},
		{"POST", p("/api/v1/services/%d/suspend", custSvc), map[string]any{"reason": "test"}, map[string]int{"admin": 200}},
		{"POST", p("/api/v1/services/%d/unsuspend", custSvc), nil, map[string]int{"reseller": 403}},
		{"DELETE", p("/api/v1/services/%d", custSvc), nil, map[string]int{"reseller": 403}},
		{"POST", p("/api/v1/services/%d/unsuspend", custSvc), nil, map[string]int{"admin": 200}},
		{"POST", p("/api/v1/services/%d/suspend", otherSvc), map[string]any{"reason": "test"}, all(200, 404, 403, 403, 401)},

		{"GET", "/api/v1/customers", nil, all(200, 200, 200, 200, 401)},
		{"POST", "/api/v1/customers", nil, all(400, 400, 403, 403, 401)}, // body filled per caller below
		{"GET", p("/api/v1/customers/%d", cust), nil, all(200, 200, 200, 404, 401)},
		{"GET", p("/api/v1/customers/%d", other), nil, all(200, 404, 404, 200, 401)},
		{"GET", p("/api/v1/customers/%d", resellerID), nil, all(200, 200, 404, 404, 401)},
		{"PATCH", p("/api/v1/customers/%d", cust), map[string]any{"contact_number": "1"}, all(200, 200, 200, 404, 401)},
		{"PATCH", p("/api/v1/customers/%d", other), map[string]any{"contact_number": "1"}, all(200, 404, 404, 200, 401)},
		{"PATCH", p("/api/v1/customers/%d", cust), map[string]any{"reseller_plan_id": planID}, all(200, 403, 403, 404, 401)},
		{"GET", p("/api/v1/customers/%d/delete-preview", cust), nil, all(200, 200, 403, 404, 401)},
		{"GET", p("/api/v1/customers/%d/delete-preview", other), nil, all(200, 404, 404, 403, 401)},
		{"PUT", p("/api/v1/customers/%d/password", cust), map[string]any{"password": "short"}, all(400, 400, 403, 404, 401)},
		{"DELETE", p("/api/v1/customers/%d?confirm=nope", other), nil, all(400, 404, 404, 403, 401)},

		// Account security: own sessions for everyone, another account's for admins only.
		{"GET", "/api/v1/auth/sessions", nil, all(200, 200, 200, 200, 401)},
		{"GET", p("/api/v1/customers/%d/sessions", cust), nil, all(200, 403, 200, 404, 401)},
		{"GET", p("/api/v1/customers/%d/sessions", resellerID), nil, all(200, 200, 404, 404, 401)},
		{"GET", p("/api/v1/customers/%d/logins", other), nil, all(200, 404, 404, 200, 401)},
		{"GET", p("/api/v1/customers/%d/logins", cust), nil, all(200, 403, 200, 404, 401)},
		{"DELETE", "/api/v1/auth/sessions/0123456789abcdef01", nil, all(404, 404, 404, 404, 401)},
		{"POST", "/api/v1/auth/sessions/revoke-others", nil, all(200, 200, 200, 200, 401)},
		{"DELETE", p("/api/v1/customers/%d/2fa", cust), nil, all(409, 403, 403, 403, 401)},
		{"POST", "/api/v1/auth/login/2fa", map[string]any{"code": "123456"}, all(401, 401, 401, 401, 401)},
		{"POST", "/api/v1/auth/2fa/enable", map[string]any{"code": "123456"}, all(409, 409, 409, 409, 401)},
		{"POST", "/api/v1/auth/2fa/disable", map[string]any{"password": "x"}, all(409, 409, 409, 409, 401)},
		{"POST", "/api/v1/auth/2fa/recovery-codes", map[string]any{"password": "x"}, all(409, 409, 409, 409, 401)},
		{"POST", "/api/v1/auth/2fa/setup", nil, all(200, 200, 200, 200, 401)},
	}
	for _, r := range rows {
		for who, want := range r.want {
			t.Run(r.method+" "+r.path+" as "+who, func(t *testing.T) {
				body := r.body
				if r.method == "POST" && strings.HasSuffix(r.path, "/customers") {
					body = map[string]any{"username": "x"} // invalid on purpose: authorization comes first
				}
				got := callers[who].do(r.method, r.path, body)
				if got.status != want {
					t.Fatalf("status %d, want %d: %s", got.status, want, got.raw)
				}
			})
		}
	}
}
