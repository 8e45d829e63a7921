package panel_test

// The outbox's logic against the in-memory mailer twin: what is queued is
// sent once, failures are retried with back-off and given up on at the
// limit, nothing is lost, and the worker is woken only after the queueing
// transaction committed. The SMTP transport itself is tested in
// backend/mailer against an in-process SMTP server.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"castdesk/backend/backup"
	"castdesk/backend/mailer/mailertest"
	"castdesk/backend/media"
	"castdesk/backend/panel"
	"castdesk/backend/secrets"
	"castdesk/backend/testkit"
	"castdesk/backend/webhook"
)

var tempPasswordPattern = regexp.MustCompile(`[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}`)

var testMail = panel.MailOptions{Poll: time.Hour, SendTimeout: time.Second, BackoffBase: time.Minute,
	BackoffMax: 10 * time.Minute, MaxAttempts: 3}

type mailKit struct {
	*testkit.Env
	mailer *mailertest.Mailer
	admin  context.Context
}

// newMailKit: the twin mailer, an admin, and SMTP settings that make email
// "configured" (a host and a From address; no username, so no keyring read).
func newMailKit(t *testing.T, opts panel.MailOptions) *mailKit {
	t.Helper()
	env := testkit.New(t)
	m := mailertest.New()
	env.Mailer, env.MailOptions = m, opts
	env.Reopen(t)
	admin, _ := env.Setup(t)
	k := &mailKit{Env: env, mailer: m, admin: admin}
	k.configure(t)
	return k
}

func (k *mailKit) configure(t *testing.T) {
	t.Helper()
	host, from, name := "smtp.example.org", "panel@example.org", "Radio Panel"
	if _, err := k.Panel.Settings.Update(k.admin, panel.SettingsPatch{SMTPHost: &host, SMTPFromAddress: &from, SMTPFromName: &name}); err != nil {
		t.Fatalf("configure smtp: %v", err)
	}
}

func (k *mailKit) runOnce(t *testing.T) int {
	t.Helper()
	n, err := k.Panel.Mail.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("RunOnce: %v", err)
	}
	return n
}

// drain runs the worker until nothing is due.
func (k *mailKit) drain(t *testing.T) {
	t.Helper()
	for i := 0; k.runOnce(t) == 1; i++ {
		if i > 1000 {
			t.Fatal("the outbox never ran dry")
		}
	}
}

func (k *mailKit) log(t *testing.T, accountID int64) []panel.OutboxMail {
	t.Helper()
	page, err := k.Panel.Mail.MailLog(k.admin, accountID, panel.MailLogInput{Limit: 200})
	if err != nil {
		t.Fatalf("mail log: %v", err)
	}
	return page.Items
}

func (k *mailKit) emailUser(t *testing.T, accountID int64, subject string) panel.QueuedMail {
	t.Helper()
	q, err := k.Panel.Mail.EmailUser(k.admin, accountID, panel.EmailUserInput{Subject: subject, Message: "<p>Hello</p>"})
	if err != nil {
		t.Fatalf("email user: %v", err)
	}
	return q
}

func TestOutboxQueuedThenSentOnce(t *testing.T) {
	k := newMailKit(t, testMail)
	jane := k.CreateAccount(t, k.admin, "jane", panel.LevelCustomer)
	q := k.emailUser(t, jane.ID, "Your stream")
	if q.MailID == 0 || q.State != panel.MailQueued || !q.Configured {
		t.Fatalf("queued: %+v", q)
	}
	if ov, _ := k.Panel.Accounts.Overview(k.admin, jane.ID); ov.Mail.Queued != 1 {
		t.Fatalf("overview before sending: %+v", ov.Mail)
	}
	if n := k.runOnce(t); n != 1 {
		t.Fatalf("handled %d", n)
	}
	if n := k.runOnce(t); n != 0 {
		t.Fatal("a sent message was claimed again")
	}
	k.Clock.Advance(time.Hour)
	if n := k.runOnce(t); n != 0 {
		t.Fatal("a sent message was claimed again later")
	}
	sent := k.mailer.Sent()
	if len(sent) != 1 {
		t.Fatalf("sent %d messages", len(sent))
	}
	got, row := sent[0], k.log(t, jane.ID)[0]
	if got.Message.To != "jane@example.org" || got.Message.Subject != "Your stream" || got.Message.FromAddress != "panel@example.org" ||
		got.Message.FromName != "Radio Panel" || got.Message.Text == "" || got.Message.HTML == "" || got.Config.Host != "smtp.example.org" {
		t.Fatalf("sent %+v", got)
	}
	if row.State != panel.MailSent || row.Attempts != 1 || row.SentAt == nil || row.MessageID != got.Message.MessageID || row.LastError != "" {
		t.Fatalf("row after sending: %+v", row)
	}
	if ov, _ := k.Panel.Accounts.Overview(k.admin, jane.ID); ov.Mail.Queued != 0 || ov.Mail.Failed != 0 {
		t.Fatalf("overview after sending: %+v", ov.Mail)
	}

	// A temporary password is sensitive: sent, then wiped from the outbox.
	if _, err := k.Panel.Accounts.ResetAndEmail(k.admin, jane.ID); err != nil {
		t.Fatal(err)
	}
	k.drain(t)
	msgs := k.mailer.Messages()
	if len(msgs) != 2 || !tempPasswordPattern.MatchString(msgs[1].Text) {
		t.Fatalf("temporary password mail: %+v", msgs)
	}
	wiped := lastMail(t, k.Env, jane.ID, panel.TemplateTempPassword)
	if wiped.State != panel.MailSent || tempPasswordPattern.MatchString(wiped.HTML+wiped.Text) || !strings.Contains(wiped.Text, "removed after sending") {
		t.Fatalf("sensitive body kept after sending: %+v", wiped)
	}
}

