package ops_test

import (
	"slices"
	"testing"

	"castdesk/backend/ops"
	"castdesk/backend/panel"
)

// Every operation an API key can reach names the area of its key scope
// (docs/api.md, "Scopes"): an operation without one would be refused to
// every scoped key, silently. Public operations take no scope.
func TestEveryOperationNamesItsKeyScope(t *testing.T) {
	known := append([]panel.Area{panel.AreaAnyKey, panel.AreaFullKey}, panel.ScopeAreas...)
	for _, o := range ops.All() {
		switch {
		case !o.OnHTTP() || o.Access == ops.Public:
			if o.Scope != "" && o.OnHTTP() {
				t.Errorf("%s is public but names the scope area %q", o.Name, o.Scope)
			}
		case o.Scope == "":
			t.Errorf("%s: declare its Scope (panel.AreaCustomers, ..., panel.AreaAnyKey or panel.AreaFullKey)", o.Name)
		case !slices.Contains(known, o.Scope):
			t.Errorf("%s: unknown scope area %q", o.Name, o.Scope)
		}
		if o.ReadOnly && o.Method == "GET" {
			t.Errorf("%s: ReadOnly on a GET says nothing", o.Name)
		}
	}
}

// The scope an operation needs, as OpenAPI and docs/api.md name it.
func TestKeyScopeOfDeclarations(t *testing.T) {
	for name, want := range map[string]string{
		"customersList": "customers:read", "customersCreate": "customers:write", "customerEmailPreview": "mail:read",
		"serviceSuspend": "services:write", "auditList": "audit:read", "settingsUpdate": "settings:write",
		"mediaUpload": "media:write", "templatePreview": "mail:read",
	} {
		o, _ := ops.ByName(name)
		if got := panel.ScopeName(o.KeyScope(), o.Writes()); got != want {
			t.Errorf("%s needs %s, want %s", name, got, want)
		}
	}
	for name, want := range map[string]panel.Area{"me": panel.AreaAnyKey, "apiKeyCreate": panel.AreaFullKey,
		"webhookCreate": panel.AreaFullKey, "health": ""} {
		if o, _ := ops.ByName(name); o.KeyScope() != want {
			t.Errorf("%s: %q, want %q", name, o.KeyScope(), want)
		}
	}
}
