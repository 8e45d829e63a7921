package panel

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"image/png"
	"strconv"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Two-factor sign-in (docs/spec.md §1.4): TOTP (RFC 6238: SHA-1, 6 digits,
// 30-second steps, one step of clock skew either way) through
// github.com/pquerna/otp, ten single-use recovery codes stored hashed, and a
// second login step. The secret is stored in the database (a code generator
// needs it in clear); the password is still needed beside it.

const (
	totpPeriod = 30
	totpDigits = otp.DigitsSix
	// totpSkew: a code of the step before or after the current one is accepted.
	totpSkew = 1
	// recoveryCodeCount codes of recoveryCodeLen Crockford base32 characters
	// (50 bits each), shown as XXXXX-XXXXX.
	recoveryCodeCount = 10
	recoveryCodeLen   = 10
	// loginPendingLifetime is how long the second step may wait.
	loginPendingLifetime = 5 * time.Minute
	// totpIssuer names the app in authenticator apps.
	totpIssuer = "Castdesk"
	qrSize     = 240
)

// twoFactorCodes throttles wrong codes per account, whatever the session or
// client they come from: 5 free, then from 30 s doubling to 15 minutes.
var twoFactorCodes = throttlePolicy{free: 5, base: 30 * time.Second, max: 15 * time.Minute}

func twoFactorThrottleKey(accountID int64) string { return fmt.Sprintf("2fa:%d", accountID) }

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1}

// TwoFactorSetup is a fresh secret to enrol, as a QR code (a PNG data URL
// rendered here: the app stays offline) and as text.
type TwoFactorSetup struct {
	Secret     string `json:"secret"`
	OTPAuthURL string `json:"otpauth_url"`
	QRCode     string `json:"qr_code"`
}

// TwoFactorCodeInput is a code from the authenticator app or a recovery code.
type TwoFactorCodeInput struct {
	Code string `json:"code"`
}

// PasswordConfirmInput repeats the account's password before a change to
// its second factor.
type PasswordConfirmInput struct {
	Password string `json:"password"`
}

// RecoveryCodes are shown once, when made.
type RecoveryCodes struct {
	RecoveryCodes []string `json:"recovery_codes"`
}

// TwoFactorState is what the caller's screens need to know.
type TwoFactorState struct {
	Enabled bool `json:"enabled"`
	// Required: System Settings require a second factor of this account.
	Required bool `json:"required"`
	// MustEnrol: this session may do nothing but enrol (required, not enabled).
	MustEnrol         bool `json:"must_enrol"`
	RecoveryCodesLeft int  `json:"recovery_codes_left"`
}

// twoFactorRequired tells whether System Settings require a second factor of acc.
func twoFactorRequired(set SystemSettings, acc *Account) bool {
	return acc.IsAdmin() && set.RequireTwoFactorAdmins || acc.IsReseller() && set.RequireTwoFactorResellers
}

