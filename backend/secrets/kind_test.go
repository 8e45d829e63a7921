package secrets_test

import (
	"errors"
	"runtime"
	"testing"
	"time"

	"castdesk/backend/panel"
	"castdesk/backend/secrets"
)

// TestKeyringFailureKinds: every keyring failure carries a stable kind the
// Email screen says in the user's language (keyring_unavailable,
// keyring_locked, keyring_error), from the one classifier of keyring errors.
func TestKeyringFailureKinds(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the Secret Service's errors are Linux's")
	}
	k := secrets.NewKeyring("castdesk-test-kinds")
	for _, c := range []struct {
		err  string
		want panel.KeyringFailure
	}{
		{"The name org.freedesktop.secrets was not provided by any .service files", panel.KeyringUnavailable},
		{"dbus: DBUS_SESSION_BUS_ADDRESS not set", panel.KeyringUnavailable},
		{"Cannot create an item in a locked collection", panel.KeyringLocked},
		{"prompt dismissed", panel.KeyringLocked},
		{"org.freedesktop.DBus.Error.NoMemory", panel.KeyringError},
	} {
		err := secrets.CallForTest(k, func() error { return errors.New(c.err) })
		if got := panel.KeyringFailureOf(err); got != c.want {
			t.Errorf("%q: kind %q, want %q", c.err, got, c.want)
		}
	}
	// A keyring that does not answer in time is taken as locked (it waits
	// for an unlock prompt).
	k.Timeout = 20 * time.Millisecond
	block := make(chan struct{})
	defer close(block)
	err := secrets.CallForTest(k, func() error { <-block; return nil })
	if got := panel.KeyringFailureOf(err); got != panel.KeyringLocked {
		t.Errorf("timeout: kind %q", got)
	}
	// Any other error of the keyring port.
	if got := panel.KeyringFailureOf(errors.New("boom")); got != panel.KeyringError {
		t.Errorf("plain error: kind %q", got)
	}
}
