package panel

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// webhookEvent is one event as its deliveries carry it:
// {"id", "event", "occurred_at", "data"}.
type webhookEvent struct {
	ID         string    `json:"id"`
	Event      string    `json:"event"`
	OccurredAt time.Time `json:"occurred_at"`
	Data       any       `json:"data"`
}

func newEvent(name string, at time.Time, data any) webhookEvent {
	return webhookEvent{ID: "evt_" + randomHex(12), Event: name, OccurredAt: at, Data: data}
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// AccountRef names an account in event data: its id and username.
func accountRef(a *Account) map[string]any {
	if a == nil {
		return nil
	}
	return map[string]any{"id": a.ID, "username": a.Username}
}

// emit queues event name, in tx, for every active subscription that wants
// it and whose owner may see subject (the account the event is about, or
// the owner of the service it is about): administrators see everything,
// resellers themselves and their customers. A subscription of a disabled
// account, or of one that is no longer an administrator or a reseller,
// gets nothing. The caller wakes the worker (wake) after tx commits.
func (h *Webhooks) emit(ctx context.Context, tx Tx, name string, subject *Account, data any) error {
	subs, err := tx.ActiveWebhooksFor(ctx, name)
	if err != nil || len(subs) == 0 {
		return err
	}
	ev := newEvent(name, h.deps.now(), data)
	owners := map[int64]*Account{}
	for _, w := range subs {
		owner, ok := owners[w.AccountID]
		if !ok {
			if owner, err = tx.AccountByID(ctx, w.AccountID); err != nil {
				return err
			}
			owners[w.AccountID] = owner
		}
		if !owner.IsEnabled() {
			continue
		}
		switch {
		case owner.IsAdmin():
		case owner.IsReseller() && subject != nil && visible(&Caller{Account: owner}, subject):
		default:
			continue
		}
		if _, err := h.deliver(ctx, tx, w.ID, ev); err != nil {
			return err
		}
	}
	return nil
}

// deliver queues ev for one subscription.
func (h *Webhooks) deliver(ctx context.Context, tx Tx, webhookID int64, ev webhookEvent) (*WebhookDelivery, error) {
	body, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	d := &WebhookDelivery{SubscriptionID: webhookID, EventID: ev.ID, Event: ev.Event, Body: string(body)}
	return d, h.queue(ctx, tx, d)
}

// queue writes d as a new queued delivery in tx.
func (h *Webhooks) queue(ctx context.Context, tx Tx, d *WebhookDelivery) error {
	now := h.deps.now()
	d.GUID = newGUID()
	d.State, d.CreatedAt, d.NextAttemptAt = DeliveryQueued, now, now
	id, err := tx.InsertWebhookDelivery(ctx, d)
	d.ID = id
	return err
}

// newGUID is a random (version 4) UUID.
func newGUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// wake tells a running worker that deliveries were queued. Call it only
// after the transaction that queued them committed.
func (h *Webhooks) wake() {
	if h == nil {
		return
	}
	select {
	case h.kick <- struct{}{}:
	default:
	}
}

// after wakes the worker when err is nil (the write that queued committed)
// and returns err.
func (h *Webhooks) after(err error) error {
	if err == nil {
		h.wake()
	}
	return err
}

// The events, with the data each carries (docs/api.md, "Webhooks").

func (h *Webhooks) accountEvent(ctx context.Context, tx Tx, name string, acc *Account) error {
	return h.emit(ctx, tx, name, acc, map[string]any{"account": acc})
}

// accountChanged emits account.updated, and account.disabled or
// account.enabled when the status flipped.
func (h *Webhooks) accountChanged(ctx context.Context, tx Tx, before, after *Account) error {
	if err := h.accountEvent(ctx, tx, EventAccountUpdated, after); err != nil {
		return err
	}
	switch {
	case before.Status != StatusDisabled && after.Status == StatusDisabled:
		return h.accountEvent(ctx, tx, EventAccountDisabled, after)
	case before.Status == StatusDisabled && after.Status != StatusDisabled:
		return h.accountEvent(ctx, tx, EventAccountEnabled, after)
	}
	return nil
}

func (h *Webhooks) serviceEvent(ctx context.Context, tx Tx, name string, svc *Service, owner *Account) error {
	return h.emit(ctx, tx, name, owner, map[string]any{"service": svc})
}

// passwordReset: method is code (the owner used a reset code),
// admin_email (a temporary password was emailed) or admin_set (set by an
// administrator or reseller).
func (h *Webhooks) passwordReset(ctx context.Context, tx Tx, acc *Account, method string) error {
	return h.emit(ctx, tx, EventPasswordReset, acc, map[string]any{"account": accountRef(acc), "method": method})
}

// loginAs: by is the administrator or reseller who logs in as acc.
func (h *Webhooks) loginAs(ctx context.Context, tx Tx, name string, acc, by *Account) error {
	return h.emit(ctx, tx, name, acc, map[string]any{"account": accountRef(acc), "by": accountRef(by)})
}

// mailFailed reports a message the outbox gave up on (never its body).
func (h *Webhooks) mailFailed(ctx context.Context, tx Tx, m *OutboxMail, u MailUpdate) error {
	var acc *Account
	if m.AccountID != nil {
		a, err := tx.AccountByID(ctx, *m.AccountID)
		if err != nil && !IsCode(err, CodeNotFound) {
			return err
		}
		acc = a
	}
	return h.emit(ctx, tx, EventMailFailed, acc, map[string]any{"mail": map[string]any{
		"id": m.ID, "account_id": m.AccountID, "kind": m.Kind, "to": m.To, "subject": m.Subject,
		"attempts": m.Attempts, "error": u.LastError, "error_kind": u.ErrorKind}})
}

// backupFinished records that a backup finished (event backup.done) or
// failed (backup.failed) in the audit, and queues the webhook event
// backup.completed or backup.failed in the same transaction: only
// administrators' subscriptions get backup events.
func (b *Backups) backupFinished(ctx context.Context, c *Caller, bk Backup, runErr error, details string) error {
	auditEvent, hook := "backup.done", EventBackupCompleted
	data := map[string]any{"backup": bk}
	if runErr != nil {
		auditEvent, hook = "backup.failed", EventBackupFailed
		bk.Status, bk.Failure = BackupFailed, "error"
		data = map[string]any{"backup": bk, "error": runErr.Error()}
	}
	return b.deps.webhooks.after(b.deps.Store.Write(ctx, func(tx Tx) error {
		if err := b.deps.webhooks.emit(ctx, tx, hook, nil, data); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: b.deps.now(), Event: auditEvent, SubjectType: "backup",
			SubjectID: bk.ID, Details: details}))
	}))
}