// twoFactorEnabled reads the account's enabled second factor, if any.
func twoFactorEnabled(ctx context.Context, r Reader, accountID int64) (*TwoFactor, error) {
	tf, err := r.TwoFactorOf(ctx, accountID)
	if IsCode(err, CodeNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if tf.EnabledAt == nil {
		return nil, nil
	}
	return &tf, nil
}

func (a *Auth) twoFactorState(ctx context.Context, c *Caller) (TwoFactorState, error) {
	set, err := a.settings.current(ctx, a.deps.Store)
	if err != nil {
		return TwoFactorState{}, err
	}
	tf, err := twoFactorEnabled(ctx, a.deps.Store, c.Account.ID)
	if err != nil {
		return TwoFactorState{}, Internal(err)
	}
	out := TwoFactorState{Enabled: tf != nil, Required: twoFactorRequired(set, c.Account), MustEnrol: c.MustEnrol}
	if tf != nil {
		if out.RecoveryCodesLeft, err = a.deps.Store.RecoveryCodesLeft(ctx, c.Account.ID); err != nil {
			return TwoFactorState{}, Internal(err)
		}
	}
	return out, nil
}

// TwoFactorOverview is the overview's second-factor block.
type TwoFactorOverview struct {
	Enabled           bool       `json:"enabled"`
	EnabledAt         *time.Time `json:"enabled_at"`
	RecoveryCodesLeft int        `json:"recovery_codes_left"`
}

// ownSecondFactor is the caller allowed to change its own second factor:
// a person at a logged-in door, in its own account.
func ownSecondFactor(ctx context.Context) (*Caller, error) {
	c, err := requireSession(ctx)
	if err != nil {
		return nil, err
	}
	if err := refuseKey(c, "Changing two-factor sign-in"); err != nil {
		return nil, err
	}
	if err := refuseWhileImpersonating(c, c.Account.ID, "two-factor sign-in"); err != nil {
		return nil, err
	}
	if c.Account.MustChangePassword {
		return nil, &Error{Code: CodeForbidden, Message: "Choose a new password before going on.",
			Fields: map[string]Reason{"password": ReasonMustChange}}
	}
	return c, nil
}

// SetupTwoFactor starts an enrolment: a new secret, not in force until
// EnableTwoFactor confirms a first code from it. It replaces an enrolment
// not yet confirmed.
func (a *Auth) SetupTwoFactor(ctx context.Context) (TwoFactorSetup, error) {
	c, err := ownSecondFactor(ctx)
	if err != nil {
		return TwoFactorSetup{}, err
	}
	if tf, err := twoFactorEnabled(ctx, a.deps.Store, c.Account.ID); err != nil {
		return TwoFactorSetup{}, Internal(err)
	} else if tf != nil {
		return TwoFactorSetup{}, FieldError(CodeConflict, "Two-factor sign-in is on already: turn it off first to use another device.",
			"two_factor", ReasonAlreadyDone, nil)
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: c.Account.Username, Period: totpPeriod,
		Digits: totpDigits, Algorithm: otp.AlgorithmSHA1, SecretSize: 20})
	if err != nil {
		return TwoFactorSetup{}, Internal(err)
	}
	img, err := key.Image(qrSize, qrSize)
	if err != nil {
		return TwoFactorSetup{}, Internal(err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return TwoFactorSetup{}, Internal(err)
	}
	now := a.deps.now()
	err = a.deps.Store.Write(ctx, func(tx Tx) error {
		if err := tx.SaveTwoFactor(ctx, TwoFactor{AccountID: c.Account.ID, Secret: key.Secret(), CreatedAt: now}); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "two_factor.setup", SubjectType: "account",
			SubjectID: fmt.Sprint(c.Account.ID)}))
	})
	if err != nil {
		return TwoFactorSetup{}, wrapErr(err)
	}
	return TwoFactorSetup{Secret: key.Secret(), OTPAuthURL: key.URL(),
		QRCode: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
}

// EnableTwoFactor confirms an enrolment with a first code and puts the
// second factor in force. The answer holds the recovery codes, the only
// time they are shown.
func (a *Auth) EnableTwoFactor(ctx context.Context, in TwoFactorCodeInput) (RecoveryCodes, error) {
	c, err := ownSecondFactor(ctx)
	if err != nil {
		return RecoveryCodes{}, err
	}
	code := normalizeCode(in.Code)
	if code == "" {
		return RecoveryCodes{}, InvalidField("code", ReasonRequired)
	}
	tf, err := a.deps.Store.TwoFactorOf(ctx, c.Account.ID)
	if IsCode(err, CodeNotFound) {
		return RecoveryCodes{}, FieldError(CodeConflict, "Start the set-up first.", "two_factor", ReasonNotEnabled, nil)
	}
	if err != nil {
		return RecoveryCodes{}, Internal(err)
	}
	if tf.EnabledAt != nil {
		return RecoveryCodes{}, FieldError(CodeConflict, "Two-factor sign-in is on already.", "two_factor", ReasonAlreadyDone, nil)
	}
	if err := a.codeThrottled(ctx, c.Account.ID); err != nil {
		return RecoveryCodes{}, err
	}
	now := a.deps.now()
	step, ok, _ := matchTOTP(tf.Secret, code, now, tf.LastStep)
	if !ok {
		if err := a.deps.Store.Write(ctx, func(tx Tx) error {
			_, err := a.hit(ctx, tx, twoFactorThrottleKey(c.Account.ID), twoFactorCodes)
			return err
		}); err != nil {
			return RecoveryCodes{}, wrapErr(err)
		}
		return RecoveryCodes{}, InvalidField("code", ReasonInvalidCode)
	}
	codes, hashes, err := newRecoveryCodes()
	if err != nil {
		return RecoveryCodes{}, Internal(err)
	}
	err = a.deps.Store.Write(ctx, func(tx Tx) error {
		cur, err := tx.TwoFactorOf(ctx, c.Account.ID)
		if err != nil || cur.Secret != tf.Secret || cur.EnabledAt != nil {
			return FieldError(CodeConflict, "The set-up changed meanwhile: start again.", "two_factor", ReasonNotEnabled, nil)
		}
		cur.EnabledAt, cur.LastStep = &now, step
		if err := tx.SaveTwoFactor(ctx, cur); err != nil {
			return err
		}
		if err := tx.ReplaceRecoveryCodes(ctx, c.Account.ID, hashes, now); err != nil {
			return err
		}
		if err := tx.ClearMustEnrol(ctx, c.Account.ID); err != nil {
			return err
		}
		if err := tx.ClearLoginThrottle(ctx, twoFactorThrottleKey(c.Account.ID)); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "two_factor.enable", SubjectType: "account",
			SubjectID: fmt.Sprint(c.Account.ID)}))
	})
	if err != nil {
		return RecoveryCodes{}, wrapErr(err)
	}
	return RecoveryCodes{RecoveryCodes: codes}, nil
}

