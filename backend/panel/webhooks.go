package panel

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Webhooks (docs/api.md, "Webhooks"): administrators, and resellers for
// their own customers, subscribe a URL to events. Every event is written to
// a persistent delivery queue in the same transaction as the change it
// reports (like the mail outbox: nothing is lost on a crash or while the
// receiver is down), and a worker (webhook_worker.go) POSTs it, signed with
// the subscription's secret, retrying with back-off for 24 hours.
type Webhooks struct {
	deps     *Deps
	settings *Settings
	apiKeys  *APIKeys
	kick     chan struct{}

	// quotaMu guards quotaSent: when media.quota_exceeded was last queued
	// for an account (an uploader retrying is not an event a minute).
	quotaMu   sync.Mutex
	quotaSent map[int64]time.Time
}

// Webhook events.
const (
	EventAccountCreated     = "account.created"
	EventAccountUpdated     = "account.updated"
	EventAccountDeleted     = "account.deleted"
	EventAccountDisabled    = "account.disabled"
	EventAccountEnabled     = "account.enabled"
	EventServiceCreated     = "service.created"
	EventServiceUpdated     = "service.updated"
	EventServiceSuspended   = "service.suspended"
	EventServiceUnsuspended = "service.unsuspended"
	EventServiceDeleted     = "service.deleted"
	EventPasswordReset      = "password.reset"
	EventLoginAsStarted     = "login_as.started"
	EventLoginAsEnded       = "login_as.ended"
	EventMailFailed         = "mail.failed"
	EventBackupCompleted    = "backup.completed"
	EventBackupFailed       = "backup.failed"
	// EventMediaQuotaExceeded: an upload was refused because the account's
	// storage quota is full (at most one an hour per account and process).
	EventMediaQuotaExceeded = "media.quota_exceeded"
	// EventPing is the "Send test event" delivery; it cannot be subscribed to.
	EventPing = "ping"
)

// WebhookEvents are the events a subscription may ask for.
var WebhookEvents = []string{
	EventAccountCreated, EventAccountUpdated, EventAccountDeleted, EventAccountDisabled, EventAccountEnabled,
	EventServiceCreated, EventServiceUpdated, EventServiceSuspended, EventServiceUnsuspended, EventServiceDeleted,
	EventPasswordReset, EventLoginAsStarted, EventLoginAsEnded, EventMailFailed,
	EventMediaQuotaExceeded, EventBackupCompleted, EventBackupFailed,
}

