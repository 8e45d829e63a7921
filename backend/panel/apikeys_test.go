package panel_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"
	"time"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

func enableAPI(t *testing.T, e *testkit.Env, admin context.Context, id int64, on bool) {
	t.Helper()
	if _, err := e.Panel.Accounts.Update(admin, id, panel.UpdateAccountInput{APIAccess: &on}); err != nil {
		t.Fatalf("api access %d=%v: %v", id, on, err)
	}
}

func TestAPIKeyLifecycle(t *testing.T) {
	e := testkit.New(t)
	admin, adminAcc := e.Setup(t)
	keys := e.Panel.APIKeys()

	// API access is off by default: no key.
	if _, err := keys.Create(admin, panel.CreateAPIKeyInput{Name: "billing"}); testkit.Code(err) != panel.CodeForbidden ||
		!strings.Contains(err.Error(), "API access is off") {
		t.Fatalf("create without api access: %v", err)
	}
	enableAPI(t, e, admin, adminAcc.ID, true)
	if _, err := keys.Create(admin, panel.CreateAPIKeyInput{Name: "  "}); testkit.Code(err) != panel.CodeInvalid {
		t.Fatalf("blank name: %v", err)
	}
	if _, err := keys.Create(admin, panel.CreateAPIKeyInput{Name: strings.Repeat("n", 101)}); testkit.Code(err) != panel.CodeInvalid {
		t.Fatalf("long name: %v", err)
	}
	created, err := keys.Create(admin, panel.CreateAPIKeyInput{Name: "billing"})
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^cdk_[a-z2-7]{8}_[A-Za-z0-9_-]{43}$`).MatchString(created.Key) || !strings.HasPrefix(created.Key, created.Prefix+"_") {
		t.Fatalf("key format: %q prefix %q", created.Key, created.Prefix)
	}

	// Only the hash and the prefix are stored: the key is nowhere in the file.
	var n int
	sum := sha256.Sum256([]byte(created.Key))
	if err := rawQueryRow(t, e, `SELECT count(*) FROM api_keys WHERE hash = ? AND prefix = ?`, hex.EncodeToString(sum[:]), created.Prefix).Scan(&n); err != nil || n != 1 {
		t.Fatalf("stored hash: %d %v", n, err)
	}
	if err := rawQueryRow(t, e, `SELECT count(*) FROM api_keys WHERE hash = ? OR name = ? OR prefix = ?`, created.Key, created.Key, created.Key).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the key itself is stored: %d %v", n, err)
	}

	list, err := keys.List(admin, panel.ListAPIKeysInput{})
	if err != nil || len(list.Items) != 1 || list.Items[0].Name != "billing" || list.Items[0].LastUsedAt != nil {
		t.Fatalf("list: %+v %v", list, err)
	}

	// The key authenticates as the admin; last use is recorded, at most once a minute.
	c, err := e.Panel.Auth.AuthenticateKey(context.Background(), created.Key, "192.0.2.1")
	if err != nil || c.Account.ID != adminAcc.ID || !c.ViaKey {
		t.Fatalf("authenticate: %+v %v", c, err)
	}
	first := e.Clock.Now().UTC().Truncate(time.Millisecond)
	list, _ = keys.List(admin, panel.ListAPIKeysInput{})
	if list.Items[0].LastUsedAt == nil || !list.Items[0].LastUsedAt.Equal(first) {
		t.Fatalf("last used: %+v", list.Items[0])
	}
	e.Clock.Advance(30 * time.Second)
	e.Panel.Auth.AuthenticateKey(context.Background(), created.Key, "192.0.2.1")
	list, _ = keys.List(admin, panel.ListAPIKeysInput{})
	if !list.Items[0].LastUsedAt.Equal(first) {
		t.Fatalf("touched within a minute: %+v", list.Items[0])
	}
	e.Clock.Advance(31 * time.Second)
	e.Panel.Auth.AuthenticateKey(context.Background(), created.Key, "192.0.2.1")
	list, _ = keys.List(admin, panel.ListAPIKeysInput{})
	if list.Items[0].LastUsedAt.Equal(first) {
		t.Fatalf("not touched after a minute: %+v", list.Items[0])
	}

	// Key callers act with the account's rights but cannot do what needs a session.
	keyCtx := panel.WithCaller(context.Background(), c)
	if _, err := e.Panel.Accounts.List(keyCtx, panel.ListAccountsInput{}); err != nil {
		t.Fatalf("list customers with a key: %v", err)
	}
	cust := e.CreateAccount(t, keyCtx, "viakey", panel.LevelCustomer)
	if _, _, err := e.Panel.Auth.LoginAs(keyCtx, cust.ID); testkit.Code(err) != panel.CodeForbidden || !strings.Contains(err.Error(), "API key") {
		t.Fatalf("login as with a key: %v", err)
	}
	if err := e.Panel.Auth.ChangePassword(keyCtx, panel.ChangePasswordInput{CurrentPassword: testkit.StrongPassword,
		Password: "Fresh-Passw0rd-9", PasswordConfirm: "Fresh-Passw0rd-9"}); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("own password change with a key: %v", err)
	}
	if _, err := e.Panel.Auth.Logout(keyCtx); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("logout with a key: %v", err)
	}
	// What a key did is audited as the account, naming the key.
	page, err := e.Panel.Audit.List(admin, panel.AuditQuery{Event: "account.create"})
	if err != nil || len(page.Items) == 0 || !strings.Contains(page.Items[0].Details, "via_api_key="+created.Prefix) {
		t.Fatalf("audit of a key's action: %+v %v", page.Items, err)
	}

	// Revoke: the key stops working at once, with a clear answer.
	if err := keys.Revoke(admin, created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Panel.Auth.AuthenticateKey(context.Background(), created.Key, "192.0.2.1"); testkit.Code(err) != panel.CodeUnauthorized ||
		!strings.Contains(err.Error(), "revoked") {
		t.Fatalf("revoked key: %v", err)
	}
	if err := keys.Revoke(admin, created.ID); testkit.Code(err) != panel.CodeNotFound {
		t.Fatalf("revoke twice: %v", err)
	}
	if list, _ := keys.List(admin, panel.ListAPIKeysInput{}); len(list.Items) != 0 {
		t.Fatalf("revoked key listed: %+v", list)
	}
	for _, ev := range []string{"api_key.create", "api_key.revoke"} {
		page, err := e.Panel.Audit.List(admin, panel.AuditQuery{Event: ev})
		if err != nil || len(page.Items) != 1 || !strings.Contains(page.Items[0].Details, created.Prefix) || strings.Contains(page.Items[0].Details, created.Key) {
			t.Fatalf("audit %s: %+v %v", ev, page.Items, err)
		}
	}
}

func TestAPIKeyScopeAndRefusals(t *testing.T) {
	e := testkit.New(t)
	admin, _ := e.Setup(t)
	keys := e.Panel.APIKeys()
	alice := e.CreateAccount(t, admin, "alice", panel.LevelCustomer)
	bob := e.CreateAccount(t, admin, "bob", panel.LevelCustomer)
	enableAPI(t, e, admin, alice.ID, true)
	enableAPI(t, e, admin, bob.ID, true)
	aliceCtx := e.Login(t, "alice", testkit.StrongPassword)
	bobCtx := e.Login(t, "bob", testkit.StrongPassword)
	ak, err := keys.Create(aliceCtx, panel.CreateAPIKeyInput{Name: "alice's"})
	if err != nil {
		t.Fatal(err)
	}
	bk, err := keys.Create(bobCtx, panel.CreateAPIKeyInput{Name: "bob's"})
	if err != nil {
		t.Fatal(err)
	}

	// Customers see and revoke only their own keys; admins anyone's.
	if _, err := keys.List(aliceCtx, panel.ListAPIKeysInput{AccountID: bob.ID}); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("alice lists bob's keys: %v", err)
	}
	if err := keys.Revoke(aliceCtx, bk.ID); testkit.Code(err) != panel.CodeNotFound {
		t.Fatalf("alice revokes bob's key: %v", err)
	}
	if l, err := keys.List(admin, panel.ListAPIKeysInput{AccountID: alice.ID}); err != nil || len(l.Items) != 1 || l.Items[0].ID != ak.ID {
		t.Fatalf("admin lists alice's keys: %+v %v", l, err)
	}
	if _, err := keys.List(admin, panel.ListAPIKeysInput{AccountID: 999}); testkit.Code(err) != panel.CodeNotFound {
		t.Fatalf("unknown account: %v", err)
	}

	// API access off, then a disabled account: 403 with a clear message; back on, it works again.
	enableAPI(t, e, admin, alice.ID, false)
	if _, err := e.Panel.Auth.AuthenticateKey(context.Background(), ak.Key, "c"); testkit.Code(err) != panel.CodeForbidden ||
		!strings.Contains(err.Error(), "API access is off for this account") {
		t.Fatalf("api access off: %v", err)
	}
	enableAPI(t, e, admin, alice.ID, true)
	disabled := panel.StatusDisabled
	if _, err := e.Panel.Accounts.Update(admin, alice.ID, panel.UpdateAccountInput{Status: &disabled}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Panel.Auth.AuthenticateKey(context.Background(), ak.Key, "c"); testkit.Code(err) != panel.CodeForbidden ||
		!strings.Contains(err.Error(), "account disabled") {
		t.Fatalf("disabled account: %v", err)
	}
	if err := keys.Revoke(admin, ak.ID); err != nil {
		t.Fatalf("admin revokes alice's key: %v", err)
	}

	// During "log in as", the target's keys are off limits.
	res, _, err := e.Panel.Auth.LoginAs(admin, bob.ID)
	if err != nil {
		t.Fatal(err)
	}
	inside := e.As(t, res.Token)
	if _, err := keys.Create(inside, panel.CreateAPIKeyInput{Name: "sneaky"}); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("create inside log in as: %v", err)
	}
	if err := keys.Revoke(inside, bk.ID); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("revoke inside log in as: %v", err)
	}

	// A deleted account's keys go with it.
	admin = e.Login(t, "admin", testkit.StrongPassword)
	if err := e.Panel.Accounts.Delete(admin, bob.ID, "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Panel.Auth.AuthenticateKey(context.Background(), bk.Key, "c"); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatalf("deleted account's key: %v", err)
	}
}

func TestAPIKeyFailuresThrottledPerClient(t *testing.T) {
	e := testkit.New(t)
	admin, adminAcc := e.Setup(t)
	enableAPI(t, e, admin, adminAcc.ID, true)
	good, err := e.Panel.APIKeys().Create(admin, panel.CreateAPIKeyInput{Name: "good"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	bad := []string{"", "nope", "cdk_aaaaaaaa_" + strings.Repeat("x", 43), strings.Repeat("k", 5000), good.Key + "x"}
	for i, k := range bad {
		if _, err := e.Panel.Auth.AuthenticateKey(ctx, k, "198.51.100.7"); testkit.Code(err) != panel.CodeUnauthorized {
			t.Fatalf("bad key %d: %v", i, err)
		}
	}
	// The client is now throttled for unknown keys; a valid key from the
	// same address (another client behind the same NAT) still works, and
	// other addresses are not throttled at all.
	if _, err := e.Panel.Auth.AuthenticateKey(ctx, "nope", "198.51.100.7"); testkit.Code(err) != panel.CodeRateLimited {
		t.Fatalf("sixth failure: %v", err)
	}
	if _, err := e.Panel.Auth.AuthenticateKey(ctx, good.Key, "198.51.100.7"); err != nil {
		t.Fatalf("good key from a throttled address: %v", err)
	}
	for i := 0; i < 30; i++ {
		e.Panel.Auth.AuthenticateKey(ctx, "cdk_aaaaaaaa_"+strings.Repeat("y", 43), "198.51.100.7")
	}
	if _, err := e.Panel.Auth.AuthenticateKey(ctx, good.Key, "198.51.100.7"); err != nil {
		t.Fatalf("good key after 30 more bad ones from its address: %v", err)
	}
	if _, err := e.Panel.Auth.AuthenticateKey(ctx, "nope", "198.51.100.8"); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatalf("another client: %v", err)
	}
	// The throttle is the persistent login table: it survives a restart.
	e.Reopen(t)
	if _, err := e.Panel.Auth.AuthenticateKey(ctx, "nope", "198.51.100.7"); testkit.Code(err) != panel.CodeRateLimited {
		t.Fatalf("throttle lost across restart: %v", err)
	}
	if _, err := e.Panel.Auth.AuthenticateKey(ctx, good.Key, "198.51.100.7"); err != nil {
		t.Fatalf("good key after the restart: %v", err)
	}
	e.Clock.Advance(2 * time.Second)
	if _, err := e.Panel.Auth.AuthenticateKey(ctx, "nope", "198.51.100.7"); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatalf("after the wait: %v", err)
	}
	// Logins are unaffected by key failures and the other way round.
	if _, err := e.Panel.Auth.Login(ctx, panel.LoginInput{Username: "admin", Password: testkit.StrongPassword}); err != nil {
		t.Fatalf("login: %v", err)
	}
	page, err := e.Panel.Audit.List(e.Login(t, "admin", testkit.StrongPassword), panel.AuditQuery{Event: "api_key.throttled"})
	if err != nil || len(page.Items) != 1 || page.Items[0].SubjectID != "198.51.100.7" {
		t.Fatalf("throttle audit: %+v %v", page.Items, err)
	}
}

// rawQueryRow reads the database file directly, as someone holding a copy would.
func rawQueryRow(t *testing.T, e *testkit.Env, query string, args ...any) *sql.Row {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+e.DBPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db.QueryRow(query, args...)
}
