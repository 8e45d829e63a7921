package panel_test

import (
	"strconv"
	"strings"
	"testing"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// bulkEnv: the reseller env with a second reseller whose customer the first
// one may not touch.
func bulkEnv(t *testing.T) (*resellerEnv, *panel.Account) {
	t.Helper()
	e := newResellerEnv(t, panel.PlanInput{ServerLimit: panel.Some(10)})
	other, err := e.Panel.Accounts.Create(e.admin, panel.CreateAccountInput{Username: "other", Name: "Other", Email: "o@example.org",
		Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword, ResellerPlanID: &e.planID})
	if err != nil {
		t.Fatal(err)
	}
	otherCtx := e.Login(t, "other", testkit.StrongPassword)
	foreign := e.CreateAccount(t, otherCtx, "foreign", panel.LevelCustomer)
	_ = other
	return e, foreign
}

func resultsByID(res panel.BulkResult) map[int64]panel.BulkRowResult {
	out := map[int64]panel.BulkRowResult{}
	for _, r := range res.Results {
		out[r.ID] = r
	}
	return out
}

// Each row is authorised on its own: a reseller's batch with another
// reseller's customer and an unknown id does its own customers and refuses
// the others as not found (never skipped in silence); each change and each
// refusal is audited.
func TestCustomersBulkAuthorisesEachRow(t *testing.T) {
	e, foreign := bulkEnv(t)
	mine2 := e.CreateAccount(t, e.reseller, "cust2", panel.LevelCustomer)
	ids := []int64{e.customerID, foreign.ID, mine2.ID, 99999}
	res, err := e.Panel.Accounts.Bulk(e.reseller, panel.CustomersBulkInput{Action: panel.BulkDisable, IDs: ids})
	if err != nil {
		t.Fatal(err)
	}
	if res.Done != 2 || res.Refused != 2 || len(res.Results) != 4 {
		t.Fatalf("result: %+v", res)
	}
	byID := resultsByID(res)
	for _, id := range []int64{e.customerID, mine2.ID} {
		if !byID[id].OK || byID[id].Error != nil {
			t.Errorf("own customer %d: %+v", id, byID[id])
		}
		acc, _ := e.Store.AccountByID(t.Context(), id)
		if acc.Status != panel.StatusDisabled {
			t.Errorf("own customer %d still %s", id, acc.Status)
		}
	}
	for _, id := range []int64{foreign.ID, 99999} {
		r := byID[id]
		if r.OK || r.Error == nil || r.Error.Code != panel.CodeNotFound || r.Name != "" {
			t.Errorf("row %d outside the scope: %+v", id, r)
		}
	}
	if acc, _ := e.Store.AccountByID(t.Context(), foreign.ID); acc.Status != panel.StatusEnabled {
		t.Fatal("another reseller's customer was disabled")
	}
	if rows := auditRows(t, e.Env, e.admin, "account.update"); countSubjects(rows, e.customerID, mine2.ID) != 2 {
		t.Errorf("account.update audit rows: %+v", rows)
	}
	refused := auditRows(t, e.Env, e.admin, "account.bulk_refused")
	if len(refused) != 2 || countSubjects(refused, foreign.ID, 99999) != 2 || !strings.Contains(refused[0].Details, "action=disable code=not_found") {
		t.Errorf("refusals audited: %+v", refused)
	}

	// Enable again; a customer may not act on several accounts at all.
	if res, err := e.Panel.Accounts.Bulk(e.reseller, panel.CustomersBulkInput{Action: panel.BulkEnable, IDs: []int64{e.customerID, mine2.ID}}); err != nil || res.Done != 2 {
		t.Fatalf("enable: %+v %v", res, err)
	}
	if _, err := e.Panel.Accounts.Bulk(e.customer, panel.CustomersBulkInput{Action: panel.BulkDisable, IDs: []int64{e.customerID}}); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("customer: %v", err)
	}
	// Input refused as a whole: no action, both ids and a filter, too many ids.
	for name, in := range map[string]panel.CustomersBulkInput{
		"no action":      {IDs: []int64{1}},
		"bad action":     {Action: "explode", IDs: []int64{1}},
		"ids and filter": {Action: panel.BulkDisable, IDs: []int64{1}, Filter: &panel.CustomerFilter{}},
		"no ids":         {Action: panel.BulkDisable},
		"too many ids":   {Action: panel.BulkDisable, IDs: make([]int64, 201)},
	} {
		if _, err := e.Panel.Accounts.Bulk(e.admin, in); testkit.Code(err) != panel.CodeInvalid {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func countSubjects(rows []panel.AuditEntry, ids ...int64) int {
	n := 0
	for _, r := range rows {
		for _, id := range ids {
			if r.SubjectID == strconv.FormatInt(id, 10) {
				n++
			}
		}
	}
	return n
}

// "All N matching the filter", in batches: the caller's scope narrows it,
// the cursor walks it, an administrator's own account is refused (self),
// not skipped.
func TestCustomersBulkByFilterInBatches(t *testing.T) {
	e, foreign := bulkEnv(t)
	for i := range 4 {
		e.CreateAccount(t, e.reseller, "batch"+strconv.Itoa(i), panel.LevelCustomer)
	}
	// The reseller's filter: itself and its 5 customers, never another reseller's.
	var all []panel.BulkRowResult
	cursor, batches := "", 0
	for {
		res, err := e.Panel.Accounts.Bulk(e.reseller, panel.CustomersBulkInput{Action: panel.BulkDisable, Filter: &panel.CustomerFilter{Level: "customer"},
			Cursor: cursor, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		batches++
		all = append(all, res.Results...)
		if cursor = res.NextCursor; cursor == "" {
			break
		}
	}
	if batches != 3 || len(all) != 6 {
		t.Fatalf("%d batches, %d rows: %+v", batches, len(all), all)
	}
	for _, r := range all {
		if r.ID == foreign.ID {
			t.Fatal("another reseller's customer in the reseller's filter")
		}
		// The reseller itself matches the filter: it may not disable itself.
		if r.ID == e.resellerID && (r.OK || r.Error.Code != panel.CodeForbidden) {
			t.Fatalf("the reseller's own account: %+v", r)
		}
	}
	if acc, _ := e.Store.AccountByID(t.Context(), foreign.ID); acc.Status != panel.StatusEnabled {
		t.Fatal("another reseller's customer was disabled")
	}
}

// Email to each, through the outbox; a subject every row would refuse is
// refused once, for the whole batch.
func TestCustomersBulkEmail(t *testing.T) {
	e, foreign := bulkEnv(t)
	mine2 := e.CreateAccount(t, e.reseller, "cust2", panel.LevelCustomer)
	if _, err := e.Panel.Accounts.Bulk(e.reseller, panel.CustomersBulkInput{Action: panel.BulkEmail, IDs: []int64{e.customerID}, Message: "<p>Hi</p>"}); panel.AsError(err).Fields["subject"] != panel.ReasonRequired {
		t.Fatalf("no subject: %v", err)
	}
	res, err := e.Panel.Accounts.Bulk(e.reseller, panel.CustomersBulkInput{Action: panel.BulkEmail, IDs: []int64{e.customerID, mine2.ID, foreign.ID},
		Subject: "Maintenance", Message: "<p>Tonight</p>"})
	if err != nil || res.Done != 2 || res.Refused != 1 {
		t.Fatalf("email: %+v %v", res, err)
	}
	for _, id := range []int64{e.customerID, mine2.ID} {
		page, err := e.Panel.Mail.MailLog(e.reseller, id, panel.MailLogInput{})
		if err != nil || len(page.Items) != 1 || page.Items[0].Subject != "Maintenance" || page.Items[0].State != panel.MailQueued {
			t.Fatalf("mail log of %d: %+v %v", id, page.Items, err)
		}
	}
	if page, _ := e.Panel.Mail.MailLog(e.admin, foreign.ID, panel.MailLogInput{}); len(page.Items) != 0 {
		t.Fatal("mail queued for another reseller's customer")
	}
	if rows := auditRows(t, e.Env, e.admin, "mail.queue"); len(rows) != 2 {
		t.Fatalf("mail.queue audit rows: %d", len(rows))
	}
}

// Delete: one combined preview, the typed count, the accounts gone.
func TestCustomersBulkDelete(t *testing.T) {
	e, foreign := bulkEnv(t)
	mine2 := e.CreateAccount(t, e.reseller, "cust2", panel.LevelCustomer)
	for _, owner := range []int64{e.customerID, mine2.ID} {
		if _, err := e.Panel.Services.Create(e.reseller, service(owner, func(in *panel.ServiceInput) { in.Type = ptr("shoutcast198") })); err != nil {
			t.Fatal(err)
		}
	}
	pv, err := e.Panel.Accounts.BulkDeletePreview(e.reseller, panel.BulkSelection{IDs: []int64{e.customerID, mine2.ID, foreign.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if pv.Count != 2 || pv.Services != 2 || len(pv.ServiceTypes) != 1 || pv.ServiceTypes[0] != (panel.TypeCount{Type: "shoutcast198", Count: 2}) ||
		len(pv.Refused) != 1 || pv.Refused[0].ID != foreign.ID || pv.Refused[0].Error.Code != panel.CodeNotFound {
		t.Fatalf("preview: %+v", pv)
	}
	ids := []int64{e.customerID, mine2.ID}
	for name, in := range map[string]panel.CustomersBulkInput{
		"no count":            {Action: panel.BulkDelete, IDs: ids, Confirm: "2"},
		"count mistyped":      {Action: panel.BulkDelete, IDs: ids, Total: 2, Confirm: "3"},
		"more ids than typed": {Action: panel.BulkDelete, IDs: ids, Total: 1, Confirm: "1"},
	} {
		if _, err := e.Panel.Accounts.Bulk(e.reseller, in); testkit.Code(err) != panel.CodeInvalid {
			t.Errorf("%s: %v", name, err)
		}
	}
	// With a filter, a count that no longer matches is refused before anything goes.
	if _, err := e.Panel.Accounts.Bulk(e.reseller, panel.CustomersBulkInput{Action: panel.BulkDelete, Filter: &panel.CustomerFilter{Q: "cust"},
		Total: 5, Confirm: "5"}); panel.AsError(err).Fields["total"] != panel.ReasonMismatch {
		t.Fatalf("stale count: %v", err)
	}
	res, err := e.Panel.Accounts.Bulk(e.reseller, panel.CustomersBulkInput{Action: panel.BulkDelete, IDs: ids, Total: 2, Confirm: "2"})
	if err != nil || res.Done != 2 {
		t.Fatalf("delete: %+v %v", res, err)
	}
	for _, id := range ids {
		if _, err := e.Store.AccountByID(t.Context(), id); testkit.Code(err) != panel.CodeNotFound {
			t.Errorf("account %d still there", id)
		}
	}
	if rows := auditRows(t, e.Env, e.admin, "account.delete"); countSubjects(rows, ids...) != 2 {
		t.Fatalf("account.delete audit: %+v", rows)
	}
}

// Services: one reason for every suspension; rows outside the scope and a
// suspension imposed by a higher level are refused per row.
func TestServicesBulkSuspendAndUnsuspend(t *testing.T) {
	e, foreign := bulkEnv(t)
	var mine []int64
	for i := range 3 {
		svc, err := e.Panel.Services.Create(e.reseller, service(e.customerID, func(in *panel.ServiceInput) { in.Name = ptr("Radio " + strconv.Itoa(i)) }))
		if err != nil {
			t.Fatal(err)
		}
		mine = append(mine, svc.ID)
	}
	theirs, err := e.Panel.Services.Create(e.admin, service(foreign.ID))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Panel.Services.Bulk(e.reseller, panel.ServicesBulkInput{Action: panel.BulkSuspend, IDs: mine}); panel.AsError(err).Fields["reason"] != panel.ReasonRequired {
		t.Fatalf("no reason: %v", err)
	}
	res, err := e.Panel.Services.Bulk(e.reseller, panel.ServicesBulkInput{Action: panel.BulkSuspend, IDs: append(append([]int64{}, mine...), theirs.ID), Reason: "Unpaid"})
	if err != nil || res.Done != 3 || res.Refused != 1 {
		t.Fatalf("suspend: %+v %v", res, err)
	}
	if r := resultsByID(res)[theirs.ID]; r.OK || r.Error.Code != panel.CodeNotFound || r.Name != "" {
		t.Fatalf("another reseller's service: %+v", r)
	}
	for _, id := range mine {
		svc, _ := e.Store.ServiceByID(t.Context(), id)
		if svc.Status != panel.ServiceSuspended || svc.SuspendReason != "Unpaid" {
			t.Fatalf("service %d: %s %q", id, svc.Status, svc.SuspendReason)
		}
	}
	if rows := auditRows(t, e.Env, e.admin, "service.suspend"); countSubjects(rows, mine...) != 3 {
		t.Fatalf("service.suspend audit: %+v", rows)
	}
	// The admin suspends one anew: the reseller cannot lift that one.
	if _, err := e.Panel.Services.SetSuspended(e.admin, mine[0], true, "Abuse"); err != nil {
		t.Fatal(err)
	}
	res, err = e.Panel.Services.Bulk(e.reseller, panel.ServicesBulkInput{Action: panel.BulkUnsuspend, Filter: &panel.ServiceFilter{Status: "suspended"}})
	if err != nil || res.Done != 2 || res.Refused != 1 || res.Matching != 3 {
		t.Fatalf("unsuspend by filter: %+v %v", res, err)
	}
	if r := resultsByID(res)[mine[0]]; r.OK || r.Error.Code != panel.CodeForbidden || r.Error.Fields["status"] != panel.ReasonSetByHigherLevel {
		t.Fatalf("a suspension by the admin: %+v", r)
	}
	if refused := auditRows(t, e.Env, e.admin, "service.bulk_refused"); countSubjects(refused, theirs.ID, mine[0]) != 2 {
		t.Fatalf("service refusals audited: %+v", refused)
	}
	if _, err := e.Panel.Services.Bulk(e.customer, panel.ServicesBulkInput{Action: panel.BulkUnsuspend, IDs: mine}); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("customer: %v", err)
	}
}