func TestOutboxRetriesWithBackoffThenFails(t *testing.T) {
	k := newMailKit(t, testMail)
	jane := k.CreateAccount(t, k.admin, "jane", panel.LevelCustomer)
	k.mailer.Fail(mailertest.Temporary(panel.MailErrConnect, "The SMTP server refused the connection."))
	k.emailUser(t, jane.ID, "S")
	for attempt := 1; attempt <= testMail.MaxAttempts; attempt++ {
		if n := k.runOnce(t); n != 1 {
			t.Fatalf("attempt %d handled %d", attempt, n)
		}
		row := k.log(t, jane.ID)[0]
		if row.Attempts != attempt || row.ErrorKind != string(panel.MailErrConnect) || !strings.Contains(row.LastError, "refused the connection") {
			t.Fatalf("attempt %d: %+v", attempt, row)
		}
		if attempt == testMail.MaxAttempts {
			if row.State != panel.MailFailed || !strings.Contains(row.LastError, fmt.Sprintf("Gave up after %d attempts", attempt)) {
				t.Fatalf("after the last attempt: %+v", row)
			}
			break
		}
		wait := testMail.Backoff(attempt)
		if row.State != panel.MailQueued || !row.NextAttemptAt.Equal(k.Clock.Now().Add(wait)) {
			t.Fatalf("attempt %d: state %s, next attempt %s, want queued at now+%s", attempt, row.State, row.NextAttemptAt, wait)
		}
		// Not due before its back-off, due at it.
		k.Clock.Advance(wait - time.Second)
		if n := k.runOnce(t); n != 0 {
			t.Fatalf("attempt %d retried before its back-off", attempt)
		}
		k.Clock.Advance(time.Second)
	}
	k.Clock.Advance(24 * time.Hour)
	if n := k.runOnce(t); n != 0 {
		t.Fatal("a failed message was tried again")
	}
	if k.mailer.Attempts() != testMail.MaxAttempts || len(k.mailer.Sent()) != 0 {
		t.Fatalf("%d attempts, %d sent", k.mailer.Attempts(), len(k.mailer.Sent()))
	}
	if ov, _ := k.Panel.Accounts.Overview(k.admin, jane.ID); ov.Mail.Failed != 1 || ov.Mail.Queued != 0 {
		t.Fatalf("overview: %+v", ov.Mail)
	}
}

func TestBackoffDoublesUpToItsCap(t *testing.T) {
	want := []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 10 * time.Minute, 10 * time.Minute}
	for i, w := range want {
		if got := testMail.Backoff(i + 1); got != w {
			t.Errorf("Backoff(%d) = %s, want %s", i+1, got, w)
		}
	}
	if got := (panel.MailOptions{}).Backoff(1); got != 30*time.Second {
		t.Errorf("default first back-off %s", got)
	}
}

