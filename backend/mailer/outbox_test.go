package mailer_test

// The outbox end to end: real SQLite file, real panel services, the real
// SMTP adapter against a real in-process SMTP server. The outbox's own logic
// (retries, resend, templates, wake-ups) is tested in package panel against
// the in-memory twin (mailertest).

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"castdesk/backend/mailer"
	"castdesk/backend/mailer/smtptest"
	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

var fastMail = panel.MailOptions{Poll: 20 * time.Millisecond, SendTimeout: 400 * time.Millisecond,
	BackoffBase: time.Minute, BackoffMax: 10 * time.Minute, MaxAttempts: 3}

type mailEnv struct {
	*testkit.Env
	admin context.Context
	smtp  *smtptest.Server
}

// newMailEnv: an admin, SMTP settings pointing at s (password in the
// in-memory keyring), the real mailer trusting s's CA.
func newMailEnv(t *testing.T, s *smtptest.Server, enc, username, password string) *mailEnv {
	t.Helper()
	e := testkit.New(t)
	e.MailOptions = fastMail
	if s != nil {
		e.Mailer = &mailer.Mailer{RootCAs: s.RootCAs}
	}
	e.Reopen(t)
	admin, _ := e.Setup(t)
	if s != nil {
		configure(t, e.Panel, admin, s.Host, s.Port, enc, username, password)
	}
	return &mailEnv{Env: e, admin: admin, smtp: s}
}

func configure(t *testing.T, p *panel.Panel, admin context.Context, host string, port int, enc, username, password string) {
	t.Helper()
	from, name := "panel@example.org", "Radio Panel"
	patch := panel.SettingsPatch{SMTPHost: &host, SMTPPort: &port, SMTPEncryption: &enc, SMTPUsername: &username,
		SMTPFromAddress: &from, SMTPFromName: &name}
	if password != "" {
		patch.SMTPPassword = &password
	}
	if _, err := p.Settings.Update(admin, patch); err != nil {
		t.Fatalf("configure smtp: %v", err)
	}
}

func runOnce(t *testing.T, p *panel.Panel) int {
	t.Helper()
	n, err := p.Mail.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("RunOnce: %v", err)
	}
	return n
}

func mailLog(t *testing.T, e *mailEnv, accountID int64) []panel.OutboxMail {
	t.Helper()
	page, err := e.Panel.Mail.MailLog(e.admin, accountID, panel.MailLogInput{})
	if err != nil {
		t.Fatalf("mail log: %v", err)
	}
	return page.Items
}

func TestOutboxServerDownThenUpDeliveredOnce(t *testing.T) {
	s := smtptest.Reserve(t, smtptest.Options{Mode: smtptest.Plain})
	e := newMailEnv(t, s, panel.EncryptionNone, "", "")
	jane := e.CreateAccount(t, e.admin, "jane", panel.LevelCustomer)
	q, err := e.Panel.Mail.EmailUser(e.admin, jane.ID, panel.EmailUserInput{Subject: "Your stream", Message: "<p>Hi!</p>"})
	if err != nil || q.MailID == 0 || q.State != panel.MailQueued || !q.Configured {
		t.Fatalf("queue: %+v %v", q, err)
	}
	if n := runOnce(t, e.Panel); n != 1 {
		t.Fatalf("first attempt handled %d", n)
	}
	log := mailLog(t, e, jane.ID)
	if log[0].State != panel.MailQueued || log[0].Attempts != 1 || log[0].ErrorKind != "connect" || log[0].LastError == "" {
		t.Fatalf("after a refused connection: %+v", log[0])
	}
	ov, _ := e.Panel.Accounts.Overview(e.admin, jane.ID)
	if ov.Mail.Queued != 1 || ov.Mail.Failed != 0 {
		t.Fatalf("overview mail %+v", ov.Mail)
	}
	// Not due yet: back-off.
	if n := runOnce(t, e.Panel); n != 0 {
		t.Fatalf("retried before its back-off")
	}
	s.Up()
	e.Clock.Advance(fastMail.BackoffBase)
	if n := runOnce(t, e.Panel); n != 1 {
		t.Fatalf("retry handled %d", n)
	}
	if n := runOnce(t, e.Panel); n != 0 {
		t.Fatalf("a sent message was claimed again")
	}
	e.Clock.Advance(time.Hour)
	if n := runOnce(t, e.Panel); n != 0 {
		t.Fatalf("a sent message was claimed again later")
	}
	msgs := s.WaitFor(t, 1, 2*time.Second)
	time.Sleep(100 * time.Millisecond)
	if msgs = s.Messages(); len(msgs) != 1 {
		t.Fatalf("delivered %d times", len(msgs))
	}
	log = mailLog(t, e, jane.ID)
	if log[0].State != panel.MailSent || log[0].Attempts != 2 || log[0].SentAt == nil || msgs[0].MessageID != log[0].MessageID {
		t.Fatalf("after delivery: %+v (message id on the wire %q)", log[0], msgs[0].MessageID)
	}
}

