package panel

import (
	"context"
	"errors"
	"fmt"
)

// The mailer port: what a Mailer is given (SMTPConfig, Message) and what it
// answers (MailError). The SMTP adapter is backend/mailer; its in-memory
// twin for tests is backend/mailer/mailertest.

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
	// Field is the setting to check when it is not the kind's usual one
	// (smtp_password when the keyring cannot give the password).
	Field string
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

// sendConfig is the SMTP configuration to send with: the settings and, when
// a username is set, the password from the keyring.
func (s *Settings) sendConfig(ctx context.Context) (SMTPConfig, error) {
	set, err := s.current(ctx, s.deps.Store)
	if err != nil {
		return SMTPConfig{}, err
	}
	cfg := set.smtpConfig()
	if cfg.Host == "" || cfg.FromAddress == "" {
		return cfg, &MailError{Kind: MailErrNotConfigured, Message: "Email is not configured: set the SMTP host and the From address in System Settings → Email."}
	}
	if cfg.Username != "" {
		if cfg.Password, err = smtpPassword(ctx, s.deps.Secrets); err != nil {
			return cfg, err
		}
	}
	return cfg, nil
}
