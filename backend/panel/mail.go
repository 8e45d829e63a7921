package panel

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
)

// Mail is the email service: settings test, "email this user", the mail
// log with resend, templates, and the outbox worker (outbox.go).
type Mail struct {
	deps     *Deps
	settings *Settings
	accounts *Accounts
	outbox   *outbox
}

func newMail(d *Deps, s *Settings, a *Accounts) *Mail {
	return &Mail{deps: d, settings: s, accounts: a, outbox: newOutbox(d, s)}
}

// Run is the outbox worker: it sends due rows until ctx ends. Several
// workers (in one or several processes) may run on one database.
func (m *Mail) Run(ctx context.Context) { m.outbox.run(ctx) }

// RunOnce claims and tries to deliver one due row; it answers 1 when a row
// was handled, 0 when none was due or email is not configured.
func (m *Mail) RunOnce(ctx context.Context) (int, error) { return m.outbox.runOnce(ctx) }

// wake tells the worker that rows were queued: call it after the
// transaction that queued them committed, never inside it.
func (m *Mail) wake() { m.outbox.wake() }

// Status tells every logged-in caller whether email can be sent (the
// create form ticks "send welcome email" by default when it can).
type MailStatus struct {
	Configured bool `json:"configured"`
}

func (m *Mail) Status(ctx context.Context) (MailStatus, error) {
	if _, err := requireCaller(ctx); err != nil {
		return MailStatus{}, err
	}
	set, err := m.settings.current(ctx, m.deps.Store)
	if err != nil {
		return MailStatus{}, err
	}
	return MailStatus{Configured: set.emailConfigured()}, nil
}

type TestEmailInput struct {
	To string `json:"to"`
}

type TestEmailResult struct {
	Sent bool   `json:"sent"`
	To   string `json:"to"`
	// Retried: messages that failed for a settings reason in the last day,
	// back in the queue now that the settings work (outbox_admin.go).
	Retried int `json:"retried"`
	// SettingsFailures: older ones still failed, for "Retry failed messages".
	SettingsFailures int `json:"settings_failures"`
}

// mailFailureFields are, for each kind of failure, the settings fields to
// check (or to, the recipient) and the reason said beside them.
var mailFailureFields = map[MailErrorKind]struct {
	fields []string
	reason Reason
}{
	MailErrDNS:              {[]string{"smtp_host"}, ReasonHostNotFound},
	MailErrConnect:          {[]string{"smtp_port"}, ReasonConnectionFailed},
	MailErrTimeout:          {[]string{"smtp_port"}, ReasonTimedOut},
	MailErrTLS:              {[]string{"smtp_encryption"}, ReasonTLSFailed},
	MailErrCertificate:      {[]string{"smtp_encryption"}, ReasonUntrustedCertificate},
	MailErrDowngradeRefused: {[]string{"smtp_encryption"}, ReasonDowngradeRefused},
	MailErrAuth:             {[]string{"smtp_username", "smtp_password"}, ReasonAuthFailed},
	MailErrRecipientRefused: {[]string{"to"}, ReasonRecipientRefused},
	MailErrRejected:         {[]string{"smtp_from_address"}, ReasonRejected},
	MailErrNotConfigured:    {[]string{"smtp_host"}, ReasonNotConfigured},
	MailErrInvalid:          {[]string{"to"}, ReasonInvalid},
}

// mailFailure turns a MailError into the panel error the doors show: code
// unavailable, the precise message, and each field to check with the reason
// (the MailError's own Field first, e.g. smtp_password when the keyring
// cannot give the password).
func mailFailure(me *MailError) *Error {
	fields := map[string]Reason{}
	if ff, ok := mailFailureFields[me.Kind]; ok {
		names := ff.fields
		if me.Field != "" {
			names = []string{me.Field}
		}
		for _, f := range names {
			fields[f] = ff.reason
		}
	}
	msg := me.Message
	if me.Err != nil && me.Kind != MailErrNotConfigured {
		msg += " Details: " + me.Err.Error()
	}
	return &Error{Code: CodeUnavailable, Message: msg, Fields: fields, cause: me}
}

