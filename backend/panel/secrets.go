package panel

import (
	"context"
	"errors"
	"strings"
)

// The secrets port: the SMTP password lives in the OS keyring only
// (docs/spec.md §6). Reading it for sending, saving it from System Settings
// → Email and telling the admin why the keyring cannot be used are all
// here; nothing falls back to storing the password elsewhere.

// Secrets keeps secrets (the SMTP password) in the OS keyring.
type Secrets interface {
	// Get answers ErrSecretNotFound when nothing is stored under key.
	Get(ctx context.Context, key string) (string, error)
	Set(ctx context.Context, key, value string) error
	// Delete is not an error when nothing is stored.
	Delete(ctx context.Context, key string) error
}

// ErrSecretNotFound is Secrets.Get's answer for an absent secret.
var ErrSecretNotFound = errors.New("secret not found in the keyring")

// SecretsUnavailableError says that no keyring can be used and how to fix it.
// Nothing falls back to storing the secret elsewhere.
type SecretsUnavailableError struct {
	// Kind is the stable name of what went wrong, for interfaces to say in
	// their language (KeyringUnavailable when not set).
	Kind   KeyringFailure
	Reason string // e.g. "No Secret Service is running on this session's D-Bus."
	Fix    string // e.g. "Install gnome-keyring (or KeePassXC) and run Castdesk inside a desktop session."
	Err    error
}

// KeyringFailure is why the OS keyring cannot be used, as a stable kind.
type KeyringFailure string

const (
	// KeyringUnavailable: no keyring can be reached (no Secret Service, no
	// D-Bus session).
	KeyringUnavailable KeyringFailure = "keyring_unavailable"
	// KeyringLocked: the keyring is locked, or did not answer in time (a
	// locked keyring waits for an unlock prompt).
	KeyringLocked KeyringFailure = "keyring_locked"
	// KeyringError: the keyring answered with any other error.
	KeyringError KeyringFailure = "keyring_error"
)

// KeyringFailureOf is the kind of a keyring error.
func KeyringFailureOf(err error) KeyringFailure {
	var su *SecretsUnavailableError
	if errors.As(err, &su) {
		if su.Kind != "" {
			return su.Kind
		}
		return KeyringUnavailable
	}
	return KeyringError
}

func (e *SecretsUnavailableError) Error() string {
	s := e.Reason
	if e.Fix != "" {
		s += " " + e.Fix
	}
	if e.Err != nil {
		s += " (" + e.Err.Error() + ")"
	}
	return s
}

func (e *SecretsUnavailableError) Unwrap() error { return e.Err }

const secretSMTPPassword = "smtp_password"

// smtpPassword reads the SMTP password for sending. Every failure is a
// not_configured MailError that says why: the worker leaves rows queued,
// and the test email shows the reason.
func smtpPassword(ctx context.Context, secrets Secrets) (string, error) {
	pw, err := secrets.Get(ctx, secretSMTPPassword)
	var su *SecretsUnavailableError
	switch {
	case errors.Is(err, ErrSecretNotFound):
		return "", &MailError{Kind: MailErrNotConfigured, Field: secretSMTPPassword, Message: "An SMTP username is set but no password is stored: enter it in System Settings → Email."}
	case errors.As(err, &su):
		return "", &MailError{Kind: MailErrNotConfigured, Field: secretSMTPPassword, Message: "The SMTP password cannot be read: " + su.Error()}
	case err != nil:
		return "", &MailError{Kind: MailErrNotConfigured, Field: secretSMTPPassword, Message: "The SMTP password cannot be read from the keyring.", Err: err}
	}
	return pw, nil
}

// savePassword stores (or, for "", removes) the SMTP password in the keyring.
func (s *Settings) savePassword(ctx context.Context, pw *string) error {
	if pw == nil {
		return nil
	}
	var err error
	if *pw == "" {
		err = s.deps.Secrets.Delete(ctx, secretSMTPPassword)
	} else {
		err = s.deps.Secrets.Set(ctx, secretSMTPPassword, *pw)
	}
	if err != nil {
		return keyringFailure(err)
	}
	return nil
}

// keyringFailure is the error the Email screen shows beside the password.
func keyringFailure(err error) *Error {
	var su *SecretsUnavailableError
	if errors.As(err, &su) {
		return &Error{Code: CodeUnavailable, Message: "The SMTP password was not saved: " + su.Reason + " " + su.Fix,
			Fields: map[string]Reason{"smtp_password": ReasonNoKeyring}, cause: err}
	}
	return &Error{Code: CodeUnavailable, Message: "The SMTP password was not saved: the OS keyring refused it.",
		Fields: map[string]Reason{"smtp_password": ReasonKeyringError}, cause: err}
}

// fillPasswordState says whether a password is stored, or why the keyring
// cannot tell.
func (s *Settings) fillPasswordState(ctx context.Context, out *SystemSettings) {
	_, err := s.deps.Secrets.Get(ctx, secretSMTPPassword)
	var su *SecretsUnavailableError
	switch {
	case err == nil:
		out.SMTPPasswordSet = true
	case errors.Is(err, ErrSecretNotFound):
	case errors.As(err, &su):
		out.SMTPPasswordError = strings.TrimSpace(su.Reason + " " + su.Fix)
		out.SMTPPasswordErrorKind = KeyringFailureOf(err)
	default:
		s.deps.Log.Warn("keyring read failed", "err", err)
		out.SMTPPasswordError = "The OS keyring could not be read."
		out.SMTPPasswordErrorKind = KeyringError
	}
}
