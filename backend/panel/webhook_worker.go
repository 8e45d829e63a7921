package panel

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The webhook delivery worker. Like the mail outbox:
//
//	queued --claim--> sending --2xx--> delivered
//	   ^                 |--anything else, within 24 h of the event--> queued (next_attempt_at = now + back-off)
//	   |                 '--anything else, 24 h after the event--> failed
//	   '--- a sending delivery whose lease ran out (its worker died) is claimed again
//
// A claim takes only the oldest unfinished delivery of each subscription,
// so one subscription's events arrive in the order they happened (a
// receiver that is down holds its own queue, not anybody else's), and at
// most MaxInFlight requests run at once. A delivery interrupted by a crash
// may arrive twice (at least once): receivers deduplicate on the body's id
// or the Castdesk-Delivery header.

// WebhookOptions tune the worker; zero values take the defaults.
type WebhookOptions struct {
	Poll        time.Duration // how often the worker looks for due deliveries (default 2 s)
	Timeout     time.Duration // one request (default 10 s)
	Lease       time.Duration // how long a claim lasts (default 1 min; at least 2 × Timeout)
	BackoffBase time.Duration // first retry delay (default 10 s), doubling
	BackoffMax  time.Duration // cap of the delay (default 1 h)
	GiveUpAfter time.Duration // then failed (default 24 h after the event)
	MaxInFlight int           // requests at once (default 8)
	// SweepEvery: how often the worker also looks for API keys about to
	// expire (default 1 h; APIKeys.WarnExpiring).
	SweepEvery time.Duration
}

