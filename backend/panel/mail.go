package panel

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The outbox (spec §6): every message is written to the store first and sent
// by a worker afterwards, so a crash or an unreachable server loses nothing.
//
//	queued --claim--> sending --ok--> sent
//	   ^                 |--temporary error (attempts < max)--> queued (next_attempt_at = now + back-off)
//	   |                 '--permanent error, or attempts used up--> failed (reason kept)
//	   '--- a sending row whose lease ran out (its worker died) is claimed again
//
// A row is claimed in a write transaction (state sending + lease expiry +
// claim token) before anything is sent, so two processes on one database
// never send the same row twice while a worker is alive.

type MailState string

const (
	MailQueued  MailState = "queued"
	MailSending MailState = "sending"
	MailSent    MailState = "sent"
	MailFailed  MailState = "failed"
)

// MailErrorKind says precisely what went wrong talking to the SMTP server.
type MailErrorKind string

const (
	MailErrDNS              MailErrorKind = "dns"
	MailErrConnect          MailErrorKind = "connect"
	MailErrTLS              MailErrorKind = "tls"
	MailErrCertificate      MailErrorKind = "certificate"
	MailErrAuth             MailErrorKind = "auth"
	MailErrRecipientRefused MailErrorKind = "recipient_refused"
	MailErrTimeout          MailErrorKind = "timeout"
	MailErrDowngradeRefused MailErrorKind = "downgrade_refused"
	// MailErrRejected is any other refusal by the server (sender, message).
	MailErrRejected MailErrorKind = "rejected"
	// MailErrNotConfigured: no SMTP host, or the password cannot be read.
	MailErrNotConfigured MailErrorKind = "not_configured"
	// MailErrInvalid: the message itself cannot be sent (bad address, header).
	MailErrInvalid MailErrorKind = "invalid"
)

// MailError is what a Mailer returns: a precise kind, whether trying again
// later may help, and a human explanation (never a credential).
type MailError struct {
	Kind      MailErrorKind
	Temporary bool
	Message   string
	Err       error
}

func (e *MailError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s (%v)", e.Kind, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Kind, e.Message)
}

func (e *MailError) Unwrap() error { return e.Err }

// Reason is the one-line text kept in the outbox and shown in the mail log.
func (e *MailError) Reason() string {
	if e.Err != nil {
		return e.Message + " (" + e.Err.Error() + ")"
	}
	return e.Message
}

// AsMailError classifies any error a Mailer returned; unknown errors are
// taken as temporary, so a message is retried rather than dropped.
func AsMailError(err error) *MailError {
	var me *MailError
	if errors.As(err, &me) {
		return me
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &MailError{Kind: MailErrTimeout, Temporary: true, Message: "The SMTP server did not answer in time.", Err: err}
	}
	return &MailError{Kind: MailErrConnect, Temporary: true, Message: "Sending failed.", Err: err}
}

// SMTPConfig is everything a Mailer needs to reach the server.
type SMTPConfig struct {
	Host        string
	Port        int
	Encryption  string // EncryptionTLS, EncryptionSTARTTLS, EncryptionNone
	Username    string
	Password    string
	FromAddress string
	FromName    string
}

const (
	EncryptionTLS      = "tls"
	EncryptionSTARTTLS = "starttls"
	EncryptionNone     = "none"
)

// Message is one email, ready to send. Header values never hold CR or LF.
type Message struct {
	FromAddress string
	FromName    string
	To          string
	ToName      string
	Subject     string
	HTML        string
	Text        string
	// MessageID is unique per outbox row (without angle brackets): the same
	// row sent twice would carry the same id, which the tests count.
	MessageID string
}

// Mailer sends one message now. Errors are *MailError.
type Mailer interface {
	Send(ctx context.Context, cfg SMTPConfig, m Message) error
}

// Secrets keeps secrets (the SMTP password) in the OS keyring.
type Secrets interface {
	// Get answers ErrSecretNotFound when nothing is stored under key.
	Get(ctx context.Context, key string) (string, error)
	Set(ctx context.Context, key, value string) error
	// Delete is not an error when nothing is stored.
	Delete(ctx context.Context, key string) error
}

// ErrSecretNotFound is Secrets.Get's answer for an absent secret.
var ErrSecretNotFound = errors.New("secret not found in the keyring")

