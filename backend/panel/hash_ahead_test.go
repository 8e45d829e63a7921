package panel_test

import (
	"context"
	"testing"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// Every way a login ends gives back the hash slot it took for its hash
// (hash_ahead.go) and unmaps its memory: a right password, a wrong one, an
// unknown username, a disabled account; a throttled attempt takes none.
func TestLoginGivesBackTheSlotItTookAhead(t *testing.T) {
	env := loginFixture(t)
	for _, c := range []struct {
		in   panel.LoginInput
		code panel.Code
	}{
		{panel.LoginInput{Username: "dora", Password: testkit.StrongPassword}, ""},
		{panel.LoginInput{Username: "dora", Password: "wrong-password-1"}, panel.CodeUnauthorized},
		{panel.LoginInput{Username: "nobody", Password: testkit.StrongPassword}, panel.CodeUnauthorized},
		{panel.LoginInput{Username: "dis", Password: testkit.StrongPassword}, panel.CodeUnauthorized},
	} {
		_, err := env.Panel.Auth.Login(context.Background(), c.in)
		if got := testkit.Code(err); got != c.code {
			t.Errorf("%s: %v, want %q", c.in.Username, err, c.code)
		}
		if n := panel.HashSlotsHeld(); n != 0 {
			t.Errorf("%s: %d hash slots still held after the login", c.in.Username, n)
		}
	}
	bad := panel.LoginInput{Username: "ghost", Password: "wrong-password-1"}
	for range 5 {
		env.Panel.Auth.Login(context.Background(), bad)
	}
	before := panel.HashesAhead()
	if _, err := env.Panel.Auth.Login(context.Background(), bad); testkit.Code(err) != panel.CodeRateLimited {
		t.Fatalf("sixth failure: %v, want throttled", err)
	}
	if n := panel.HashesAhead() - before; n != 0 {
		t.Errorf("throttled: %d hash arenas prepared for a refused login, want none", n)
	}
	if n := panel.HashSlotsHeld(); n != 0 {
		t.Errorf("throttled: %d hash slots still held", n)
	}
}