func (o WebhookOptions) withDefaults() WebhookOptions {
	if o.Poll <= 0 {
		o.Poll = 2 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.Lease < 2*o.Timeout {
		o.Lease = max(time.Minute, 2*o.Timeout)
	}
	if o.BackoffBase <= 0 {
		o.BackoffBase = 10 * time.Second
	}
	if o.BackoffMax <= 0 {
		o.BackoffMax = time.Hour
	}
	if o.GiveUpAfter <= 0 {
		o.GiveUpAfter = 24 * time.Hour
	}
	if o.MaxInFlight <= 0 {
		o.MaxInFlight = 8
	}
	if o.SweepEvery <= 0 {
		o.SweepEvery = time.Hour
	}
	return o
}

// Backoff is the delay before attempt n+1 after n failed attempts.
func (o WebhookOptions) Backoff(attempts int) time.Duration {
	o = o.withDefaults()
	d := o.BackoffBase
	for i := 1; i < attempts && d < o.BackoffMax; i++ {
		d *= 2
	}
	return min(d, o.BackoffMax)
}

// responseExcerptMax bounds what the delivery log keeps of a response body.
const responseExcerptMax = 1024

// Signature is the Castdesk-Signature header of body sent at t:
// "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the secret>".
func Signature(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// Run is the worker: it delivers due deliveries until ctx ends, then waits
// for the requests in flight to record their verdicts. Several workers (in
// one or several processes on one database) may run at once. It also warns
// about API keys about to expire, every SweepEvery.
func (h *Webhooks) Run(ctx context.Context) {
	opts := h.deps.WebhookOptions.withDefaults()
	slots := make(chan struct{}, opts.MaxInFlight)
	done := make(chan struct{}, opts.MaxInFlight)
	var wg sync.WaitGroup
	defer wg.Wait()
	var nextSweep time.Time
	for ctx.Err() == nil {
		if now := h.deps.Now(); !now.Before(nextSweep) {
			if _, err := h.apiKeys.WarnExpiring(ctx); err != nil && ctx.Err() == nil {
				h.deps.Log.Warn("API key expiry warnings", "err", err)
			}
			nextSweep = now.Add(opts.SweepEvery)
		}
		free := opts.MaxInFlight - len(slots)
		var claimed []WebhookDelivery
		if free > 0 {
			var err error
			claimed, err = h.claim(ctx, free)
			if err != nil && ctx.Err() == nil {
				h.deps.Log.Warn("webhook worker", "err", err)
			}
		}
		for _, d := range claimed {
			slots <- struct{}{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				h.attempt(ctx, d)
				<-slots
				select {
				case done <- struct{}{}:
				default:
				}
			}()
		}
		if len(claimed) > 0 && len(claimed) == free {
			// Maybe more are due: look again once a slot frees up.
			select {
			case <-ctx.Done():
				return
			case <-done:
			}
			continue
		}
		t := time.NewTimer(opts.Poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-h.kick:
		case <-done: // a subscription's next delivery may be due now
		case <-t.C:
		}
		t.Stop()
	}
}

// RunOnce claims what is due (up to MaxInFlight, one per subscription),
// delivers it concurrently and waits for the verdicts. It answers how many
// deliveries were attempted. Tests drive the worker with it.
func (h *Webhooks) RunOnce(ctx context.Context) (int, error) {
	opts := h.deps.WebhookOptions.withDefaults()
	claimed, err := h.claim(ctx, opts.MaxInFlight)
	if err != nil {
		return 0, err
	}
	var wg sync.WaitGroup
	for _, d := range claimed {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.attempt(ctx, d)
		}()
	}
	wg.Wait()
	return len(claimed), nil
}

func (h *Webhooks) claim(ctx context.Context, max int) ([]WebhookDelivery, error) {
	opts := h.deps.WebhookOptions.withDefaults()
	now := h.deps.now()
	return h.deps.WebhookQueue.ClaimWebhookDeliveries(ctx, now, now.Add(opts.Lease), newToken(), max)
}

// attempt makes one request for a claimed delivery and records the verdict.
func (h *Webhooks) attempt(ctx context.Context, d WebhookDelivery) {
	opts := h.deps.WebhookOptions.withDefaults()
	allowPrivate := false
	if set, err := h.settings.current(ctx, h.deps.Store); err == nil {
		allowPrivate = set.WebhookAllowPrivateTargets
	}
	body := []byte(d.Body)
	start := h.deps.Now()
	req := WebhookRequest{URL: d.Target.URL, Body: body, AllowPrivate: allowPrivate, Timeout: opts.Timeout,
		Headers: map[string]string{
			"Content-Type":       "application/json",
			"User-Agent":         "Castdesk-Webhooks/" + Version,
			"Castdesk-Event":     d.Event,
			"Castdesk-Delivery":  d.GUID,
			"Castdesk-Signature": Signature(d.Target.Secret, start, body),
		}}
	// A request in flight is not cut short by the worker's stop: its
	// timeout bounds it, and its verdict is recorded.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), opts.Timeout)
	res, err := h.deps.WebhookSender.Send(sctx, req)
	cancel()
	end := h.deps.Now()
	ms := int(end.Sub(start).Milliseconds())
	now := h.deps.now()
	u := WebhookDeliveryUpdate{At: now, DurationMS: &ms, Response: truncateUTF8(res.Excerpt, responseExcerptMax)}
	if res.StatusCode != 0 {
		code := res.StatusCode
		u.StatusCode = &code
	}
	switch {
	case err == nil && res.StatusCode >= 200 && res.StatusCode < 300:
		u.State, u.DeliveredAt, u.NextAttemptAt = DeliveryDelivered, &now, d.NextAttemptAt
	default:
		u.LastError = fmt.Sprintf("The receiver answered %d.", res.StatusCode)
		if res.StatusCode >= 300 && res.StatusCode < 400 {
			u.LastError = fmt.Sprintf("The receiver answered %d (a redirect, which is not followed).", res.StatusCode)
		}
		if err != nil {
			u.LastError = err.Error()
		}
		u.ErrorKind = WebhookFailureKind(res.StatusCode, err)
		next := now.Add(opts.Backoff(d.Attempts))
		if next.After(d.CreatedAt.Add(opts.GiveUpAfter)) {
			u.State, u.NextAttemptAt = DeliveryFailed, d.NextAttemptAt
			u.LastError = fmt.Sprintf("Gave up after %d attempts: %s", d.Attempts, u.LastError)
		} else {
			u.State, u.NextAttemptAt = DeliveryQueued, next
		}
		h.deps.Log.Warn("webhook not delivered", "delivery_id", d.ID, "webhook_id", d.SubscriptionID,
			"attempts", d.Attempts, "state", u.State, "kind", u.ErrorKind, "err", u.LastError)
	}
	fctx, fcancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer fcancel()
	ok, err := h.deps.WebhookQueue.FinishWebhookDelivery(fctx, d.ID, d.ClaimToken, u)
	switch {
	case err != nil:
		h.deps.Log.Error("webhook verdict not recorded", "delivery_id", d.ID, "err", err)
	case !ok:
		h.deps.Log.Warn("webhook claim lost before its verdict", "delivery_id", d.ID)
	}
}

// truncateUTF8 keeps at most n bytes of s as valid UTF-8 (a binary or cut
// response loses its invalid bytes).
func truncateUTF8(s string, n int) string {
	if len(s) > n {
		s = s[:n]
	}
	return strings.ToValidUTF8(s, "")
}
