package panel_test

import (
	"context"
	"strconv"
	"testing"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

func TestLoginAsAndBack(t *testing.T) {
	e := newResellerEnv(t, panel.PlanInput{})
	adminRes, err := e.Panel.Auth.Login(context.Background(), panel.LoginInput{Username: "admin", Password: testkit.StrongPassword})
	if err != nil {
		t.Fatal(err)
	}
	adminCtx := e.As(t, adminRes.Token)

	res, admin, err := e.Panel.Auth.LoginAs(adminCtx, e.customerID)
	if err != nil || res.Account.ID != e.customerID || admin.Username != "admin" {
		t.Fatalf("login as: %+v %+v %v", res, admin, err)
	}
	// The admin's previous session is gone; the new one is inside the customer.
	if _, err := e.Panel.Auth.Authenticate(context.Background(), adminRes.Token); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatal("the admin's old session survived")
	}
	inside := e.As(t, res.Token)
	me, _ := e.Panel.Auth.Me(inside)
	if me.Account.ID != e.customerID || me.Impersonator == nil || me.Impersonator.Username != "admin" {
		t.Fatalf("me inside: %+v", me)
	}
	// No nesting; credentials of the target are off limits.
	if _, _, err := e.Panel.Auth.LoginAs(inside, e.resellerID); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("nested login as: %v", err)
	}
	if err := e.Panel.Auth.ChangePassword(inside, panel.ChangePasswordInput{CurrentPassword: testkit.StrongPassword,
		Password: "Fresh-Passw0rd-9", PasswordConfirm: "Fresh-Passw0rd-9"}); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("password change while inside: %v", err)
	}
	if _, err := e.Panel.Accounts.Update(inside, e.customerID, panel.UpdateAccountInput{Email: ptr("new@example.org")}); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("email change while inside: %v", err)
	}
	// Other changes work and record both the account and the admin.
	if _, err := e.Panel.Accounts.Update(inside, e.customerID, panel.UpdateAccountInput{ContactNumber: ptr("+34 1")}); err != nil {
		t.Fatal(err)
	}
	back, err := e.Panel.Auth.Logout(inside)
	if err != nil || back.Account.Username != "admin" || back.Token == "" {
		t.Fatalf("logout from inside: %+v %v", back, err)
	}
	if _, err := e.Panel.Auth.Authenticate(context.Background(), res.Token); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatal("the inside session survived logout")
	}
	again := e.As(t, back.Token)
	if me, _ := e.Panel.Auth.Me(again); me.Account.Username != "admin" || me.Impersonator != nil {
		t.Fatalf("back as: %+v", me)
	}
	page, err := e.Panel.Audit.List(again, panel.AuditQuery{Event: "account.update"})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("audit: %+v %v", page, err)
	}
	last := page.Items[0]
	if last.ActorName != "cust" || last.ImpersonatorName != "admin" || last.ImpersonatorID == nil {
		t.Fatalf("change inside not attributed to both: %+v", last)
	}
	for _, ev := range []string{"login_as.start", "login_as.end"} {
		if p, _ := e.Panel.Audit.List(again, panel.AuditQuery{Event: ev}); len(p.Items) != 1 {
			t.Fatalf("%s not audited: %+v", ev, p.Items)
		}
	}
}

func TestLoginAsRules(t *testing.T) {
	e := newResellerEnv(t, panel.PlanInput{})
	other := e.CreateAccount(t, e.admin, "stranger", panel.LevelCustomer)
	second := e.CreateAccount(t, e.admin, "admin2", panel.LevelAdmin)
	fresh := func(user string) context.Context { return e.Login(t, user, testkit.StrongPassword) }
	if _, _, err := e.Panel.Auth.LoginAs(fresh("admin"), second.ID); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("into an admin: %v", err)
	}
	if _, _, err := e.Panel.Auth.LoginAs(fresh("reseller"), other.ID); testkit.Code(err) != panel.CodeNotFound {
		t.Fatalf("reseller into another's customer: %v", err)
	}
	if _, _, err := e.Panel.Auth.LoginAs(fresh("reseller"), e.customerID); err != nil {
		t.Fatalf("reseller into its customer: %v", err)
	}
	if _, _, err := e.Panel.Auth.LoginAs(fresh("cust"), e.resellerID); testkit.Code(err) == "" {
		t.Fatal("a customer logged in as another account")
	}
}

