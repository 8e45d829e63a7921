package panel

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"
)

// Password resets (docs/spec.md §7): "forgot password" codes, and the admin's
// "reset & email password" with a temporary password.

const (
	resetCodeLifetime = 30 * time.Minute
	// resetCodeChars is Crockford's base32: no I, L, O, U, so a code read
	// aloud or from a phone is typed right.
	resetCodeChars = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	resetCodeLen   = 13 // 13 × 5 bits = 65 bits
	// tempPasswordLen base32 characters = 80 bits.
	tempPasswordLen = 16
)

// PasswordReset is a stored forgot-password code: only its hash.
type PasswordReset struct {
	CodeHash  string
	AccountID int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

type ForgotInput struct {
	Login string `json:"login"`
}

type ResetInput struct {
	Code            string `json:"code"`
	Password        string `json:"password"`
	PasswordConfirm string `json:"password_confirm"`
}

// Per-account and per-client limits: an attacker can neither flood one
// inbox nor guess codes quickly.
var (
	forgotPerAccount = throttlePolicy{free: 3, base: 5 * time.Minute, max: time.Hour}
	forgotPerClient  = throttlePolicy{free: 10, base: 30 * time.Second, max: 15 * time.Minute}
	resetPerClient   = throttlePolicy{free: 5, base: 2 * time.Second, max: 15 * time.Minute}
)

func randomBase32(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	out := make([]byte, n)
	for i, v := range b {
		out[i] = resetCodeChars[int(v)%32] // 256 is a multiple of 32: no bias
	}
	return string(out), nil
}

// formatCode groups a code for reading: 7K3D-Q9XA-MP2TZ.
func formatCode(code string) string {
	return code[:4] + "-" + code[4:8] + "-" + code[8:]
}

// normalizeCode forgives what people type and what mail programs add: case,
// spaces, dashes, punctuation (a "." or ")" a link picked up from the text
// after it), and the letters Crockford's alphabet maps to digits. Only
// letters and digits count.
func normalizeCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z') {
			b.WriteRune(r)
		}
	}
	return strings.NewReplacer("O", "0", "I", "1", "L", "1").Replace(b.String())
}

// hit records one event against a throttle key and tells whether it is
// over the limit now.
func (a *Auth) hit(ctx context.Context, tx Tx, key string, p throttlePolicy) (bool, error) {
	t, err := tx.LoginThrottle(ctx, key)
	if err != nil {
		return false, err
	}
	now := a.deps.now()
	if now.Before(t.Until) {
		return true, nil
	}
	t.Failures++
	t.Until = now.Add(p.delay(t.Failures))
	return false, tx.SaveLoginThrottle(ctx, key, t)
}

// Settle waits for the work requests left to run after their answer
// (forgot-password lookups and emails). The app calls it before closing
// the store; tests call it before looking at what that work did.
func (a *Auth) Settle() { a.background.Wait() }

// Forgot emails a reset code to the account named by username or email. Its
// answer is the same whether or not such an account exists, and so is the
// time it takes: the answer only needs the client's throttle, and the
// lookup, the code and its email happen after it, in the background. Only
// a client asking too often is told to wait.
func (a *Auth) Forgot(ctx context.Context, in ForgotInput, client string) error {
	login := strings.TrimSpace(in.Login)
	if login == "" {
		return InvalidField("login", ReasonRequired)
	}
	if len(login) > emailMax {
		return nil
	}
	var limited bool
	err := a.deps.Store.Write(ctx, func(tx Tx) error {
		var err error
		limited, err = a.hit(ctx, tx, "forgot-client:"+client, forgotPerClient)
		return err
	})
	if err != nil {
		return wrapErr(err)
	}
	if limited {
		var wait time.Duration
		if t, err := a.deps.Store.LoginThrottle(ctx, "forgot-client:"+client); err == nil {
			wait = t.Until.Sub(a.deps.now())
		}
		return RateLimitedFor("Too many requests from here.", wait)
	}
	// At most forgotSlots lookups run at once; waiting for one is the same
	// wait whoever the login names.
	select {
	case forgotSlots <- struct{}{}:
	case <-ctx.Done():
		return Unavailable("The server is busy. Try again shortly.", ctx.Err())
	}
	a.background.Add(1)
	go func() {
		defer a.background.Done()
		defer func() { <-forgotSlots }()
		bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), forgotWorkTimeout)
		defer cancel()
		if err := a.forgotWork(bctx, login, client); err != nil {
			a.deps.Log.Error("forgot password: no code sent", "err", err)
		}
	}()
	return nil
}

