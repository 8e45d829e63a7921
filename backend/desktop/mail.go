package desktop

import (
	"context"

	"castdesk/backend/panel"
)

// Mail is email (spec §6): the test email, "Email this user" with its
// preview, the mail log with resend, and the templates editor. Same
// services, same rules as the HTTP door's /settings/email/test,
// /customers/{id}/email, /customers/{id}/mail and /templates routes.
type Mail struct{ s *Session }

// CustomerEmailInput is "Email this user" for account ID.
type CustomerEmailInput struct {
	ID int64 `json:"id"`
	panel.EmailUserInput
}

// CustomerMailLogInput pages account ID's mail log.
type CustomerMailLogInput struct {
	ID int64 `json:"id"`
	panel.MailLogInput
}

// ResendInput names one message of account ID's log.
type ResendInput struct {
	ID     int64 `json:"id"`
	MailID int64 `json:"mail_id"`
}

// TemplateRef names one template in one language.
type TemplateRef struct {
	Name     string `json:"name"`
	Language string `json:"language"`
}

func (x *Mail) Status(_ Empty) (panel.MailStatus, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.MailStatus, error) {
		return x.s.panel.Mail.Status(ctx)
	})
}

func (x *Mail) SendTest(in panel.TestEmailInput) (panel.TestEmailResult, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.TestEmailResult, error) {
		return x.s.panel.Mail.TestEmail(ctx, in)
	})
}

func (x *Mail) EmailUser(in CustomerEmailInput) (panel.QueuedMail, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.QueuedMail, error) {
		return x.s.panel.Mail.EmailUser(ctx, in.ID, in.EmailUserInput)
	})
}

func (x *Mail) PreviewUserEmail(in CustomerEmailInput) (panel.EmailPreview, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.EmailPreview, error) {
		return x.s.panel.Mail.PreviewUserEmail(ctx, in.ID, in.EmailUserInput)
	})
}

func (x *Mail) Log(in CustomerMailLogInput) (panel.MailPage, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.MailPage, error) {
		return x.s.panel.Mail.MailLog(ctx, in.ID, in.MailLogInput)
	})
}

func (x *Mail) Resend(in ResendInput) (panel.QueuedMail, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.QueuedMail, error) {
		return x.s.panel.Mail.Resend(ctx, in.ID, in.MailID)
	})
}

func (x *Mail) Templates(_ Empty) (panel.TemplateList, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.TemplateList, error) {
		return x.s.panel.Mail.Templates(ctx)
	})
}

func (x *Mail) UpdateTemplate(in panel.TemplateInput) (panel.MailTemplate, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.MailTemplate, error) {
		return x.s.panel.Mail.UpdateTemplate(ctx, in)
	})
}

func (x *Mail) ResetTemplate(in TemplateRef) (panel.MailTemplate, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.MailTemplate, error) {
		return x.s.panel.Mail.ResetTemplate(ctx, in.Name, in.Language)
	})
}

func (x *Mail) PreviewTemplate(in panel.TemplateInput) (panel.RenderedMail, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.RenderedMail, error) {
		return x.s.panel.Mail.PreviewTemplate(ctx, in)
	})
}
