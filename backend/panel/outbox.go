package panel

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// The outbox (docs/spec.md §6): every message is written to the store first and sent
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
	// Then, when set, runs in the verdict's transaction once it applied
	// (the mail.failed webhook event is queued with the failure).
	Then func(Tx) error
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

// outbox queues rows inside the callers' transactions and runs the worker
// that sends them (Mail.Run, Mail.RunOnce).
//
// Wake-ups: queue only writes the row; the caller wakes the worker after its
// transaction committed. Woken before the commit, the worker looks for a row
// that does not exist yet: the SQLite store happens to make its claim wait
// behind the open write transaction, but a claim that runs first finds
// nothing and the message waits a whole Poll, and a transaction that rolls
// back would have woken it for nothing.
type outbox struct {
	deps     *Deps
	settings *Settings
	kick     chan struct{}
}

func newOutbox(d *Deps, s *Settings) *outbox {
	return &outbox{deps: d, settings: s, kick: make(chan struct{}, 1)}
}

// queue writes row, as a new queued message, in tx. It does not wake the
// worker: call wake once tx has committed.
func (o *outbox) queue(ctx context.Context, tx Tx, row *OutboxMail, now time.Time) (int64, error) {
	row.State, row.CreatedAt, row.UpdatedAt, row.NextAttemptAt = MailQueued, now, now, now
	if row.MessageID == "" {
		row.MessageID = newMessageID()
	}
	return tx.InsertMail(ctx, row)
}

// wake tells a running worker that rows were queued. Call it only after the
// transaction that queued them committed.
func (o *outbox) wake() {
	select {
	case o.kick <- struct{}{}:
	default:
	}
}

// run is the worker: it sends due rows until ctx ends. Several workers (in
// one or several processes) may run on one database.
func (o *outbox) run(ctx context.Context) {
	opts := o.deps.MailOptions.withDefaults()
	for ctx.Err() == nil {
		sent, err := o.runOnce(ctx)
		if err != nil && ctx.Err() == nil {
			o.deps.Log.Warn("mail worker", "err", err)
		}
		if sent > 0 {
			continue
		}
		t := time.NewTimer(opts.Poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-o.kick:
			t.Stop()
		case <-t.C:
		}
	}
}

// runOnce claims and tries to deliver one due row; it answers 1 when a row
// was handled, 0 when none was due or email is not configured.
func (o *outbox) runOnce(ctx context.Context) (int, error) {
	cfg, err := o.settings.sendConfig(ctx)
	if err != nil {
		// Nothing is claimed while email cannot work: rows wait, unharmed.
		var me *MailError
		if errors.As(err, &me) && me.Kind == MailErrNotConfigured {
			return 0, nil
		}
		return 0, err
	}
	opts := o.deps.MailOptions.withDefaults()
	now := o.deps.now()
	token := newToken()
	row, err := o.deps.Outbox.ClaimMail(ctx, now, now.Add(opts.Lease), token)
	if err != nil || row == nil {
		return 0, err
	}
	// SafeDisplayName: a name stored before line breaks were refused still gets its mail.
	msg := Message{FromAddress: cfg.FromAddress, FromName: cfg.FromName, To: row.To, ToName: SafeDisplayName(row.ToName),
		Subject: row.Subject, HTML: row.HTML, Text: row.Text, MessageID: row.MessageID}
	// A send in flight is not cut short by the worker's stop: cut mid-DATA,
	// the server may have the message while the row goes back to queued.
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), opts.SendTimeout)
	sendErr := o.deps.Mailer.Send(sendCtx, cfg, msg)
	cancel()
	done := o.deps.now()
	u := MailUpdate{At: done}
	if sendErr == nil {
		u.State, u.SentAt, u.Scrub, u.NextAttemptAt = MailSent, &done, row.Sensitive, row.NextAttemptAt
		o.deps.Log.Info("mail sent", "mail_id", row.ID, "attempts", row.Attempts)
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
		o.deps.Log.Warn("mail not sent", "mail_id", row.ID, "attempts", row.Attempts, "kind", me.Kind,
			"temporary", me.Temporary, "state", u.State, "err", me.Reason())
	}
	// The verdict must land even when ctx is ending: a finished send left
	// as "sending" would be sent again after the lease.
	fctx, fcancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer fcancel()
	if u.State == MailFailed {
		u.Then = func(tx Tx) error { return o.deps.webhooks.mailFailed(fctx, tx, row, u) }
	}
	ok, err := o.deps.Outbox.FinishMail(fctx, row.ID, token, u)
	if err != nil {
		return 1, err
	}
	if ok && u.State == MailFailed {
		o.deps.webhooks.wake()
	}
	if !ok {
		o.deps.Log.Warn("mail claim lost before its verdict", "mail_id", row.ID)
	}
	return 1, nil
}

func newToken() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func newMessageID() string {
	return newToken() + "@castdesk"
}