// Webhook is a subscription: never its secret, only the secret's last characters.
type Webhook struct {
	ID              int64     `json:"id"`
	AccountID       int64     `json:"account_id"`
	AccountUsername string    `json:"account_username"`
	URL             string    `json:"url"`
	Events          []string  `json:"events"`
	Active          bool      `json:"active"`
	SecretHint      string    `json:"secret_hint"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
	Secret          string    `json:"-"`
}

// SavedWebhook answers a create or an update. Secret is the signing secret
// when this call set it (always on create; on update only when a new secret
// was sent or generated), else empty: it is not shown again.
type SavedWebhook struct {
	Webhook
	SigningSecret string `json:"secret"`
}

// WebhookInput creates a subscription. Secret empty: one is generated.
// Active defaults to true.
type WebhookInput struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
	Secret string   `json:"secret"`
	Active *bool    `json:"active"`
}

// WebhookPatch changes only what is sent. Secret "" generates a new one.
type WebhookPatch struct {
	URL    *string   `json:"url"`
	Events *[]string `json:"events"`
	Secret *string   `json:"secret"`
	Active *bool     `json:"active"`
}

type WebhookList struct {
	Items []Webhook `json:"items"`
}

// DeliveryState is where a delivery stands.
type DeliveryState string

const (
	DeliveryQueued    DeliveryState = "queued"
	DeliverySending   DeliveryState = "sending"
	DeliveryDelivered DeliveryState = "delivered"
	DeliveryFailed    DeliveryState = "failed"
)

// WebhookDelivery is one POST of one event to one subscription, with the
// outcome of its last attempt.
type WebhookDelivery struct {
	ID             int64 `json:"id"`
	SubscriptionID int64 `json:"webhook_id"`
	// GUID is the Castdesk-Delivery header: unique per delivery (a
	// redelivery gets a new one). EventID is the body's id: the same for
	// every delivery of one event.
	GUID       string        `json:"guid"`
	EventID    string        `json:"event_id"`
	Event      string        `json:"event"`
	Body       string        `json:"body"`
	State      DeliveryState `json:"state"`
	Attempts   int           `json:"attempts"`
	StatusCode *int          `json:"status_code"`
	DurationMS *int          `json:"duration_ms"`
	Response   string        `json:"response_excerpt"`
	LastError  string        `json:"error"`
	// ErrorKind is LastError's kind from a closed list ("" when the last
	// attempt did not fail): what the SPA shows, in words.
	ErrorKind     WebhookErrorKind `json:"error_kind"`
	NextAttemptAt time.Time        `json:"next_attempt_at"`
	CreatedAt     time.Time        `json:"created_at"`
	DeliveredAt   *time.Time       `json:"delivered_at"`
	RedeliveryOf  *int64           `json:"redelivery_of"`
	ClaimToken    string           `json:"-"`
	Target        *WebhookTarget   `json:"-"`
}

// WebhookTarget is what the worker needs of a claimed delivery's subscription.
type WebhookTarget struct {
	URL    string
	Secret string
	Active bool
}

// WebhookDeliveryUpdate is the worker's verdict on a claimed delivery.
type WebhookDeliveryUpdate struct {
	State         DeliveryState
	StatusCode    *int
	DurationMS    *int
	Response      string
	LastError     string
	ErrorKind     WebhookErrorKind
	NextAttemptAt time.Time
	DeliveredAt   *time.Time
	At            time.Time
}

type WebhookDeliveryPage struct {
	Items      []WebhookDelivery `json:"items"`
	NextCursor string            `json:"next_cursor"`
}

// WebhookDeliveriesInput pages a subscription's delivery log, newest first.
type WebhookDeliveriesInput struct {
	Cursor string `json:"cursor"`
	Limit  int    `json:"limit"`
}

// WebhookReader is what the store answers about webhooks (part of Reader).
type WebhookReader interface {
	// WebhookByID and WebhookDeliveryByID answer NotFound when absent.
	WebhookByID(ctx context.Context, id int64) (*Webhook, error)
	// ListWebhooks lists the subscriptions of an account (0: everyone's), oldest first.
	ListWebhooks(ctx context.Context, accountID int64) ([]Webhook, error)
	// ActiveWebhooksFor lists the active subscriptions that want event.
	ActiveWebhooksFor(ctx context.Context, event string) ([]Webhook, error)
	WebhookDeliveryByID(ctx context.Context, id int64) (*WebhookDelivery, error)
	// ListWebhookDeliveries is a subscription's log, newest first (cursor: the last id seen).
	ListWebhookDeliveries(ctx context.Context, webhookID, cursor int64, limit int) ([]WebhookDelivery, error)
}

// WebhookWriter is what a write transaction does to webhooks (part of Tx).
type WebhookWriter interface {
	InsertWebhook(ctx context.Context, w *Webhook) (int64, error)
	UpdateWebhook(ctx context.Context, w *Webhook) error
	DeleteWebhook(ctx context.Context, id int64) error
	// InsertWebhookDelivery queues a delivery in this transaction.
	InsertWebhookDelivery(ctx context.Context, d *WebhookDelivery) (int64, error)
}

// WebhookQueue is the delivery queue's persistence outside callers'
// transactions: the worker's claims and verdicts.
type WebhookQueue interface {
	// ClaimWebhookDeliveries takes, in one write transaction, up to max due
	// deliveries, at most one per subscription and only the oldest
	// unfinished one of each (so a subscription's events go out in order),
	// of active subscriptions: a queued one whose time has come, or a
	// sending one whose lease ran out (its worker died). Each becomes
	// sending until leaseUntil with the claim token, attempts+1, Target set.
	ClaimWebhookDeliveries(ctx context.Context, now, leaseUntil time.Time, token string, max int) ([]WebhookDelivery, error)
	// FinishWebhookDelivery applies the verdict only while the delivery is
	// still claimed with token; false when the claim was lost.
	FinishWebhookDelivery(ctx context.Context, id int64, token string, u WebhookDeliveryUpdate) (bool, error)
}

// WebhookRequest is one POST the worker asks the sender to make.
type WebhookRequest struct {
	URL     string
	Headers map[string]string
	Body    []byte
	// AllowPrivate lets the request reach loopback, private and link-local
	// addresses (the setting webhook_allow_private_targets).
	AllowPrivate bool
	Timeout      time.Duration
}

// WebhookResponse is what came back: the status and the start of the body.
type WebhookResponse struct {
	StatusCode int
	Excerpt    string
}

// WebhookSender makes the HTTP requests (backend/webhook): no redirect
// followed, the address actually connected to checked against
// PrivateAddress at connect time (no DNS rebinding around a check made
// earlier), a timeout per request.
type WebhookSender interface {
	Send(ctx context.Context, r WebhookRequest) (WebhookResponse, error)
	// LookupHost resolves a host name, for the check made when a
	// subscription is saved.
	LookupHost(ctx context.Context, host string) ([]netip.Addr, error)
}

const (
	webhookURLMax      = 2000
	webhookSecretMin   = 16
	webhookSecretMax   = 200
	webhooksPerAccount = 50
	webhookSecretHint  = 4
)

// PrivateAddress tells whether a is an address webhooks may not reach
// unless webhook_allow_private_targets is on: loopback, private (RFC 1918,
// unique local), link-local, unspecified, multicast, shared (100.64/10),
// "this network" (0/8), and IPv4 addresses mapped or translated (NAT64)
// into IPv6.
func PrivateAddress(a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	if a.Is6() && nat64.Contains(a) {
		b := a.As16()
		a = netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	}
	if !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() {
		return true
	}
	for _, p := range otherPrivate {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

var (
	nat64        = netip.MustParsePrefix("64:ff9b::/96")
	otherPrivate = []netip.Prefix{
		netip.MustParsePrefix("0.0.0.0/8"),
		netip.MustParsePrefix("100.64.0.0/10"),
		netip.MustParsePrefix("192.0.0.0/24"),
		netip.MustParsePrefix("198.18.0.0/15"),
		netip.MustParsePrefix("240.0.0.0/4"),
	}
)

// mayUseWebhooks: administrators and resellers.
func mayUseWebhooks(c *Caller) error {
	if c.Account.IsAdmin() || c.Account.IsReseller() {
		return nil
	}
	return Forbidden("Only administrators and resellers can use webhooks.")
}

// webhookFor finds a subscription the caller may manage: administrators
// every one, resellers their own; others answer not found.
func webhookFor(ctx context.Context, r Reader, c *Caller, id int64) (*Webhook, error) {
	w, err := r.WebhookByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !c.Account.IsAdmin() && w.AccountID != c.Account.ID {
		return nil, NotFound("Webhook")
	}
	return w, nil
}

func (h *Webhooks) List(ctx context.Context) (WebhookList, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return WebhookList{}, err
	}
	if err := mayUseWebhooks(c); err != nil {
		return WebhookList{}, err
	}
	owner := c.Account.ID
	if c.Account.IsAdmin() {
		owner = 0
	}
	items, err := h.deps.Store.ListWebhooks(ctx, owner)
	if err != nil {
		return WebhookList{}, Internal(err)
	}
	if items == nil {
		items = []Webhook{}
	}
	return WebhookList{Items: items}, nil
}

func (h *Webhooks) Get(ctx context.Context, id int64) (*Webhook, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return nil, err
	}
	if err := mayUseWebhooks(c); err != nil {
		return nil, err
	}
	w, err := webhookFor(ctx, h.deps.Store, c, id)
	return w, wrapErr(err)
}

// checkURL validates a target URL: http or https, a host, no credentials,
// and, unless private targets are allowed, no host that is or resolves to a
// private address. The worker checks the address again at every delivery.
func (h *Webhooks) checkURL(ctx context.Context, raw string, fields *Problems) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		fields.Add("url", ReasonRequired)
		return raw
	}
	if utf8.RuneCountInString(raw) > webhookURLMax {
		fields.TooLong("url", webhookURLMax)
		return raw
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil || u.Fragment != "" {
		fields.Add("url", ReasonInvalid)
		return raw
	}
	set, err := h.settings.current(ctx, h.deps.Store)
	if err != nil || set.WebhookAllowPrivateTargets {
		return raw
	}
	host := u.Hostname()
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else {
		lctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		addrs, _ = h.deps.WebhookSender.LookupHost(lctx, host)
		cancel()
		// A name that does not resolve now is accepted: deliveries are
		// checked when they connect, and fail until it resolves.
	}
	for _, a := range addrs {
		if PrivateAddress(a) {
			fields.Add("url", ReasonPrivateTarget)
			break
		}
	}
	return raw
}

func normalizeEvents(in []string, fields *Problems) []string {
	set := map[string]bool{}
	for _, e := range in {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if !slices.Contains(WebhookEvents, e) {
			fields.Add("events", ReasonInvalid, Params{"value": e})
			return nil
		}
		set[e] = true
	}
	var out []string
	for _, e := range WebhookEvents {
		if set[e] {
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		fields.Add("events", ReasonRequired)
	}
	return out
}

// checkSecret validates a secret sent by the caller; "" generates one.
func checkSecret(raw string, fields *Problems) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return "", err
		}
		return "whsec_" + base64.RawURLEncoding.EncodeToString(b), nil
	}
	switch n := utf8.RuneCountInString(s); {
	case n < webhookSecretMin:
		fields.TooShort("secret", webhookSecretMin)
	case n > webhookSecretMax:
		fields.TooLong("secret", webhookSecretMax)
	}
	return s, nil
}

func secretHint(s string) string {
	if len(s) <= webhookSecretHint {
		return ""
	}
	return s[len(s)-webhookSecretHint:]
}

func describeWebhook(w *Webhook) string {
	return fmt.Sprintf("webhook_id=%d url=%q events=%s active=%t", w.ID, w.URL, strings.Join(w.Events, ","), w.Active)
}

// Create subscribes the caller's account.
func (h *Webhooks) Create(ctx context.Context, in WebhookInput) (SavedWebhook, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return SavedWebhook{}, err
	}
	if err := mayUseWebhooks(c); err != nil {
		return SavedWebhook{}, err
	}
	fields := &Problems{}
	now := h.deps.now()
	w := &Webhook{AccountID: c.Account.ID, AccountUsername: c.Account.Username, Active: true, CreatedAt: now, UpdatedAt: now}
	w.URL = h.checkURL(ctx, in.URL, fields)
	w.Events = normalizeEvents(in.Events, fields)
	if w.Secret, err = checkSecret(in.Secret, fields); err != nil {
		return SavedWebhook{}, Internal(err)
	}
	if in.Active != nil {
		w.Active = *in.Active
	}
	if !fields.Empty() {
		return SavedWebhook{}, fields.Err()
	}
	w.SecretHint = secretHint(w.Secret)
	err = h.deps.Store.Write(ctx, func(tx Tx) error {
		existing, err := tx.ListWebhooks(ctx, c.Account.ID)
		if err != nil {
			return err
		}
		if len(existing) >= webhooksPerAccount {
			return FieldError(CodeConflict, fmt.Sprintf("This account already has %d webhooks: delete one first.", webhooksPerAccount),
				"webhooks", ReasonLimitReached, Params{"max": webhooksPerAccount})
		}
		if w.ID, err = tx.InsertWebhook(ctx, w); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "webhook.create", SubjectType: "webhook",
			SubjectID: fmt.Sprint(w.ID), Details: describeWebhook(w)}))
	})
	if err != nil {
		return SavedWebhook{}, wrapErr(err)
	}
	return SavedWebhook{Webhook: *w, SigningSecret: w.Secret}, nil
}

func (h *Webhooks) Update(ctx context.Context, id int64, in WebhookPatch) (SavedWebhook, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return SavedWebhook{}, err
	}
	if err := mayUseWebhooks(c); err != nil {
		return SavedWebhook{}, err
	}
	// The URL is checked (and resolved) before the write transaction.
	fields := &Problems{}
	var newURL, newSecret string
	if in.URL != nil {
		newURL = h.checkURL(ctx, *in.URL, fields)
	}
	var events []string
	if in.Events != nil {
		events = normalizeEvents(*in.Events, fields)
	}
	if in.Secret != nil {
		if newSecret, err = checkSecret(*in.Secret, fields); err != nil {
			return SavedWebhook{}, Internal(err)
		}
	}
	if !fields.Empty() {
		return SavedWebhook{}, fields.Err()
	}
	var out SavedWebhook
	err = h.deps.Store.Write(ctx, func(tx Tx) error {
		w, err := webhookFor(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if in.URL != nil {
			w.URL = newURL
		}
		if in.Events != nil {
			w.Events = events
		}
		if in.Secret != nil {
			w.Secret, w.SecretHint = newSecret, secretHint(newSecret)
			out.SigningSecret = newSecret
		}
		if in.Active != nil {
			w.Active = *in.Active
		}
		w.UpdatedAt = h.deps.now()
		if err := tx.UpdateWebhook(ctx, w); err != nil {
			return err
		}
		out.Webhook = *w
		details := describeWebhook(w)
		if in.Secret != nil {
			details += " secret=changed"
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: w.UpdatedAt, Event: "webhook.update", SubjectType: "webhook",
			SubjectID: fmt.Sprint(w.ID), Details: details}))
	})
	if err != nil {
		return SavedWebhook{}, wrapErr(err)
	}
	if out.Active {
		h.wake() // deliveries held while it was off may go now
	}
	return out, nil
}

// Delete removes a subscription with its delivery log and queue.
func (h *Webhooks) Delete(ctx context.Context, id int64) error {
	c, err := requireCaller(ctx)
	if err != nil {
		return err
	}
	if err := mayUseWebhooks(c); err != nil {
		return err
	}
	return wrapErr(h.deps.Store.Write(ctx, func(tx Tx) error {
		w, err := webhookFor(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteWebhook(ctx, id); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: h.deps.now(), Event: "webhook.delete", SubjectType: "webhook",
			SubjectID: fmt.Sprint(id), Details: describeWebhook(w)}))
	}))
}

// Deliveries is a subscription's delivery log, newest first.
func (h *Webhooks) Deliveries(ctx context.Context, id int64, in WebhookDeliveriesInput) (WebhookDeliveryPage, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return WebhookDeliveryPage{}, err
	}
	if err := mayUseWebhooks(c); err != nil {
		return WebhookDeliveryPage{}, err
	}
	if _, err := webhookFor(ctx, h.deps.Store, c, id); err != nil {
		return WebhookDeliveryPage{}, wrapErr(err)
	}
	var cursor int64
	if in.Cursor != "" {
		if cursor, err = strconv.ParseInt(in.Cursor, 10, 64); err != nil || cursor <= 0 {
			return WebhookDeliveryPage{}, InvalidField("cursor", ReasonInvalid)
		}
	}
	limit := pageLimit(in.Limit, nil)
	if limit < 0 {
		return WebhookDeliveryPage{}, InvalidField("limit", ReasonInvalid)
	}
	items, err := h.deps.Store.ListWebhookDeliveries(ctx, id, cursor, limit+1)
	if err != nil {
		return WebhookDeliveryPage{}, Internal(err)
	}
	page := WebhookDeliveryPage{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		page.NextCursor = strconv.FormatInt(items[limit-1].ID, 10)
	}
	if page.Items == nil {
		page.Items = []WebhookDelivery{}
	}
	return page, nil
}

// Redeliver queues a new delivery of a delivered or failed one: the same
// event and body, a new Castdesk-Delivery id, at the end of the queue.
func (h *Webhooks) Redeliver(ctx context.Context, id, deliveryID int64) (*WebhookDelivery, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return nil, err
	}
	if err := mayUseWebhooks(c); err != nil {
		return nil, err
	}
	var out *WebhookDelivery
	err = h.deps.Store.Write(ctx, func(tx Tx) error {
		w, err := webhookFor(ctx, tx, c, id)
		if err != nil {
			return err
		}
		d, err := tx.WebhookDeliveryByID(ctx, deliveryID)
		if err != nil || d.SubscriptionID != w.ID {
			return NotFound("Delivery")
		}
		if d.State == DeliveryQueued || d.State == DeliverySending {
			return FieldError(CodeConflict, "This delivery is still waiting to be sent.", "state", ReasonStillQueued, nil)
		}
		orig := d.ID
		out = &WebhookDelivery{SubscriptionID: w.ID, EventID: d.EventID, Event: d.Event, Body: d.Body, RedeliveryOf: &orig}
		if err := h.queue(ctx, tx, out); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: out.CreatedAt, Event: "webhook.redeliver", SubjectType: "webhook",
			SubjectID: fmt.Sprint(w.ID), Details: fmt.Sprintf("delivery=%d of=%d event=%s", out.ID, orig, d.Event)}))
	})
	if err != nil {
		return nil, wrapErr(err)
	}
	h.wake()
	return out, nil
}

// Test queues a "ping" event to the subscription alone.
func (h *Webhooks) Test(ctx context.Context, id int64) (*WebhookDelivery, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return nil, err
	}
	if err := mayUseWebhooks(c); err != nil {
		return nil, err
	}
	var out *WebhookDelivery
	err = h.deps.Store.Write(ctx, func(tx Tx) error {
		w, err := webhookFor(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if !w.Active {
			return FieldError(CodeConflict, "This webhook is off: turn it on to send a test event.", "active", ReasonDisabled, nil)
		}
		now := h.deps.now()
		ev := newEvent(EventPing, now, map[string]any{"webhook_id": w.ID, "message": "A test event from Castdesk."})
		if out, err = h.deliver(ctx, tx, w.ID, ev); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "webhook.test", SubjectType: "webhook",
			SubjectID: fmt.Sprint(w.ID), Details: fmt.Sprintf("delivery=%d", out.ID)}))
	})
	if err != nil {
		return nil, wrapErr(err)
	}
	h.wake()
	return out, nil
}
