package secrets_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"castdesk/backend/mailer"
	"castdesk/backend/mailer/smtptest"
	"castdesk/backend/panel"
	"castdesk/backend/secrets"
	"castdesk/backend/testkit"
)

// requireKeyring returns a real keyring, or skips the test when none is
// reachable — unless CASTDESK_REQUIRE_KEYRING=1 (make go-test, CI inside
// scripts/with-keyring.sh), where a missing Secret Service fails it.
func requireKeyring(t *testing.T) *secrets.Keyring {
	t.Helper()
	k := secrets.NewKeyring(fmt.Sprintf("castdesk-test-%d-%d", os.Getpid(), time.Now().UnixNano()))
	_, err := k.Get(context.Background(), "probe")
	var su *panel.SecretsUnavailableError
	if errors.As(err, &su) {
		if os.Getenv("CASTDESK_REQUIRE_KEYRING") == "1" {
			t.Fatalf("CASTDESK_REQUIRE_KEYRING=1 but no keyring is usable: %v", su)
		}
		t.Skipf("no keyring here (run under scripts/with-keyring.sh): %v", su)
	}
	if err != nil && !errors.Is(err, panel.ErrSecretNotFound) {
		t.Fatalf("keyring probe: %v", err)
	}
	return k
}

// dataFiles reads every file of the data dir (the database, its WAL and
// shared-memory files, logs): the password must be in none of them.
func assertNotOnDisk(t *testing.T, dir string, secret string) {
	t.Helper()
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("%s contains the SMTP password", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSMTPPasswordInTheRealKeyring(t *testing.T) {
	k := requireKeyring(t)
	t.Cleanup(func() { k.Delete(context.Background(), "smtp_password") })
	first, second := "first-Keyring-Pw-7431", "second-Keyring-Pw-9902"
	s := smtptest.Start(t, smtptest.Options{Mode: smtptest.STARTTLS, Username: "u@example.org", Password: first})

	e := testkit.New(t)
	e.Secrets = k
	e.Mailer = &mailer.Mailer{RootCAs: s.RootCAs}
	e.Reopen(t)
	admin, _ := e.Setup(t)
	host, port, enc, user, from := s.Host, s.Port, panel.EncryptionSTARTTLS, "u@example.org", "panel@example.org"

	// Set.
	set, err := e.Panel.Settings.Update(admin, panel.SettingsPatch{SMTPHost: &host, SMTPPort: &port, SMTPEncryption: &enc,
		SMTPUsername: &user, SMTPFromAddress: &from, SMTPPassword: &first})
	if err != nil || !set.SMTPPasswordSet || set.SMTPPasswordError != "" {
		t.Fatalf("set: %+v %v", set, err)
	}
	// Read back: straight from the keyring, and through the app (GET, then
	// a test email that only logs in with the stored password).
	if got, err := k.Get(context.Background(), "smtp_password"); err != nil || got != first {
		t.Fatalf("keyring holds %q, %v", got, err)
	}
	if got, err := e.Panel.Settings.Get(admin); err != nil || !got.SMTPPasswordSet {
		t.Fatalf("get: %+v %v", got, err)
	}
	if _, err := e.Panel.Mail.TestEmail(admin, panel.TestEmailInput{To: "me@example.org"}); err != nil {
		t.Fatalf("test email with the keyring's password: %v", err)
	}
	// Replace: the old one no longer logs in, the new one does.
	if _, err := e.Panel.Settings.Update(admin, panel.SettingsPatch{SMTPPassword: &second}); err != nil {
		t.Fatal(err)
	}
	if got, _ := k.Get(context.Background(), "smtp_password"); got != second {
		t.Fatalf("after replace the keyring holds %q", got)
	}
	if _, err := e.Panel.Mail.TestEmail(admin, panel.TestEmailInput{To: "me@example.org"}); panel.AsError(err).Fields["smtp_password"] != panel.ReasonAuthFailed {
		t.Fatalf("the replaced password should be the one used (server still wants the first): %v", err)
	}
	// Delete.
	empty := ""
	set, err = e.Panel.Settings.Update(admin, panel.SettingsPatch{SMTPPassword: &empty})
	if err != nil || set.SMTPPasswordSet {
		t.Fatalf("delete: %+v %v", set, err)
	}
	if _, err := k.Get(context.Background(), "smtp_password"); !errors.Is(err, panel.ErrSecretNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	// Nothing on disk: database, WAL, anything in the data dir.
	e.Store.Close()
	for _, pw := range []string{first, second} {
		assertNotOnDisk(t, e.Dir, pw)
	}
}

// Without a Secret Service the error says so and how to fix it, and the
// password is saved nowhere. A child process gets a D-Bus address that
// leads nowhere (go-keyring's bus connection is per process).
func TestNoKeyringSaysWhyAndHowToFix(t *testing.T) {
	if os.Getenv("CASTDESK_NO_KEYRING_CHILD") == "1" {
		noKeyringChild(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestNoKeyringSaysWhyAndHowToFix$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), "CASTDESK_NO_KEYRING_CHILD=1",
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(t.TempDir(), "no-bus-here"))
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

func noKeyringChild(t *testing.T) {
	e := testkit.New(t)
	e.Secrets = secrets.NewKeyring("castdesk-test-nokeyring")
	e.Reopen(t)
	admin, _ := e.Setup(t)
	pw := "never-Stored-Anywhere-551"
	_, err := e.Panel.Settings.Update(admin, panel.SettingsPatch{SMTPPassword: &pw})
	pe := panel.AsError(err)
	if pe == nil || pe.Code != panel.CodeUnavailable || pe.Fields["smtp_password"] != "no_keyring" {
		t.Fatalf("no keyring: %+v", pe)
	}
	if !strings.Contains(pe.Message, "No Secret Service") || !strings.Contains(pe.Message, "gnome-keyring") {
		t.Fatalf("the message does not say why and how to fix it: %q", pe.Message)
	}
	got, err := e.Panel.Settings.Get(admin)
	if err != nil || got.SMTPPasswordSet || !strings.Contains(got.SMTPPasswordError, "No Secret Service") ||
		got.SMTPPasswordErrorKind != panel.KeyringUnavailable {
		t.Fatalf("get without keyring: %+v %v", got, err)
	}
	e.Store.Close()
	assertNotOnDisk(t, e.Dir, pw)
	t.Logf("message: %s", pe.Message)
}

func TestKeyringCallsTimeOut(t *testing.T) {
	// A locked collection can block forever; the call gives up in time.
	// (Simulated with a service that never answers: the in-memory twin
	// cannot block, so this drives Keyring's own timeout with a stuck fn.)
	k := secrets.NewKeyring("castdesk-test-timeout")
	k.Timeout = 50 * time.Millisecond
	started := time.Now()
	err := secrets.CallForTest(k, func() error { time.Sleep(2 * time.Second); return nil })
	var su *panel.SecretsUnavailableError
	if !errors.As(err, &su) || !strings.Contains(su.Reason, "did not answer") || time.Since(started) > time.Second {
		t.Fatalf("timeout: %v after %s", err, time.Since(started))
	}
}
