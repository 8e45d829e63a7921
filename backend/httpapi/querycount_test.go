package httpapi_test

import (
	"fmt"
	"testing"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// maxOverviewStatements is what a warm GET /customers/{id} may send: the
// session with its caller (one join) and the overview (one statement,
// panel.OneReadStore); the third is headroom, not a target.
const maxOverviewStatements = 3

// A warm GET /customers/{id} sends at most maxOverviewStatements
// statements, whoever asks and whatever the account is (a customer, a
// reseller with its plan, services, mail and customers). The settings are
// cached until the database changes (panel/settings_cache.go): a change
// made here, or by another process on the same file, is seen at the next
// call. Statements are counted by the store (sqlite.Store.Statements); the
// data_version check is a pragma on a connection of its own, not counted.
func TestCustomerGetQueryCount(t *testing.T) {
	e := newServer(t)
	admin := e.client(t)
	admin.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")
	created := admin.do("POST", "/api/v1/customers", map[string]any{"username": "cleo", "name": "Cleo", "email": "cleo@example.org",
		"password": testkit.StrongPassword, "password_confirm": testkit.StrongPassword}).expect(t, 201, "")
	id := fmt.Sprint(created.body["account"].(map[string]any)["id"])
	statements := func(c *client, id string) int64 {
		before := e.Store.Statements()
		c.do("GET", "/api/v1/customers/"+id, nil).expect(t, 200, "")
		return e.Store.Statements() - before
	}
	get := func() int64 { return statements(admin, id) }
	get() // warm
	warm := get()
	t.Logf("GET /customers/{id}, warm: %d statements", warm)
	if warm > maxOverviewStatements {
		t.Errorf("GET /customers/{id}, warm: %d statements, want at most %d", warm, maxOverviewStatements)
	}

	// A reseller with a plan, a customer of its own with a service, and
	// mail: its overview (plan, usage, customers' quotas) as the admin and
	// as itself, and its customer's as the reseller.
	plan := admin.do("POST", "/api/v1/plans", map[string]any{"name": "Gold", "server_limit": 10, "storage_mb": 1000}).expect(t, 201, "")
	reseller := newCustomer("rita")
	reseller["reseller_plan_id"] = plan.body["id"]
	ritaID := fmt.Sprint(accountID(admin.do("POST", "/api/v1/customers", reseller).expect(t, 201, "")))
	rita := e.client(t)
	rita.do("POST", "/api/v1/auth/login", map[string]any{"username": "rita", "password": "Another-Str0ng-Pass"}).expect(t, 200, "")
	doraBody := newCustomer("dora")
	doraBody["storage_quota_mb"] = 200
	dora := accountID(rita.do("POST", "/api/v1/customers", doraBody).expect(t, 201, ""))
	custID := fmt.Sprint(dora)
	rita.do("POST", "/api/v1/services", map[string]any{"owner_id": dora, "name": "Radio", "type": "icecast",
		"max_connections": 10, "bitrate_kbps": 128, "data_transfer_mb": 100}).expect(t, 201, "")
	for _, c := range []struct {
		name string
		by   *client
		id   string
	}{{"admin → reseller", admin, ritaID}, {"reseller → itself", rita, ritaID}, {"reseller → its customer", rita, custID}} {
		statements(c.by, c.id) // warm
		n := statements(c.by, c.id)
		t.Logf("GET /customers/{id}, %s, warm: %d statements", c.name, n)
		if n > maxOverviewStatements {
			t.Errorf("%s: %d statements, want at most %d", c.name, n, maxOverviewStatements)
		}
	}

	admin.do("PATCH", "/api/v1/settings", map[string]any{"password_min_length": 13}).expect(t, 200, "")
	if n := get(); n != warm+1 {
		t.Errorf("after a settings change: %d statements, want %d (the settings read again)", n, warm+1)
	}
	if n := get(); n != warm {
		t.Errorf("warm again: %d statements, want %d", n, warm)
	}

	// Another process changes a setting: the next call sees it.
	other := e.OtherProcess(t)
	otherAdmin := other.Login(t, "admin", testkit.StrongPassword)
	min := 14
	if _, err := other.Panel.Settings.Update(otherAdmin, panel.SettingsPatch{PasswordMinLength: &min}); err != nil {
		t.Fatal(err)
	}
	h := admin.do("GET", "/api/v1/health", nil).expect(t, 200, "")
	if got := h.body["password_min_length"]; got != float64(14) {
		t.Fatalf("password_min_length after another process changed it: %v, want 14", got)
	}
}
