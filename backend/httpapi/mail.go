package httpapi

import (
	"net/http"
	"strconv"

	"castdesk/backend/panel"
)

// Email (spec §6): the test email, "Email this user" with its preview, the
// per-customer mail log with resend, and the templates editor.

// templateBody is the editable part of a template; name and language are in the path.
type templateBody struct {
	Subject string `json:"subject"`
	HTML    string `json:"html"`
}

// template names the template from the path: /templates/{name}/{language}.
func (b templateBody) template(r *http.Request) panel.TemplateInput {
	return panel.TemplateInput{Name: r.PathValue("name"), Language: r.PathValue("language"), Subject: b.Subject, HTML: b.HTML}
}

func init() {
	documentRoutes(map[string]routeDoc{
		"GET /api/v1/mail/status": {Tag: "Email", Access: anyAccount, Summary: "Whether email is configured",
			Description: "The create form ticks \"send welcome email\" by default when it is.", Response: panel.MailStatus{}},
		"POST /api/v1/settings/email/test": {Tag: "Email", Access: adminOnly, Summary: "Send a test email now",
			Description: "Outside the outbox. On failure 503 `unavailable` whose message says what failed and whose `fields` " +
				"hold `kind` (dns, connect, tls, certificate, auth, recipient_refused, timeout, downgrade_refused, rejected, " +
				"not_configured) and the settings field it points at (e.g. `smtp_password: auth`). `to` defaults to the caller's email.",
			Request: panel.TestEmailInput{}, Response: panel.TestEmailResult{}, Errors: []int{503}},
		"POST /api/v1/customers/{id}/email": {Tag: "Email", Access: anyAccount, Summary: "Email this user (queued in the outbox)",
			Description: "Admins, or the account's reseller. `message` is HTML, sanitised; a plain-text alternative is made from it. " +
				"From is the system address, To the account's email. `configured` false: the message waits until email is set up.",
			Request: panel.EmailUserInput{}, Status: http.StatusAccepted, Response: panel.QueuedMail{}},
		"POST /api/v1/customers/{id}/email/preview": {Tag: "Email", Access: anyAccount, Summary: "Preview \"Email this user\" without sending",
			Description: "The sanitised HTML (show it in a sandboxed frame) and the plain-text alternative, in the recipient's language.",
			Request:     panel.EmailUserInput{}, Response: panel.EmailPreview{}},
		"GET /api/v1/customers/{id}/mail": {Tag: "Email", Access: anyAccount, Summary: "The account's mail log (outbox entries), newest first",
			Query: pageQuery, Response: panel.MailPage{}},
		"POST /api/v1/customers/{id}/mail/{mail_id}/resend": {Tag: "Email", Access: anyAccount, Summary: "Queue a copy of a sent or failed message",
			Description: "409 while the message is still queued, or when its body held a code or password and was wiped after sending.",
			Status:      http.StatusAccepted, Response: panel.QueuedMail{}, Errors: []int{409}},
		"GET /api/v1/templates": {Tag: "Email", Access: adminOnly, Summary: "Every email template in every language",
			Response: panel.TemplateList{}},
		"PUT /api/v1/templates/{name}/{language}": {Tag: "Email", Access: adminOnly, Summary: "Save a template",
			Description: "Placeholders are written {{name}}; each template allows those listed in `placeholders`. " +
				"Field reasons: `unknown_placeholder`, `missing_message` (custom must hold {{message}}).",
			Request: templateBody{}, Response: panel.MailTemplate{}},
		"DELETE /api/v1/templates/{name}/{language}": {Tag: "Email", Access: adminOnly, Summary: "Back to the built-in template",
			Response: panel.MailTemplate{}},
		"POST /api/v1/templates/{name}/{language}/preview": {Tag: "Email", Access: adminOnly, Summary: "Render a (possibly unsaved) template with sample values",
			Request: templateBody{}, Response: panel.RenderedMail{}},
	})
}

func (s *Server) mailRoutes() {
	m := s.panel.Mail
	s.handle("GET /api/v1/mail/status", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		st, err := m.Status(r.Context())
		return http.StatusOK, st, err
	})
	s.handle("POST /api/v1/settings/email/test", withBody(http.StatusOK, func(r *http.Request, in panel.TestEmailInput) (any, error) {
		return m.TestEmail(r.Context(), in)
	}))
	s.handle("POST /api/v1/customers/{id}/email", byIDWithBody(http.StatusAccepted, func(r *http.Request, id int64, in panel.EmailUserInput) (any, error) {
		return m.EmailUser(r.Context(), id, in)
	}))
	s.handle("POST /api/v1/customers/{id}/email/preview", byIDWithBody(http.StatusOK, func(r *http.Request, id int64, in panel.EmailUserInput) (any, error) {
		return m.PreviewUserEmail(r.Context(), id, in)
	}))
	s.handle("GET /api/v1/customers/{id}/mail", byID(http.StatusOK, func(r *http.Request, id int64) (any, error) {
		fields := map[string]string{}
		in := panel.MailLogInput{Cursor: r.URL.Query().Get("cursor"), Limit: int(queryInt(r, "limit", fields))}
		if len(fields) > 0 {
			return nil, panel.Invalid(fields)
		}
		return m.MailLog(r.Context(), id, in)
	}))
	s.handle("POST /api/v1/customers/{id}/mail/{mail_id}/resend", byID(http.StatusAccepted, func(r *http.Request, id int64) (any, error) {
		mailID, err := strconv.ParseInt(r.PathValue("mail_id"), 10, 64)
		if err != nil || mailID <= 0 {
			return nil, panel.NotFound("Message")
		}
		return m.Resend(r.Context(), id, mailID)
	}))
	s.handle("GET /api/v1/templates", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		list, err := m.Templates(r.Context())
		return http.StatusOK, list, err
	})
	s.handle("PUT /api/v1/templates/{name}/{language}", withBody(http.StatusOK, func(r *http.Request, in templateBody) (any, error) {
		return m.UpdateTemplate(r.Context(), in.template(r))
	}))
	s.handle("DELETE /api/v1/templates/{name}/{language}", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		t, err := m.ResetTemplate(r.Context(), r.PathValue("name"), r.PathValue("language"))
		return http.StatusOK, t, err
	})
	s.handle("POST /api/v1/templates/{name}/{language}/preview", withBody(http.StatusOK, func(r *http.Request, in templateBody) (any, error) {
		return m.PreviewTemplate(r.Context(), in.template(r))
	}))
}