// SecretsUnavailableError says that no keyring can be used and how to fix it.
// Nothing falls back to storing the secret elsewhere.
type SecretsUnavailableError struct {
	Reason string // e.g. "No Secret Service is running on this session's D-Bus."
	Fix    string // e.g. "Install gnome-keyring (or KeePassXC) and run Castdesk inside a desktop session."
	Err    error
}

func (e *SecretsUnavailableError) Error() string {
	s := e.Reason
	if e.Fix != "" {
		s += " " + e.Fix
	}
	if e.Err != nil {
		s += " (" + e.Err.Error() + ")"
	}
	return s
}

func (e *SecretsUnavailableError) Unwrap() error { return e.Err }

const secretSMTPPassword = "smtp_password"

// OutboxMail is one message of the outbox and of a customer's mail log.
type OutboxMail struct {
	ID        int64  `json:"id"`
	AccountID *int64 `json:"account_id"`
	// Kind is the template it came from: welcome, reset_code,
	// temporary_password, custom.
	Kind      string `json:"kind"`
	To        string `json:"to"`
	ToName    string `json:"to_name"`
	Subject   string `json:"subject"`
	HTML      string `json:"html"`
	Text      string `json:"text"`
	MessageID string `json:"message_id"`
	// Sensitive bodies (codes, temporary passwords) are wiped once sent.
	Sensitive     bool       `json:"sensitive"`
	State         MailState  `json:"state"`
	Attempts      int        `json:"attempts"`
	LastError     string     `json:"last_error"`
	ErrorKind     string     `json:"error_kind"`
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	SentAt        *time.Time `json:"sent_at"`
	ResendOf      *int64     `json:"resend_of"`
	CreatedBy     string     `json:"created_by"`
	ClaimToken    string     `json:"-"`
}

// MailUpdate is a worker's verdict on a claimed row.
type MailUpdate struct {
	State         MailState
	LastError     string
	ErrorKind     string
	NextAttemptAt time.Time
	SentAt        *time.Time
	Scrub         bool // wipe the body (sensitive mail, sent)
	At            time.Time
}

type MailPage struct {
	Items      []OutboxMail `json:"items"`
	NextCursor string       `json:"next_cursor"`
}

// MailOutbox is the outbox's persistence outside callers' transactions
// (inserts that belong to a larger change go through Tx.InsertMail).
type MailOutbox interface {
	// ClaimMail takes, in one write transaction, the next row due (queued
	// and due, or sending with its lease run out): state sending, lease
	// until leaseUntil, attempts+1, claim token. Nil when none is due.
	ClaimMail(ctx context.Context, now, leaseUntil time.Time, token string) (*OutboxMail, error)
	// FinishMail applies the verdict only while the row is still claimed
	// with token; false when the claim was lost.
	FinishMail(ctx context.Context, id int64, token string, u MailUpdate) (bool, error)
	MailByID(ctx context.Context, id int64) (*OutboxMail, error)
	// ListMail is an account's mail log, newest first (cursor = last id seen).
	ListMail(ctx context.Context, accountID int64, cursor int64, limit int) ([]OutboxMail, error)
	MailCounts(ctx context.Context, accountID int64) (MailCounts, error)
}

// MailOptions tune the worker; zero values take the defaults.
type MailOptions struct {
	Poll        time.Duration // how often the worker looks for due rows (default 2 s)
	Lease       time.Duration // how long a claim lasts (default 2 min; must exceed SendTimeout)
	SendTimeout time.Duration // one delivery attempt (default 30 s)
	BackoffBase time.Duration // first retry delay (default 30 s), doubling
	BackoffMax  time.Duration // cap of the delay (default 1 h)
	MaxAttempts int           // then failed (default 12)
}

func (o MailOptions) withDefaults() MailOptions {
	if o.Poll <= 0 {
		o.Poll = 2 * time.Second
	}
	if o.SendTimeout <= 0 {
		o.SendTimeout = 30 * time.Second
	}
	if o.Lease <= 0 {
		o.Lease = 2 * time.Minute
	}
	if o.Lease < 2*o.SendTimeout {
		o.Lease = 2 * o.SendTimeout
	}
	if o.BackoffBase <= 0 {
		o.BackoffBase = 30 * time.Second
	}
	if o.BackoffMax <= 0 {
		o.BackoffMax = time.Hour
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 12
	}
	return o
}