func TestOutboxPermanentFailureThenResend(t *testing.T) {
	k := newMailKit(t, testMail)
	jane := k.CreateAccount(t, k.admin, "jane", panel.LevelCustomer)
	k.mailer.Fail(mailertest.Permanent(panel.MailErrRecipientRefused, "The server refused the recipient: 550 no such user."))
	q := k.emailUser(t, jane.ID, "S")
	if _, err := k.Panel.Mail.Resend(k.admin, jane.ID, q.MailID); testkit.Code(err) != panel.CodeConflict {
		t.Fatalf("resend of a queued message: %v", err)
	}
	k.runOnce(t)
	got := k.log(t, jane.ID)[0]
	if got.State != panel.MailFailed || got.Attempts != 1 || got.ErrorKind != "recipient_refused" || !strings.Contains(got.LastError, "550") {
		t.Fatalf("refused recipient: %+v", got)
	}
	if _, err := k.Panel.Mail.Resend(k.admin, jane.ID, q.MailID+100); testkit.Code(err) != panel.CodeNotFound {
		t.Fatalf("resend of an unknown message: %v", err)
	}
	k.mailer.Fail(nil)
	r, err := k.Panel.Mail.Resend(k.admin, jane.ID, q.MailID)
	if err != nil || r.MailID == q.MailID || r.State != panel.MailQueued {
		t.Fatalf("resend: %+v %v", r, err)
	}
	k.runOnce(t)
	log := k.log(t, jane.ID)
	if len(log) != 2 || log[0].State != panel.MailSent || log[0].ResendOf == nil || *log[0].ResendOf != q.MailID || log[1].State != panel.MailFailed {
		t.Fatalf("log after resend: %+v", log)
	}
	if sent := k.mailer.Messages(); len(sent) != 1 || sent[0].MessageID != log[0].MessageID {
		t.Fatalf("delivered %+v", sent)
	}
}

// Whatever happens on the way (not configured yet, the server down for a
// while), every queued message is delivered exactly once in the end.
func TestOutboxLosesNothing(t *testing.T) {
	opts := testMail
	opts.MaxAttempts = 100
	k := newMailKit(t, opts)
	jane := k.CreateAccount(t, k.admin, "jane", panel.LevelCustomer)
	empty := ""
	if _, err := k.Panel.Settings.Update(k.admin, panel.SettingsPatch{SMTPHost: &empty}); err != nil {
		t.Fatal(err)
	}
	const n = 20
	ids := map[int64]bool{}
	for i := 0; i < n; i++ {
		q := k.emailUser(t, jane.ID, fmt.Sprintf("Message %d", i))
		if q.Configured {
			t.Fatal("answered configured without an SMTP host")
		}
		ids[q.MailID] = true
	}
	// Not configured: nothing is claimed, nothing is tried.
	if k.runOnce(t) != 0 || k.mailer.Attempts() != 0 {
		t.Fatal("tried to send without an SMTP host")
	}
	for _, row := range k.log(t, jane.ID) {
		if row.State != panel.MailQueued || row.Attempts != 0 {
			t.Fatalf("a row changed while email was not configured: %+v", row)
		}
	}
	// Configured, but the server is down for a few rounds.
	k.configure(t)
	k.mailer.Fail(mailertest.Temporary(panel.MailErrTimeout, "The SMTP server did not answer in time."))
	for round := 0; round < 3; round++ {
		k.drain(t)
		k.Clock.Advance(opts.BackoffMax)
	}
	k.mailer.Fail(nil)
	k.drain(t)
	k.Clock.Advance(opts.BackoffMax)
	k.drain(t)

	log := k.log(t, jane.ID)
	if len(log) != n {
		t.Fatalf("%d rows, want %d", len(log), n)
	}
	byID := map[string]int{}
	for _, m := range k.mailer.Messages() {
		byID[m.MessageID]++
	}
	for _, row := range log {
		if !ids[row.ID] || row.State != panel.MailSent || row.Attempts != 4 || byID[row.MessageID] != 1 {
			t.Fatalf("row %+v (delivered %d times)", row, byID[row.MessageID])
		}
	}
	if len(k.mailer.Messages()) != n {
		t.Fatalf("delivered %d messages, want %d", len(k.mailer.Messages()), n)
	}
}

