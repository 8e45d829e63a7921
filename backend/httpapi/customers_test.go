package httpapi_test

import (
	"fmt"
	"net/url"
	"testing"
)

func accountID(r response) int64 {
	acc, _ := r.body["account"].(map[string]any)
	id, _ := acc["id"].(float64)
	return int64(id)
}

func newCustomer(username string) map[string]any {
	return map[string]any{"username": username, "name": "Name " + username, "email": username + "@example.org",
		"password": "Another-Str0ng-Pass", "password_confirm": "Another-Str0ng-Pass", "timezone": "Europe/Madrid"}
}

func TestCustomerRoutes(t *testing.T) {
	e := newServer(t)
	admin := e.client(t)
	admin.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")

	// Create: per-field errors, then success.
	bad := newCustomer("x")
	bad["email"], bad["password_confirm"], bad["timezone"] = "nope", "different", "Nowhere/City"
	r := admin.do("POST", "/api/v1/customers", bad).expect(t, 400, "invalid")
	for f, want := range map[string]string{"username": "too_short", "email": "invalid_email", "password_confirm": "mismatch", "timezone": "unknown_timezone"} {
		if r.field(f) != want {
			t.Errorf("%s: %q, want %q (%s)", f, r.field(f), want, r.raw)
		}
	}
	created := admin.do("POST", "/api/v1/customers", newCustomer("carol")).expect(t, 201, "")
	carol := accountID(created)
	if carol == 0 {
		t.Fatalf("create: %s", created.raw)
	}
	admin.do("POST", "/api/v1/customers", newCustomer("CAROL")).expect(t, 400, "invalid")
	dave := accountID(admin.do("POST", "/api/v1/customers", newCustomer("dave")).expect(t, 201, ""))

	// List with search, filter, sort and a cursor.
	list := admin.do("GET", "/api/v1/customers?q=caro&sort=-name&limit=10", nil).expect(t, 200, "")
	if list.body["total"] != float64(1) {
		t.Fatalf("search: %s", list.raw)
	}
	page1 := admin.do("GET", "/api/v1/customers?limit=2&sort=username", nil).expect(t, 200, "")
	next, _ := page1.body["next_cursor"].(string)
	if page1.body["total"] != float64(3) || next == "" {
		t.Fatalf("page 1: %s", page1.raw)
	}
	page2 := admin.do("GET", "/api/v1/customers?limit=2&sort=username&cursor="+url.QueryEscape(next), nil).expect(t, 200, "")
	if items := page2.body["items"].([]any); len(items) != 1 || page2.body["next_cursor"] != "" {
		t.Fatalf("page 2: %s", page2.raw)
	}
	admin.do("GET", "/api/v1/customers?limit=abc", nil).expect(t, 400, "invalid")
	admin.do("GET", "/api/v1/customers?sort=password_hash", nil).expect(t, 400, "invalid")

	// Overview and manage.
	ov := admin.do("GET", fmt.Sprintf("/api/v1/customers/%d", carol), nil).expect(t, 200, "")
	for _, k := range []string{"account", "services", "reseller_usage", "media", "mail"} {
		if _, ok := ov.body[k]; !ok {
			t.Fatalf("overview lacks %s: %s", k, ov.raw)
		}
	}
	admin.do("PATCH", fmt.Sprintf("/api/v1/customers/%d", carol), map[string]any{"email": "bad"}).expect(t, 400, "invalid")
	upd := admin.do("PATCH", fmt.Sprintf("/api/v1/customers/%d", carol), map[string]any{"name": "Carol C.", "contact_number": "+1 555"}).expect(t, 200, "")
	if acc := upd.body["account"].(map[string]any); acc["name"] != "Carol C." || acc["email"] != "carol@example.org" {
		t.Fatalf("patch: %s", upd.raw)
	}
	admin.do("GET", "/api/v1/customers/99999", nil).expect(t, 404, "not_found")

	// A customer sees only itself.
	cust := e.client(t)
	cust.do("POST", "/api/v1/auth/login", map[string]any{"username": "carol", "password": "Another-Str0ng-Pass"}).expect(t, 200, "")
	own := cust.do("GET", "/api/v1/customers", nil).expect(t, 200, "")
	if own.body["total"] != float64(1) {
		t.Fatalf("customer list: %s", own.raw)
	}
	cust.do("GET", fmt.Sprintf("/api/v1/customers/%d", carol), nil).expect(t, 200, "")
	cust.do("GET", fmt.Sprintf("/api/v1/customers/%d", dave), nil).expect(t, 404, "not_found")
	cust.do("GET", "/api/v1/customers/1", nil).expect(t, 404, "not_found")
	cust.do("PATCH", fmt.Sprintf("/api/v1/customers/%d", dave), map[string]any{"name": "x"}).expect(t, 404, "not_found")
	cust.do("PATCH", fmt.Sprintf("/api/v1/customers/%d", carol), map[string]any{"level": "admin"}).expect(t, 403, "forbidden")
	cust.do("POST", "/api/v1/customers", newCustomer("eve")).expect(t, 403, "forbidden")
	cust.do("GET", fmt.Sprintf("/api/v1/customers/%d/delete-preview", dave), nil).expect(t, 404, "not_found")
	cust.do("DELETE", fmt.Sprintf("/api/v1/customers/%d?confirm=dave", dave), nil).expect(t, 404, "not_found")
	cust.do("PUT", fmt.Sprintf("/api/v1/customers/%d/password", carol), map[string]any{"password": "Yet-An0ther-Pass", "password_confirm": "Yet-An0ther-Pass"}).expect(t, 403, "forbidden")

	// Disable: the live session ends at its next call and login is refused.
	admin.do("PATCH", fmt.Sprintf("/api/v1/customers/%d", carol), map[string]any{"status": "disabled"}).expect(t, 200, "")
	cust.do("GET", "/api/v1/auth/me", nil).expect(t, 401, "unauthorized")
	cust.do("POST", "/api/v1/auth/login", map[string]any{"username": "carol", "password": "Another-Str0ng-Pass"}).expect(t, 401, "unauthorized")

	// Manual password reset by the admin.
	admin.do("PUT", fmt.Sprintf("/api/v1/customers/%d/password", dave), map[string]any{"password": "short", "password_confirm": "short"}).expect(t, 400, "invalid")
	admin.do("PUT", fmt.Sprintf("/api/v1/customers/%d/password", dave), map[string]any{"password": "Yet-An0ther-Pass", "password_confirm": "Yet-An0ther-Pass"}).expect(t, 200, "")
	e.client(t).do("POST", "/api/v1/auth/login", map[string]any{"username": "dave", "password": "Yet-An0ther-Pass"}).expect(t, 200, "")

	// Delete: preview, wrong confirmation, then for real.
	pv := admin.do("GET", fmt.Sprintf("/api/v1/customers/%d/delete-preview", carol), nil).expect(t, 200, "")
	for _, k := range []string{"services", "files", "bytes", "customers_reassigned"} {
		if _, ok := pv.body[k]; !ok {
			t.Fatalf("preview lacks %s: %s", k, pv.raw)
		}
	}
	admin.do("DELETE", fmt.Sprintf("/api/v1/customers/%d", carol), nil).expect(t, 400, "invalid")
	admin.do("DELETE", fmt.Sprintf("/api/v1/customers/%d?confirm=Carol", carol), nil).expect(t, 400, "invalid")
	admin.do("DELETE", fmt.Sprintf("/api/v1/customers/%d?confirm=carol", carol), nil).expect(t, 200, "")
	admin.do("GET", fmt.Sprintf("/api/v1/customers/%d", carol), nil).expect(t, 404, "not_found")
	admin.do("DELETE", "/api/v1/customers/1?confirm=admin", nil).expect(t, 403, "forbidden")

	// Nobody logged in: 401 everywhere.
	anon := e.client(t)
	for _, p := range []string{"/api/v1/customers", fmt.Sprintf("/api/v1/customers/%d", dave), fmt.Sprintf("/api/v1/customers/%d/delete-preview", dave)} {
		anon.do("GET", p, nil).expect(t, 401, "unauthorized")
	}
	anon.do("POST", "/api/v1/customers", newCustomer("zed")).expect(t, 401, "unauthorized")
}
