package panel

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// The outbox of every account, for administrators: a list filtered by state
// (and by "failed because of the email settings"), and "Retry failed
// messages" for those, once the settings are fixed.
//
// A message fails for a settings reason when what went wrong points at the
// email settings (the server's name, port, encryption, login or sender), not
// at the message or its recipient: fixing the settings fixes it. After a
// successful test email (the settings work now), the messages that failed
// for such a reason in the last day go back to the queue by themselves;
// older ones wait for "Retry failed messages". Each message put back is
// audited (mail.retry).

// SettingsFailureKinds are the failures that come from the email settings.
var SettingsFailureKinds = []MailErrorKind{MailErrDNS, MailErrConnect, MailErrTimeout, MailErrTLS, MailErrCertificate,
	MailErrDowngradeRefused, MailErrAuth, MailErrRejected, MailErrNotConfigured}

// RetryReasonSettings names the messages that failed for a settings reason.
const RetryReasonSettings = "settings"

// AutoRetryWindow is how recent a settings failure must be to go back to the
// queue by itself after a successful test email.
const AutoRetryWindow = 24 * time.Hour

// keySMTPTested is a fingerprint of the email settings that last sent a
// test email (the setup checklist's "email tested").
const keySMTPTested = "smtp_tested"

func settingsFailureKinds() []string {
	out := make([]string, len(SettingsFailureKinds))
	for i, k := range SettingsFailureKinds {
		out[i] = string(k)
	}
	return out
}

// IsSettingsFailure tells whether a failure kind points at the email settings.
func IsSettingsFailure(kind string) bool {
	return slices.Contains(SettingsFailureKinds, MailErrorKind(kind))
}

// OutboxQuery selects messages of every account, newest first.
type OutboxQuery struct {
	State MailState // empty: every state
	// Kinds keeps only failures of these kinds (with State failed).
	Kinds []string
	// FailedSince keeps only messages whose last change (the failure) is at
	// or after it.
	FailedSince time.Time
	Cursor      int64 // ids below it; 0 from the newest
	Limit       int
}

// OutboxEntry is one message of the outbox with its account's username.
type OutboxEntry struct {
	OutboxMail
	AccountUsername string `json:"account_username"`
	// SettingsReason: it failed because of the email settings.
	SettingsReason bool `json:"settings_reason"`
}

// OutboxPage is a page of the outbox of every account.
type OutboxPage struct {
	Items      []OutboxEntry `json:"items"`
	Total      int           `json:"total"`
	NextCursor string        `json:"next_cursor"`
	// SettingsFailures counts every failed message that failed for a
	// settings reason (what "Retry failed messages" would send again).
	SettingsFailures int `json:"settings_failures"`
}

// OutboxReader lists and counts the outbox of every account.
type OutboxReader interface {
	ListOutbox(ctx context.Context, q OutboxQuery) ([]OutboxEntry, error)
	CountOutbox(ctx context.Context, q OutboxQuery) (int, error)
}

// OutboxWriter puts failed messages back in the queue.
type OutboxWriter interface {
	// RequeueMail makes a failed message queued again, due at now, with its
	// attempts at zero (its last error stays until the next verdict); false
	// when it is not failed (any more).
	RequeueMail(ctx context.Context, id int64, now time.Time) (bool, error)
}

// OutboxListInput filters the outbox of every account.
type OutboxListInput struct {
	// State: queued, sending, sent or failed; empty for all.
	State string `json:"state"`
	// Reason "settings": only the messages that failed for a settings reason.
	Reason string `json:"reason"`
	Cursor string `json:"cursor"`
	Limit  int    `json:"limit"`
}

// Outbox is the outbox of every account, newest first (administrators).
func (m *Mail) Outbox(ctx context.Context, in OutboxListInput) (OutboxPage, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return OutboxPage{}, err
	}
	fields := &Problems{}
	q := OutboxQuery{State: MailState(in.State)}
	switch q.State {
	case "", MailQueued, MailSending, MailSent, MailFailed:
	default:
		fields.Add("state", ReasonInvalid)
	}
	switch in.Reason {
	case "":
	case RetryReasonSettings:
		q.State, q.Kinds = MailFailed, settingsFailureKinds()
		if in.State != "" && in.State != string(MailFailed) {
			fields.Add("reason", ReasonInvalid)
		}
	default:
		fields.Add("reason", ReasonInvalid)
	}
	if in.Cursor != "" {
		c, err := strconv.ParseInt(in.Cursor, 10, 64)
		if err != nil || c <= 0 {
			fields.Add("cursor", ReasonInvalid)
		}
		q.Cursor = c
	}
	q.Limit = pageLimit(in.Limit, fields)
	if !fields.Empty() {
		return OutboxPage{}, fields.Err()
	}
	limit := q.Limit
	q.Limit = limit + 1
	items, err := m.deps.Store.ListOutbox(ctx, q)
	if err != nil {
		return OutboxPage{}, Internal(err)
	}
	page := OutboxPage{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		page.NextCursor = strconv.FormatInt(items[limit-1].ID, 10)
	}
	if page.Items == nil {
		page.Items = []OutboxEntry{}
	}
	for i := range page.Items {
		it := &page.Items[i]
		// Codes and temporary passwords are for the recipient's inbox only.
		if it.Sensitive {
			it.HTML, it.Text = "", ""
		}
		it.SettingsReason = it.State == MailFailed && IsSettingsFailure(it.ErrorKind)
	}
	count := q
	count.Cursor, count.Limit = 0, 0
	if page.Total, err = m.deps.Store.CountOutbox(ctx, count); err != nil {
		return OutboxPage{}, Internal(err)
	}
	if page.SettingsFailures, err = m.deps.Store.CountOutbox(ctx, OutboxQuery{State: MailFailed, Kinds: settingsFailureKinds()}); err != nil {
		return OutboxPage{}, Internal(err)
	}
	return page, nil
}