var forgotSlots = make(chan struct{}, 8)

const forgotWorkTimeout = 30 * time.Second

// forgotWork is what Forgot does after answering: a code for each account
// the login names, or one counted audit entry when it names none.
func (a *Auth) forgotWork(ctx context.Context, login, client string) error {
	accounts, err := a.deps.Store.AccountsByLogin(ctx, login)
	if err != nil {
		return err
	}
	if len(accounts) == 0 {
		// Counted per client and hour, like failed logins: repeating it grows no log.
		a.countLoginAudit(ctx, AuditEntry{At: a.deps.now(), Event: "password.forgot", SubjectType: "login",
			Details: "result=unknown_account"}, client)
		return nil
	}
	// An email shared by several accounts gets a code for each of them.
	for i := range accounts {
		if err := a.sendResetCode(ctx, &accounts[i]); err != nil {
			return err
		}
	}
	return nil
}

func (a *Auth) sendResetCode(ctx context.Context, acc *Account) error {
	code, err := randomBase32(resetCodeLen)
	if err != nil {
		return Internal(err)
	}
	now := a.deps.now()
	set, err := a.settings.current(ctx, a.deps.Store)
	if err != nil {
		return err
	}
	vars := map[string]string{"code": formatCode(code)}
	if set.PublicBaseURL != "" {
		// In serve mode the email's link opens the reset form with the code filled in.
		vars["login_url"] = set.PublicBaseURL + "/#/reset?code=" + formatCode(code)
	}
	queued := false
	err = a.deps.Store.Write(ctx, func(tx Tx) error {
		result := "sent"
		limited, err := a.hit(ctx, tx, fmt.Sprintf("forgot-account:%d", acc.ID), forgotPerAccount)
		if err != nil {
			return err
		}
		switch {
		case limited:
			result = "throttled"
		case !acc.IsEnabled():
			result = "disabled_account"
		default:
			if err := tx.ReplacePasswordReset(ctx, PasswordReset{CodeHash: HashToken(code), AccountID: acc.ID,
				CreatedAt: now, ExpiresAt: now.Add(resetCodeLifetime)}); err != nil {
				return err
			}
			if _, err := a.mail.queueTemplate(ctx, tx, acc, TemplateResetCode, vars, true, "system"); err != nil {
				return err
			}
			queued = true
		}
		return tx.InsertAudit(ctx, AuditEntry{At: now, Event: "password.forgot", SubjectType: "account",
			SubjectID: fmt.Sprint(acc.ID), Details: "result=" + result})
	})
	if err != nil {
		return wrapErr(err)
	}
	if queued {
		a.mail.wake() // committed: the worker can see the row now
	}
	return nil
}

