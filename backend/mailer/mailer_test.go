package mailer_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"castdesk/backend/mailer"
	"castdesk/backend/mailer/smtptest"
	"castdesk/backend/panel"
)

const (
	user = "mailer@example.org"
	pass = "s3cret-smtp-pass"
)

func msg(id string) panel.Message {
	return panel.Message{FromAddress: "panel@example.org", FromName: "Radio Panel", To: "jane@example.org", ToName: "Jane Doe",
		Subject: "Hello ñandú", HTML: "<p>Hello <strong>Jane</strong></p>", Text: "Hello Jane", MessageID: id + "@castdesk"}
}

func send(t *testing.T, m *mailer.Mailer, cfg panel.SMTPConfig, message panel.Message, timeout time.Duration) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return m.Send(ctx, cfg, message)
}

func kindOf(t *testing.T, err error) *panel.MailError {
	t.Helper()
	var me *panel.MailError
	if !errors.As(err, &me) {
		t.Fatalf("error %v (%T) is not a *panel.MailError", err, err)
	}
	return me
}

func cfgFor(s *smtptest.Server, enc, username, password string) panel.SMTPConfig {
	return panel.SMTPConfig{Host: s.Host, Port: s.Port, Encryption: enc, Username: username, Password: password,
		FromAddress: "panel@example.org", FromName: "Radio Panel"}
}

func checkDelivered(t *testing.T, s *smtptest.Server, id string, wantTLS bool, wantUser string) {
	t.Helper()
	msgs := s.WaitFor(t, 1, 5*time.Second)
	if len(msgs) != 1 {
		t.Fatalf("got %d messages, want 1", len(msgs))
	}
	got := msgs[0]
	if got.MessageID != id+"@castdesk" || got.Subject != "Hello ñandú" {
		t.Errorf("message id %q subject %q", got.MessageID, got.Subject)
	}
	if got.From != "panel@example.org" || len(got.To) != 1 || got.To[0] != "jane@example.org" {
		t.Errorf("envelope from %q to %v", got.From, got.To)
	}
	if !strings.Contains(got.Header.Get("From"), "panel@example.org") || !strings.Contains(got.Header.Get("To"), "jane@example.org") {
		t.Errorf("headers From %q To %q", got.Header.Get("From"), got.Header.Get("To"))
	}
	if strings.TrimSpace(got.Text) != "Hello Jane" || !strings.Contains(got.HTML, "<strong>Jane</strong>") {
		t.Errorf("parts: text %q html %q", got.Text, got.HTML)
	}
	if got.TLS != wantTLS || got.AuthUser != wantUser {
		t.Errorf("tls %v user %q, want %v %q", got.TLS, got.AuthUser, wantTLS, wantUser)
	}
}

func TestPlain(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{Mode: smtptest.Plain})
	m := &mailer.Mailer{}
	if err := send(t, m, cfgFor(s, panel.EncryptionNone, "", ""), msg("plain"), 5*time.Second); err != nil {
		t.Fatal(err)
	}
	checkDelivered(t, s, "plain", false, "")
}

func TestSTARTTLSWithAuth(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{Mode: smtptest.STARTTLS, Username: user, Password: pass})
	m := &mailer.Mailer{RootCAs: s.RootCAs}
	if err := send(t, m, cfgFor(s, panel.EncryptionSTARTTLS, user, pass), msg("starttls"), 5*time.Second); err != nil {
		t.Fatal(err)
	}
	checkDelivered(t, s, "starttls", true, user)
}

func TestImplicitTLSWithTestCA(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{Mode: smtptest.ImplicitTLS, Username: user, Password: pass})
	m := &mailer.Mailer{RootCAs: s.RootCAs}
	if err := send(t, m, cfgFor(s, panel.EncryptionTLS, user, pass), msg("tls"), 5*time.Second); err != nil {
		t.Fatal(err)
	}
	checkDelivered(t, s, "tls", true, user)

	// The same server, not trusted: a certificate error, permanent.
	err := send(t, &mailer.Mailer{}, cfgFor(s, panel.EncryptionTLS, user, pass), msg("untrusted"), 5*time.Second)
	if me := kindOf(t, err); me.Kind != panel.MailErrCertificate || me.Temporary {
		t.Fatalf("untrusted CA: %v", me)
	}
	// Implicit TLS against a clear-text server: a TLS error that says so.
	plain := smtptest.Start(t, smtptest.Options{Mode: smtptest.Plain})
	err = send(t, &mailer.Mailer{}, cfgFor(plain, panel.EncryptionTLS, "", ""), msg("x"), 5*time.Second)
	if me := kindOf(t, err); me.Kind != panel.MailErrTLS {
		t.Fatalf("TLS to a plain server: %v", me)
	}
}

func TestWrongPassword(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{Mode: smtptest.STARTTLS, Username: user, Password: pass})
	err := send(t, &mailer.Mailer{RootCAs: s.RootCAs}, cfgFor(s, panel.EncryptionSTARTTLS, user, "wrong"), msg("x"), 5*time.Second)
	me := kindOf(t, err)
	if me.Kind != panel.MailErrAuth || me.Temporary || !strings.Contains(me.Message, "535") {
		t.Fatalf("wrong password: %v", me)
	}
	if strings.Contains(me.Error(), "wrong") {
		t.Fatalf("the error repeats the password: %v", me)
	}
	if n := len(s.Messages()); n != 0 {
		t.Fatalf("%d messages delivered", n)
	}
}

