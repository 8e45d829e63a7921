package panel_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

func TestSetupOnlyOnce(t *testing.T) {
	env := testkit.New(t)
	h, _ := env.Panel.Health(context.Background())
	if !h.NeedsSetup {
		t.Fatal("a fresh install must need setup")
	}
	// Bad input creates nothing.
	_, err := env.Panel.Auth.Setup(context.Background(), panel.SetupInput{Username: "a", Email: "nope", Password: "123456", PasswordConfirm: "x"})
	pe := panel.AsError(err)
	if pe.Code != panel.CodeInvalid || pe.Fields["username"] != panel.ReasonTooShort || pe.Fields["email"] != panel.ReasonInvalidEmail ||
		pe.Fields["name"] != panel.ReasonRequired || pe.Fields["password"] != panel.ReasonTooShort || pe.Fields["password_confirm"] != panel.ReasonMismatch {
		t.Fatalf("bad setup: %+v", pe)
	}
	if n, _ := env.Store.CountAccounts(context.Background()); n != 0 {
		t.Fatalf("invalid setup created %d accounts", n)
	}

	ctx, admin := env.Setup(t)
	if admin.Level != panel.LevelAdmin || admin.ID == 0 {
		t.Fatalf("setup made %+v", admin)
	}
	me, err := env.Panel.Auth.Me(ctx)
	if err != nil || me.Account.ID != admin.ID || me.Impersonator != nil {
		t.Fatalf("me after setup: %+v %v", me, err)
	}
	_, err = env.Panel.Auth.Setup(context.Background(), panel.SetupInput{Username: "other", Name: "O", Email: "o@example.org",
		Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
	if testkit.Code(err) != panel.CodeConflict {
		t.Fatalf("second setup: %v", err)
	}
	if h, _ := env.Panel.Health(context.Background()); h.NeedsSetup {
		t.Fatal("still needs setup")
	}
}

func TestConcurrentSetupsCreateOneAdmin(t *testing.T) {
	env := testkit.New(t)
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, errs[i] = env.Panel.Auth.Setup(context.Background(), panel.SetupInput{Username: "admin" + string(rune('a'+i)),
				Name: "A", Email: "a@example.org", Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
		}(i)
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch testkit.Code(err) {
		case "":
			ok++
		case panel.CodeConflict:
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	n, _ := env.Store.CountAccounts(context.Background())
	if ok != 1 || n != 1 {
		t.Fatalf("%d setups succeeded, %d accounts exist; want exactly 1", ok, n)
	}
}

// loginFixture is a desk with an enabled customer "dora" and a disabled
// one "dis", both with testkit.StrongPassword.
func loginFixture(t *testing.T) *testkit.Env {
	t.Helper()
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	env.CreateAccount(t, adminCtx, "dora", panel.LevelCustomer)
	disabled := env.CreateAccount(t, adminCtx, "dis", panel.LevelCustomer)
	off := panel.StatusDisabled
	if _, err := env.Panel.Accounts.Update(adminCtx, disabled.ID, panel.UpdateAccountInput{Status: &off}); err != nil {
		t.Fatal(err)
	}
	return env
}

func TestLoginFailuresAreIndistinguishable(t *testing.T) {
	env := loginFixture(t)
	attempts := []panel.LoginInput{
		{Username: "nobody", Password: testkit.StrongPassword},
		{Username: "dora", Password: "wrong-password-1"},
		{Username: "dis", Password: testkit.StrongPassword},
	}
	var first *panel.Error
	for _, in := range attempts {
		_, err := env.Panel.Auth.Login(context.Background(), in)
		pe := panel.AsError(err)
		if pe.Code != panel.CodeUnauthorized {
			t.Fatalf("%s: %v", in.Username, err)
		}
		if first == nil {
			first = pe
		} else if pe.Message != first.Message || len(pe.Fields) != 0 {
			t.Fatalf("%s answered %q, others %q", in.Username, pe.Message, first.Message)
		}
	}
	// Usernames are case-insensitive.
	if _, err := env.Panel.Auth.Login(context.Background(), panel.LoginInput{Username: "DORA", Password: testkit.StrongPassword}); err != nil {
		t.Fatalf("case-insensitive login: %v", err)
	}
}

func TestLoginThrottleGrowsAndSurvivesRestart(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	env.CreateAccount(t, adminCtx, "dora", panel.LevelCustomer)
	bad := panel.LoginInput{Username: "dora", Password: "wrong-password-1"}
	for i := 1; i <= 5; i++ {
		if _, err := env.Panel.Auth.Login(context.Background(), bad); testkit.Code(err) != panel.CodeUnauthorized {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	// Fifth failure started a 1 s wait: even the right password is refused now.
	good := panel.LoginInput{Username: "dora", Password: testkit.StrongPassword}
	if _, err := env.Panel.Auth.Login(context.Background(), good); testkit.Code(err) != panel.CodeRateLimited {
		t.Fatalf("throttled login: %v", err)
	}
	// A restart does not forget it.
	env.Reopen(t)
	if _, err := env.Panel.Auth.Login(context.Background(), good); testkit.Code(err) != panel.CodeRateLimited {
		t.Fatalf("throttle lost across restart: %v", err)
	}
	// Each further failure doubles the wait.
	var waits []time.Duration
	for i := 0; i < 4; i++ {
		env.Clock.Advance(time.Hour)
		env.Panel.Auth.Login(context.Background(), bad)
		th, _ := env.Store.LoginThrottle(context.Background(), "dora")
		waits = append(waits, th.Until.Sub(env.Clock.Now()))
	}
	for i := 1; i < len(waits); i++ {
		if waits[i] != 2*waits[i-1] {
			t.Fatalf("waits do not double: %v", waits)
		}
	}
	// Unknown usernames are throttled the same way, so throttling reveals nothing.
	for i := 0; i < 5; i++ {
		env.Panel.Auth.Login(context.Background(), panel.LoginInput{Username: "ghost", Password: "whatever-pass"})
	}
	if _, err := env.Panel.Auth.Login(context.Background(), panel.LoginInput{Username: "ghost", Password: "whatever-pass"}); testkit.Code(err) != panel.CodeRateLimited {
		t.Fatalf("unknown user not throttled: %v", err)
	}
	// After the wait, the right password works and clears the counter.
	env.Clock.Advance(time.Hour)
	if _, err := env.Panel.Auth.Login(context.Background(), good); err != nil {
		t.Fatalf("login after the wait: %v", err)
	}
	if th, _ := env.Store.LoginThrottle(context.Background(), "dora"); th.Failures != 0 {
		t.Fatalf("success did not clear failures: %+v", th)
	}
}

func TestSessions(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	dora := env.CreateAccount(t, adminCtx, "dora", panel.LevelCustomer)
	login := func() panel.LoginResult {
		res, err := env.Panel.Auth.Login(context.Background(), panel.LoginInput{Username: "dora", Password: testkit.StrongPassword})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a, b := login(), login()
	if a.Token == b.Token || len(a.Token) < 22 {
		t.Fatalf("tokens must be fresh and ≥128 bits: %q %q", a.Token, b.Token)
	}
	// Only the hash is stored.
	if _, err := env.Store.SessionByHash(context.Background(), a.Token); testkit.Code(err) != panel.CodeNotFound {
		t.Fatal("the raw token is stored")
	}
	if _, err := env.Store.SessionByHash(context.Background(), panel.HashToken(a.Token)); err != nil {
		t.Fatalf("hashed session missing: %v", err)
	}
	// Logout ends only that session.
	if _, err := env.Panel.Auth.Logout(env.As(t, a.Token)); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Panel.Auth.Authenticate(context.Background(), a.Token); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatalf("logged-out session still works: %v", err)
	}
	env.As(t, b.Token)
	// Idle expiry: used within 12 h it lives on; left alone 12 h it ends.
	env.Clock.Advance(11 * time.Hour)
	env.As(t, b.Token)
	env.Clock.Advance(11 * time.Hour)
	env.As(t, b.Token)
	env.Clock.Advance(12*time.Hour + time.Second)
	if _, err := env.Panel.Auth.Authenticate(context.Background(), b.Token); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatalf("idle session did not expire: %v", err)
	}
	// Absolute expiry: 7 days even if used all the time.
	c := login()
	for i := 0; i < 7*24; i++ {
		env.Clock.Advance(time.Hour)
		if _, err := env.Panel.Auth.Authenticate(context.Background(), c.Token); err != nil {
			if i < 7*24-1 {
				t.Fatalf("session ended early after %d h: %v", i+1, err)
			}
		}
	}
	if _, err := env.Panel.Auth.Authenticate(context.Background(), c.Token); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatal("session outlived its absolute limit")
	}
	// Disabling the account ends its live sessions at their next call.
	d := login()
	off := panel.StatusDisabled
	if _, err := env.Panel.Accounts.Update(adminCtx, dora.ID, panel.UpdateAccountInput{Status: &off}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Panel.Auth.Authenticate(context.Background(), d.Token); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatalf("disabled account's session still works: %v", err)
	}
	// Garbage tokens.
	for _, tok := range []string{"", "x", string(make([]byte, 500))} {
		if _, err := env.Panel.Auth.Authenticate(context.Background(), tok); testkit.Code(err) != panel.CodeUnauthorized {
			t.Fatalf("token %q: %v", tok, err)
		}
	}
	// No caller: every guarded service refuses.
	if _, err := env.Panel.Auth.Me(context.Background()); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatalf("me without a caller: %v", err)
	}
	if _, err := env.Panel.Settings.Get(context.Background()); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatalf("settings without a caller: %v", err)
	}
}
