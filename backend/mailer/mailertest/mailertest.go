// Package mailertest is the in-memory twin of mailer.Mailer: it records
// what it was asked to send and answers the error it was told to, so the
// outbox and the mail services are tested without an SMTP server. The real
// SMTP transport is tested in package mailer against smtptest.
//
// It lives beside the real adapter (not in panel) so that panel's own tests,
// testkit and every door's tests can use it without an import cycle.
package mailertest

import (
	"context"
	"sync"

	"castdesk/backend/panel"
)

// Sent is one delivered message with the configuration it was sent with.
type Sent struct {
	Config  panel.SMTPConfig
	Message panel.Message
}

// Mailer is panel.Mailer in memory. The zero value delivers everything.
type Mailer struct {
	mu       sync.Mutex
	sent     []Sent
	attempts int
	fail     error
}

var _ panel.Mailer = (*Mailer)(nil)

func New() *Mailer { return &Mailer{} }

// Send records msg as delivered, or answers the error set by Fail. A done
// ctx fails like a server that did not answer in time.
func (m *Mailer) Send(ctx context.Context, cfg panel.SMTPConfig, msg panel.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.attempts++
	if err := ctx.Err(); err != nil {
		return panel.AsMailError(err)
	}
	if m.fail != nil {
		return m.fail
	}
	m.sent = append(m.sent, Sent{Config: cfg, Message: msg})
	return nil
}

// Fail makes every later Send answer err; nil delivers again. Errors other
// than *panel.MailError are classified as a real mailer's would be
// (panel.AsMailError: temporary).
func (m *Mailer) Fail(err error) {
	m.mu.Lock()
	m.fail = err
	m.mu.Unlock()
}

// Sent lists the delivered messages, oldest first.
func (m *Mailer) Sent() []Sent {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Sent(nil), m.sent...)
}

// Messages lists the delivered messages without their configuration.
func (m *Mailer) Messages() []panel.Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]panel.Message, len(m.sent))
	for i, s := range m.sent {
		out[i] = s.Message
	}
	return out
}

// Attempts counts every Send, delivered or failed.
func (m *Mailer) Attempts() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.attempts
}

// Temporary is a failure worth retrying (the server is down, busy, slow).
func Temporary(kind panel.MailErrorKind, message string) *panel.MailError {
	return &panel.MailError{Kind: kind, Temporary: true, Message: message}
}

// Permanent is a failure that retrying cannot fix (recipient refused, bad
// credentials).
func Permanent(kind panel.MailErrorKind, message string) *panel.MailError {
	return &panel.MailError{Kind: kind, Message: message}
}
