package ops

import (
	"net/http"

	"castdesk/backend/panel"
)

// CustomerEmail is "Email this user" for account {id}.
type CustomerEmail struct {
	ByID
	panel.EmailUserInput
}

// CustomerMailLog pages account {id}'s mail log.
type CustomerMailLog struct {
	ByID
	panel.MailLogInput
}

// MailResend names one message of account {id}'s log.
type MailResend struct {
	ByID
	MailID int64 `json:"mail_id" path:"mail_id"`
}

// TemplateRef names one template in one language.
type TemplateRef struct {
	Name     string `json:"name" path:"name"`
	Language string `json:"language" path:"language"`
}

// TemplateEdit is a template's editable part, named by the path.
type TemplateEdit struct {
	TemplateRef
	Subject string `json:"subject"`
	HTML    string `json:"html"`
}

func (t TemplateEdit) input() panel.TemplateInput {
	return panel.TemplateInput{Name: t.Name, Language: t.Language, Subject: t.Subject, HTML: t.HTML}
}

var mailOps = []*Op{
	declare(Op{Name: "mailStatus", Scope: panel.AreaMail, Method: "GET", Path: "/mail/status", Tag: "Email", Access: AnyAccount,
		Summary:     "Whether email is configured",
		Description: "The create form ticks \"send welcome email\" by default when it is."},
		func(e Env, _ NoInput) (panel.MailStatus, error) { return e.Panel.Mail.Status(e.Ctx) }),

	declare(Op{Name: "mailSendTest", Scope: panel.AreaMail, Method: "POST", Path: "/settings/email/test", Tag: "Email", Access: AdminOnly,
		Errors: []int{503}, Summary: "Send a test email now",
		Description: "Outside the outbox. On failure 503 `unavailable`: `fields` names the settings field the failure " +
			"points at with its reason. `to` defaults to the caller's email."},
		func(e Env, in panel.TestEmailInput) (panel.TestEmailResult, error) {
			return e.Panel.Mail.TestEmail(e.Ctx, in)
		}),

	declare(Op{Name: "customerEmail", Scope: panel.AreaMail, Method: "POST", Path: "/customers/{id}/email", Tag: "Email", Access: AnyAccount,
		Status: http.StatusAccepted, Summary: "Email this user (queued in the outbox)",
		Description: "Admins, or the account's reseller. `message` is HTML, sanitised; a plain-text alternative is made " +
			"from it. From is the system address, To the account's email. `configured` false: the message waits until " +
			"email is set up."},
		func(e Env, in CustomerEmail) (panel.QueuedMail, error) {
			return e.Panel.Mail.EmailUser(e.Ctx, in.ID, in.EmailUserInput)
		}),

	declare(Op{Name: "customerEmailPreview", Scope: panel.AreaMail, ReadOnly: true, Method: "POST", Path: "/customers/{id}/email/preview", Tag: "Email",
		Access: AnyAccount, Summary: "Preview \"Email this user\" without sending",
		Description: "The sanitised HTML (show it in a sandboxed frame) and the plain-text alternative, in the " +
			"recipient's language."},
		func(e Env, in CustomerEmail) (panel.EmailPreview, error) {
			return e.Panel.Mail.PreviewUserEmail(e.Ctx, in.ID, in.EmailUserInput)
		}),

	declare(Op{Name: "customerMailLog", Scope: panel.AreaMail, Method: "GET", Path: "/customers/{id}/mail", Tag: "Email", Access: AnyAccount,
		Summary:   "The account's mail log (outbox entries), newest first",
		ParamDocs: map[string]string{"cursor": "next_cursor of the previous page", "limit": "page size, 1-200 (default 50)"}},
		func(e Env, in CustomerMailLog) (panel.MailPage, error) {
			return e.Panel.Mail.MailLog(e.Ctx, in.ID, in.MailLogInput)
		}),

	declare(Op{Name: "customerMailResend", Scope: panel.AreaMail, Method: "POST", Path: "/customers/{id}/mail/{mail_id}/resend", Tag: "Email",
		Access: AnyAccount, Status: http.StatusAccepted, NoBody: true, Errors: []int{409},
		Summary: "Queue a copy of a sent or failed message",
		Description: "409 while the message is still queued, or when its body held a code or password and was wiped " +
			"after sending."},
		func(e Env, in MailResend) (panel.QueuedMail, error) {
			return e.Panel.Mail.Resend(e.Ctx, in.ID, in.MailID)
		}),

	declare(Op{Name: "templatesList", Scope: panel.AreaMail, Method: "GET", Path: "/templates", Tag: "Email", Access: AdminOnly,
		Summary: "Every email template in every language"},
		func(e Env, _ NoInput) (panel.TemplateList, error) { return e.Panel.Mail.Templates(e.Ctx) }),

	declare(Op{Name: "templateUpdate", Scope: panel.AreaMail, Method: "PUT", Path: "/templates/{name}/{language}", Tag: "Email", Access: AdminOnly,
		Summary: "Save a template",
		Description: "Placeholders are written {{name}}; each template allows those listed in `placeholders`. " +
			"Field reasons: `unknown_placeholder`, `missing_message` (custom must hold {{message}})."},
		func(e Env, in TemplateEdit) (panel.MailTemplate, error) {
			return e.Panel.Mail.UpdateTemplate(e.Ctx, in.input())
		}),

	declare(Op{Name: "templateReset", Scope: panel.AreaMail, Method: "DELETE", Path: "/templates/{name}/{language}", Tag: "Email",
		Access: AdminOnly, Summary: "Back to the built-in template"},
		func(e Env, in TemplateRef) (panel.MailTemplate, error) {
			return e.Panel.Mail.ResetTemplate(e.Ctx, in.Name, in.Language)
		}),

	declare(Op{Name: "templatePreview", Scope: panel.AreaMail, ReadOnly: true, Method: "POST", Path: "/templates/{name}/{language}/preview", Tag: "Email",
		Access: AdminOnly, Summary: "Render a (possibly unsaved) template with sample values"},
		func(e Env, in TemplateEdit) (panel.RenderedMail, error) {
			return e.Panel.Mail.PreviewTemplate(e.Ctx, in.input())
		}),
}