// checkOwnPassword verifies the caller's password before a change to its
// second factor; a wrong one counts as a failed login.
func (a *Auth) checkOwnPassword(ctx context.Context, c *Caller, password string) error {
	if password == "" {
		return InvalidField("password", ReasonRequired)
	}
	key := UsernameKey(c.Account.Username)
	if t, err := a.deps.Store.LoginThrottle(ctx, key); err != nil {
		return Internal(err)
	} else if now := a.deps.now(); now.Before(t.Until) {
		return RateLimitedFor("Too many wrong passwords.", t.Until.Sub(now))
	}
	ok, err := verifySlot(ctx, c.Account.PasswordHash, password)
	if err != nil {
		return Internal(err)
	}
	if !ok {
		if err := a.recordFailure(ctx, key, c.Account, "bad_current_password"); err != nil {
			return err
		}
		return InvalidField("password", ReasonWrongPassword)
	}
	return nil
}

// DisableTwoFactor turns the caller's own second factor off, with its
// password. Refused while System Settings require one of this account.
func (a *Auth) DisableTwoFactor(ctx context.Context, in PasswordConfirmInput) error {
	c, err := ownSecondFactor(ctx)
	if err != nil {
		return err
	}
	tf, err := twoFactorEnabled(ctx, a.deps.Store, c.Account.ID)
	if err != nil {
		return Internal(err)
	}
	if tf == nil {
		return FieldError(CodeConflict, "Two-factor sign-in is off already.", "two_factor", ReasonNotEnabled, nil)
	}
	set, err := a.settings.current(ctx, a.deps.Store)
	if err != nil {
		return err
	}
	if twoFactorRequired(set, c.Account) {
		return FieldError(CodeConflict, "Two-factor sign-in is required for your account: it cannot be turned off.",
			"two_factor", ReasonEnforced, nil)
	}
	if err := a.checkOwnPassword(ctx, c, in.Password); err != nil {
		return err
	}
	return wrapErr(a.deps.Store.Write(ctx, func(tx Tx) error {
		if err := tx.DeleteTwoFactor(ctx, c.Account.ID); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: a.deps.now(), Event: "two_factor.disable", SubjectType: "account",
			SubjectID: fmt.Sprint(c.Account.ID)}))
	}))
}

// RegenerateRecoveryCodes replaces the caller's recovery codes with a new
// set, with its password; the old codes stop working.
func (a *Auth) RegenerateRecoveryCodes(ctx context.Context, in PasswordConfirmInput) (RecoveryCodes, error) {
	c, err := ownSecondFactor(ctx)
	if err != nil {
		return RecoveryCodes{}, err
	}
	tf, err := twoFactorEnabled(ctx, a.deps.Store, c.Account.ID)
	if err != nil {
		return RecoveryCodes{}, Internal(err)
	}
	if tf == nil {
		return RecoveryCodes{}, FieldError(CodeConflict, "Turn two-factor sign-in on first.", "two_factor", ReasonNotEnabled, nil)
	}
	if err := a.checkOwnPassword(ctx, c, in.Password); err != nil {
		return RecoveryCodes{}, err
	}
	codes, hashes, err := newRecoveryCodes()
	if err != nil {
		return RecoveryCodes{}, Internal(err)
	}
	now := a.deps.now()
	err = a.deps.Store.Write(ctx, func(tx Tx) error {
		if err := tx.ReplaceRecoveryCodes(ctx, c.Account.ID, hashes, now); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "two_factor.recovery_codes", SubjectType: "account",
			SubjectID: fmt.Sprint(c.Account.ID)}))
	})
	if err != nil {
		return RecoveryCodes{}, wrapErr(err)
	}
	return RecoveryCodes{RecoveryCodes: codes}, nil
}