func TestOutboxSilentServerTimesOutAndIsRetried(t *testing.T) {
	host, port := smtptest.Silent(t)
	e := newMailEnv(t, nil, "", "", "")
	e.Mailer = &mailer.Mailer{}
	e.Reopen(t)
	admin := e.Login(t, "admin", testkit.StrongPassword)
	e.admin = admin
	configure(t, e.Panel, admin, host, port, panel.EncryptionNone, "", "")
	jane := e.CreateAccount(t, admin, "jane", panel.LevelCustomer)
	if _, err := e.Panel.Mail.EmailUser(admin, jane.ID, panel.EmailUserInput{Subject: "S", Message: "<p>M</p>"}); err != nil {
		t.Fatal(err)
	}
	for attempt := 1; attempt <= fastMail.MaxAttempts; attempt++ {
		started := time.Now()
		if n := runOnce(t, e.Panel); n != 1 {
			t.Fatalf("attempt %d handled %d", attempt, n)
		}
		if took := time.Since(started); took > 3*time.Second {
			t.Fatalf("attempt %d took %s despite the send timeout", attempt, took)
		}
		got := mailLog(t, e, jane.ID)[0]
		if got.Attempts != attempt || got.ErrorKind != "timeout" {
			t.Fatalf("attempt %d: %+v", attempt, got)
		}
		want := panel.MailQueued
		if attempt == fastMail.MaxAttempts {
			want = panel.MailFailed
		}
		if got.State != want {
			t.Fatalf("attempt %d: state %s, want %s", attempt, got.State, want)
		}
		e.Clock.Advance(fastMail.BackoffMax)
	}
	got := mailLog(t, e, jane.ID)[0]
	if !strings.Contains(got.LastError, "Gave up after 3 attempts") {
		t.Fatalf("reason %q", got.LastError)
	}
	ov, _ := e.Panel.Accounts.Overview(admin, jane.ID)
	if ov.Mail.Failed != 1 || ov.Mail.Queued != 0 {
		t.Fatalf("overview %+v", ov.Mail)
	}
}

func TestEmailThisUserSanitisedWithTextAlternative(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{Mode: smtptest.Plain})
	e := newMailEnv(t, s, panel.EncryptionNone, "", "")
	jane := e.CreateAccount(t, e.admin, "jane", panel.LevelCustomer)
	bad := []panel.EmailUserInput{
		{Subject: "Hi\r\nBcc: victim@example.org", Message: "<p>x</p>"},
		{Subject: "", Message: "<p>x</p>"},
		{Subject: "Hi", Message: "<script>alert(1)</script>"},
	}
	for _, in := range bad {
		if _, err := e.Panel.Mail.EmailUser(e.admin, jane.ID, in); testkit.Code(err) != panel.CodeInvalid {
			t.Fatalf("%q accepted: %v", in.Subject, err)
		}
	}
	html := `<h2>News</h2><p onclick="steal()">Hello <a href="javascript:alert(1)">x</a> <a href="https://example.org/help">help</a></p><script>alert(1)</script><img src=x onerror=alert(1)><ul><li>one</li><li>two</li></ul>`
	pv, err := e.Panel.Mail.PreviewUserEmail(e.admin, jane.ID, panel.EmailUserInput{Subject: "News", Message: html})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "onclick", "javascript:", "onerror"} {
		if strings.Contains(pv.HTML, bad) {
			t.Fatalf("preview keeps %q: %s", bad, pv.HTML)
		}
	}
	if !strings.Contains(pv.Text, "- one") || !strings.Contains(pv.Text, "help\nhttps://example.org/help") || pv.To != jane.Email {
		t.Fatalf("preview text %q to %q", pv.Text, pv.To)
	}
	if _, err := e.Panel.Mail.EmailUser(e.admin, jane.ID, panel.EmailUserInput{Subject: "News", Message: html}); err != nil {
		t.Fatal(err)
	}
	runOnce(t, e.Panel)
	got := s.WaitFor(t, 1, 2*time.Second)[0]
	if got.Subject != "News" || got.HTML == "" || got.Text == "" || strings.Contains(got.HTML, "<script") || len(got.To) != 1 {
		t.Fatalf("delivered: %+v", got)
	}
	if !strings.Contains(strings.ToLower(got.Header.Get("Content-Type")), "multipart/alternative") {
		t.Fatalf("content type %q", got.Header.Get("Content-Type"))
	}
	// A customer cannot email anyone, not even itself through this door.
	cust := e.Login(t, "jane", testkit.StrongPassword)
	if _, err := e.Panel.Mail.EmailUser(cust, jane.ID, panel.EmailUserInput{Subject: "S", Message: "<p>M</p>"}); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("customer emailing: %v", err)
	}
	other := e.CreateAccount(t, e.admin, "other", panel.LevelCustomer)
	if _, err := e.Panel.Mail.MailLog(cust, other.ID, panel.MailLogInput{}); testkit.Code(err) != panel.CodeNotFound {
		t.Fatalf("customer reading another's mail log: %v", err)
	}
	if _, err := e.Panel.Mail.MailLog(cust, jane.ID, panel.MailLogInput{}); err != nil {
		t.Fatalf("customer reading its own mail log: %v", err)
	}
}