// TestEmail sends a test message now, outside the outbox, and reports
// precisely what failed.
func (m *Mail) TestEmail(ctx context.Context, in TestEmailInput) (TestEmailResult, error) {
	c, err := requireAdmin(ctx)
	if err != nil {
		return TestEmailResult{}, err
	}
	to := strings.TrimSpace(in.To)
	if to == "" {
		to = c.Account.Email
	}
	if err := validateMailAddress(to); err != nil {
		return TestEmailResult{}, InvalidField("to", ReasonInvalidEmail)
	}
	cfg, err := m.settings.sendConfig(ctx)
	if err != nil {
		var me *MailError
		if errors.As(err, &me) {
			return TestEmailResult{}, mailFailure(me)
		}
		return TestEmailResult{}, err
	}
	panelName := panelNameOf(cfg)
	msg := Message{FromAddress: cfg.FromAddress, FromName: cfg.FromName, To: to, ToName: SafeDisplayName(c.Account.Name),
		Subject:   panelName + ": test email",
		HTML:      "<p>This is a test email from " + htmlEscape(panelName) + ".</p><p>If you can read it, the SMTP settings work.</p>",
		MessageID: newMessageID()}
	msg.Text = HTMLToText(msg.HTML)
	sendCtx, cancel := context.WithTimeout(ctx, m.deps.MailOptions.withDefaults().SendTimeout)
	defer cancel()
	if err := m.deps.Mailer.Send(sendCtx, cfg, msg); err != nil {
		return TestEmailResult{}, mailFailure(AsMailError(err))
	}
	m.deps.Log.Info("test email sent", "to", to)
	out := TestEmailResult{Sent: true, To: to}
	if out.Retried, out.SettingsFailures, err = m.afterSuccessfulTest(ctx, c, cfg); err != nil {
		return TestEmailResult{}, err
	}
	return out, nil
}

// EmailUserInput is "Email this user": From and To are not the caller's to choose.
type EmailUserInput struct {
	Subject string `json:"subject"`
	Message string `json:"message"` // HTML, sanitised here
}

type QueuedMail struct {
	MailID int64     `json:"mail_id"`
	State  MailState `json:"state"`
	// Configured false: the message waits in the outbox until email is set up.
	Configured bool `json:"configured"`
}

// EmailPreview is what the message will look like: sanitised HTML (to show
// in a sandboxed frame) and the plain-text alternative.
type EmailPreview struct {
	To      string `json:"to"`
	From    string `json:"from"`
	Subject string `json:"subject"`
	HTML    string `json:"html"`
	Text    string `json:"text"`
}

const (
	maxSubjectLen = 200
	maxMessageLen = 100_000
)

// mayEmail: admins any account, resellers the accounts they own.
func mayEmail(c *Caller, acc *Account) error {
	if c.Account.IsAdmin() {
		return nil
	}
	if c.Account.IsReseller() && acc.OwnerID != nil && *acc.OwnerID == c.Account.ID {
		return nil
	}
	return Forbidden("Only administrators and the account's reseller can email it.")
}

func (m *Mail) composeUserEmail(ctx context.Context, r Reader, c *Caller, accountID int64, in EmailUserInput) (*Account, EmailPreview, error) {
	acc, err := m.accounts.get(ctx, r, c, accountID)
	if err != nil {
		return nil, EmailPreview{}, err
	}
	if err := mayEmail(c, acc); err != nil {
		return nil, EmailPreview{}, err
	}
	fields := &Problems{}
	subject := strings.TrimSpace(in.Subject)
	switch {
	case subject == "":
		fields.Add("subject", ReasonRequired)
	case len(subject) > maxSubjectLen:
		fields.TooLong("subject", maxSubjectLen)
	case strings.ContainsAny(subject, "\r\n\x00"):
		// Header injection: a subject is one line.
		fields.Add("subject", ReasonInvalid)
	}
	body := SanitizeHTML(in.Message)
	switch {
	case len(in.Message) > maxMessageLen:
		fields.TooLong("message", maxMessageLen)
	case strings.TrimSpace(HTMLToText(body)) == "":
		fields.Add("message", ReasonRequired)
	}
	if acc.Email == "" || validateMailAddress(acc.Email) != nil {
		fields.Add("to", ReasonInvalidEmail)
	}
	if err := fields.Err(); err != nil {
		return nil, EmailPreview{}, err
	}
	set, err := m.settings.current(ctx, r)
	if err != nil {
		return nil, EmailPreview{}, err
	}
	tpls, err := m.templatesFrom(ctx, r)
	if err != nil {
		return nil, EmailPreview{}, err
	}
	vars := m.placeholders(set, acc)
	vars["subject"] = subject
	rendered := tpls.render(TemplateCustom, acc.Language, vars, body)
	from := set.SMTPFromAddress
	if set.SMTPFromName != "" {
		from = (&mail.Address{Name: set.SMTPFromName, Address: set.SMTPFromAddress}).String()
	}
	return acc, EmailPreview{To: acc.Email, From: from, Subject: rendered.Subject, HTML: rendered.HTML, Text: rendered.Text}, nil
}

