package panel_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"castdesk/backend/mailer/mailertest"
	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// Scopes, expiry and allowed addresses are validated, stored, listed and
// edited; the key itself never changes.
func TestAPIKeyLimitsCreateAndEdit(t *testing.T) {
	e := testkit.New(t)
	admin, adminAcc := e.Setup(t)
	enableAPI(t, e, admin, adminAcc.ID, true)
	keys := e.Panel.APIKeys()
	for _, tc := range []struct {
		in     panel.CreateAPIKeyInput
		field  string
		reason panel.Reason
	}{
		{panel.CreateAPIKeyInput{Name: "x", Scopes: []string{"customers:delete"}}, "scopes", panel.ReasonInvalid},
		{panel.CreateAPIKeyInput{Name: "x", Scopes: []string{"audit:write"}}, "scopes", panel.ReasonInvalid},
		{panel.CreateAPIKeyInput{Name: "x", ExpiresAt: ptr(e.Clock.Now().Add(-time.Minute))}, "expires_at", panel.ReasonInPast},
		{panel.CreateAPIKeyInput{Name: "x", AllowedIPs: []string{"10.0.0.300"}}, "allowed_ips", panel.ReasonInvalid},
		{panel.CreateAPIKeyInput{Name: "x", AllowedIPs: []string{"10.0.0.0/33"}}, "allowed_ips", panel.ReasonInvalid},
	} {
		_, err := keys.Create(admin, tc.in)
		if got := panel.AsError(err); got == nil || got.Fields[tc.field] != tc.reason {
			t.Fatalf("%+v: %v", tc.in, err)
		}
	}
	expires := e.Clock.Now().Add(30 * 24 * time.Hour)
	k, err := keys.Create(admin, panel.CreateAPIKeyInput{Name: "billing",
		Scopes:     []string{"services:read", " Customers:Write ", "customers:read", "services:write", "read"},
		ExpiresAt:  &expires,
		AllowedIPs: []string{"192.0.2.7", "198.51.100.9/24", "2001:db8::1/32", "::ffff:203.0.113.5", "192.0.2.7"}})
	if err != nil {
		t.Fatal(err)
	}
	// Sorted, write implies read, read covers every :read.
	if !slices.Equal(k.Scopes, []string{"customers:write", "read", "services:write"}) ||
		!slices.Equal(k.AllowedIPs, []string{"192.0.2.7", "198.51.100.0/24", "2001:db8::/32", "203.0.113.5"}) ||
		!k.ExpiresAt.Equal(expires) || k.ExpiresSoon || k.Expired {
		t.Fatalf("created: %+v", k.APIKey)
	}
	list, _ := keys.List(admin, panel.ListAPIKeysInput{})
	if got := list.Items[0]; !slices.Equal(got.Scopes, k.Scopes) || !slices.Equal(got.AllowedIPs, k.AllowedIPs) || !got.ExpiresAt.Equal(expires) {
		t.Fatalf("listed: %+v", got)
	}
	// PATCH: only what is sent; [] and null clear.
	got, err := keys.Update(admin, k.ID, panel.UpdateAPIKeyInput{Scopes: &[]string{"customers:read"}})
	if err != nil || !slices.Equal(got.Scopes, []string{"customers:read"}) || !slices.Equal(got.AllowedIPs, k.AllowedIPs) || got.Name != "billing" {
		t.Fatalf("patch scopes: %+v %v", got, err)
	}
	got, err = keys.Update(admin, k.ID, panel.UpdateAPIKeyInput{Scopes: &[]string{}, AllowedIPs: &[]string{}, ExpiresAt: panel.OptionalTime{Set: true}, Name: ptr("renamed")})
	if err != nil || len(got.Scopes) != 0 || len(got.AllowedIPs) != 0 || got.ExpiresAt != nil || got.Name != "renamed" {
		t.Fatalf("patch clear: %+v %v", got, err)
	}
	if _, err := keys.Update(admin, k.ID, panel.UpdateAPIKeyInput{ExpiresAt: panel.SomeTime(e.Clock.Now())}); panel.AsError(err).Fields["expires_at"] != panel.ReasonInPast {
		t.Fatalf("patch into the past: %v", err)
	}
	// The same key still authenticates: the secret never changed.
	if _, err := e.Panel.Auth.AuthenticateKey(context.Background(), k.Key, "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	// Only its owner or an administrator edits it; the audit names the limits.
	cust := e.CreateAccount(t, admin, "cust", panel.LevelCustomer)
	_ = cust
	custCtx := e.Login(t, "cust", testkit.StrongPassword)
	if _, err := keys.Update(custCtx, k.ID, panel.UpdateAPIKeyInput{Name: ptr("mine")}); testkit.Code(err) != panel.CodeNotFound {
		t.Fatalf("someone else's key: %v", err)
	}
	page, _ := e.Panel.Audit.List(admin, panel.AuditQuery{Event: "api_key.update"})
	if len(page.Items) != 2 || !strings.Contains(page.Items[1].Details, "scopes=customers:read") || !strings.Contains(page.Items[0].Details, "scopes=full") {
		t.Fatalf("audit: %+v", page.Items)
	}
}

// An expired key and a key used from an address it does not allow are
// refused with 401 and a clear message naming the reason; a key's scopes
// narrow what its caller may call.
func TestAPIKeyExpiryAddressesAndScopeCheck(t *testing.T) {
	e := testkit.New(t)
	admin, adminAcc := e.Setup(t)
	enableAPI(t, e, admin, adminAcc.ID, true)
	keys := e.Panel.APIKeys()
	expires := e.Clock.Now().Add(time.Hour)
	k, err := keys.Create(admin, panel.CreateAPIKeyInput{Name: "ci", Scopes: []string{"customers:read", "services:write"},
		ExpiresAt: &expires, AllowedIPs: []string{"192.0.2.0/24", "2001:db8::7"}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, client := range []string{"192.0.2.200", "2001:db8::7", "::ffff:192.0.2.9"} {
		c, err := e.Panel.Auth.AuthenticateKey(ctx, k.Key, client)
		if err != nil || !slices.Equal(c.Scopes, k.Scopes) {
			t.Fatalf("from %s: %+v %v", client, c, err)
		}
	}
	_, err = e.Panel.Auth.AuthenticateKey(ctx, k.Key, "198.51.100.1")
	if pe := panel.AsError(err); pe.Code != panel.CodeUnauthorized || pe.Fields["key"] != panel.ReasonAddressNotAllowed ||
		pe.Params["key"]["address"] != "198.51.100.1" || !strings.Contains(pe.Message, "198.51.100.1") {
		t.Fatalf("other address: %+v", pe)
	}
	// Refused addresses are not guesses: the address is not throttled.
	for i := 0; i < 10; i++ {
		e.Panel.Auth.AuthenticateKey(ctx, k.Key, "198.51.100.1")
	}
	if _, err := e.Panel.Auth.AuthenticateKey(ctx, "nope", "198.51.100.1"); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatalf("throttled by a real key: %v", err)
	}
	list, _ := keys.List(admin, panel.ListAPIKeysInput{})
	if got := list.Items[0]; got.LastUsedIP != "::ffff:192.0.2.9" || got.LastUsedAt == nil || !got.ExpiresSoon {
		t.Fatalf("last use: %+v", got)
	}

	// The scope check: reading customers yes, changing them no, services both.
	c, _ := e.Panel.Auth.AuthenticateKey(ctx, k.Key, "192.0.2.1")
	keyCtx := panel.WithCaller(ctx, c)
	for _, tc := range []struct {
		area  panel.Area
		write bool
		want  string // "" allowed, else the scope named
	}{
		{panel.AreaCustomers, false, ""}, {panel.AreaCustomers, true, "customers:write"},
		{panel.AreaServices, false, ""}, {panel.AreaServices, true, ""},
		{panel.AreaPlans, false, "plans:read"}, {panel.AreaSettings, true, "settings:write"},
		{panel.AreaAnyKey, true, ""},
	} {
		err := panel.CheckScope(keyCtx, tc.area, tc.write)
		pe := panel.AsError(err)
		switch {
		case tc.want == "" && err != nil:
			t.Fatalf("%s write=%v refused: %v", tc.area, tc.write, err)
		case tc.want != "" && (pe == nil || pe.Code != panel.CodeForbidden || pe.Fields["scope"] != panel.ReasonMissingScope ||
			pe.Params["scope"]["required"] != tc.want || !strings.Contains(pe.Message, tc.want)):
			t.Fatalf("%s write=%v: %+v", tc.area, tc.write, pe)
		}
	}
	if pe := panel.AsError(panel.CheckScope(keyCtx, panel.AreaFullKey, false)); pe == nil || pe.Fields["scope"] != panel.ReasonNeedsFullKey {
		t.Fatalf("full-key operation: %+v", pe)
	}
	// Sessions are never narrowed.
	if err := panel.CheckScope(admin, panel.AreaFullKey, true); err != nil {
		t.Fatal(err)
	}

	e.Clock.Advance(time.Hour)
	_, err = e.Panel.Auth.AuthenticateKey(ctx, k.Key, "192.0.2.1")
	if pe := panel.AsError(err); pe.Code != panel.CodeUnauthorized || pe.Fields["key"] != panel.ReasonExpired || !strings.Contains(pe.Message, "expired") {
		t.Fatalf("expired: %+v", pe)
	}
	list, _ = keys.List(admin, panel.ListAPIKeysInput{})
	if got := list.Items[0]; !got.Expired || got.ExpiresSoon {
		t.Fatalf("listed after expiry: %+v", got)
	}
	// Extended: it works again.
	if _, err := keys.Update(admin, k.ID, panel.UpdateAPIKeyInput{ExpiresAt: panel.SomeTime(e.Clock.Now().Add(time.Hour))}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Panel.Auth.AuthenticateKey(ctx, k.Key, "192.0.2.1"); err != nil {
		t.Fatalf("after extending: %v", err)
	}
}

// A key about to expire is flagged and its account emailed once, through
// the outbox, 7 days ahead; a new expiry is warned about again.
func TestAPIKeyExpiryWarningEmail(t *testing.T) {
	env := testkit.New(t)
	m := mailertest.New()
	env.Mailer = m
	env.Reopen(t)
	admin, adminAcc := env.Setup(t)
	host, from := "smtp.example.org", "panel@example.org"
	env.Panel.Settings.Update(admin, panel.SettingsPatch{SMTPHost: &host, SMTPFromAddress: &from})
	enableAPI(t, env, admin, adminAcc.ID, true)
	keys := env.Panel.APIKeys()
	soon := env.Clock.Now().Add(10 * 24 * time.Hour)
	k, err := keys.Create(admin, panel.CreateAPIKeyInput{Name: "Billing", ExpiresAt: &soon})
	if err != nil {
		t.Fatal(err)
	}
	never, _ := keys.Create(admin, panel.CreateAPIKeyInput{Name: "Forever"})
	_ = never
	ctx := context.Background()
	if n, err := keys.WarnExpiring(ctx); n != 0 || err != nil {
		t.Fatalf("10 days ahead: %d %v", n, err)
	}
	env.Clock.Advance(3*24*time.Hour + time.Minute)
	if n, err := keys.WarnExpiring(ctx); n != 1 || err != nil {
		t.Fatalf("7 days ahead: %d %v", n, err)
	}
	if n, _ := keys.WarnExpiring(ctx); n != 0 {
		t.Fatal("warned twice")
	}
	if n, err := env.Panel.Mail.RunOnce(ctx); n != 1 || err != nil {
		t.Fatalf("mail: %d %v", n, err)
	}
	msg := m.Messages()[0]
	if msg.To != adminAcc.Email || !strings.Contains(msg.Subject, "Billing") || !strings.Contains(msg.Text, k.Prefix) {
		t.Fatalf("warning email: %+v", msg)
	}
	list, _ := keys.List(admin, panel.ListAPIKeysInput{})
	if !list.Items[0].ExpiresSoon || list.Items[1].ExpiresSoon {
		t.Fatalf("flags: %+v", list.Items)
	}
	// Extended, then close to the new expiry: warned again.
	later := env.Clock.Now().Add(20 * 24 * time.Hour)
	keys.Update(admin, k.ID, panel.UpdateAPIKeyInput{ExpiresAt: panel.SomeTime(later)})
	env.Clock.Advance(14 * 24 * time.Hour)
	if n, _ := keys.WarnExpiring(ctx); n != 1 {
		t.Fatal("new expiry not warned about")
	}
	page, _ := env.Panel.Audit.List(admin, panel.AuditQuery{Event: "api_key.expiry_warning"})
	if len(page.Items) != 2 {
		t.Fatalf("audit: %+v", page.Items)
	}
}
