package testkit

import (
	"context"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP is the code an authenticator app shows at `at` for secret (RFC 6238:
// SHA-1, 6 digits, 30 s), as a phone would compute it.
func TOTP(t testing.TB, secret string, at time.Time) string {
	t.Helper()
	code, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatalf("totp: %v", err)
	}
	return code
}

// Secret is the stored TOTP secret of an account (enrolled or being enrolled).
func (e *Env) Secret(t testing.TB, accountID int64) string {
	t.Helper()
	tf, err := e.Store.TwoFactorOf(context.Background(), accountID)
	if err != nil {
		t.Fatalf("second factor of %d: %v", accountID, err)
	}
	return tf.Secret
}

// Code is the TOTP code of an account's secret at the env's clock plus skew steps.
func (e *Env) Code(t testing.TB, accountID int64, steps int) string {
	t.Helper()
	return TOTP(t, e.Secret(t, accountID), e.Clock.Now().Add(time.Duration(steps)*30*time.Second))
}