// RemoveTwoFactor is an administrator removing another account's second
// factor (its owner lost the device and the recovery codes), and the
// console's `castdesk admin reset-2fa`. The account is emailed a notice;
// System Settings may make it enrol again at its next login.
func (s *Accounts) RemoveTwoFactor(ctx context.Context, id int64) error {
	c, err := requireAdmin(ctx)
	if err != nil {
		return err
	}
	acc, err := s.get(ctx, s.deps.Store, c, id)
	if err != nil {
		return err
	}
	if acc.ID == c.Account.ID {
		return FieldError(CodeForbidden, "Turn your own two-factor sign-in off from your security page.", "two_factor", ReasonSelf, nil)
	}
	now := s.deps.now()
	err = s.deps.Store.Write(ctx, func(tx Tx) error {
		tf, err := twoFactorEnabled(ctx, tx, id)
		if err != nil {
			return err
		}
		if tf == nil {
			return FieldError(CodeConflict, "This account has no second factor.", "two_factor", ReasonNotEnabled, nil)
		}
		if err := tx.DeleteTwoFactor(ctx, id); err != nil {
			return err
		}
		if err := tx.ClearLoginThrottle(ctx, twoFactorThrottleKey(id)); err != nil {
			return err
		}
		if acc.Email != "" {
			if _, err := s.mail.queueTemplate(ctx, tx, acc, TemplateTwoFactorRemoved, nil, false, c.Account.Username); err != nil {
				return err
			}
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "two_factor.remove", SubjectType: "account",
			SubjectID: fmt.Sprint(id), Details: "username=" + acc.Username}))
	})
	if err != nil {
		return wrapErr(err)
	}
	s.mail.wake()
	return nil
}

// codeThrottled refuses a code while the account's wrong codes are throttled.
func (a *Auth) codeThrottled(ctx context.Context, accountID int64) error {
	t, err := a.deps.Store.LoginThrottle(ctx, twoFactorThrottleKey(accountID))
	if err != nil {
		return Internal(err)
	}
	if now := a.deps.now(); now.Before(t.Until) {
		return RateLimitedFor("Too many wrong codes.", t.Until.Sub(now))
	}
	return nil
}

// matchTOTP finds the time step, within the skew, whose code is code. A
// match of a step at or before lastStep is a replay: not ok, replayed.
func matchTOTP(secret, code string, now time.Time, lastStep int64) (step int64, ok, replayed bool) {
	if len(code) != int(totpDigits) {
		return 0, false, false
	}
	if _, err := strconv.Atoi(code); err != nil {
		return 0, false, false
	}
	cur := now.Unix() / totpPeriod
	for s := cur - totpSkew; s <= cur+totpSkew; s++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0).UTC(), totpOpts)
		if err != nil || subtle.ConstantTimeCompare([]byte(want), []byte(code)) != 1 {
			continue
		}
		if s <= lastStep {
			return s, false, true
		}
		return s, true, false
	}
	return 0, false, false
}

// newRecoveryCodes makes a set of codes (shown) and their hashes (stored).
func newRecoveryCodes() (codes, hashes []string, err error) {
	for range recoveryCodeCount {
		raw, err := randomBase32(recoveryCodeLen)
		if err != nil {
			return nil, nil, err
		}
		codes = append(codes, raw[:5]+"-"+raw[5:])
		hashes = append(hashes, recoveryHash(raw))
	}
	return codes, hashes, nil
}

// recoveryHash is how a recovery code is stored: SHA-256 of its normalized
// form (50 random bits; the per-account throttle bounds guessing).
func recoveryHash(normalized string) string { return HashToken("recovery:" + normalized) }