// Reset sets a new password with a code from Forgot. The code works once;
// every session of the account ends; a notice is emailed.
func (a *Auth) Reset(ctx context.Context, in ResetInput, client string) error {
	code := normalizeCode(in.Code)
	set, err := a.settings.current(ctx, a.deps.Store)
	if err != nil {
		return err
	}
	fields := &Problems{}
	if code == "" {
		fields.Add("code", ReasonRequired)
	}
	CheckPassword("password", in.Password, in.PasswordConfirm, set.PasswordMinLength, fields)
	if !fields.Empty() {
		return fields.Err()
	}
	now := a.deps.now()
	t, err := a.deps.Store.LoginThrottle(ctx, "reset-client:"+client)
	if err != nil {
		return Internal(err)
	}
	if now.Before(t.Until) {
		return RateLimitedFor("Too many wrong codes.", t.Until.Sub(now))
	}
	r, err := a.deps.Store.PasswordReset(ctx, HashToken(code))
	if err == nil && !now.Before(r.ExpiresAt) {
		err = NotFound("Reset code")
	}
	if err != nil {
		if !IsCode(err, CodeNotFound) {
			return Internal(err)
		}
		if werr := a.deps.Store.Write(ctx, func(tx Tx) error {
			_, err := a.hit(ctx, tx, "reset-client:"+client, resetPerClient)
			return err
		}); werr != nil {
			return wrapErr(werr)
		}
		return InvalidField("code", ReasonInvalidCode)
	}
	hash, err := hashSlot(ctx, in.Password)
	if err != nil {
		return Internal(err)
	}
	err = a.deps.Store.Write(ctx, func(tx Tx) error {
		// Re-read inside the transaction: two submissions of one code, one wins.
		if _, err := tx.PasswordReset(ctx, r.CodeHash); err != nil {
			return InvalidField("code", ReasonInvalidCode)
		}
		acc, err := tx.AccountByID(ctx, r.AccountID)
		if err != nil {
			return err
		}
		if err := tx.SetPasswordHash(ctx, acc.ID, hash, false); err != nil {
			return err
		}
		if err := tx.DeletePasswordResets(ctx, acc.ID); err != nil {
			return err
		}
		if err := tx.DeleteSessionsOf(ctx, acc.ID); err != nil {
			return err
		}
		if err := tx.ClearLoginThrottle(ctx, UsernameKey(acc.Username)); err != nil {
			return err
		}
		if _, err := a.mail.queueTemplate(ctx, tx, acc, TemplatePasswordChanged, nil, false, "system"); err != nil {
			return err
		}
		if err := a.deps.webhooks.passwordReset(ctx, tx, acc, "code"); err != nil {
			return err
		}
		c := &Caller{Account: acc}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "password.reset", SubjectType: "account",
			SubjectID: fmt.Sprint(acc.ID), Details: "via=code"}))
	})
	if err != nil {
		return wrapErr(err)
	}
	a.mail.wake() // committed: the worker can see the notice now
	a.deps.webhooks.wake()
	return nil
}

// ResetAndEmail is the admin's "Reset & email password" (docs/spec.md §4.6): a
// strong random password, emailed, marked temporary so the next login must
// choose a new one. Every session of the account ends.
func (s *Accounts) ResetAndEmail(ctx context.Context, id int64) (QueuedMail, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return QueuedMail{}, err
	}
	acc, err := s.get(ctx, s.deps.Store, c, id)
	if err != nil {
		return QueuedMail{}, err
	}
	switch {
	case !c.Account.IsAdmin() && !(c.Account.IsReseller() && acc.ID != c.Account.ID):
		return QueuedMail{}, Forbidden("Only administrators can reset another account's password.")
	case c.Account.ID == acc.ID:
		return QueuedMail{}, Forbidden("Change your own password from your account instead.")
	case c.Impersonator != nil:
		return QueuedMail{}, Forbidden("Resetting passwords is not possible while logged in as another account.")
	}
	password, err := randomBase32(tempPasswordLen)
	if err != nil {
		return QueuedMail{}, Internal(err)
	}
	password = password[:4] + "-" + password[4:8] + "-" + password[8:12] + "-" + password[12:]
	hash, err := hashSlot(ctx, password)
	if err != nil {
		return QueuedMail{}, Internal(err)
	}
	var out QueuedMail
	err = s.deps.Store.Write(ctx, func(tx Tx) error {
		if err := tx.SetPasswordHash(ctx, id, hash, true); err != nil {
			return err
		}
		if err := tx.DeleteSessionsOf(ctx, id); err != nil {
			return err
		}
		if err := tx.ClearLoginThrottle(ctx, UsernameKey(acc.Username)); err != nil {
			return err
		}
		mailID, err := s.mail.queueTemplate(ctx, tx, acc, TemplateTempPassword, map[string]string{"password": password}, true, c.Account.Username)
		if err != nil {
			return err
		}
		set, err := s.settings.current(ctx, tx)
		if err != nil {
			return err
		}
		out = QueuedMail{MailID: mailID, State: MailQueued, Configured: set.emailConfigured()}
		if err := s.deps.webhooks.passwordReset(ctx, tx, acc, "admin_email"); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: s.deps.now(), Event: "password.reset", SubjectType: "account",
			SubjectID: fmt.Sprint(id), Details: "via=admin_email"}))
	})
	if err != nil {
		return QueuedMail{}, wrapErr(err)
	}
	s.mail.wake() // committed: the worker can see the row now
	s.deps.webhooks.wake()
	return out, nil
}
