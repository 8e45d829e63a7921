package panel_test

import (
	"context"
	"strings"
	"testing"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// outrankedErr checks a refusal because a higher level imposed the state:
// 403 forbidden, the field's reason set_by_higher_level, params {level: admin}.
func outrankedErr(t *testing.T, what string, err error, field string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: allowed, want forbidden set_by_higher_level", what)
	}
	pe := panel.AsError(err)
	if pe.Code != panel.CodeForbidden || pe.Fields[field] != panel.ReasonSetByHigherLevel || pe.Params[field]["level"] != "admin" {
		t.Fatalf("%s: want forbidden %s=set_by_higher_level {level: admin}, got %v (%+v)", what, field, err, pe)
	}
}

func mustOK(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// TestSuspensionsAndDisablesBelongToWhoImposedThem is the matrix of who may
// lift what: a service suspended (or an account disabled) by an
// administrator can be lifted or deleted only by an administrator; one a
// reseller imposed, by that reseller or an administrator. Before, a
// reseller's POST /services/{id}/unsuspend lifted an admin's suspension.
func TestSuspensionsAndDisablesBelongToWhoImposedThem(t *testing.T) {
	e := newResellerEnv(t, panel.PlanInput{})
	svc, err := e.Panel.Services.Create(e.reseller, service(e.customerID))
	mustOK(t, "create", err)
	by := func(id int64) *panel.Authority {
		t.Helper()
		s, err := e.Panel.Services.Get(e.admin, id)
		mustOK(t, "get", err)
		return s.SuspendedByLevel
	}
	suspend := func(ctx context.Context, reason string) error {
		_, err := e.Panel.Services.SetSuspended(ctx, svc.ID, true, reason)
		return err
	}
	unsuspend := func(ctx context.Context) error {
		_, err := e.Panel.Services.SetSuspended(ctx, svc.ID, false, "")
		return err
	}

	// Services, suspended by the admin.
	mustOK(t, "admin suspends", suspend(e.admin, "abuse report"))
	if b := by(svc.ID); b == nil || *b != panel.AuthorityAdmin {
		t.Fatalf("suspended_by_level = %v, want admin", b)
	}
	outrankedErr(t, "reseller lifts the admin's suspension", unsuspend(e.reseller), "status")
	outrankedErr(t, "reseller re-suspends (and so would own it)", suspend(e.reseller, "mine now"), "status")
	outrankedErr(t, "reseller deletes the service", e.Panel.Services.Delete(e.reseller, svc.ID), "status")
	outrankedErr(t, "reseller deletes the account holding it", e.Panel.Accounts.Delete(e.reseller, e.customerID, "cust"), "services")
	if _, err := e.Panel.Accounts.DeletePreview(e.reseller, e.customerID); err == nil {
		t.Fatal("the delete preview offers what the delete refuses")
	}
	if _, err := e.Panel.Services.SetSuspended(e.customer, svc.ID, false, ""); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("customer lifts it: %v", err)
	}
	if s, _ := e.Panel.Services.Get(e.admin, svc.ID); s.Status != panel.ServiceSuspended || s.SuspendReason != "abuse report" {
		t.Fatalf("refusals changed the service: %+v", s)
	}
	mustOK(t, "admin lifts its own suspension", unsuspend(e.admin))
	if b := by(svc.ID); b != nil {
		t.Fatalf("active service keeps suspended_by_level %v", *b)
	}

	// Suspended by the reseller: the reseller and the admin may lift it.
	mustOK(t, "reseller suspends", suspend(e.reseller, "unpaid"))
	if b := by(svc.ID); b == nil || *b != panel.AuthorityReseller {
		t.Fatalf("suspended_by_level = %v, want reseller", b)
	}
	mustOK(t, "reseller changes its reason", suspend(e.reseller, "still unpaid"))
	mustOK(t, "reseller lifts its own suspension", unsuspend(e.reseller))
	mustOK(t, "reseller suspends again", suspend(e.reseller, "unpaid"))
	mustOK(t, "admin lifts the reseller's suspension", unsuspend(e.admin))
	mustOK(t, "reseller suspends once more", suspend(e.reseller, "unpaid"))
	mustOK(t, "admin takes it over", suspend(e.admin, "abuse report"))
	outrankedErr(t, "reseller lifts the suspension the admin took over", unsuspend(e.reseller), "status")
	mustOK(t, "admin lifts", unsuspend(e.admin))
	mustOK(t, "reseller suspends", suspend(e.reseller, "unpaid"))
	mustOK(t, "reseller deletes a service it suspended", e.Panel.Services.Delete(e.reseller, svc.ID))

	// Accounts, disabled by the admin.
	off, on := panel.StatusDisabled, panel.StatusEnabled
	setStatus := func(ctx context.Context, s panel.Status) error {
		_, err := e.Panel.Accounts.Update(ctx, e.customerID, panel.UpdateAccountInput{Status: &s})
		return err
	}
	mustOK(t, "admin disables", setStatus(e.admin, off))
	if by, _ := e.Store.AccountDisabledBy(context.Background(), e.customerID); by == nil || *by != panel.AuthorityAdmin {
		t.Fatalf("disabled_by_level = %v, want admin", by)
	}
	outrankedErr(t, "reseller enables what the admin disabled", setStatus(e.reseller, on), "status")
	outrankedErr(t, "reseller deletes what the admin disabled", e.Panel.Accounts.Delete(e.reseller, e.customerID, "cust"), "status")
	name := "Renamed"
	if _, err := e.Panel.Accounts.Update(e.reseller, e.customerID, panel.UpdateAccountInput{Name: &name}); err != nil {
		t.Fatalf("other fields stay the reseller's to change: %v", err)
	}
	if acc, _ := e.Store.AccountByID(context.Background(), e.customerID); acc.IsEnabled() {
		t.Fatal("the account was enabled")
	}
	mustOK(t, "admin enables", setStatus(e.admin, on))
	if by, _ := e.Store.AccountDisabledBy(context.Background(), e.customerID); by != nil {
		t.Fatalf("enabled account keeps disabled_by_level %v", *by)
	}

	// Disabled by the reseller.
	mustOK(t, "reseller disables", setStatus(e.reseller, off))
	mustOK(t, "reseller enables", setStatus(e.reseller, on))
	mustOK(t, "reseller disables again", setStatus(e.reseller, off))
	mustOK(t, "admin enables what a reseller disabled", setStatus(e.admin, on))
	mustOK(t, "reseller disables", setStatus(e.reseller, off))
	mustOK(t, "reseller deletes an account it disabled", e.Panel.Accounts.Delete(e.reseller, e.customerID, "cust"))

	// Created disabled counts as disabled by the creator.
	created, err := e.Panel.Accounts.Create(e.admin, panel.CreateAccountInput{Username: "held", Name: "Held", Email: "held@example.org",
		Status: panel.StatusDisabled, Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
	mustOK(t, "admin creates disabled", err)
	if by, _ := e.Store.AccountDisabledBy(context.Background(), created.ID); by == nil || *by != panel.AuthorityAdmin {
		t.Fatalf("created disabled: disabled_by_level = %v", by)
	}

	// Each suspension is audited with the level that imposed it.
	page, _ := e.Panel.Audit.List(e.admin, panel.AuditQuery{Event: "service.suspend", Limit: 200})
	levels := map[string]int{}
	for _, a := range page.Items {
		levels[strings.Fields(a.Details)[0]]++
	}
	if levels["by=admin"] != 2 || levels["by=reseller"] != 5 {
		t.Fatalf("suspensions audited by level: %v", levels)
	}
}
