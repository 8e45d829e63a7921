package httpapi_test

import (
	"fmt"
	"testing"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// A warm GET /customers/{id} does not read the settings again: they are
// cached until the database changes (panel/settings_cache.go). A change made
// here, or by another process on the same file, is seen at the next call.
// Statements are counted by the store (sqlite.Store.Statements); the
// data_version check is a pragma on a connection of its own, not counted.
func TestCustomerGetQueryCount(t *testing.T) {
	e := newServer(t)
	admin := e.client(t)
	admin.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")
	created := admin.do("POST", "/api/v1/customers", map[string]any{"username": "cleo", "name": "Cleo", "email": "cleo@example.org",
		"password": testkit.StrongPassword, "password_confirm": testkit.StrongPassword}).expect(t, 201, "")
	id := fmt.Sprint(created.body["account"].(map[string]any)["id"])
	get := func() int64 {
		before := e.Store.Statements()
		admin.do("GET", "/api/v1/customers/"+id, nil).expect(t, 200, "")
		return e.Store.Statements() - before
	}
	get() // warm
	warm := get()
	t.Logf("GET /customers/{id}, warm: %d statements", warm)

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