// RetryFailedInput is "Retry failed messages".
type RetryFailedInput struct {
	// Reason must be "settings": the messages that failed because of the
	// email settings (the others would fail again as they did).
	Reason string `json:"reason"`
}

// RetryResult tells how many failed messages went back to the queue.
type RetryResult struct {
	Requeued int `json:"requeued"`
	// Configured false: they wait in the outbox until email is set up.
	Configured bool `json:"configured"`
}

// RetryFailed puts every message that failed for a settings reason back in
// the queue (administrators), each audited as mail.retry.
func (m *Mail) RetryFailed(ctx context.Context, in RetryFailedInput) (RetryResult, error) {
	c, err := requireAdmin(ctx)
	if err != nil {
		return RetryResult{}, err
	}
	if in.Reason != RetryReasonSettings {
		return RetryResult{}, InvalidField("reason", ReasonInvalid)
	}
	n, err := m.retrySettingsFailures(ctx, c, time.Time{}, "manual")
	if err != nil {
		return RetryResult{}, err
	}
	set, err := m.settings.current(ctx, m.deps.Store)
	if err != nil {
		return RetryResult{}, err
	}
	return RetryResult{Requeued: n, Configured: set.emailConfigured()}, nil
}

// retrySettingsFailures requeues the messages that failed for a settings
// reason at or after since (zero: all), in batches, each audited; it wakes
// the worker once they are committed.
func (m *Mail) retrySettingsFailures(ctx context.Context, c *Caller, since time.Time, how string) (int, error) {
	total := 0
	for {
		batch, err := m.deps.Store.ListOutbox(ctx, OutboxQuery{State: MailFailed, Kinds: settingsFailureKinds(), FailedSince: since, Limit: listMaxLimit})
		if err != nil {
			return total, Internal(err)
		}
		if len(batch) == 0 {
			break
		}
		n := 0
		err = m.deps.Store.Write(ctx, func(tx Tx) error {
			now := m.deps.now()
			for _, row := range batch {
				ok, err := tx.RequeueMail(ctx, row.ID, now)
				if err != nil {
					return err
				}
				if !ok {
					continue // sent again or retried meanwhile
				}
				n++
				subject, sid := "mail", fmt.Sprint(row.ID)
				if row.AccountID != nil {
					subject, sid = "account", fmt.Sprint(*row.AccountID)
				}
				if err := tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "mail.retry", SubjectType: subject, SubjectID: sid,
					Details: fmt.Sprintf("mail_id=%d kind=%s failed=%s %s", row.ID, row.Kind, row.ErrorKind, how)})); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return total, wrapErr(err)
		}
		total += n
		if n == 0 || len(batch) < listMaxLimit {
			break
		}
	}
	if total > 0 {
		m.wake()
	}
	return total, nil
}

// afterSuccessfulTest runs once a test email went out: the settings work, so
// it records them as tested, puts the messages that failed for a settings
// reason in the last day back in the queue, and counts the older ones left
// for "Retry failed messages".
func (m *Mail) afterSuccessfulTest(ctx context.Context, c *Caller, cfg SMTPConfig) (retried, left int, err error) {
	if err := m.deps.Store.Write(ctx, func(tx Tx) error {
		return tx.SaveSettings(ctx, map[string]string{keySMTPTested: smtpFingerprint(cfg)})
	}); err != nil {
		return 0, 0, wrapErr(err)
	}
	if retried, err = m.retrySettingsFailures(ctx, c, m.deps.now().Add(-AutoRetryWindow), "automatic"); err != nil {
		return retried, 0, err
	}
	left, err = m.deps.Store.CountOutbox(ctx, OutboxQuery{State: MailFailed, Kinds: settingsFailureKinds()})
	if err != nil {
		return retried, 0, Internal(err)
	}
	return retried, left, nil
}

// smtpFingerprint names the email settings a test went out with: server,
// port, encryption, username and sender (never the password).
func smtpFingerprint(cfg SMTPConfig) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d\x00%s\x00%s\x00%s", cfg.Host, cfg.Port, cfg.Encryption, cfg.Username, cfg.FromAddress))
	return hex.EncodeToString(sum[:12])
}