// quotaEvery is the least time between two media.quota_exceeded events of
// one account.
const quotaEvery = time.Hour

// quotaExceeded queues media.quota_exceeded when err refuses an upload of
// acc for its storage quota (ReasonOverQuota), at most once per quotaEvery
// per account in this process. Nothing else changes with a refusal, so the
// event is a transaction of its own.
func (h *Webhooks) quotaExceeded(ctx context.Context, acc *Account, err error) {
	pe := AsError(err)
	if err == nil || pe.Fields["file"] != ReasonOverQuota {
		return
	}
	now := h.deps.now()
	h.quotaMu.Lock()
	if last, ok := h.quotaSent[acc.ID]; ok && now.Sub(last) < quotaEvery {
		h.quotaMu.Unlock()
		return
	}
	if h.quotaSent == nil {
		h.quotaSent = map[int64]time.Time{}
	}
	h.quotaSent[acc.ID] = now
	h.quotaMu.Unlock()
	data := map[string]any{"account": accountRef(acc)}
	for k, v := range pe.Params["file"] {
		data[k] = v // used, allowed (bytes) and size when the upload declared it
	}
	werr := h.after(h.deps.Store.Write(context.WithoutCancel(ctx), func(tx Tx) error {
		return h.emit(ctx, tx, EventMediaQuotaExceeded, acc, data)
	}))
	if werr != nil {
		h.deps.Log.Warn("media.quota_exceeded not queued", "account_id", acc.ID, "err", werr)
	}
}