// PreviewUserEmail renders "Email this user" without queueing it.
func (m *Mail) PreviewUserEmail(ctx context.Context, accountID int64, in EmailUserInput) (EmailPreview, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return EmailPreview{}, err
	}
	_, pv, err := m.composeUserEmail(ctx, m.deps.Store, c, accountID, in)
	return pv, err
}

// EmailUser queues "Email this user" for accountID.
func (m *Mail) EmailUser(ctx context.Context, accountID int64, in EmailUserInput) (QueuedMail, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return QueuedMail{}, err
	}
	var out QueuedMail
	err = m.deps.Store.Write(ctx, func(tx Tx) error {
		acc, pv, err := m.composeUserEmail(ctx, tx, c, accountID, in)
		if err != nil {
			return err
		}
		now := m.deps.now()
		row := &OutboxMail{AccountID: &acc.ID, Kind: TemplateCustom, To: acc.Email, ToName: acc.Name,
			Subject: pv.Subject, HTML: pv.HTML, Text: pv.Text, CreatedBy: c.Account.Username}
		if out.MailID, err = m.outbox.queue(ctx, tx, row, now); err != nil {
			return err
		}
		set, err := m.settings.current(ctx, tx)
		if err != nil {
			return err
		}
		out.State, out.Configured = MailQueued, set.emailConfigured()
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "mail.queue", SubjectType: "account",
			SubjectID: fmt.Sprint(acc.ID), Details: fmt.Sprintf("mail_id=%d kind=custom", out.MailID)}))
	})
	if err != nil {
		return QueuedMail{}, wrapErr(err)
	}
	m.wake()
	return out, nil
}

// queueWelcome writes the welcome email of a new account inside the
// account's create transaction: both exist, or neither. It carries no
// password. It answers 0 when the account has no email address. The caller
// wakes the worker after the commit.
func (m *Mail) queueWelcome(ctx context.Context, tx Tx, acc *Account, createdBy string) (int64, error) {
	if acc.Email == "" {
		return 0, nil
	}
	set, err := m.settings.current(ctx, tx)
	if err != nil {
		return 0, err
	}
	tpls, err := m.templatesFrom(ctx, tx)
	if err != nil {
		return 0, err
	}
	r := tpls.render(TemplateWelcome, acc.Language, m.placeholders(set, acc), "")
	row := &OutboxMail{AccountID: &acc.ID, Kind: TemplateWelcome, To: acc.Email, ToName: acc.Name,
		Subject: r.Subject, HTML: r.HTML, Text: r.Text, CreatedBy: createdBy}
	return m.outbox.queue(ctx, tx, row, m.deps.now())
}

// queueTemplate puts a message from a template into the outbox for an
// account (reset codes, temporary passwords) inside tx. vars adds to the
// standard placeholders (code, password). Sensitive mail has its body wiped
// once sent. The caller wakes the worker (wake) after tx committed, which is
// why this is not for callers outside the package.
func (m *Mail) queueTemplate(ctx context.Context, tx Tx, acc *Account, template string, vars map[string]string, sensitive bool, createdBy string) (int64, error) {
	set, err := m.settings.current(ctx, tx)
	if err != nil {
		return 0, err
	}
	tpls, err := m.templatesFrom(ctx, tx)
	if err != nil {
		return 0, err
	}
	all := m.placeholders(set, acc)
	for k, v := range vars {
		all[k] = v
	}
	r := tpls.render(template, acc.Language, all, "")
	row := &OutboxMail{AccountID: &acc.ID, Kind: template, To: acc.Email, ToName: acc.Name,
		Subject: r.Subject, HTML: r.HTML, Text: r.Text, Sensitive: sensitive, CreatedBy: createdBy}
	return m.outbox.queue(ctx, tx, row, m.deps.now())
}