// LoginSecondStep completes a login that awaits its second factor: pending
// is the token the first step gave the door, code a TOTP code or a
// recovery code. Wrong codes are throttled per account.
func (a *Auth) LoginSecondStep(ctx context.Context, pending string, in TwoFactorCodeInput) (LoginResult, error) {
	startAgain := &Error{Code: CodeUnauthorized, Message: "The sign-in has expired: log in with your password again."}
	if pending == "" || len(pending) > 200 {
		return LoginResult{}, startAgain
	}
	p, err := a.deps.Store.LoginPendingByHash(ctx, HashToken(pending))
	if IsCode(err, CodeNotFound) {
		return LoginResult{}, startAgain
	}
	if err != nil {
		return LoginResult{}, Internal(err)
	}
	now := a.deps.now()
	if !now.Before(p.ExpiresAt) {
		return LoginResult{}, startAgain
	}
	code := normalizeCode(in.Code)
	if code == "" {
		return LoginResult{}, InvalidField("code", ReasonRequired)
	}
	acc, err := a.deps.Store.AccountByID(ctx, p.AccountID)
	if IsCode(err, CodeNotFound) {
		return LoginResult{}, startAgain
	}
	if err != nil {
		return LoginResult{}, Internal(err)
	}
	tf, err := twoFactorEnabled(ctx, a.deps.Store, acc.ID)
	if err != nil {
		return LoginResult{}, Internal(err)
	}
	if !acc.IsEnabled() || tf == nil {
		// Disabled, or the second factor was removed meanwhile: start again.
		return LoginResult{}, startAgain
	}
	if err := a.codeThrottled(ctx, acc.ID); err != nil {
		return LoginResult{}, err
	}
	method := "totp"
	step, ok, replayed := matchTOTP(tf.Secret, code, now, tf.LastStep)
	if !ok && !replayed && len(code) == recoveryCodeLen {
		method = "recovery_code"
	}
	var token string
	var mailed bool
	refused := ""
	err = a.deps.Store.Write(ctx, func(tx Tx) error {
		good := false
		switch {
		case method == "recovery_code":
			if good, err = tx.UseRecoveryCode(ctx, acc.ID, recoveryHash(code)); err != nil {
				return err
			}
		case ok:
			// Re-read inside the transaction: of two submissions of one code, one wins.
			cur, err := tx.TwoFactorOf(ctx, acc.ID)
			if err != nil {
				return err
			}
			if good = step > cur.LastStep; good {
				if err := tx.SetTwoFactorStep(ctx, acc.ID, step); err != nil {
					return err
				}
			} else {
				replayed = true
			}
		}
		if !good {
			refused = "bad_code"
			if replayed {
				refused = "replayed_code"
			}
			if _, err := a.hit(ctx, tx, twoFactorThrottleKey(acc.ID), twoFactorCodes); err != nil {
				return err
			}
			if err := a.noteFailedSignIn(ctx, tx, acc.ID, refused); err != nil {
				return err
			}
			return tx.InsertAudit(ctx, AuditEntry{At: now, Event: "login.failure", SubjectType: "account",
				SubjectID: fmt.Sprint(acc.ID), Details: "reason=" + refused})
		}
		if err := tx.DeleteLoginPending(ctx, p.Hash); err != nil {
			return err
		}
		if err := tx.ClearLoginThrottle(ctx, twoFactorThrottleKey(acc.ID)); err != nil {
			return err
		}
		if err := tx.SetLastLogin(ctx, acc.ID, now); err != nil {
			return err
		}
		if token, err = a.openSessionFor(ctx, tx, acc.ID, nil, false); err != nil {
			return err
		}
		if mailed, err = a.noteSignIn(ctx, tx, acc, method); err != nil {
			return err
		}
		c := &Caller{Account: acc}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "login.success", SubjectType: "account",
			SubjectID: fmt.Sprint(acc.ID), Details: "second_factor=" + method}))
	})
	if err != nil {
		return LoginResult{}, wrapErr(err)
	}
	if refused != "" {
		return LoginResult{}, InvalidField("code", ReasonInvalidCode)
	}
	if mailed {
		a.mail.wake()
	}
	acc.LastLoginAt = &now
	return LoginResult{Account: acc, Token: token}, nil
}

