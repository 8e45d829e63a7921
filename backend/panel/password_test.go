package panel_test

import (
	"strings"
	"testing"

	"castdesk/backend/panel"
)

func TestPasswordPolicy(t *testing.T) {
	cases := []struct {
		name, pw, confirm string
		min               int
		want              map[string]panel.Reason
	}{
		{"good", "Corr3ct-Horse-Battery", "Corr3ct-Horse-Battery", 8, map[string]panel.Reason{}},
		{"exactly the minimum", "kx7#Qpw2", "kx7#Qpw2", 8, map[string]panel.Reason{}},
		{"floor of five when configured", "kx7#Q", "kx7#Q", 5, map[string]panel.Reason{}},
		{"one below the minimum", "kx7#Qpw", "kx7#Qpw", 8, map[string]panel.Reason{"password": panel.ReasonTooShort}},
		{"length counts characters, not bytes", "ñandú€€", "ñandú€€", 8, map[string]panel.Reason{"password": panel.ReasonTooShort}},
		{"unicode long enough", "ñandú€€x", "ñandú€€x", 8, map[string]panel.Reason{}},
		{"empty", "", "", 8, map[string]panel.Reason{"password": panel.ReasonRequired, "password_confirm": panel.ReasonRequired}},
		{"empty confirmation", "Corr3ct-Horse-Battery", "", 8, map[string]panel.Reason{"password_confirm": panel.ReasonRequired}},
		{"common", "password1", "password1", 8, map[string]panel.Reason{"password": panel.ReasonCommonPassword}},
		{"common, any case", "PaSsWoRd1", "PaSsWoRd1", 8, map[string]panel.Reason{"password": panel.ReasonCommonPassword}},
		{"common qwerty", "qwertyuiop", "qwertyuiop", 8, map[string]panel.Reason{"password": panel.ReasonCommonPassword}},
		{"mismatch", "Corr3ct-Horse-Battery", "Corr3ct-Horse-Batter", 8, map[string]panel.Reason{"password_confirm": panel.ReasonMismatch}},
		{"confirmation is exact (case)", "Corr3ct-Horse-Battery", "corr3ct-horse-battery", 8, map[string]panel.Reason{"password_confirm": panel.ReasonMismatch}},
		{"max 256 allowed", strings.Repeat("xq7", 85) + "z", strings.Repeat("xq7", 85) + "z", 8, map[string]panel.Reason{}},
		{"over max", strings.Repeat("xq7", 86), strings.Repeat("xq7", 86), 8, map[string]panel.Reason{"password": panel.ReasonTooLong}},
		{"no composition rules: long lowercase phrase", "purple monkey dishwasher", "purple monkey dishwasher", 8, map[string]panel.Reason{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var p panel.Problems
			panel.CheckPassword("password", c.pw, c.confirm, c.min, &p)
			got := p.Fields
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for k, v := range c.want {
				if got[k] != v {
					t.Fatalf("field %s: got %q, want %q (all: %v)", k, got[k], v, got)
				}
			}
		})
	}
}

func TestCommonPasswordListIsLoaded(t *testing.T) {
	for _, pw := range []string{"123456", "password", "qwerty", "dragon", "letmein"} {
		if !panel.IsCommonPassword(pw) {
			t.Errorf("%q should be on the common list", pw)
		}
	}
	if panel.IsCommonPassword("Corr3ct-Horse-Battery") {
		t.Error("a strong password is on the common list")
	}
}

func TestHashIsArgon2idPHCAndVerifies(t *testing.T) {
	h, err := panel.HashPassword("s3cret-Phrase")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("not an OWASP-minimum argon2id PHC string: %s", h)
	}
	if strings.Contains(h, "s3cret-Phrase") {
		t.Fatal("hash contains the password")
	}
	h2, _ := panel.HashPassword("s3cret-Phrase")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt missing")
	}
	for pw, want := range map[string]bool{"s3cret-Phrase": true, "s3cret-phrase": false, "": false} {
		ok, err := panel.VerifyPassword(h, pw)
		if err != nil || ok != want {
			t.Errorf("verify %q = %v, %v; want %v", pw, ok, err, want)
		}
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=x$AAAA$AAAA", "plain"} {
		if _, err := panel.VerifyPassword(bad, "x"); err == nil {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
}
