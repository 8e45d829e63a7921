package panel_test

import (
	"strings"
	"testing"
	"time"

	"castdesk/backend/mailer/mailertest"
	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// Mail that failed because the email settings were wrong: listed in the
// outbox of every account, sent again by itself after a successful test
// (those that failed in the last day) and by "Retry failed messages" (the
// older ones); a failure the settings cannot fix (a refused recipient) stays
// failed. Every message put back is audited; only administrators may.
func TestRetryOfMailThatFailedForASettingsReason(t *testing.T) {
	k := newMailKit(t, testMail)
	jane := k.CreateAccount(t, k.admin, "jane", panel.LevelCustomer)
	bob := k.CreateAccount(t, k.admin, "bob", panel.LevelCustomer)

	failWith := func(err error, accountID int64, subject string) int64 {
		t.Helper()
		k.mailer.Fail(err)
		q := k.emailUser(t, accountID, subject)
		k.drain(t)
		return q.MailID
	}
	old := failWith(mailertest.Permanent(panel.MailErrAuth, "535 bad login"), jane.ID, "Old, wrong password")
	refused := failWith(mailertest.Permanent(panel.MailErrRecipientRefused, "550 no such user"), bob.ID, "Refused recipient")
	k.Clock.Advance(48 * time.Hour)
	recent := failWith(mailertest.Permanent(panel.MailErrAuth, "535 bad login"), jane.ID, "Recent, wrong password")

	// The outbox of every account: by state, and by settings reason.
	failed, err := k.Panel.Mail.Outbox(k.admin, panel.OutboxListInput{State: "failed"})
	if err != nil {
		t.Fatal(err)
	}
	if failed.Total != 3 || failed.SettingsFailures != 2 || len(failed.Items) != 3 {
		t.Fatalf("failed: total %d, settings %d, items %d", failed.Total, failed.SettingsFailures, len(failed.Items))
	}
	for _, it := range failed.Items {
		wantSettings := it.ID != refused
		if it.SettingsReason != wantSettings || it.AccountUsername == "" {
			t.Errorf("mail %d: settings_reason %v, account %q", it.ID, it.SettingsReason, it.AccountUsername)
		}
	}
	bySettings, err := k.Panel.Mail.Outbox(k.admin, panel.OutboxListInput{Reason: "settings"})
	if err != nil || bySettings.Total != 2 || bySettings.Items[0].ID != recent || bySettings.Items[1].ID != old {
		t.Fatalf("by settings reason: %+v %v", bySettings, err)
	}
	if _, err := k.Panel.Mail.Outbox(k.admin, panel.OutboxListInput{State: "lost"}); panel.AsError(err).Fields["state"] != panel.ReasonInvalid {
		t.Fatalf("unknown state: %v", err)
	}
	if page, err := k.Panel.Mail.Outbox(k.admin, panel.OutboxListInput{Limit: 2}); err != nil || len(page.Items) != 2 || page.NextCursor == "" || page.Total != 3 {
		t.Fatalf("paged: %+v %v", page, err)
	}

	// The settings are fixed: a successful test sends the recent one again by itself.
	k.mailer.Fail(nil)
	res, err := k.Panel.Mail.TestEmail(k.admin, panel.TestEmailInput{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Retried != 1 || res.SettingsFailures != 1 {
		t.Fatalf("after the test: retried %d, left %d", res.Retried, res.SettingsFailures)
	}
	k.drain(t)
	state := func(id int64) panel.MailState {
		for _, accountID := range []int64{jane.ID, bob.ID} {
			for _, m := range k.log(t, accountID) {
				if m.ID == id {
					return m.State
				}
			}
		}
		return ""
	}
	if state(recent) != panel.MailSent || state(old) != panel.MailFailed || state(refused) != panel.MailFailed {
		t.Fatalf("after the test: recent %s, old %s, refused %s", state(recent), state(old), state(refused))
	}
	auto := auditRows(t, k.Env, k.admin, "mail.retry")
	if len(auto) != 1 || auto[0].SubjectID != itoa(jane.ID) || !strings.Contains(auto[0].Details, "automatic") {
		t.Fatalf("audit after the test: %+v", auto)
	}

	// Only administrators see the outbox of every account or retry.
	janeCtx := k.Login(t, "jane", testkit.StrongPassword)
	if _, err := k.Panel.Mail.Outbox(janeCtx, panel.OutboxListInput{}); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("customer outbox: %v", err)
	}
	if _, err := k.Panel.Mail.RetryFailed(janeCtx, panel.RetryFailedInput{Reason: "settings"}); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("customer retry: %v", err)
	}
	if _, err := k.Panel.Mail.RetryFailed(k.admin, panel.RetryFailedInput{}); panel.AsError(err).Fields["reason"] != panel.ReasonInvalid {
		t.Fatalf("retry without a reason: %v", err)
	}

	// "Retry failed messages": the older one too; the refused recipient stays failed.
	got, err := k.Panel.Mail.RetryFailed(k.admin, panel.RetryFailedInput{Reason: "settings"})
	if err != nil || got.Requeued != 1 || !got.Configured {
		t.Fatalf("retry: %+v %v", got, err)
	}
	if row := k.log(t, jane.ID); row[len(row)-1].ID == old && (row[len(row)-1].LastError != "" || row[len(row)-1].Attempts != 0) {
		t.Fatalf("requeued row keeps its old failure: %+v", row[len(row)-1])
	}
	k.drain(t)
	if state(old) != panel.MailSent || state(refused) != panel.MailFailed {
		t.Fatalf("after retry: old %s, refused %s", state(old), state(refused))
	}
	if again, _ := k.Panel.Mail.RetryFailed(k.admin, panel.RetryFailedInput{Reason: "settings"}); again.Requeued != 0 {
		t.Fatalf("nothing left to retry, got %d", again.Requeued)
	}
	if rows := auditRows(t, k.Env, k.admin, "mail.retry"); len(rows) != 2 {
		t.Fatalf("audit: %d mail.retry rows", len(rows))
	}
	// Each message was delivered once.
	subjects := map[string]int{}
	for _, m := range k.mailer.Messages() {
		subjects[m.Subject]++
	}
	if subjects["Old, wrong password"] != 1 || subjects["Recent, wrong password"] != 1 || subjects["Refused recipient"] != 0 {
		t.Fatalf("delivered: %v", subjects)
	}
}

// The first-steps checklist: email tested only with the settings the test
// went out with; plans, customers and the admin's own API access counted.
func TestSetupChecklist(t *testing.T) {
	k := newMailKit(t, testMail)
	list, err := k.Panel.Accounts.SetupChecklist(k.admin)
	if err != nil {
		t.Fatal(err)
	}
	if !list.EmailConfigured || list.EmailTested || list.Plans != 0 || list.Customers != 0 || list.APIAccess || list.Done {
		t.Fatalf("fresh: %+v", list)
	}
	if _, err := k.Panel.Mail.TestEmail(k.admin, panel.TestEmailInput{}); err != nil {
		t.Fatal(err)
	}
	if list, _ = k.Panel.Accounts.SetupChecklist(k.admin); !list.EmailTested {
		t.Fatalf("after a test: %+v", list)
	}
	host := "smtp2.example.org"
	if _, err := k.Panel.Settings.Update(k.admin, panel.SettingsPatch{SMTPHost: &host}); err != nil {
		t.Fatal(err)
	}
	if list, _ = k.Panel.Accounts.SetupChecklist(k.admin); list.EmailTested {
		t.Fatalf("other settings than the tested ones: %+v", list)
	}
	k.CreateAccount(t, k.admin, "jane", panel.LevelCustomer)
	k.CreateAccount(t, k.admin, "root2", panel.LevelAdmin)
	if list, _ = k.Panel.Accounts.SetupChecklist(k.admin); list.Customers != 1 {
		t.Fatalf("customers: %+v", list)
	}
	janeCtx := k.Login(t, "jane", testkit.StrongPassword)
	if _, err := k.Panel.Accounts.SetupChecklist(janeCtx); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("customer: %v", err)
	}
}
