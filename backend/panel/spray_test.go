package panel_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// Spraying: one address tries a password or two on many usernames, each
// within its own 5 free failures. The address has a budget of its own over
// all usernames (50 free, then a doubling wait, forgotten after an hour
// without a failure); other addresses, the window and a browser with the
// account's device token are not held by it.
func TestLoginsSprayedFromOneAddressAreThrottled(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	env.CreateAccount(t, adminCtx, "dora", panel.LevelCustomer)
	ctx := context.Background()
	const attacker, neighbour = "198.51.100.7", "203.0.113.20"
	login := func(user, pw, client string, devices []string) (panel.LoginResult, error) {
		return env.Panel.Auth.Login(ctx, panel.LoginInput{Username: user, Password: pw, Client: client, DeviceTokens: devices})
	}
	// Dora logs in once from her browser (at the attacker's address, the
	// worst case): it is trusted from now on.
	res, err := login("dora", testkit.StrongPassword, attacker, nil)
	if err != nil || len(res.DeviceTokens) == 0 {
		t.Fatalf("dora's first login: %v, tokens %v", err, res.DeviceTokens)
	}
	doraDevice := res.DeviceTokens

	for i := range 50 {
		if _, err := login(fmt.Sprintf("user%d", i), "Summer2026!", attacker, nil); testkit.Code(err) != panel.CodeUnauthorized {
			t.Fatalf("guess %d: %v (the first 50 are answered)", i+1, err)
		}
	}
	// The 50th failure started a wait: a fresh username from that address is refused unanswered...
	_, err = login("user50", "Summer2026!", attacker, nil)
	if testkit.Code(err) != panel.CodeRateLimited {
		t.Fatalf("51st guess from one address: %v", err)
	}
	// ...and so is an untrusted right password from it,
	if _, err := login("dora", testkit.StrongPassword, attacker, nil); testkit.Code(err) != panel.CodeRateLimited {
		t.Fatalf("untrusted login from the throttled address: %v", err)
	}
	// but not dora's trusted browser, nor another address, nor the window.
	if _, err := login("dora", testkit.StrongPassword, attacker, doraDevice); err != nil {
		t.Fatalf("dora's trusted browser: %v", err)
	}
	if _, err := login("dora", testkit.StrongPassword, neighbour, nil); err != nil {
		t.Fatalf("another address: %v", err)
	}
	if _, err := login("dora", testkit.StrongPassword, "desktop", nil); err != nil {
		t.Fatalf("the window: %v", err)
	}
	// Each further failure doubles the address's wait.
	var waits []time.Duration
	for i := range 3 {
		th, _ := env.Store.LoginThrottle(ctx, "login-client:"+attacker)
		env.Clock.Advance(th.Until.Sub(env.Clock.Now()))
		if _, err := login(fmt.Sprintf("late%d", i), "Summer2026!", attacker, nil); testkit.Code(err) != panel.CodeUnauthorized {
			t.Fatalf("guess after the wait: %v", err)
		}
		th, _ = env.Store.LoginThrottle(ctx, "login-client:"+attacker)
		waits = append(waits, th.Until.Sub(env.Clock.Now()))
	}
	if waits[0] != 2*time.Second || waits[1] != 4*time.Second || waits[2] != 8*time.Second {
		t.Fatalf("the address's waits: %v", waits)
	}
	// The refusals are audited as throttled for the address.
	rows := auditRows(t, env, adminCtx, "login")
	throttled := 0
	for _, r := range rows {
		if r.Event == "login.throttled" && r.Details == "reason=client client="+attacker {
			throttled += r.Count
		}
	}
	if throttled != 2 {
		t.Fatalf("%d login.throttled rows for the address: %+v", throttled, rows)
	}
	// An hour without a failure and the address starts afresh.
	env.Clock.Advance(time.Hour + 8*time.Second)
	if _, err := login("fresh", "Summer2026!", attacker, nil); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatalf("after an hour: %v", err)
	}
	if th, _ := env.Store.LoginThrottle(ctx, "login-client:"+attacker); th.Failures != 1 {
		t.Fatalf("after an hour the address has %d failures", th.Failures)
	}
}
