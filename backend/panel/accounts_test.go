package panel_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

func ptr[T any](v T) *T { return &v }

func TestCreateValidation(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	env.CreateAccount(t, adminCtx, "Taken.User", panel.LevelCustomer)
	good := panel.CreateAccountInput{Username: "new.user@example.org", Name: "New User", Email: "new.user@example.org",
		Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword}
	cases := []struct {
		name   string
		change func(*panel.CreateAccountInput)
		field  string
		reason panel.Reason
	}{
		{"taken username, other case", func(in *panel.CreateAccountInput) { in.Username = "taken.user" }, "username", panel.ReasonTaken},
		{"missing username", func(in *panel.CreateAccountInput) { in.Username = "  " }, "username", panel.ReasonRequired},
		{"username with spaces", func(in *panel.CreateAccountInput) { in.Username = "two words" }, "username", panel.ReasonInvalid},
		{"invalid email", func(in *panel.CreateAccountInput) { in.Email = "not-an-email" }, "email", panel.ReasonInvalidEmail},
		{"email with display name", func(in *panel.CreateAccountInput) { in.Email = "Bob <bob@example.org>" }, "email", panel.ReasonInvalidEmail},
		{"email without a domain dot", func(in *panel.CreateAccountInput) { in.Email = "bob@localhost" }, "email", panel.ReasonInvalidEmail},
		{"missing name", func(in *panel.CreateAccountInput) { in.Name = "" }, "name", panel.ReasonRequired},
		{"short password", func(in *panel.CreateAccountInput) { in.Password, in.PasswordConfirm = "abc12", "abc12" }, "password", panel.ReasonTooShort},
		{"common password", func(in *panel.CreateAccountInput) { in.Password, in.PasswordConfirm = "iloveyou", "iloveyou" }, "password", panel.ReasonCommonPassword},
		{"confirmation differs", func(in *panel.CreateAccountInput) { in.PasswordConfirm = "different-Pass-1" }, "password_confirm", panel.ReasonMismatch},
		{"unknown timezone", func(in *panel.CreateAccountInput) { in.Timezone = "Europe/Atlantis" }, "timezone", panel.ReasonUnknownTimezone},
		{"Local is not a timezone", func(in *panel.CreateAccountInput) { in.Timezone = "Local" }, "timezone", panel.ReasonUnknownTimezone},
		{"bad level", func(in *panel.CreateAccountInput) { in.Level = "root" }, "level", panel.ReasonInvalid},
		{"bad status", func(in *panel.CreateAccountInput) { in.Status = "paused" }, "status", panel.ReasonInvalid},
		{"bad language", func(in *panel.CreateAccountInput) { in.Language = "fr" }, "language", panel.ReasonInvalid},
		{"unknown plan", func(in *panel.CreateAccountInput) { in.ResellerPlanID = ptr(int64(999)) }, "reseller_plan_id", panel.ReasonInvalid},
		{"contact too long", func(in *panel.CreateAccountInput) { in.ContactNumber = strings.Repeat("9", 51) }, "contact_number", panel.ReasonTooLong},
	}
	before, _ := env.Store.CountAccounts(context.Background())
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := good
			c.change(&in)
			_, err := env.Panel.Accounts.Create(adminCtx, in)
			pe := panel.AsError(err)
			if pe.Code != panel.CodeInvalid || pe.Fields[c.field] != c.reason {
				t.Fatalf("got %+v, want %s=%s", pe, c.field, c.reason)
			}
		})
	}
	if after, _ := env.Store.CountAccounts(context.Background()); after != before {
		t.Fatalf("invalid creates changed the account count: %d -> %d", before, after)
	}
	acc, err := env.Panel.Accounts.Create(adminCtx, panel.CreateAccountInput{Username: "tz.user", Name: "Tz", Email: "tz@example.org",
		Timezone: "America/Argentina/Buenos_Aires", Language: "es", ContactNumber: "+34 600 000 000", APIAccess: true, Accessibility: true,
		Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := env.Store.AccountByID(context.Background(), acc.ID)
	if got.Timezone != "America/Argentina/Buenos_Aires" || got.Language != "es" || !got.APIAccess || !got.Accessibility ||
		got.Level != panel.LevelCustomer || got.Status != panel.StatusEnabled || got.ContactNumber != "+34 600 000 000" {
		t.Fatalf("stored %+v", got)
	}
	if fi, err := os.Stat(filepath.Join(env.Dir, "content", "user_"+itoa(acc.ID))); err != nil || !fi.IsDir() {
		t.Fatalf("media folder not created: %v", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestConcurrentCreatesOfOneUsernameExactlyOneWins(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			name := "racer"
			if i%2 == 1 {
				name = "RACER" // case-insensitively the same
			}
			_, errs[i] = env.Panel.Accounts.Create(adminCtx, panel.CreateAccountInput{Username: name, Name: "R", Email: "r@example.org",
				Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
		}(i)
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
		} else if pe := panel.AsError(err); pe.Fields["username"] != panel.ReasonTaken {
			t.Errorf("loser got %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d creates won, want 1", wins)
	}
}

func TestLastAdminAndSelfRules(t *testing.T) {
	env := testkit.New(t)
	adminCtx, admin := env.Setup(t)
	forbiddenOrConflict := func(err error) bool {
		c := testkit.Code(err)
		return c == panel.CodeForbidden || c == panel.CodeConflict
	}
	// Self: cannot disable, demote or delete itself.
	if _, err := env.Panel.Accounts.Update(adminCtx, admin.ID, panel.UpdateAccountInput{Status: ptr(panel.StatusDisabled)}); !forbiddenOrConflict(err) {
		t.Fatalf("self-disable: %v", err)
	}
	if _, err := env.Panel.Accounts.Update(adminCtx, admin.ID, panel.UpdateAccountInput{Level: ptr(panel.LevelCustomer)}); !forbiddenOrConflict(err) {
		t.Fatalf("self-demote: %v", err)
	}
	if err := env.Panel.Accounts.Delete(adminCtx, admin.ID, "admin"); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("self-delete: %v", err)
	}
	// Editing own details is fine.
	if _, err := env.Panel.Accounts.Update(adminCtx, admin.ID, panel.UpdateAccountInput{Name: ptr("Ada B. Admin"), Timezone: ptr("Europe/Madrid")}); err != nil {
		t.Fatalf("self-edit: %v", err)
	}
	// With a second admin, the first may be demoted by the second; the
	// remaining last admin is protected from the other side too.
	second := env.CreateAccount(t, adminCtx, "second", panel.LevelAdmin)
	secondCtx := env.Login(t, "second", testkit.StrongPassword)
	if _, err := env.Panel.Accounts.Update(secondCtx, admin.ID, panel.UpdateAccountInput{Level: ptr(panel.LevelCustomer)}); err != nil {
		t.Fatalf("demoting one of two admins: %v", err)
	}
	// Now "second" is the last admin; a disabled admin does not count either.
	third := env.CreateAccount(t, secondCtx, "third", panel.LevelAdmin)
	if _, err := env.Panel.Accounts.Update(secondCtx, third.ID, panel.UpdateAccountInput{Status: ptr(panel.StatusDisabled)}); err != nil {
		t.Fatal(err)
	}
	if n, _ := env.Store.CountEnabledAdmins(context.Background(), second.ID); n != 0 {
		t.Fatalf("other enabled admins: %d", n)
	}
	// The console operator is not an account: it meets the last-admin rule.
	op := panel.Operator(context.Background())
	if _, err := env.Panel.Accounts.Update(op, second.ID, panel.UpdateAccountInput{Status: ptr(panel.StatusDisabled)}); testkit.Code(err) != panel.CodeConflict {
		t.Fatalf("disabling the last admin: %v", err)
	}
	if err := env.Panel.Accounts.Delete(op, second.ID, "second"); testkit.Code(err) != panel.CodeConflict {
		t.Fatalf("deleting the last admin: %v", err)
	}
	acc, _ := env.Store.AccountByID(context.Background(), second.ID)
	if !acc.IsAdmin() || !acc.IsEnabled() {
		t.Fatalf("last admin changed: %+v", acc)
	}
}

func TestScope(t *testing.T) {
	env := testkit.New(t)
	adminCtx, admin := env.Setup(t)
	alice := env.CreateAccount(t, adminCtx, "alice", panel.LevelCustomer)
	bob := env.CreateAccount(t, adminCtx, "bob", panel.LevelCustomer)
	aliceCtx := env.Login(t, "alice", testkit.StrongPassword)

	page, err := env.Panel.Accounts.List(aliceCtx, panel.ListAccountsInput{})
	if err != nil || page.Total != 1 || page.Items[0].ID != alice.ID {
		t.Fatalf("a customer lists only itself: %+v %v", page, err)
	}
	if _, err := env.Panel.Accounts.Overview(aliceCtx, alice.ID); err != nil {
		t.Fatalf("own overview: %v", err)
	}
	for _, id := range []int64{bob.ID, admin.ID, 9999} {
		if _, err := env.Panel.Accounts.Overview(aliceCtx, id); testkit.Code(err) != panel.CodeNotFound {
			t.Fatalf("overview of %d: %v", id, err)
		}
		if _, err := env.Panel.Accounts.Update(aliceCtx, id, panel.UpdateAccountInput{Name: ptr("x")}); testkit.Code(err) != panel.CodeNotFound {
			t.Fatalf("update of %d: %v", id, err)
		}
	}
	if _, err := env.Panel.Accounts.Create(aliceCtx, panel.CreateAccountInput{}); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("customer create: %v", err)
	}
	// A customer edits its own details, never its level, status or API access.
	if _, err := env.Panel.Accounts.Update(aliceCtx, alice.ID, panel.UpdateAccountInput{Name: ptr("Alice A."), Language: ptr("es")}); err != nil {
		t.Fatalf("own details: %v", err)
	}
	for _, in := range []panel.UpdateAccountInput{{Level: ptr(panel.LevelAdmin)}, {Status: ptr(panel.StatusDisabled)}, {APIAccess: ptr(true)}, {Username: ptr("alice2")}} {
		if _, err := env.Panel.Accounts.Update(aliceCtx, alice.ID, in); testkit.Code(err) != panel.CodeForbidden {
			t.Fatalf("customer self-escalation %+v: %v", in, err)
		}
	}
	if err := env.Panel.Accounts.Delete(aliceCtx, bob.ID, "bob"); testkit.Code(err) != panel.CodeNotFound {
		t.Fatalf("customer deleting another: %v", err)
	}
}

func TestListSearchSortAndKeysetPaging(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	names := []string{"Zoe Quinn", "adam Smith", "Bea Smithson", "carl Jones", "Dana Blacksmith"}
	for i, n := range names {
		acc, err := env.Panel.Accounts.Create(adminCtx, panel.CreateAccountInput{Username: "user" + itoa(int64(i)), Name: n,
			Email: "mail" + itoa(int64(i)) + "@radio.example.org", Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
		if err != nil {
			t.Fatal(err)
		}
		if i == 4 {
			env.Panel.Accounts.Update(adminCtx, acc.ID, panel.UpdateAccountInput{Status: ptr(panel.StatusDisabled)})
		}
	}
	search := func(q string) []string {
		page, err := env.Panel.Accounts.List(adminCtx, panel.ListAccountsInput{Q: q, Sort: "name"})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range page.Items {
			out = append(out, a.Name)
		}
		if page.Total != len(out) {
			t.Fatalf("total %d, items %d", page.Total, len(out))
		}
		return out
	}
	if got := strings.Join(search("smith"), ","); got != "adam Smith,Bea Smithson,Dana Blacksmith" {
		t.Fatalf("substring of name, case-insensitive: %s", got)
	}
	if got := strings.Join(search("MAIL3@"), ","); got != "carl Jones" {
		t.Fatalf("email: %s", got)
	}
	if got := strings.Join(search("us"), ","); len(search("us")) != 5 {
		t.Fatalf("two-letter prefix of username: %s", got)
	}
	// "1" is the admin's ID; no username, name or email starts with it.
	if got := strings.Join(search("1"), ","); got != "Ada Admin" {
		t.Fatalf("ID search: %s", got)
	}
	if got := search(`"; DROP TABLE accounts; --`); len(got) != 0 {
		t.Fatalf("hostile search: %v", got)
	}
	// Filters.
	page, _ := env.Panel.Accounts.List(adminCtx, panel.ListAccountsInput{Status: "disabled"})
	if page.Total != 1 || page.Items[0].Name != "Dana Blacksmith" {
		t.Fatalf("status filter: %+v", page)
	}
	page, _ = env.Panel.Accounts.List(adminCtx, panel.ListAccountsInput{Level: "admin"})
	if page.Total != 1 {
		t.Fatalf("level filter: %+v", page)
	}
	// Keyset paging through every sort, both directions, sees every row once in order.
	for _, sort := range []string{"id", "-id", "name", "-name", "username", "-username", "email", "-email", "created_at", "-created_at"} {
		var seen []string
		cursor := ""
		for pages := 0; ; pages++ {
			p, err := env.Panel.Accounts.List(adminCtx, panel.ListAccountsInput{Sort: sort, Limit: 2, Cursor: cursor})
			if err != nil {
				t.Fatalf("%s: %v", sort, err)
			}
			if p.Total != 6 {
				t.Fatalf("%s: total %d", sort, p.Total)
			}
			for _, a := range p.Items {
				seen = append(seen, a.Username)
			}
			if cursor = p.NextCursor; cursor == "" || pages > 10 {
				break
			}
		}
		if len(seen) != 6 {
			t.Fatalf("%s: saw %v", sort, seen)
		}
		uniq := map[string]bool{}
		for _, s := range seen {
			uniq[s] = true
		}
		if len(uniq) != 6 {
			t.Fatalf("%s: duplicates in %v", sort, seen)
		}
	}
	// Bad list input.
	for _, in := range []panel.ListAccountsInput{{Sort: "password_hash"}, {Limit: 1000}, {Level: "root"}, {Cursor: "garbage"}, {Cursor: "eyJzIjoibmFtZSJ9"}} {
		if _, err := env.Panel.Accounts.List(adminCtx, in); testkit.Code(err) != panel.CodeInvalid {
			t.Fatalf("%+v: %v", in, err)
		}
	}
}
