// Package secrets keeps the app's secrets (the SMTP password) in the OS
// keyring through zalando/go-keyring: Secret Service on Linux, Keychain on
// macOS, Credential Manager on Windows. It implements panel.Secrets.
//
// Every call has a timeout: a locked Secret Service collection can wait for
// an unlock prompt forever. When no keyring can be used, the error says so
// and how to fix it; nothing ever falls back to storing the secret elsewhere.
package secrets

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"

	"castdesk/backend/panel"
)

// DefaultTimeout bounds one keyring call.
const DefaultTimeout = 5 * time.Second

// Keyring is panel.Secrets over the OS keyring.
type Keyring struct {
	// Service is the keyring's service name ("castdesk"); tests use their own.
	Service string
	Timeout time.Duration
}

var _ panel.Secrets = (*Keyring)(nil)

func NewKeyring(service string) *Keyring {
	if service == "" {
		service = "castdesk"
	}
	return &Keyring{Service: service, Timeout: DefaultTimeout}
}

func (k *Keyring) Get(ctx context.Context, key string) (string, error) {
	var out string
	err := k.call(ctx, "read", func() error {
		v, err := keyring.Get(k.Service, key)
		out = v
		return err
	})
	return out, err
}

func (k *Keyring) Set(ctx context.Context, key, value string) error {
	return k.call(ctx, "store", func() error { return keyring.Set(k.Service, key, value) })
}

func (k *Keyring) Delete(ctx context.Context, key string) error {
	err := k.call(ctx, "delete", func() error { return keyring.Delete(k.Service, key) })
	if errors.Is(err, panel.ErrSecretNotFound) {
		return nil
	}
	return err
}

// call runs fn with a deadline. A call that times out keeps running in its
// goroutine (go-keyring cannot be cancelled); its result is dropped.
func (k *Keyring) call(ctx context.Context, what string, fn func() error) error {
	timeout := k.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	done := make(chan error, 1)
	go func() { done <- fn() }()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case err := <-done:
		return classify(what, err)
	case <-t.C:
		return &panel.SecretsUnavailableError{Kind: panel.KeyringLocked,
			Reason: fmt.Sprintf("The OS keyring did not answer within %s (a locked keyring waits for an unlock prompt).", timeout),
			Fix:    "Unlock your keyring (log in to the desktop session, or unlock it in your keyring manager) and try again."}
	case <-ctx.Done():
		return &panel.SecretsUnavailableError{Kind: panel.KeyringError, Reason: "The keyring call was cancelled.", Err: ctx.Err()}
	}
}

func classify(what string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, keyring.ErrNotFound) {
		return panel.ErrSecretNotFound
	}
	msg := err.Error()
	low := strings.ToLower(msg)
	e := &panel.SecretsUnavailableError{Kind: panel.KeyringUnavailable, Err: err}
	switch {
	case runtime.GOOS != "linux" && runtime.GOOS != "freebsd" && runtime.GOOS != "openbsd":
		e.Kind = panel.KeyringError
		e.Reason = "The OS keyring could not " + what + " the password."
		e.Fix = "Check that your user's keychain / credential manager is available and unlocked."
	case strings.Contains(low, "dbus_session_bus_address"), strings.Contains(low, "dbus-launch"),
		strings.Contains(low, "autolaunch"), strings.Contains(low, "session bus"),
		strings.Contains(low, "no such file or directory"), strings.Contains(low, "connection refused"):
		e.Reason = "No Secret Service: there is no D-Bus session bus, so no keyring can be reached."
		e.Fix = "Install gnome-keyring and run Castdesk inside a desktop session (on a server: start it under dbus-run-session with gnome-keyring-daemon unlocked)."
	case strings.Contains(low, "org.freedesktop.secrets"), strings.Contains(low, "serviceunknown"),
		strings.Contains(low, "not provided by any"), strings.Contains(low, "name has no owner"):
		e.Reason = "No Secret Service: nothing on this session's D-Bus provides org.freedesktop.secrets."
		e.Fix = "Install gnome-keyring (or enable KeePassXC's Secret Service integration) and run Castdesk inside a desktop session."
	case strings.Contains(low, "locked"), strings.Contains(low, "unlock"), strings.Contains(low, "dismissed"), strings.Contains(low, "prompt"):
		e.Kind = panel.KeyringLocked
		e.Reason = "The keyring is locked."
		e.Fix = "Unlock your keyring (log in to the desktop session or unlock it in your keyring manager) and try again."
	default:
		e.Kind = panel.KeyringError
		e.Reason = "The Secret Service could not " + what + " the password."
		e.Fix = "Check that gnome-keyring (or another Secret Service) is running and unlocked in this session."
	}
	return e
}

// Memory is the in-memory twin of Keyring for pure tests. Fail, when set,
// is returned by every call (e.g. a *panel.SecretsUnavailableError).
type Memory struct {
	mu     sync.Mutex
	values map[string]string
	Fail   error
}

var _ panel.Secrets = (*Memory)(nil)

func NewMemory() *Memory { return &Memory{values: map[string]string{}} }

func (m *Memory) Get(_ context.Context, key string) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return "", m.Fail
	}
	v, ok := m.values[key]
	if !ok {
		return "", panel.ErrSecretNotFound
	}
	return v, nil
}

func (m *Memory) Set(_ context.Context, key, value string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	m.values[key] = value
	return nil
}

func (m *Memory) Delete(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.Fail != nil {
		return m.Fail
	}
	delete(m.values, key)
	return nil
}