func TestSendTestEmailSaysWhatFailed(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{Mode: smtptest.STARTTLS, Username: "u@example.org", Password: "right-pw"})
	e := newMailEnv(t, s, panel.EncryptionSTARTTLS, "u@example.org", "wrong-pw")
	_, err := e.Panel.Mail.TestEmail(e.admin, panel.TestEmailInput{To: "me@example.org"})
	pe := panel.AsError(err)
	if pe == nil || pe.Code != panel.CodeUnavailable || len(pe.Fields) != 2 ||
		pe.Fields["smtp_username"] != panel.ReasonAuthFailed || pe.Fields["smtp_password"] != panel.ReasonAuthFailed ||
		!strings.Contains(pe.Message, "Authentication failed") {
		t.Fatalf("wrong password: %+v", pe)
	}
	if strings.Contains(pe.Message, "wrong-pw") {
		t.Fatal("the error shows the password")
	}
	pw := "right-pw"
	if _, err := e.Panel.Settings.Update(e.admin, panel.SettingsPatch{SMTPPassword: &pw}); err != nil {
		t.Fatal(err)
	}
	res, err := e.Panel.Mail.TestEmail(e.admin, panel.TestEmailInput{To: "me@example.org"})
	if err != nil || !res.Sent {
		t.Fatalf("test email: %+v %v", res, err)
	}
	if got := s.WaitFor(t, 1, 2*time.Second)[0]; got.To[0] != "me@example.org" || got.Text == "" || got.HTML == "" {
		t.Fatalf("test email delivered %+v", got)
	}
	// Not offered STARTTLS: refused, and says so.
	plain := smtptest.Start(t, smtptest.Options{Mode: smtptest.Plain, Username: "u@example.org", Password: "right-pw"})
	configure(t, e.Panel, e.admin, plain.Host, plain.Port, panel.EncryptionSTARTTLS, "u@example.org", "")
	_, err = e.Panel.Mail.TestEmail(e.admin, panel.TestEmailInput{To: "me@example.org"})
	if pe := panel.AsError(err); pe.Fields["smtp_encryption"] != panel.ReasonDowngradeRefused || !strings.Contains(pe.Message, "STARTTLS") {
		t.Fatalf("no STARTTLS: %+v", pe)
	}
	if len(plain.Messages()) != 0 {
		t.Fatal("sent in clear")
	}
	// Only admins.
	e.CreateAccount(t, e.admin, "jane", panel.LevelCustomer)
	if _, err := e.Panel.Mail.TestEmail(e.Login(t, "jane", testkit.StrongPassword), panel.TestEmailInput{}); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("customer test email: %v", err)
	}
}

// Two workers on one database (as the window and serve would run) send
// each message once.
func TestTwoWorkersSendEachMessageOnce(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{Mode: smtptest.Plain})
	e := newMailEnv(t, s, panel.EncryptionNone, "", "")
	jane := e.CreateAccount(t, e.admin, "jane", panel.LevelCustomer)
	const n = 30
	for i := 0; i < n; i++ {
		if _, err := e.Panel.Mail.EmailUser(e.admin, jane.ID, panel.EmailUserInput{Subject: "S", Message: "<p>M</p>"}); err != nil {
			t.Fatal(err)
		}
	}
	second := e.OtherProcess(t) // a second store on the same file
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for _, p := range []*panel.Panel{e.Panel, second.Panel} {
		wg.Add(1)
		go func() { defer wg.Done(); p.Mail.Run(ctx) }()
	}
	s.WaitFor(t, n, 20*time.Second)
	time.Sleep(300 * time.Millisecond)
	cancel()
	wg.Wait()
	seen := map[string]int{}
	for _, m := range s.Messages() {
		seen[m.MessageID]++
	}
	if len(seen) != n || len(s.Messages()) != n {
		t.Fatalf("%d messages, %d distinct, want %d", len(s.Messages()), len(seen), n)
	}
}
