package panel_test

import (
	"context"
	"testing"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// TestControlCharactersAreRefusedPerField: a line break in a name made
// every email to the account fail as header injection; NUL, DEL, C1 and the
// bidi controls are refused too, in username, name and contact number, on
// create and on update, each with its own field's reason.
func TestControlCharactersAreRefusedPerField(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	dora := env.CreateAccount(t, adminCtx, "dora", panel.LevelCustomer)
	bad := map[string]string{
		"CR LF": "a\r\nBcc: x@example.org", "LF": "a\nb", "NUL": "a\x00b", "tab": "a\tb", "DEL": "a\x7fb",
		"C1 NEL": "a\u0085b", "RLO": "a\u202Eb", "LRE": "a\u202Ab", "PDF": "a\u202Cb", "LRI": "a\u2066b", "PDI": "a\u2069b",
		"RLM": "a\u200Fb", "LRM": "a\u200Eb", "ALM": "a\u061Cb", "line separator": "a\u2028b",
	}
	for what, v := range bad {
		for _, field := range []string{"username", "name", "contact_number"} {
			in := panel.CreateAccountInput{Username: "newbie", Name: "New Bie", Email: "n@example.org",
				Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword}
			var patch panel.UpdateAccountInput
			switch field {
			case "username":
				in.Username, patch.Username = v, &v
			case "name":
				in.Name, patch.Name = v, &v
			case "contact_number":
				in.ContactNumber, patch.ContactNumber = v, &v
			}
			_, err := env.Panel.Accounts.Create(adminCtx, in)
			if pe := panel.AsError(err); pe.Code != panel.CodeInvalid || pe.Fields[field] != panel.ReasonControlCharacter || len(pe.Fields) != 1 {
				t.Errorf("create with %s in %s: %v %+v", what, field, err, pe.Fields)
			}
			_, err = env.Panel.Accounts.Update(adminCtx, dora.ID, patch)
			if pe := panel.AsError(err); pe.Fields[field] != panel.ReasonControlCharacter {
				t.Errorf("update with %s in %s: %v", what, field, err)
			}
		}
	}
	// Setup too.
	fresh := testkit.New(t)
	_, err := fresh.Panel.Auth.Setup(context.Background(), panel.SetupInput{Username: "admin", Name: "Ada\nAdmin", Email: "a@example.org",
		Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
	if panel.AsError(err).Fields["name"] != panel.ReasonControlCharacter {
		t.Fatalf("setup: %v", err)
	}
	// What people do write still works: accents, other scripts, spaces
	// around (trimmed), a plus and spaces in a phone number.
	name, phone := "  José Núñez — مريم 李 ", "+34 600 000 000"
	acc, err := env.Panel.Accounts.Update(adminCtx, dora.ID, panel.UpdateAccountInput{Name: &name, ContactNumber: &phone})
	if err != nil || acc.Name != "José Núñez — مريم 李" {
		t.Fatalf("ordinary text refused: %v %+v", err, acc)
	}
	if got := panel.SafeDisplayName("Jane\r\nBcc: x@example.org"); got != "Jane Bcc: x@example.org" {
		t.Fatalf("SafeDisplayName: %q", got)
	}
}

// TestLookAlikeUsernamesAreTaken: usernames are compared after NFKC and
// case folding, so the fullwidth, Kelvin-sign or ligature spelling of an
// existing username is refused as taken, and logs in to it.
func TestLookAlikeUsernamesAreTaken(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	env.CreateAccount(t, adminCtx, "dora", panel.LevelCustomer)
	env.CreateAccount(t, adminCtx, "kate", panel.LevelCustomer)
	env.CreateAccount(t, adminCtx, "finn", panel.LevelCustomer)
	for _, u := range []string{"DORA", "Dora", "ｄｏｒａ", "ＤＯＲＡ", "\u212Aate", "\uFB01nn", " dora "} {
		_, err := env.Panel.Accounts.Create(adminCtx, panel.CreateAccountInput{Username: u, Name: "Look Alike", Email: "l@example.org",
			Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
		if pe := panel.AsError(err); pe.Fields["username"] != panel.ReasonTaken {
			t.Errorf("%q: want taken, got %v", u, err)
		}
	}
	// Renaming another account to a look-alike is refused the same way.
	other := env.CreateAccount(t, adminCtx, "other", panel.LevelCustomer)
	alike := "ＫＡＴＥ"
	if _, err := env.Panel.Accounts.Update(adminCtx, other.ID, panel.UpdateAccountInput{Username: &alike}); panel.AsError(err).Fields["username"] != panel.ReasonTaken {
		t.Fatalf("rename to a look-alike: %v", err)
	}
	// Letters NFKC does not map to ASCII stay outside the allowed set.
	cyrillic := "dоra" // о is U+043E
	if _, err := env.Panel.Accounts.Update(adminCtx, other.ID, panel.UpdateAccountInput{Username: &cyrillic}); panel.AsError(err).Fields["username"] != panel.ReasonInvalid {
		t.Fatalf("cyrillic look-alike: %v", err)
	}
	// A compatibility spelling is stored as its plain form.
	acc, err := env.Panel.Accounts.Create(adminCtx, panel.CreateAccountInput{Username: "ｍａｒｉａ", Name: "María", Email: "m@example.org",
		Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
	if err != nil || acc.Username != "maria" {
		t.Fatalf("stored as %+v, %v", acc, err)
	}
	// And a look-alike spelling logs in to the account it looks like.
	if _, err := env.Panel.Auth.Login(context.Background(), panel.LoginInput{Username: "ＤＯＲＡ", Password: testkit.StrongPassword}); err != nil {
		t.Fatalf("login with the fullwidth spelling: %v", err)
	}
}