// Backoff is the delay before attempt n+1 after n failed attempts.
func (o MailOptions) Backoff(attempts int) time.Duration {
	o = o.withDefaults()
	d := o.BackoffBase
	for i := 1; i < attempts && d < o.BackoffMax; i++ {
		d *= 2
	}
	return min(d, o.BackoffMax)
}

// Mail is the email service: settings test, "email this user", the mail
// log with resend, templates, and the outbox worker.
type Mail struct {
	deps     *Deps
	settings *Settings
	// Options are read when Run starts.
	Options MailOptions
	kick    chan struct{}
	once    sync.Once
}

func newMail(d *Deps, s *Settings) *Mail {
	return &Mail{deps: d, settings: s, kick: make(chan struct{}, 1)}
}

// wake tells a running worker that a row was queued.
func (m *Mail) wake() {
	select {
	case m.kick <- struct{}{}:
	default:
	}
}

func (m *Mail) outbox() (MailOutbox, error) {
	if m.deps.Outbox == nil {
		return nil, Unavailable("Email is not available in this build.", nil)
	}
	return m.deps.Outbox, nil
}

// smtpConfig reads the SMTP settings and, when a username is set, the
// password from the keyring.
func (m *Mail) smtpConfig(ctx context.Context) (SMTPConfig, error) {
	set, err := m.settings.current(ctx, m.deps.Store)
	if err != nil {
		return SMTPConfig{}, err
	}
	cfg := set.smtpConfig()
	if cfg.Host == "" || cfg.FromAddress == "" {
		return cfg, &MailError{Kind: MailErrNotConfigured, Message: "Email is not configured: set the SMTP host and the From address in System Settings → Email."}
	}
	if cfg.Username != "" {
		if m.deps.Secrets == nil {
			return cfg, &MailError{Kind: MailErrNotConfigured, Message: "No keyring is available to read the SMTP password from."}
		}
		pw, err := m.deps.Secrets.Get(ctx, secretSMTPPassword)
		var su *SecretsUnavailableError
		switch {
		case errors.Is(err, ErrSecretNotFound):
			return cfg, &MailError{Kind: MailErrNotConfigured, Message: "An SMTP username is set but no password is stored: enter it in System Settings → Email."}
		case errors.As(err, &su):
			return cfg, &MailError{Kind: MailErrNotConfigured, Message: "The SMTP password cannot be read: " + su.Error()}
		case err != nil:
			return cfg, &MailError{Kind: MailErrNotConfigured, Message: "The SMTP password cannot be read from the keyring.", Err: err}
		}
		cfg.Password = pw
	}
	return cfg, nil
}

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
}

// mailErrorField is the settings field a failure points at, so the screen
// can show the explanation beside it.
var mailErrorField = map[MailErrorKind]string{
	MailErrDNS:              "smtp_host",
	MailErrConnect:          "smtp_port",
	MailErrTimeout:          "smtp_port",
	MailErrTLS:              "smtp_encryption",
	MailErrCertificate:      "smtp_encryption",
	MailErrDowngradeRefused: "smtp_encryption",
	MailErrAuth:             "smtp_password",
	MailErrRecipientRefused: "to",
	MailErrRejected:         "smtp_from_address",
	MailErrNotConfigured:    "smtp_host",
	MailErrInvalid:          "to",
}