// A running worker sleeps a whole Poll (an hour here) unless woken: each way
// of queueing mail must wake it, or the message would wait.
func TestEveryQueuePathWakesTheWorker(t *testing.T) {
	k := newMailKit(t, testMail)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); k.Panel.Mail.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	delivered := func(what string, n int) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); len(k.mailer.Messages()) < n; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the worker was not woken (%d of %d messages sent)", what, len(k.mailer.Messages()), n)
			}
		}
	}
	jane, err := k.Panel.Accounts.Create(k.admin, panel.CreateAccountInput{Username: "jane", Name: "Jane", Email: "jane@example.org",
		Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword, SendWelcomeEmail: true})
	if err != nil {
		t.Fatal(err)
	}
	delivered("welcome", 1)
	q := k.emailUser(t, jane.ID, "Hi")
	delivered("email this user", 2)
	if _, err := k.Panel.Mail.Resend(k.admin, jane.ID, q.MailID); err != nil {
		t.Fatal(err)
	}
	delivered("resend", 3)
	if _, err := k.Panel.Accounts.ResetAndEmail(k.admin, jane.ID); err != nil {
		t.Fatal(err)
	}
	delivered("reset & email", 4)
	if err := k.Panel.Auth.Forgot(context.Background(), panel.ForgotInput{Login: "jane"}, "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	delivered("forgot", 5)
	code := codePattern.FindString(k.mailer.Messages()[4].Text)
	if err := k.Panel.Auth.Reset(context.Background(), panel.ResetInput{Code: code, Password: "Reset-Passw0rd-42",
		PasswordConfirm: "Reset-Passw0rd-42"}, "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	delivered("password changed notice", 6)
}

// wakeCheckStore checks, at the end of every write transaction (before its
// commit), that nothing woke the outbox worker inside it.
type wakeCheckStore struct {
	panel.Store
	check func()
}

func (s wakeCheckStore) Write(ctx context.Context, fn func(panel.Tx) error) error {
	return s.Store.Write(ctx, func(tx panel.Tx) error {
		err := fn(tx)
		s.check()
		return err
	})
}

// Each queue path wakes the worker after its transaction committed, never
// inside it: woken inside, the worker would look for a row that does not
// exist yet. Deterministic: the wake-up is a buffered signal, looked at
// inside the transaction and after it.
func TestQueuePathsWakeOnlyAfterCommit(t *testing.T) {
	env := testkit.New(t)
	admin, _ := env.Setup(t)
	twin := mailertest.New()
	var p *panel.Panel
	store := wakeCheckStore{Store: env.Store, check: func() {
		if panel.WakePending(p) {
			t.Error("the outbox worker was woken inside the transaction, before its commit")
		}
	}}
	folders := &media.Folders{}
	p, err := panel.New(panel.Deps{Store: store, Folders: folders, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: env.Clock.Now, DataDir: env.Dir, MediaIndex: env.Store, Storage: folders, Relay: &panel.Relay{},
		Monitor: &media.Watcher{}, Outbox: env.Store, Mailer: twin, Secrets: secrets.NewMemory(),
		Backups:      backup.New(filepath.Join(env.Dir, "backups"), env.Store, nil),
		WebhookQueue: env.Store, WebhookSender: &webhook.Sender{}})
	if err != nil {
		t.Fatal(err)
	}
	host, from := "smtp.example.org", "panel@example.org"
	if _, err := p.Settings.Update(admin, panel.SettingsPatch{SMTPHost: &host, SMTPFromAddress: &from}); err != nil {
		t.Fatal(err)
	}
	woken := func(what string) {
		t.Helper()
		if !panel.TakeWake(p) {
			t.Errorf("%s: the worker was not woken after the commit", what)
		}
	}
	panel.TakeWake(p)
	jane, err := p.Accounts.Create(admin, panel.CreateAccountInput{Username: "jane", Name: "Jane", Email: "jane@example.org",
		Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword, SendWelcomeEmail: true})
	if err != nil {
		t.Fatal(err)
	}
	woken("welcome")
	q, err := p.Mail.EmailUser(admin, jane.ID, panel.EmailUserInput{Subject: "Hi", Message: "<p>Hello</p>"})
	if err != nil {
		t.Fatal(err)
	}
	woken("email this user")
	for range 2 {
		if _, err := p.Mail.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Mail.Resend(admin, jane.ID, q.MailID); err != nil {
		t.Fatal(err)
	}
	woken("resend")
	if _, err := p.Accounts.ResetAndEmail(admin, jane.ID); err != nil {
		t.Fatal(err)
	}
	woken("reset & email")
	if err := p.Auth.Forgot(context.Background(), panel.ForgotInput{Login: "jane"}, "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	p.Auth.Settle() // the code is sent after the answer
	woken("forgot")
	for i := 0; i < 10; i++ {
		if n, err := p.Mail.RunOnce(context.Background()); err != nil || n == 0 {
			break
		}
	}
	msgs := twin.Messages()
	code := codePattern.FindString(msgs[len(msgs)-1].Text)
	if code == "" {
		t.Fatalf("no reset code in %+v", msgs[len(msgs)-1])
	}
	if err := p.Auth.Reset(context.Background(), panel.ResetInput{Code: code, Password: "Reset-Passw0rd-42",
		PasswordConfirm: "Reset-Passw0rd-42"}, "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
	woken("password changed notice")
	// Nothing queued, nothing to wake for: an account created without the box ticked.
	if _, err := p.Accounts.Create(admin, panel.CreateAccountInput{Username: "nomail", Name: "N", Email: "n@example.org",
		Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword}); err != nil {
		t.Fatal(err)
	}
	if panel.WakePending(p) {
		t.Error("woken although nothing was queued")
	}
}

func TestNewRefusesMissingDependencies(t *testing.T) {
	_, err := panel.New(panel.Deps{DataDir: t.TempDir()})
	if err == nil {
		t.Fatal("New accepted empty dependencies")
	}
	for _, name := range []string{"Store", "Folders", "Log", "Now", "MediaIndex", "Storage", "Relay", "Monitor", "Outbox", "Mailer", "Secrets"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("%q does not name %s", err, name)
		}
	}
}
