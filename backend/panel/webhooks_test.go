package panel_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"castdesk/backend/mailer/mailertest"
	"castdesk/backend/panel"
	"castdesk/backend/testkit"
	"castdesk/backend/webhook/webhooktest"
)

// hookKit: a desk whose admin allows private webhook targets (the test
// receivers listen on 127.0.0.1), with the twin mailer and a configured
// SMTP so mail can fail.
type hookKit struct {
	*testkit.Env
	admin  context.Context
	mailer *mailertest.Mailer
}

var testHooks = panel.WebhookOptions{BackoffBase: time.Minute, BackoffMax: time.Hour, MaxInFlight: 4}

func newHookKit(t *testing.T) *hookKit {
	t.Helper()
	env := testkit.New(t)
	m := mailertest.New()
	env.Mailer, env.WebhookOptions = m, testHooks
	env.MailOptions = panel.MailOptions{MaxAttempts: 1}
	env.Reopen(t)
	admin, _ := env.Setup(t)
	host, from := "smtp.example.org", "panel@example.org"
	if _, err := env.Panel.Settings.Update(admin, panel.SettingsPatch{SMTPHost: &host, SMTPFromAddress: &from,
		WebhookAllowPrivateTargets: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	return &hookKit{Env: env, admin: admin, mailer: m}
}

// subscribe makes ctx's account a subscription to events at r.
func (k *hookKit) subscribe(t *testing.T, ctx context.Context, r *webhooktest.Receiver, events ...string) panel.SavedWebhook {
	t.Helper()
	if len(events) == 0 {
		events = panel.WebhookEvents
	}
	w, err := k.Panel.Webhooks.Create(ctx, panel.WebhookInput{URL: r.URL(), Events: events})
	if err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	if !strings.HasPrefix(w.SigningSecret, "whsec_") || w.SecretHint != w.SigningSecret[len(w.SigningSecret)-4:] {
		t.Fatalf("generated secret: %q hint %q", w.SigningSecret, w.SecretHint)
	}
	r.SetSecret(w.SigningSecret)
	r.SetClock(k.Clock.Now)
	return w
}

// drain runs the worker until nothing is due.
func (k *hookKit) drain(t *testing.T) int {
	t.Helper()
	total := 0
	for i := 0; ; i++ {
		n, err := k.Panel.Webhooks.RunOnce(context.Background())
		if err != nil {
			t.Fatalf("RunOnce: %v", err)
		}
		if n == 0 {
			return total
		}
		total += n
		if i > 1000 {
			t.Fatal("the webhook queue never ran dry")
		}
	}
}

func (k *hookKit) deliveries(t *testing.T, id int64) []panel.WebhookDelivery {
	t.Helper()
	page, err := k.Panel.Webhooks.Deliveries(k.admin, id, panel.WebhookDeliveriesInput{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

func events(ds []webhooktest.Delivery) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Event)
	}
	return out
}

// Every event fires once, with a valid signature and the documented shape,
// to an admin's subscription; a reseller's subscription gets only its own
// customers' events; a subscription gets only the events it asked for.
func TestWebhookEveryEventOnceSigned(t *testing.T) {
	k := newHookKit(t)
	all := webhooktest.Start(t)
	k.subscribe(t, k.admin, all)
	onlyServices := webhooktest.Start(t)
	k.subscribe(t, k.admin, onlyServices, panel.EventServiceSuspended, panel.EventServiceUnsuspended)

	// A reseller with a subscription, and a customer of another account.
	plan, err := k.Panel.Plans.Create(k.admin, panel.PlanInput{Name: ptr("Gold")})
	if err != nil {
		t.Fatal(err)
	}
	reseller := k.CreateAccount(t, k.admin, "reseller", panel.LevelCustomer)
	if _, err := k.Panel.Accounts.Update(k.admin, reseller.ID, panel.UpdateAccountInput{ResellerPlanID: ptr(plan.ID)}); err != nil {
		t.Fatal(err)
	}
	resellerCtx := k.Login(t, "reseller", testkit.StrongPassword)
	mine := webhooktest.Start(t)
	k.subscribe(t, resellerCtx, mine)
	k.drain(t)
	before := len(all.Deliveries())

	// One of each event, on a customer of the reseller.
	cust := k.CreateAccount(t, resellerCtx, "cust", panel.LevelCustomer) // account.created
	if _, err := k.Panel.Accounts.Update(resellerCtx, cust.ID, panel.UpdateAccountInput{Name: ptr("Customer Renamed")}); err != nil {
		t.Fatal(err) // account.updated
	}
	disabled, enabled := panel.StatusDisabled, panel.StatusEnabled
	if _, err := k.Panel.Accounts.Update(resellerCtx, cust.ID, panel.UpdateAccountInput{Status: &disabled}); err != nil {
		t.Fatal(err) // account.updated + account.disabled
	}
	if _, err := k.Panel.Accounts.Update(resellerCtx, cust.ID, panel.UpdateAccountInput{Status: &enabled}); err != nil {
		t.Fatal(err) // account.updated + account.enabled
	}
	svc, err := k.Panel.Services.Create(resellerCtx, panel.ServiceInput{OwnerID: &cust.ID, Name: ptr("Radio"), Type: ptr("icecast")})
	if err != nil {
		t.Fatal(err) // service.created
	}
	if _, err := k.Panel.Services.Update(resellerCtx, svc.ID, panel.ServiceInput{Name: ptr("Radio FM")}); err != nil {
		t.Fatal(err) // service.updated
	}
	if _, err := k.Panel.Services.SetSuspended(resellerCtx, svc.ID, true, "unpaid"); err != nil {
		t.Fatal(err) // service.suspended
	}
	if _, err := k.Panel.Services.SetSuspended(resellerCtx, svc.ID, false, ""); err != nil {
		t.Fatal(err) // service.unsuspended
	}
	if err := k.Panel.Services.Delete(resellerCtx, svc.ID); err != nil {
		t.Fatal(err) // service.deleted
	}
	pw := "Another-Str0ng-Pass"
	if err := k.Panel.Accounts.SetPassword(resellerCtx, cust.ID, panel.SetPasswordInput{Password: pw, PasswordConfirm: pw}); err != nil {
		t.Fatal(err) // password.reset (admin_set)
	}
	res, _, err := k.Panel.Auth.LoginAs(resellerCtx, cust.ID)
	if err != nil {
		t.Fatal(err) // login_as.started
	}
	if _, err := k.Panel.Auth.Logout(k.As(t, res.Token)); err != nil {
		t.Fatal(err) // login_as.ended
	}
	k.mailer.Fail(&panel.MailError{Kind: panel.MailErrRejected, Message: "550 no such mailbox"})
	if _, err := k.Panel.Mail.EmailUser(k.admin, cust.ID, panel.EmailUserInput{Subject: "Invoice", Message: "<p>Pay</p>"}); err != nil {
		t.Fatal(err)
	}
	if n, err := k.Panel.Mail.RunOnce(context.Background()); err != nil || n != 1 {
		t.Fatalf("mail worker: %d %v", n, err) // mail.failed
	}
	// Another admin's customer: the reseller must not hear of it.
	other := k.CreateAccount(t, k.admin, "other", panel.LevelCustomer)
	if err := k.Panel.Accounts.Delete(resellerCtx, cust.ID, "cust"); err != nil {
		t.Fatal(err) // account.deleted
	}
	if n := k.drain(t); n == 0 {
		t.Fatal("nothing delivered")
	}

	want := []string{
		"account.created", "account.updated", "account.updated", "account.disabled", "account.updated", "account.enabled",
		"service.created", "service.updated", "service.suspended", "service.unsuspended", "service.deleted",
		"password.reset", "login_as.started", "login_as.ended", "mail.failed", "account.deleted",
	}
	// The admin hears everything, including the other customer's creation.
	got := events(all.Deliveries()[before:])
	wantAdmin := slices.Insert(slices.Clone(want), len(want)-1, "account.created")
	if !slices.Equal(got, wantAdmin) {
		t.Fatalf("admin's receiver got\n%v\nwant\n%v", got, wantAdmin)
	}
	if got := events(mine.Deliveries()); !slices.Equal(got, want) {
		t.Fatalf("reseller's receiver got\n%v\nwant\n%v", got, want)
	}
	if got := events(onlyServices.Deliveries()); !slices.Equal(got, []string{"service.suspended", "service.unsuspended"}) {
		t.Fatalf("filtered receiver got %v", got)
	}
	for _, r := range []*webhooktest.Receiver{all, mine, onlyServices} {
		ids := map[string]bool{}
		for _, d := range r.Deliveries() {
			if !d.ValidSignature || !strings.HasPrefix(d.Signature, "t=") || !strings.Contains(d.Signature, ",v1=") {
				t.Fatalf("%s: bad signature %q", d.Event, d.Signature)
			}
			if d.Payload.Event != d.Event || !strings.HasPrefix(d.Payload.ID, "evt_") || d.Payload.OccurredAt.IsZero() ||
				len(d.DeliveryID) != 36 || ids[d.DeliveryID] {
				t.Fatalf("%s: shape %+v", d.Event, d)
			}
			ids[d.DeliveryID] = true
		}
	}
	// The data of a few events.
	var created, deleted struct {
		Account panel.Account `json:"account"`
	}
	json.Unmarshal(mine.Deliveries()[0].Payload.Data, &created)
	json.Unmarshal(mine.Deliveries()[15].Payload.Data, &deleted)
	if created.Account.Username != "cust" || deleted.Account.ID != cust.ID {
		t.Fatalf("account data: %+v / %+v", created, deleted)
	}
	var suspended struct {
		Service panel.Service `json:"service"`
	}
	json.Unmarshal(mine.Deliveries()[8].Payload.Data, &suspended)
	if suspended.Service.Status != panel.ServiceSuspended || suspended.Service.SuspendReason != "unpaid" {
		t.Fatalf("service data: %+v", suspended)
	}
	for i, wantData := range map[int]string{
		11: `"method":"admin_set"`, 12: `"by":{"id":`, 14: `"error_kind":"rejected"`,
	} {
		if d := string(mine.Deliveries()[i].Payload.Data); !strings.Contains(d, wantData) {
			t.Fatalf("%s data %s lacks %s", mine.Deliveries()[i].Event, d, wantData)
		}
	}
	if strings.Contains(string(mine.Deliveries()[14].Payload.Data), "Pay") {
		t.Fatal("mail.failed carries the body")
	}
	_ = other

	// The delivery log: delivered, with the answer and its timing.
	list, _ := k.Panel.Webhooks.List(resellerCtx)
	log, err := k.Panel.Webhooks.Deliveries(resellerCtx, list.Items[0].ID, panel.WebhookDeliveriesInput{Limit: 5})
	if err != nil || len(log.Items) != 5 || log.NextCursor == "" {
		t.Fatalf("log page: %d %q %v", len(log.Items), log.NextCursor, err)
	}
	d := log.Items[0]
	if d.Event != "account.deleted" || d.State != panel.DeliveryDelivered || d.StatusCode == nil || *d.StatusCode != 200 ||
		d.DurationMS == nil || d.Response != `{"ok":true}` || d.Attempts != 1 || d.DeliveredAt == nil {
		t.Fatalf("log entry: %+v", d)
	}
}

// Delivery while the receiver is down, then up: everything arrives once,
// in order per subscription, and a receiver that is down holds only its
// own queue.
func TestWebhookReceiverDownThenUp(t *testing.T) {
	k := newHookKit(t)
	down := webhooktest.Start(t)
	down.Cut(true)
	up := webhooktest.Start(t)
	k.subscribe(t, k.admin, down, panel.EventAccountCreated)
	k.subscribe(t, k.admin, up, panel.EventAccountCreated)
	for i := range 10 {
		k.CreateAccount(t, k.admin, fmt.Sprintf("user%02d", i), panel.LevelCustomer)
	}
	// Rounds of the worker with the clock moving past each back-off.
	for round := 0; round < 4; round++ {
		k.drain(t)
		k.Clock.Advance(2 * time.Hour)
	}
	if n := len(up.Deliveries()); n != 10 {
		t.Fatalf("the live receiver got %d of 10 while the other was down", n)
	}
	list, _ := k.Panel.Webhooks.List(k.admin)
	held := k.deliveries(t, list.Items[0].ID)
	head := held[len(held)-1] // oldest
	if head.State != panel.DeliveryQueued || head.Attempts != 4 || head.LastError == "" || head.ErrorKind != panel.WebhookErrConnect {
		t.Fatalf("the head while down: %+v", head)
	}
	for _, d := range held[:len(held)-1] {
		if d.Attempts != 0 {
			t.Fatalf("a later delivery was tried before the head: %+v", d)
		}
	}
	down.Cut(false)
	k.Clock.Advance(2 * time.Hour)
	k.drain(t)
	// Delivered at last: the failure is no longer what the log shows.
	if d := k.deliveries(t, list.Items[0].ID)[len(held)-1]; d.State != panel.DeliveryDelivered || d.ErrorKind != "" || d.LastError != "" {
		t.Fatalf("the head once up: %+v", d)
	}
	for _, r := range []*webhooktest.Receiver{down, up} {
		var names []string
		ids := map[string]bool{}
		for _, d := range r.Deliveries() {
			var data struct {
				Account panel.Account `json:"account"`
			}
			json.Unmarshal(d.Payload.Data, &data)
			names = append(names, data.Account.Username)
			if ids[d.Payload.ID] {
				t.Fatalf("event %s delivered twice", d.Payload.ID)
			}
			ids[d.Payload.ID] = true
		}
		want := []string{"user00", "user01", "user02", "user03", "user04", "user05", "user06", "user07", "user08", "user09"}
		if !slices.Equal(names, want) {
			t.Fatalf("order: %v", names)
		}
	}
}

// After 24 hours a delivery fails for good and the next one goes; a failed
// delivery can be sent again (Redeliver), a test event sent on demand.
func TestWebhookGiveUpRedeliverAndTest(t *testing.T) {
	k := newHookKit(t)
	r := webhooktest.Start(t)
	r.Answer(500)
	w := k.subscribe(t, k.admin, r, panel.EventAccountCreated)
	k.CreateAccount(t, k.admin, "first", panel.LevelCustomer)
	k.CreateAccount(t, k.admin, "second", panel.LevelCustomer)
	for i := 0; i < 40; i++ {
		k.drain(t)
		k.Clock.Advance(time.Hour)
	}
	log := k.deliveries(t, w.ID)
	if len(log) != 2 || log[0].State != panel.DeliveryFailed || log[1].State != panel.DeliveryFailed {
		t.Fatalf("after a day and more: %+v", log)
	}
	first := log[1]
	if !strings.HasPrefix(first.LastError, "Gave up after") || first.Attempts < 5 || first.StatusCode == nil || *first.StatusCode != 500 ||
		first.ErrorKind != panel.WebhookErrHTTPStatus {
		t.Fatalf("gave up: %+v", first)
	}
	r.Answer(200)
	before := r.Received()
	again, err := k.Panel.Webhooks.Redeliver(k.admin, w.ID, first.ID)
	if err != nil || again.EventID != first.EventID || again.GUID == first.GUID || again.RedeliveryOf == nil || *again.RedeliveryOf != first.ID {
		t.Fatalf("redeliver: %+v %v", again, err)
	}
	if _, err := k.Panel.Webhooks.Redeliver(k.admin, w.ID, again.ID); panel.AsError(err).Fields["state"] != panel.ReasonStillQueued {
		t.Fatalf("redeliver a queued one: %v", err)
	}
	ping, err := k.Panel.Webhooks.Test(k.admin, w.ID)
	if err != nil || ping.Event != panel.EventPing {
		t.Fatalf("test: %+v %v", ping, err)
	}
	k.drain(t)
	got := r.Deliveries()[before:]
	if len(got) != 2 || got[0].Payload.ID != first.EventID || got[0].DeliveryID != again.GUID || got[1].Event != "ping" || !got[1].ValidSignature {
		t.Fatalf("redelivered and tested: %+v", got)
	}
	// Off: nothing new is queued, a test is refused; on again: it works.
	if _, err := k.Panel.Webhooks.Update(k.admin, w.ID, panel.WebhookPatch{Active: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	k.CreateAccount(t, k.admin, "third", panel.LevelCustomer)
	if _, err := k.Panel.Webhooks.Test(k.admin, w.ID); panel.AsError(err).Fields["active"] != panel.ReasonDisabled {
		t.Fatalf("test while off: %v", err)
	}
	if n := len(k.deliveries(t, w.ID)); n != 4 {
		t.Fatalf("queued while off: %d deliveries", n)
	}
	// A new secret: generated, shown once, and used from then on.
	saved, err := k.Panel.Webhooks.Update(k.admin, w.ID, panel.WebhookPatch{Secret: ptr(""), Active: ptr(true)})
	if err != nil || saved.SigningSecret == "" || saved.SigningSecret == w.SigningSecret {
		t.Fatalf("new secret: %+v %v", saved, err)
	}
	r.SetSecret(saved.SigningSecret)
	k.Panel.Webhooks.Test(k.admin, w.ID)
	k.drain(t)
	if last := r.Deliveries()[r.Received()-1]; !last.ValidSignature {
		t.Fatal("not signed with the new secret")
	}
	page, _ := k.Panel.Audit.List(k.admin, panel.AuditQuery{Event: "webhook"})
	if len(page.Items) < 5 || strings.Contains(fmt.Sprint(page.Items), saved.SigningSecret) {
		t.Fatalf("audit: %+v", page.Items)
	}
}

// Who may use webhooks, and what a subscription must be.
func TestWebhookRulesAndRights(t *testing.T) {
	k := newHookKit(t)
	r := webhooktest.Start(t)
	cust := k.CreateAccount(t, k.admin, "cust", panel.LevelCustomer)
	custCtx := k.Login(t, "cust", testkit.StrongPassword)
	if _, err := k.Panel.Webhooks.Create(custCtx, panel.WebhookInput{URL: r.URL(), Events: []string{"account.created"}}); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("a customer subscribes: %v", err)
	}
	for _, tc := range []struct {
		in    panel.WebhookInput
		field string
		why   panel.Reason
	}{
		{panel.WebhookInput{URL: "", Events: []string{"account.created"}}, "url", panel.ReasonRequired},
		{panel.WebhookInput{URL: "ftp://example.org/x", Events: []string{"account.created"}}, "url", panel.ReasonInvalid},
		{panel.WebhookInput{URL: "https://user:pw@example.org/x", Events: []string{"account.created"}}, "url", panel.ReasonInvalid},
		{panel.WebhookInput{URL: r.URL()}, "events", panel.ReasonRequired},
		{panel.WebhookInput{URL: r.URL(), Events: []string{"ping"}}, "events", panel.ReasonInvalid},
		{panel.WebhookInput{URL: r.URL(), Events: []string{"account.created"}, Secret: "short"}, "secret", panel.ReasonTooShort},
	} {
		if _, err := k.Panel.Webhooks.Create(k.admin, tc.in); panel.AsError(err).Fields[tc.field] != tc.why {
			t.Fatalf("%+v: %v", tc.in, err)
		}
	}
	w, err := k.Panel.Webhooks.Create(k.admin, panel.WebhookInput{URL: r.URL(), Events: []string{"service.created", "account.created", "account.created"},
		Secret: "a-secret-of-my-own-choosing"})
	if err != nil || w.SigningSecret != "a-secret-of-my-own-choosing" || !slices.Equal(w.Events, []string{"account.created", "service.created"}) {
		t.Fatalf("own secret, events in catalogue order: %+v %v", w, err)
	}
	// A reseller sees only its own subscriptions; an admin everyone's.
	plan, _ := k.Panel.Plans.Create(k.admin, panel.PlanInput{Name: ptr("Gold")})
	k.Panel.Accounts.Update(k.admin, cust.ID, panel.UpdateAccountInput{ResellerPlanID: ptr(plan.ID)})
	reseller := k.Login(t, "cust", testkit.StrongPassword)
	if _, err := k.Panel.Webhooks.Get(reseller, w.ID); testkit.Code(err) != panel.CodeNotFound {
		t.Fatalf("a reseller reads the admin's: %v", err)
	}
	if err := k.Panel.Webhooks.Delete(reseller, w.ID); testkit.Code(err) != panel.CodeNotFound {
		t.Fatalf("a reseller deletes the admin's: %v", err)
	}
	own := k.subscribe(t, reseller, r, "account.created")
	if l, _ := k.Panel.Webhooks.List(reseller); len(l.Items) != 1 || l.Items[0].ID != own.ID {
		t.Fatalf("reseller's list: %+v", l)
	}
	if l, _ := k.Panel.Webhooks.List(k.admin); len(l.Items) != 2 || l.Items[1].AccountUsername != "cust" {
		t.Fatalf("admin's list: %+v", l)
	}
	if err := k.Panel.Webhooks.Delete(k.admin, own.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Panel.Webhooks.Get(k.admin, own.ID); testkit.Code(err) != panel.CodeNotFound {
		t.Fatalf("deleted: %v", err)
	}
}

// A private target is refused by default, when saved and when delivered:
// the address is checked where the connection is made, after resolution.
func TestWebhookPrivateTargetsRefusedByDefault(t *testing.T) {
	env := testkit.New(t)
	admin, _ := env.Setup(t)
	r := webhooktest.Start(t)
	for _, url := range []string{r.URL(), "http://localhost:9/x", "http://[::1]:9/", "http://10.0.0.7/", "http://169.254.169.254/latest/meta-data"} {
		_, err := env.Panel.Webhooks.Create(admin, panel.WebhookInput{URL: url, Events: []string{"account.created"}})
		if panel.AsError(err).Fields["url"] != panel.ReasonPrivateTarget {
			t.Fatalf("%s: %v", url, err)
		}
	}
	// Allowed while the setting is on; turned off again, the delivery is
	// refused at connect time, and the receiver never hears a thing.
	env.Panel.Settings.Update(admin, panel.SettingsPatch{WebhookAllowPrivateTargets: ptr(true)})
	w, err := env.Panel.Webhooks.Create(admin, panel.WebhookInput{URL: r.URL(), Events: []string{"account.created"}})
	if err != nil {
		t.Fatal(err)
	}
	r.SetSecret(w.SigningSecret)
	r.SetClock(env.Clock.Now)
	// A host name that resolves to loopback only at delivery time: the dialer still refuses it.
	env.Panel.Webhooks.Update(admin, w.ID, panel.WebhookPatch{URL: ptr(strings.Replace(r.URL(), "127.0.0.1", "localhost", 1))})
	env.Panel.Settings.Update(admin, panel.SettingsPatch{WebhookAllowPrivateTargets: ptr(false)})
	env.CreateAccount(t, admin, "jane", panel.LevelCustomer)
	if n, err := env.Panel.Webhooks.RunOnce(context.Background()); n != 1 || err != nil {
		t.Fatalf("run: %d %v", n, err)
	}
	page, _ := env.Panel.Webhooks.Deliveries(admin, w.ID, panel.WebhookDeliveriesInput{})
	if d := page.Items[0]; d.State != panel.DeliveryQueued || !strings.Contains(d.LastError, "webhook_allow_private_targets") ||
		d.ErrorKind != panel.WebhookErrPrivateTarget || r.Received() != 0 {
		t.Fatalf("delivered to a private address: %+v (received %d)", d, r.Received())
	}
	// Back on: it goes through.
	env.Panel.Settings.Update(admin, panel.SettingsPatch{WebhookAllowPrivateTargets: ptr(true)})
	env.Clock.Advance(time.Hour)
	env.Panel.Webhooks.RunOnce(context.Background())
	if r.Received() != 1 || !r.Deliveries()[0].ValidSignature {
		t.Fatalf("after allowing: %d", r.Received())
	}

	for addr, private := range map[string]bool{
		"127.0.0.1": true, "10.1.2.3": true, "172.16.0.1": true, "192.168.1.1": true, "169.254.169.254": true,
		"100.64.0.1": true, "0.0.0.0": true, "::1": true, "fe80::1": true, "fc00::1": true, "::ffff:127.0.0.1": true,
		"64:ff9b::a00:1": true, "224.0.0.1": true,
		"93.184.216.34": false, "2606:4700::1111": false, "8.8.8.8": false,
	} {
		if got := panel.PrivateAddress(netip.MustParseAddr(addr)); got != private {
			t.Errorf("PrivateAddress(%s) = %v", addr, got)
		}
	}
}

// A change committed, the process gone before the delivery: the queued row
// is on disk, and the next process delivers it. (The store is reopened
// with the pending row; backend/webhook's TestKill9 does it with a real
// kill -9 of a child process.) A claim left by a dead worker is taken
// again once its lease runs out.
func TestWebhookPendingRowSurvivesRestart(t *testing.T) {
	k := newHookKit(t)
	r := webhooktest.Start(t)
	k.subscribe(t, k.admin, r, panel.EventAccountCreated)
	k.CreateAccount(t, k.admin, "before-crash", panel.LevelCustomer)
	k.CreateAccount(t, k.admin, "claimed-then-crash", panel.LevelCustomer)
	// A worker claims the first delivery and dies before sending it.
	now := k.Clock.Now()
	claimed, err := k.Store.ClaimWebhookDeliveries(context.Background(), now, now.Add(time.Minute), "dead-worker", 1)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %+v %v", claimed, err)
	}
	k.Reopen(t)
	if n, _ := k.Panel.Webhooks.RunOnce(context.Background()); n != 0 || r.Received() != 0 {
		t.Fatal("a leased head was taken (or the next one jumped it) before the lease ran out")
	}
	k.Clock.Advance(2 * time.Minute)
	k.drain(t)
	var names []string
	for _, d := range r.Deliveries() {
		var data struct {
			Account panel.Account `json:"account"`
		}
		json.Unmarshal(d.Payload.Data, &data)
		names = append(names, data.Account.Username)
	}
	if !slices.Equal(names, []string{"before-crash", "claimed-then-crash"}) {
		t.Fatalf("after restart: %v", names)
	}
}

// At most MaxInFlight requests run at once, however many subscriptions are due.
func TestWebhookAtMostNInFlight(t *testing.T) {
	k := newHookKit(t)
	r := webhooktest.Start(t)
	for range 10 {
		k.subscribe(t, k.admin, r, panel.EventAccountCreated)
	}
	k.CreateAccount(t, k.admin, "jane", panel.LevelCustomer)
	release := r.Hold()
	done := make(chan int)
	go func() {
		n, _ := k.Panel.Webhooks.RunOnce(context.Background())
		done <- n
	}()
	for r.Received() < testHooks.MaxInFlight {
		time.Sleep(5 * time.Millisecond)
	}
	release()
	if n := <-done; n != testHooks.MaxInFlight {
		t.Fatalf("claimed %d at once, want %d", n, testHooks.MaxInFlight)
	}
	k.drain(t)
	if r.Received() != 10 || r.MaxInFlight() > testHooks.MaxInFlight {
		t.Fatalf("received %d, at most %d at once", r.Received(), r.MaxInFlight())
	}
}

// An upload refused for the storage quota is media.quota_exceeded, at most
// once an hour per account.
func TestWebhookQuotaExceeded(t *testing.T) {
	k := newHookKit(t)
	r := webhooktest.Start(t)
	k.subscribe(t, k.admin, r, panel.EventMediaQuotaExceeded)
	cust := k.CreateAccount(t, k.admin, "dora", panel.LevelCustomer)
	if _, err := k.Panel.Settings.Update(k.admin, panel.SettingsPatch{DefaultStorageQuotaMB: panel.Some(1)}); err != nil {
		t.Fatal(err)
	}
	up := func(name string) error {
		_, err := k.Panel.Media.Upload(k.admin, cust.ID, panel.MediaUploadInput{Name: name}, strings.NewReader(strings.Repeat("x", 700*1024)))
		return err
	}
	if err := up("a.mp3"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"b.mp3", "c.mp3"} { // refused twice: one event
		if err := up(name); panel.AsError(err).Fields["file"] != panel.ReasonOverQuota {
			t.Fatalf("%s: %v", name, err)
		}
	}
	k.drain(t)
	k.Clock.Advance(2 * time.Hour)
	up("d.mp3")
	k.drain(t)
	got := r.Deliveries()
	if len(got) != 2 || got[0].Event != "media.quota_exceeded" || !got[0].ValidSignature {
		t.Fatalf("deliveries: %+v", events(got))
	}
	var data struct {
		Account struct{ Username string } `json:"account"`
		Used    int64                     `json:"used"`
		Allowed int64                     `json:"allowed"`
	}
	json.Unmarshal(got[0].Payload.Data, &data)
	if data.Account.Username != "dora" || data.Used != 700*1024 || data.Allowed != 1<<20 {
		t.Fatalf("data: %s", got[0].Payload.Data)
	}
}

// Two processes on one database (the window beside serve) run the worker
// at once: every delivery goes out once, and each subscription's in order.
func TestWebhookTwoProcessesDeliverOnce(t *testing.T) {
	k := newHookKit(t)
	r := webhooktest.Start(t)
	k.subscribe(t, k.admin, r, panel.EventAccountCreated)
	for i := range 12 {
		k.CreateAccount(t, k.admin, fmt.Sprintf("user%02d", i), panel.LevelCustomer)
	}
	other := k.OtherProcess(t)
	done := make(chan int, 2)
	for _, p := range []*panel.Panel{k.Panel, other.Panel} {
		go func() {
			n := 0
			for i := 0; i < 100; i++ {
				got, err := p.Webhooks.RunOnce(context.Background())
				if err != nil {
					t.Error(err)
				}
				n += got
				if r.Received() == 12 {
					break
				}
			}
			done <- n
		}()
	}
	attempts := <-done + <-done
	var names []string
	for _, d := range r.Deliveries() {
		var data struct {
			Account panel.Account `json:"account"`
		}
		json.Unmarshal(d.Payload.Data, &data)
		names = append(names, data.Account.Username)
	}
	want := []string{"user00", "user01", "user02", "user03", "user04", "user05", "user06", "user07", "user08", "user09", "user10", "user11"}
	if !slices.Equal(names, want) || attempts != 12 {
		t.Fatalf("received %v after %d attempts", names, attempts)
	}
}