// mailFailure turns a MailError into the panel error the doors show:
// code unavailable, the precise message, fields {kind, <field>: kind}.
func mailFailure(me *MailError) *Error {
	fields := map[string]string{"kind": string(me.Kind)}
	if f, ok := mailErrorField[me.Kind]; ok {
		fields[f] = string(me.Kind)
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
	if m.deps.Mailer == nil {
		return TestEmailResult{}, Unavailable("Email is not available in this build.", nil)
	}
	cfg, err := m.smtpConfig(ctx)
	if err != nil {
		var me *MailError
		if errors.As(err, &me) {
			return TestEmailResult{}, mailFailure(me)
		}
		return TestEmailResult{}, err
	}
	panelName := panelNameOf(cfg)
	msg := Message{FromAddress: cfg.FromAddress, FromName: cfg.FromName, To: to, ToName: c.Account.Name,
		Subject:   panelName + ": test email",
		HTML:      "<p>This is a test email from " + htmlEscape(panelName) + ".</p><p>If you can read it, the SMTP settings work.</p>",
		MessageID: newMessageID()}
	msg.Text = HTMLToText(msg.HTML)
	sendCtx, cancel := context.WithTimeout(ctx, m.Options.withDefaults().SendTimeout)
	defer cancel()
	if err := m.deps.Mailer.Send(sendCtx, cfg, msg); err != nil {
		return TestEmailResult{}, mailFailure(AsMailError(err))
	}
	m.deps.Log.Info("test email sent", "to", to)
	return TestEmailResult{Sent: true, To: to}, nil
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
	acc, err := (&Accounts{deps: m.deps}).get(ctx, r, c, accountID)
	if err != nil {
		return nil, EmailPreview{}, err
	}
	if err := mayEmail(c, acc); err != nil {
		return nil, EmailPreview{}, err
	}
	fields := map[string]string{}
	subject := strings.TrimSpace(in.Subject)
	switch {
	case subject == "":
		fields["subject"] = ReasonRequired
	case len(subject) > maxSubjectLen:
		fields["subject"] = ReasonTooLong
	case strings.ContainsAny(subject, "\r\n\x00"):
		// Header injection: a subject is one line.
		fields["subject"] = ReasonInvalid
	}
	body := SanitizeHTML(in.Message)
	switch {
	case len(in.Message) > maxMessageLen:
		fields["message"] = ReasonTooLong
	case strings.TrimSpace(HTMLToText(body)) == "":
		fields["message"] = ReasonRequired
	}
	if acc.Email == "" || validateMailAddress(acc.Email) != nil {
		fields["to"] = ReasonInvalidEmail
	}
	if len(fields) > 0 {
		return nil, EmailPreview{}, Invalid(fields)
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
	if _, err := m.outbox(); err != nil {
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
		if out.MailID, err = m.insert(ctx, tx, row, now); err != nil {
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

// insert writes a new queued row in tx.
func (m *Mail) insert(ctx context.Context, tx Tx, row *OutboxMail, now time.Time) (int64, error) {
	row.State, row.CreatedAt, row.UpdatedAt, row.NextAttemptAt = MailQueued, now, now, now
	if row.MessageID == "" {
		row.MessageID = newMessageID()
	}
	return tx.InsertMail(ctx, row)
}

// queueWelcome writes the welcome email of a new account inside the
// account's create transaction: both exist, or neither. It carries no password.
func (m *Mail) queueWelcome(ctx context.Context, tx Tx, acc *Account, createdBy string) (int64, error) {
	if m == nil || m.deps.Outbox == nil || acc.Email == "" {
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
	id, err := m.insert(ctx, tx, row, m.deps.now())
	if err == nil {
		defer m.wake()
	}
	return id, err
}

// Queue puts a message from a template into the outbox for an account
// (reset codes, temporary passwords). vars adds to the standard placeholders
// (code, password). Sensitive mail has its body wiped once sent.
func (m *Mail) Queue(ctx context.Context, tx Tx, acc *Account, template string, vars map[string]string, sensitive bool, createdBy string) (int64, error) {
	if m.deps.Outbox == nil {
		return 0, Unavailable("Email is not available in this build.", nil)
	}
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
	id, err := m.insert(ctx, tx, row, m.deps.now())
	if err == nil {
		defer m.wake()
	}
	return id, err
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
	ob, err := m.outbox()
	if err != nil {
		return MailPage{}, err
	}
	if _, err := (&Accounts{deps: m.deps}).get(ctx, m.deps.Store, c, accountID); err != nil {
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
	items, err := ob.ListMail(ctx, accountID, cursor, limit+1)
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
	ob, err := m.outbox()
	if err != nil {
		return QueuedMail{}, err
	}
	var out QueuedMail
	err = m.deps.Store.Write(ctx, func(tx Tx) error {
		acc, err := (&Accounts{deps: m.deps}).get(ctx, tx, c, accountID)
		if err != nil {
			return err
		}
		if err := mayEmail(c, acc); err != nil {
			return err
		}
		orig, err := ob.MailByID(ctx, mailID)
		if err != nil || orig.AccountID == nil || *orig.AccountID != accountID {
			return NotFound("Message")
		}
		switch {
		case orig.State == MailQueued || orig.State == MailSending:
			return Conflict("This message is still waiting to be sent.")
		case orig.Sensitive:
			return Conflict("This message held a code or a password and was wiped after sending; send a new one instead.")
		}
		now := m.deps.now()
		id := orig.ID
		row := &OutboxMail{AccountID: orig.AccountID, Kind: orig.Kind, To: acc.Email, ToName: acc.Name,
			Subject: orig.Subject, HTML: orig.HTML, Text: orig.Text, ResendOf: &id, CreatedBy: c.Account.Username}
		if out.MailID, err = m.insert(ctx, tx, row, now); err != nil {
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

// mailCounts fills the overview's mail block.
func mailCounts(ctx context.Context, d *Deps, accountID int64) (MailCounts, error) {
	if d.Outbox == nil {
		return MailCounts{}, nil
	}
	return d.Outbox.MailCounts(ctx, accountID)
}

// Run is the outbox worker: it sends due rows until ctx ends. Several
// workers (in one or several processes) may run on one database.
func (m *Mail) Run(ctx context.Context) {
	opts := m.Options.withDefaults()
	for ctx.Err() == nil {
		sent, err := m.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			m.deps.Log.Warn("mail worker", "err", err)
		}
		if sent > 0 {
			continue
		}
		t := time.NewTimer(opts.Poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-m.kick:
			t.Stop()
		case <-t.C:
		}
	}
}

// RunOnce claims and tries to deliver one due row; it answers 1 when a row
// was handled, 0 when none was due or email is not configured.
func (m *Mail) RunOnce(ctx context.Context) (int, error) {
	ob, err := m.outbox()
	if err != nil || m.deps.Mailer == nil {
		return 0, nil
	}
	cfg, err := m.smtpConfig(ctx)
	if err != nil {
		// Nothing is claimed while email cannot work: rows wait, unharmed.
		var me *MailError
		if errors.As(err, &me) && me.Kind == MailErrNotConfigured {
			return 0, nil
		}
		return 0, err
	}
	opts := m.Options.withDefaults()
	now := m.deps.now()
	token := newToken()
	row, err := ob.ClaimMail(ctx, now, now.Add(opts.Lease), token)
	if err != nil || row == nil {
		return 0, err
	}
	msg := Message{FromAddress: cfg.FromAddress, FromName: cfg.FromName, To: row.To, ToName: row.ToName,
		Subject: row.Subject, HTML: row.HTML, Text: row.Text, MessageID: row.MessageID}
	// A send in flight is not cut short by the worker's stop: cut mid-DATA,
	// the server may have the message while the row goes back to queued.
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), opts.SendTimeout)
	sendErr := m.deps.Mailer.Send(sendCtx, cfg, msg)
	cancel()
	done := m.deps.now()
	u := MailUpdate{At: done}
	if sendErr == nil {
		u.State, u.SentAt, u.Scrub, u.NextAttemptAt = MailSent, &done, row.Sensitive, row.NextAttemptAt
		m.deps.Log.Info("mail sent", "mail_id", row.ID, "attempts", row.Attempts)
	} else {
		me := AsMailError(sendErr)
		u.LastError, u.ErrorKind = me.Reason(), string(me.Kind)
		switch {
		case !me.Temporary:
			u.State, u.NextAttemptAt = MailFailed, row.NextAttemptAt
		case row.Attempts >= opts.MaxAttempts:
			u.State, u.NextAttemptAt = MailFailed, row.NextAttemptAt
			u.LastError = fmt.Sprintf("Gave up after %d attempts: %s", row.Attempts, u.LastError)
		default:
			u.State, u.NextAttemptAt = MailQueued, done.Add(opts.Backoff(row.Attempts))
		}
		m.deps.Log.Warn("mail not sent", "mail_id", row.ID, "attempts", row.Attempts, "kind", me.Kind,
			"temporary", me.Temporary, "state", u.State, "err", me.Reason())
	}
	// The verdict must land even when ctx is ending: a finished send left
	// as "sending" would be sent again after the lease.
	fctx, fcancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer fcancel()
	ok, err := ob.FinishMail(fctx, row.ID, token, u)
	if err != nil {
		return 1, err
	}
	if !ok {
		m.deps.Log.Warn("mail claim lost before its verdict", "mail_id", row.ID)
	}
	return 1, nil
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

func newToken() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func newMessageID() string {
	return newToken() + "@castdesk"
}
