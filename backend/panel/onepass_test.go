package panel_test

import (
	"context"
	"testing"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// A form hears of every problem in one answer: a taken username comes with
// the other fields' problems, not after they are fixed.
func TestCreateReportsTakenUsernameWithTheOtherFields(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	env.CreateAccount(t, adminCtx, "radio.one", panel.LevelCustomer)
	_, err := env.Panel.Accounts.Create(adminCtx, panel.CreateAccountInput{Username: "Radio.One", Name: "", Email: "not-an-email",
		Password: testkit.StrongPassword, PasswordConfirm: ""})
	pe := panel.AsError(err)
	want := map[string]panel.Reason{"username": panel.ReasonTaken, "name": panel.ReasonRequired, "email": panel.ReasonInvalidEmail,
		"password_confirm": panel.ReasonRequired}
	if pe.Code != panel.CodeInvalid || len(pe.Fields) != len(want) {
		t.Fatalf("got %+v, want %v", pe, want)
	}
	for f, r := range want {
		if pe.Fields[f] != r {
			t.Errorf("%s: %q, want %q (%+v)", f, pe.Fields[f], r, pe.Fields)
		}
	}
	// A username refused for its shape is not also called taken.
	_, err = env.Panel.Accounts.Create(adminCtx, panel.CreateAccountInput{Username: "two words", Name: "N", Email: "n@example.org",
		Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
	if r := panel.AsError(err).Fields["username"]; r != panel.ReasonInvalid {
		t.Fatalf("username: %q", r)
	}
}

// Setup flags an empty "Confirm password" as required, even when the
// password is empty too.
func TestSetupFlagsAnEmptyConfirmation(t *testing.T) {
	env := testkit.New(t)
	for _, pw := range []string{"", testkit.StrongPassword} {
		_, err := env.Panel.Auth.Setup(context.Background(), panel.SetupInput{Username: "admin", Name: "Admin", Email: "a@example.org", Password: pw})
		if r := panel.AsError(err).Fields["password_confirm"]; r != panel.ReasonRequired {
			t.Fatalf("password %q: password_confirm %q (%v)", pw, r, err)
		}
	}
}