// beginSecondStep answers a right password of an account with a second
// factor: no session yet, a short-lived pending login instead.
func (a *Auth) beginSecondStep(ctx context.Context, key string, acc *Account) (LoginResult, error) {
	token, hash, err := NewToken()
	if err != nil {
		return LoginResult{}, Internal(err)
	}
	now := a.deps.now()
	err = a.deps.Store.Write(ctx, func(tx Tx) error {
		// The password was right: its failures are forgotten; codes have their own throttle.
		if err := tx.ClearLoginThrottle(ctx, key); err != nil {
			return err
		}
		if err := tx.InsertLoginPending(ctx, LoginPending{Hash: hash, AccountID: acc.ID, CreatedAt: now,
			ExpiresAt: now.Add(loginPendingLifetime)}); err != nil {
			return err
		}
		c := &Caller{Account: acc}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "login.second_factor", SubjectType: "account",
			SubjectID: fmt.Sprint(acc.ID)}))
	})
	if err != nil {
		return LoginResult{}, wrapErr(err)
	}
	return LoginResult{TwoFactorRequired: true, PendingToken: token}, nil
}

// afterPassword decides what a right password of an enabled account leads
// to: a second step (a second factor is on), or a session that must enrol
// first (System Settings require one that is not on), or a plain session.
func (a *Auth) afterPassword(ctx context.Context, acc *Account) (secondStep, mustEnrol bool, err error) {
	tf, err := twoFactorEnabled(ctx, a.deps.Store, acc.ID)
	if err != nil {
		return false, false, Internal(err)
	}
	if tf != nil {
		return true, false, nil
	}
	set, err := a.settings.current(ctx, a.deps.Store)
	if err != nil {
		return false, false, err
	}
	return false, twoFactorRequired(set, acc), nil
}

// ResetTwoFactorByUsername is the console's `castdesk admin reset-2fa`.
func (s *Accounts) ResetTwoFactorByUsername(ctx context.Context, username string) error {
	id, err := s.IDByUsername(ctx, username)
	if err != nil {
		return err
	}
	return s.RemoveTwoFactor(ctx, id)
}

// Security settings (docs/spec.md §10.2): required second factors and the
// new-device email.
const (
	keyRequireTwoFactorAdmins    = "require_two_factor_admins"
	keyRequireTwoFactorResellers = "require_two_factor_resellers"
	keyNewDeviceEmail            = "new_device_email"
)

// SecuritySettings are the System Settings of account security.
type SecuritySettings struct {
	// RequireTwoFactorAdmins and RequireTwoFactorResellers make such accounts
	// enrol a second factor at their next login, before anything else.
	RequireTwoFactorAdmins    bool `json:"require_two_factor_admins"`
	RequireTwoFactorResellers bool `json:"require_two_factor_resellers"`
	// NewDeviceEmail emails an account signed in from a new device (default on).
	NewDeviceEmail bool `json:"new_device_email"`
}

// SecurityPatch changes the security settings that are set.
type SecurityPatch struct {
	RequireTwoFactorAdmins    *bool `json:"require_two_factor_admins"`
	RequireTwoFactorResellers *bool `json:"require_two_factor_resellers"`
	NewDeviceEmail            *bool `json:"new_device_email"`
}

// readSecuritySettings fills the security settings from the stored values.
func readSecuritySettings(values map[string]string, out *SecuritySettings) {
	out.RequireTwoFactorAdmins = values[keyRequireTwoFactorAdmins] == "true"
	out.RequireTwoFactorResellers = values[keyRequireTwoFactorResellers] == "true"
	out.NewDeviceEmail = values[keyNewDeviceEmail] != "false"
}

// apply adds the settings p sets to values (their keys name what changed).
func (p SecurityPatch) apply(values map[string]string) {
	for key, v := range map[string]*bool{keyRequireTwoFactorAdmins: p.RequireTwoFactorAdmins,
		keyRequireTwoFactorResellers: p.RequireTwoFactorResellers, keyNewDeviceEmail: p.NewDeviceEmail} {
		if v != nil {
			values[key] = strconv.FormatBool(*v)
		}
	}
}

// mustEnrolError is the refusal of everything but enrolling while a session must enrol.
func mustEnrolError() *Error {
	return &Error{Code: CodeForbidden, Message: "Set up two-factor sign-in before going on.",
		Fields: map[string]Reason{"two_factor": ReasonMustEnrol}}
}