func TestOwnPasswordChangeAndTemporaryPassword(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	dora := env.CreateAccount(t, adminCtx, "dora", panel.LevelCustomer)
	first, _ := env.Panel.Auth.Login(context.Background(), panel.LoginInput{Username: "dora", Password: testkit.StrongPassword})
	second, _ := env.Panel.Auth.Login(context.Background(), panel.LoginInput{Username: "dora", Password: testkit.StrongPassword})
	ctx := env.As(t, first.Token)
	bad := []panel.ChangePasswordInput{
		{CurrentPassword: "wrong-one-123", Password: "Fresh-Passw0rd-9", PasswordConfirm: "Fresh-Passw0rd-9"},
		{CurrentPassword: testkit.StrongPassword, Password: "Fresh-Passw0rd-9", PasswordConfirm: "nope"},
		{CurrentPassword: testkit.StrongPassword, Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword},
		{CurrentPassword: testkit.StrongPassword, Password: "letmein1", PasswordConfirm: "letmein1"},
	}
	for _, in := range bad {
		if err := env.Panel.Auth.ChangePassword(ctx, in); testkit.Code(err) != panel.CodeInvalid {
			t.Fatalf("%+v: %v", in, err)
		}
	}
	if err := env.Panel.Auth.ChangePassword(ctx, panel.ChangePasswordInput{CurrentPassword: testkit.StrongPassword,
		Password: "Fresh-Passw0rd-9", PasswordConfirm: "Fresh-Passw0rd-9"}); err != nil {
		t.Fatal(err)
	}
	env.As(t, first.Token) // this session stays
	if _, err := env.Panel.Auth.Authenticate(context.Background(), second.Token); testkit.Code(err) != panel.CodeUnauthorized {
		t.Fatal("other session survived the password change")
	}
	// A temporary password: everything but me, logout and the change is refused.
	if err := env.Store.Write(context.Background(), func(tx panel.Tx) error {
		h, _ := panel.HashPassword("Temp-Passw0rd-1")
		return tx.SetPasswordHash(context.Background(), dora.ID, h, true)
	}); err != nil {
		t.Fatal(err)
	}
	tmp := env.Login(t, "dora", "Temp-Passw0rd-1")
	if me, err := env.Panel.Auth.Me(tmp); err != nil || !me.Account.MustChangePassword {
		t.Fatalf("me with a temporary password: %+v %v", me, err)
	}
	if _, err := env.Panel.Accounts.Overview(tmp, dora.ID); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("overview before changing the temporary password: %v", err)
	}
	if err := env.Panel.Auth.ChangePassword(tmp, panel.ChangePasswordInput{CurrentPassword: "Temp-Passw0rd-1",
		Password: "Chosen-Passw0rd-2", PasswordConfirm: "Chosen-Passw0rd-2"}); err != nil {
		t.Fatal(err)
	}
	after := env.Login(t, "dora", "Chosen-Passw0rd-2")
	if _, err := env.Panel.Accounts.Overview(after, dora.ID); err != nil {
		t.Fatalf("after the change: %v", err)
	}
}

func TestAuditListFiltersAndPages(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	for i := 0; i < 5; i++ {
		env.CreateAccount(t, adminCtx, "user"+itoa(int64(i)), panel.LevelCustomer)
	}
	env.Panel.Auth.Login(context.Background(), panel.LoginInput{Username: "user1", Password: "wrong-password"})
	var ids []int64
	cursor := int64(0)
	for {
		page, err := env.Panel.Audit.List(adminCtx, panel.AuditQuery{Event: "account", Limit: 2, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Items {
			ids = append(ids, e.ID)
			if e.Event != "account.create" || e.ActorName != "admin" {
				t.Fatalf("filter leaked %+v", e)
			}
		}
		if page.NextCursor == "" {
			break
		}
		cursor, _ = strconv.ParseInt(page.NextCursor, 10, 64)
	}
	if len(ids) != 5 || ids[0] < ids[4] {
		t.Fatalf("creates seen newest first: %v", ids)
	}
	fail, _ := env.Panel.Audit.List(adminCtx, panel.AuditQuery{Event: "login.failure"})
	if len(fail.Items) != 1 || fail.Items[0].SubjectType != "account" {
		t.Fatalf("failures: %+v", fail.Items)
	}
	user := env.Login(t, "user2", testkit.StrongPassword)
	if _, err := env.Panel.Audit.List(user, panel.AuditQuery{}); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("a customer reads the audit: %v", err)
	}
}