func TestSTARTTLSNotOfferedIsRefused(t *testing.T) {
	// The server offers AUTH in clear; a client that fell back to clear text
	// would log in and deliver. Ours must refuse before sending anything.
	s := smtptest.Start(t, smtptest.Options{Mode: smtptest.Plain, Username: user, Password: pass})
	err := send(t, &mailer.Mailer{}, cfgFor(s, panel.EncryptionSTARTTLS, user, pass), msg("x"), 5*time.Second)
	me := kindOf(t, err)
	if me.Kind != panel.MailErrDowngradeRefused || me.Temporary || !strings.Contains(me.Message, "STARTTLS") {
		t.Fatalf("no STARTTLS: %v", me)
	}
	if n := len(s.Messages()); n != 0 {
		t.Fatalf("%d messages delivered in clear", n)
	}
}

func TestNoAuthOfferedIsRefused(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{Mode: smtptest.STARTTLS}) // no AUTH
	err := send(t, &mailer.Mailer{RootCAs: s.RootCAs}, cfgFor(s, panel.EncryptionSTARTTLS, user, pass), msg("x"), 5*time.Second)
	me := kindOf(t, err)
	if me.Kind != panel.MailErrDowngradeRefused || !strings.Contains(me.Message, "AUTH") {
		t.Fatalf("no AUTH: %v", me)
	}
	if n := len(s.Messages()); n != 0 {
		t.Fatalf("%d messages delivered unauthenticated", n)
	}
	// A username with encryption none is refused before connecting.
	err = send(t, &mailer.Mailer{}, cfgFor(s, panel.EncryptionNone, user, pass), msg("x"), 5*time.Second)
	if me := kindOf(t, err); me.Kind != panel.MailErrDowngradeRefused {
		t.Fatalf("username over none: %v", me)
	}
}

func TestRecipientRefused(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{Mode: smtptest.STARTTLS,
		RefuseRecipient: func(a string) bool { return strings.HasPrefix(a, "jane@") }})
	err := send(t, &mailer.Mailer{RootCAs: s.RootCAs}, cfgFor(s, panel.EncryptionSTARTTLS, "", ""), msg("x"), 5*time.Second)
	me := kindOf(t, err)
	if me.Kind != panel.MailErrRecipientRefused || me.Temporary || !strings.Contains(me.Message, "550") {
		t.Fatalf("recipient refused: %v", me)
	}
}

func TestServerDownThenUp(t *testing.T) {
	s := smtptest.Reserve(t, smtptest.Options{Mode: smtptest.Plain})
	m := &mailer.Mailer{}
	err := send(t, m, cfgFor(s, panel.EncryptionNone, "", ""), msg("down"), 5*time.Second)
	if me := kindOf(t, err); me.Kind != panel.MailErrConnect || !me.Temporary {
		t.Fatalf("server down: %v", me)
	}
	s.Up()
	if err := send(t, m, cfgFor(s, panel.EncryptionNone, "", ""), msg("down"), 5*time.Second); err != nil {
		t.Fatal(err)
	}
	checkDelivered(t, s, "down", false, "")
}

func TestSilentServerTimesOut(t *testing.T) {
	host, port := smtptest.Silent(t)
	for _, enc := range []string{panel.EncryptionNone, panel.EncryptionSTARTTLS, panel.EncryptionTLS} {
		started := time.Now()
		err := send(t, &mailer.Mailer{}, panel.SMTPConfig{Host: host, Port: port, Encryption: enc,
			FromAddress: "panel@example.org"}, msg("x"), 700*time.Millisecond)
		me := kindOf(t, err)
		if me.Kind != panel.MailErrTimeout || !me.Temporary {
			t.Fatalf("%s: silent server: %v", enc, me)
		}
		if took := time.Since(started); took > 3*time.Second {
			t.Fatalf("%s: took %s", enc, took)
		}
	}
}

func TestHeaderInjectionRefused(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{Mode: smtptest.Plain})
	bad := msg("x")
	bad.Subject = "Hi\r\nBcc: victim@example.org"
	err := send(t, &mailer.Mailer{}, cfgFor(s, panel.EncryptionNone, "", ""), bad, 5*time.Second)
	if me := kindOf(t, err); me.Kind != panel.MailErrInvalid || me.Temporary {
		t.Fatalf("header injection: %v", me)
	}
	bad = msg("x")
	bad.To = "jane@example.org\r\nBcc: victim@example.org"
	err = send(t, &mailer.Mailer{}, cfgFor(s, panel.EncryptionNone, "", ""), bad, 5*time.Second)
	if me := kindOf(t, err); me.Kind != panel.MailErrInvalid {
		t.Fatalf("header injection in To: %v", me)
	}
}

func TestDNSClassification(t *testing.T) {
	// No lookup leaves this machine: the resolver's answer is simulated.
	err := mailer.ClassifyDialForTest("no-such-host.example", "no-such-host.example:587",
		&net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "no-such-host.example", IsNotFound: true}})
	if me := kindOf(t, err); me.Kind != panel.MailErrDNS || me.Temporary {
		t.Fatalf("dns not found: %v", me)
	}
	err = mailer.ClassifyDialForTest("h", "h:587", &net.DNSError{Err: "server misbehaving", Name: "h", IsTemporary: true})
	if me := kindOf(t, err); me.Kind != panel.MailErrDNS || !me.Temporary {
		t.Fatalf("dns temporary: %v", me)
	}
}