func (m *Mail) placeholders(set SystemSettings, acc *Account) map[string]string {
	loginURL := set.PublicBaseURL
	if loginURL != "" {
		loginURL += "/"
	}
	return map[string]string{
		"name":       acc.Name,
		"username":   acc.Username,
		"login_url":  loginURL,
		"panel_name": panelNameOf(set.smtpConfig()),
		"code":       "",
		"password":   "",
	}
}

func panelNameOf(cfg SMTPConfig) string {
	if cfg.FromName != "" {
		return cfg.FromName
	}
	return "Castdesk"
}

type MailLogInput struct {
	Cursor string `json:"cursor"`
	Limit  int    `json:"limit"`
}

// MailLog is an account's outbox entries, newest first.
func (m *Mail) MailLog(ctx context.Context, accountID int64, in MailLogInput) (MailPage, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return MailPage{}, err
	}
	if _, err := m.accounts.get(ctx, m.deps.Store, c, accountID); err != nil {
		return MailPage{}, err
	}
	var cursor int64
	if in.Cursor != "" {
		if cursor, err = strconv.ParseInt(in.Cursor, 10, 64); err != nil || cursor <= 0 {
			return MailPage{}, InvalidField("cursor", ReasonInvalid)
		}
	}
	limit := in.Limit
	if limit = pageLimit(limit, nil); limit < 0 {
		return MailPage{}, InvalidField("limit", ReasonInvalid)
	}
	items, err := m.deps.Outbox.ListMail(ctx, accountID, cursor, limit+1)
	if err != nil {
		return MailPage{}, Internal(err)
	}
	page := MailPage{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		page.NextCursor = strconv.FormatInt(items[limit-1].ID, 10)
	}
	if page.Items == nil {
		page.Items = []OutboxMail{}
	}
	for i := range page.Items {
		// Codes and temporary passwords are for the recipient's inbox only:
		// not for an admin, a reseller or anyone holding a session.
		if page.Items[i].Sensitive {
			page.Items[i].HTML, page.Items[i].Text = "", ""
		}
	}
	return page, nil
}

// Resend queues a copy of a sent or failed message of the account's log.
func (m *Mail) Resend(ctx context.Context, accountID, mailID int64) (QueuedMail, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return QueuedMail{}, err
	}
	var out QueuedMail
	err = m.deps.Store.Write(ctx, func(tx Tx) error {
		acc, err := m.accounts.get(ctx, tx, c, accountID)
		if err != nil {
			return err
		}
		if err := mayEmail(c, acc); err != nil {
			return err
		}
		orig, err := m.deps.Outbox.MailByID(ctx, mailID)
		if err != nil || orig.AccountID == nil || *orig.AccountID != accountID {
			return NotFound("Message")
		}
		switch {
		case orig.State == MailQueued || orig.State == MailSending:
			return FieldError(CodeConflict, "This message is still waiting to be sent.", "status", ReasonStillQueued, nil)
		case orig.Sensitive:
			return FieldError(CodeConflict, "This message held a code or a password and was wiped after sending; send a new one instead.",
				"status", ReasonWiped, nil)
		}
		now := m.deps.now()
		id := orig.ID
		row := &OutboxMail{AccountID: orig.AccountID, Kind: orig.Kind, To: acc.Email, ToName: acc.Name,
			Subject: orig.Subject, HTML: orig.HTML, Text: orig.Text, ResendOf: &id, CreatedBy: c.Account.Username}
		if out.MailID, err = m.outbox.queue(ctx, tx, row, now); err != nil {
			return err
		}
		set, err := m.settings.current(ctx, tx)
		if err != nil {
			return err
		}
		out.State, out.Configured = MailQueued, set.emailConfigured()
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "mail.resend", SubjectType: "account",
			SubjectID: fmt.Sprint(acc.ID), Details: fmt.Sprintf("mail_id=%d resend_of=%d", out.MailID, orig.ID)}))
	})
	if err != nil {
		return QueuedMail{}, wrapErr(err)
	}
	m.wake()
	return out, nil
}

func validateMailAddress(addr string) error {
	if strings.ContainsAny(addr, "\r\n\x00") {
		return errors.New("control characters")
	}
	a, err := mail.ParseAddress(addr)
	if err != nil {
		return err
	}
	if a.Address != addr {
		return errors.New("not a bare address")
	}
	return nil
}
