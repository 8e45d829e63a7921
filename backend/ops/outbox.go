package ops

import (
	"net/http"

	"castdesk/backend/panel"
)

// The outbox of every account, "Retry failed messages" and the first-steps
// checklist of Home.
var outboxOps = []*Op{
	declare(Op{Name: "outboxList", Scope: panel.AreaMail, Method: "GET", Path: "/mail/outbox", Tag: "Email", Access: AdminOnly,
		Summary: "The outbox of every account, newest first",
		Description: "Bodies of messages that held a code or a password are left out. `settings_reason` marks a failure " +
			"caused by the email settings; `settings_failures` counts them all.",
		ParamDocs: map[string]string{"state": "queued, sending, sent or failed", "reason": "settings: only messages that failed because of the email settings",
			"cursor": "next_cursor of the previous page", "limit": "page size, 1-200 (default 50)"}},
		func(e Env, in panel.OutboxListInput) (panel.OutboxPage, error) { return e.Panel.Mail.Outbox(e.Ctx, in) }),

	declare(Op{Name: "mailRetryFailed", Scope: panel.AreaMail, Method: "POST", Path: "/mail/retry-failed", Tag: "Email", Access: AdminOnly,
		Status: http.StatusAccepted, Summary: "Retry failed messages",
		Description: "`reason` must be `settings`: every message that failed because of the email settings goes back to " +
			"the queue (each audited as mail.retry). A successful test email already does so for those that failed in " +
			"the last day."},
		func(e Env, in panel.RetryFailedInput) (panel.RetryResult, error) {
			return e.Panel.Mail.RetryFailed(e.Ctx, in)
		}),

	declare(Op{Name: "setupChecklist", Scope: panel.AreaSettings, Method: "GET", Path: "/home/checklist", Tag: "System", Access: AdminOnly,
		Summary:     "A new administrator's first steps",
		Description: "Email configured and tested with the current settings, a first plan, a first customer, the caller's own API access."},
		func(e Env, _ NoInput) (panel.SetupChecklist, error) { return e.Panel.Accounts.SetupChecklist(e.Ctx) }),
}
