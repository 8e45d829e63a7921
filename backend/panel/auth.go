package panel

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Auth is logging in and out, sessions, and the first-run setup.
type Auth struct {
	deps     *Deps
	settings *Settings
	throttle throttlePolicy
	mail     *Mail
	// devices caches the device token key (device.go); background runs
	// forgot-password work after the answer (reset.go).
	devices    deviceKeys
	background sync.WaitGroup
}

type LoginInput struct {
	Username string `json:"username"`
	Password string `json:"password"`
	// Client is who the door says is asking (an IP address, or "desktop");
	// DeviceTokens are the device tokens the browser or window holds
	// (device.go). Doors fill them in; they are never read from JSON.
	Client       string   `json:"-"`
	DeviceTokens []string `json:"-"`
}

type SetupInput struct {
	Username        string `json:"username"`
	Password        string `json:"password"`
	PasswordConfirm string `json:"password_confirm"`
	Name            string `json:"name"`
	Email           string `json:"email"`
	Language        string `json:"language"`
}

// LoginResult is a new session: the token goes to the door (cookie or the
// desktop process), never into a log or the database. When the account has
// a second factor, the first step answers TwoFactorRequired with a
// PendingToken instead (twofactor.go); MustEnrol marks a session that may
// only enrol one.
type LoginResult struct {
	Account           *Account
	Token             string
	TwoFactorRequired bool
	PendingToken      string
	MustEnrol         bool
	// DeviceTokens is what the browser or window keeps after a right
	// password (device.go); nil when nothing changes.
	DeviceTokens []string
}

// Me is who the caller is, and who is really there during "log in as".
type Me struct {
	Account      *Account `json:"account"`
	Impersonator *Account `json:"impersonator"`
	// TwoFactor is the caller's own second factor (twofactor.go).
	TwoFactor TwoFactorState `json:"two_factor"`
}

// throttlePolicy: the first few failures are free (typos happen), then each
// failure doubles the wait, up to a cap. The state is stored per username
// key, known or not, so throttling tells nothing about which accounts exist
// and survives a restart.
type throttlePolicy struct {
	free int
	base time.Duration
	max  time.Duration
}

var defaultThrottlePolicy = throttlePolicy{free: 5, base: time.Second, max: 15 * time.Minute}

// clientThrottlePolicy is the budget one client address has for failed
// logins across every username, so that spraying passwords over many
// usernames (each within its own 5 free failures) is throttled too. It is
// generous — an office behind one address makes typos too — and forgotten
// after clientThrottleForget without a failure. Attempts with a trusted
// device token and the window (client "desktop") do not use it.
var clientThrottlePolicy = throttlePolicy{free: 50, base: time.Second, max: 15 * time.Minute}

const clientThrottleForget = time.Hour

// loginClientKey is the throttle key of a client address ("" when the
// attempt is not counted per client).
func loginClientKey(client string, trusted bool) string {
	if trusted || client == "" || client == "desktop" {
		return ""
	}
	return "login-client:" + client
}

func (p throttlePolicy) delay(failures int) time.Duration {
	if failures < p.free {
		return 0
	}
	d := p.base
	for i := p.free; i < failures && d < p.max; i++ {
		d *= 2
	}
	return min(d, p.max)
}

// hashSlots bounds concurrent argon2id work (19 MiB each) so a flood of
// logins cannot exhaust memory; sized by SetHashSlots (hashing.go).
var hashSlots chan struct{}

func verifySlot(ctx context.Context, phc, pw string) (bool, error) {
	select {
	case hashSlots <- struct{}{}:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-hashSlots }()
	return VerifyPassword(phc, pw)
}

func hashSlot(ctx context.Context, pw string) (string, error) {
	select {
	case hashSlots <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-hashSlots }()
	return HashPassword(pw)
}

// Setup creates the first administrator and logs it in. It is refused once
// any account exists, checked inside the same transaction as the insert.
// setupDone refuses a second setup.
func setupDone() *Error {
	return FieldError(CodeConflict, "Setup is already done: log in instead.", "setup", ReasonAlreadyDone, nil)
}

func (a *Auth) Setup(ctx context.Context, in SetupInput) (LoginResult, error) {
	in.Username, in.Name, in.Email = NormalizeUsername(in.Username), strings.TrimSpace(in.Name), strings.TrimSpace(in.Email)
	if in.Language == "" {
		in.Language = "en"
	}
	n, err := a.deps.Store.CountAccounts(ctx)
	if err != nil {
		return LoginResult{}, Internal(err)
	}
	if n > 0 {
		return LoginResult{}, setupDone()
	}
	set, err := a.settings.current(ctx, a.deps.Store)
	if err != nil {
		return LoginResult{}, err
	}
	fields := &Problems{}
	validateUsername(in.Username, fields)
	validateName(in.Name, fields)
	validateEmail(in.Email, fields)
	validateLanguage(in.Language, fields)
	CheckPassword("password", in.Password, in.PasswordConfirm, set.PasswordMinLength, fields)
	if !fields.Empty() {
		return LoginResult{}, fields.Err()
	}
	hash, err := hashSlot(ctx, in.Password)
	if err != nil {
		return LoginResult{}, Internal(err)
	}
	now := a.deps.now()
	acc := &Account{Username: in.Username, Name: in.Name, Email: in.Email, Level: LevelAdmin,
		Status: StatusEnabled, Language: in.Language, PasswordHash: hash, CreatedAt: now, UpdatedAt: now, LastLoginAt: &now}
	var token string
	err = a.deps.Store.Write(ctx, func(tx Tx) error {
		n, err := tx.CountAccounts(ctx)
		if err != nil {
			return err
		}
		if n > 0 {
			return setupDone()
		}
		if acc.ID, err = tx.InsertAccount(ctx, acc); err != nil {
			return err
		}
		if token, err = a.openSession(ctx, tx, acc.ID, nil); err != nil {
			return err
		}
		c := &Caller{Account: acc}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "setup.admin_created",
			SubjectType: "account", SubjectID: fmt.Sprint(acc.ID), Details: "username=" + acc.Username}))
	})
	if err != nil {
		return LoginResult{}, wrapErr(err)
	}
	a.createFolder(ctx, acc.ID)
	return LoginResult{Account: acc, Token: token, DeviceTokens: a.deviceTokensAfterLogin(ctx, nil, acc.ID)}, nil
}

func (a *Auth) createFolder(ctx context.Context, id int64) {
	set, err := a.settings.current(ctx, a.deps.Store)
	if err == nil {
		err = a.deps.Folders.Create(set.ContentRoot, id)
	}
	if err != nil {
		// The start-up reconcile creates it later; the account is not lost.
		a.deps.Log.Error("media folder not created", "account_id", id, "err", err)
	}
}

// Login checks a username and password and opens a session. Every failure
// answers the same LoginFailed, in about the same time.
func (a *Auth) Login(ctx context.Context, in LoginInput) (LoginResult, error) {
	key := UsernameKey(in.Username)
	if key == "" || in.Password == "" {
		fields := &Problems{}
		if key == "" {
			fields.Add("username", ReasonRequired)
		}
		if in.Password == "" {
			fields.Add("password", ReasonRequired)
		}
		return LoginResult{}, fields.Err()
	}
	if len(in.Password) > 4*PasswordMax || len(key) > 4*usernameMax {
		return LoginResult{}, LoginFailed()
	}
	now := a.deps.now()
	acc, err := a.deps.Store.AccountByUsernameKey(ctx, key)
	if err != nil && !IsCode(err, CodeNotFound) {
		return LoginResult{}, Internal(err)
	}
	// A trusted device token of the account has its own budget (device.go).
	budget, trusted := a.loginBudget(ctx, in, key, acc)
	t, err := a.deps.Store.LoginThrottle(ctx, budget)
	if err != nil {
		return LoginResult{}, Internal(err)
	}
	if now.Before(t.Until) {
		a.countLoginAudit(ctx, loginAudit(now, "login.throttled", acc, "", trusted), in.Client)
		return LoginResult{}, RateLimitedFor("Too many failed attempts.", t.Until.Sub(now))
	}
	clientKey := loginClientKey(in.Client, trusted)
	if clientKey != "" {
		ct, err := a.deps.Store.LoginThrottle(ctx, clientKey)
		if err != nil {
			return LoginResult{}, Internal(err)
		}
		if now.Before(ct.Until) {
			a.countLoginAudit(ctx, loginAudit(now, "login.throttled", acc, "client", trusted), in.Client)
			return LoginResult{}, RateLimitedFor("Too many failed attempts from this address.", ct.Until.Sub(now))
		}
	}
	// The hash's memory is mapped and faulted in only now, past the
	// throttles: a refused attempt must stay cheap (a storm of them would
	// otherwise make the server zero 19 MiB for each). hash_ahead.go.
	ahead := takeHashAhead()
	defer ahead.release()
	var phc string
	if acc != nil {
		phc = acc.PasswordHash
	} else {
		phc = dummyHash() // begun at start (startup.go); never waited for by a known user
	}
	ok, err := ahead.verify(ctx, phc, in.Password)
	if err != nil {
		return LoginResult{}, Internal(err)
	}
	if acc == nil || !ok || !acc.IsEnabled() {
		reason := "bad_password"
		switch {
		case acc == nil:
			reason = "unknown_user"
		case ok:
			reason = "disabled"
		}
		if err := a.recordLoginFailure(ctx, budget, clientKey, acc, reason, in.Client, trusted); err != nil {
			return LoginResult{}, err
		}
		if acc != nil {
			a.noteFailure(ctx, acc.ID, reason)
		}
		return LoginResult{}, LoginFailed()
	}
	// The password was right: this browser or window is trusted for the
	// account from now on (device.go).
	devices := a.deviceTokensAfterLogin(ctx, in.DeviceTokens, acc.ID)
	// A second factor is asked for now, or a required one must be enrolled (twofactor.go).
	secondStep, mustEnrol, err := a.afterPassword(ctx, acc)
	if err != nil {
		return LoginResult{}, err
	}
	if secondStep {
		res, err := a.beginSecondStep(ctx, budget, acc)
		res.DeviceTokens = devices
		return res, err
	}

	var token string
	var mailed bool
	err = a.deps.Store.Write(ctx, func(tx Tx) error {
		if err := tx.ClearLoginThrottle(ctx, budget); err != nil {
			return err
		}
		if err := tx.SetLastLogin(ctx, acc.ID, now); err != nil {
			return err
		}
		if token, err = a.openSessionFor(ctx, tx, acc.ID, nil, mustEnrol); err != nil {
			return err
		}
		if mailed, err = a.noteSignIn(ctx, tx, acc, "password"); err != nil {
			return err
		}
		c := &Caller{Account: acc}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "login.success", SubjectType: "account", SubjectID: fmt.Sprint(acc.ID),
			Details: deviceDetail(trusted)}))
	})
	if err != nil {
		return LoginResult{}, wrapErr(err)
	}
	if mailed {
		a.mail.wake()
	}
	acc.LastLoginAt = &now
	return LoginResult{Account: acc, Token: token, DeviceTokens: devices, MustEnrol: mustEnrol}, nil
}

func (a *Auth) recordFailure(ctx context.Context, key string, acc *Account, reason string) error {
	now := a.deps.now()
	err := a.deps.Store.Write(ctx, func(tx Tx) error {
		t, err := tx.LoginThrottle(ctx, key)
		if err != nil {
			return err
		}
		t.Failures++
		t.Until = now.Add(a.throttle.delay(t.Failures))
		if err := tx.SaveLoginThrottle(ctx, key, t); err != nil {
			return err
		}
		e := AuditEntry{At: now, Event: "login.failure", SubjectType: "login", SubjectID: key,
			Details: fmt.Sprintf("reason=%s failures=%d", reason, t.Failures)}
		if acc != nil {
			e.SubjectType, e.SubjectID = "account", fmt.Sprint(acc.ID)
		}
		return tx.InsertAudit(ctx, e)
	})
	if err != nil {
		return wrapErr(err)
	}
	return nil
}

// openSession creates a fresh session id (a new one at every login, so a
// planted id is never promoted) inside tx and returns its token.
func (a *Auth) openSession(ctx context.Context, tx Tx, accountID int64, impersonator *int64) (string, error) {
	return a.openSessionFor(ctx, tx, accountID, impersonator, false)
}

// Authenticate turns a session token into the caller it belongs to. An
// expired session, a disabled or deleted account all end here.
func (a *Auth) Authenticate(ctx context.Context, token string) (*Caller, error) {
	if token == "" || len(token) > 200 {
		return nil, Unauthorized()
	}
	hash := HashToken(token)
	// The session and its account in one read (every request comes here);
	// a session without its account is no session.
	s, acc, err := a.deps.Store.SessionWithAccount(ctx, hash)
	if IsCode(err, CodeNotFound) {
		return nil, Unauthorized()
	}
	if err != nil {
		return nil, Internal(err)
	}
	now := a.deps.now()
	if !now.Before(s.ExpiresAt) || !now.Before(s.CreatedAt.Add(sessionMax)) {
		a.endSession(ctx, hash)
		return nil, Unauthorized()
	}
	c := &Caller{Account: acc, SessionHash: hash, MustEnrol: s.MustEnrol}
	if s.ImpersonatorID != nil {
		imp, err := a.deps.Store.AccountByID(ctx, *s.ImpersonatorID)
		if err != nil || !imp.IsEnabled() || !imp.IsAdmin() && !imp.IsReseller() {
			a.endSession(ctx, hash)
			return nil, Unauthorized()
		}
		c.Impersonator = imp
	}
	if !acc.IsEnabled() {
		a.endSession(ctx, hash)
		return nil, Unauthorized()
	}
	if now.Sub(s.LastSeenAt) >= sessionTouchEvery {
		expires := now.Add(sessionIdle)
		if err := a.deps.Store.Write(ctx, func(tx Tx) error { return tx.ExtendSession(ctx, hash, expires, now) }); err != nil {
			a.deps.Log.Warn("session not extended", "err", err)
		}
	}
	return c, nil
}

func (a *Auth) endSession(ctx context.Context, hash string) {
	if err := a.deps.Store.Write(ctx, func(tx Tx) error { return tx.DeleteSession(ctx, hash) }); err != nil {
		a.deps.Log.Error("session not deleted", "err", err)
	}
}

// Logout ends the caller's session. Inside "log in as" it returns to the
// administrator instead: the result then holds the admin's fresh session.
func (a *Auth) Logout(ctx context.Context) (LoginResult, error) {
	c, err := requireSession(ctx)
	if err != nil {
		return LoginResult{}, err
	}
	if err := refuseKey(c, "Logging out"); err != nil {
		return LoginResult{}, err
	}
	if c.Impersonator != nil {
		return a.endImpersonation(ctx, c)
	}
	now := a.deps.now()
	err = a.deps.Store.Write(ctx, func(tx Tx) error {
		if err := tx.DeleteSession(ctx, c.SessionHash); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "logout", SubjectType: "account", SubjectID: fmt.Sprint(c.Account.ID)}))
	})
	return LoginResult{}, wrapErr(err)
}

type ChangePasswordInput struct {
	CurrentPassword string `json:"current_password"`
	Password        string `json:"password"`
	PasswordConfirm string `json:"password_confirm"`
}

// ChangePassword is every account's own password change. It also completes
// a temporary password. Other sessions of the account end; this one stays.
func (a *Auth) ChangePassword(ctx context.Context, in ChangePasswordInput) error {
	c, err := requireSession(ctx)
	if err != nil {
		return err
	}
	if err := refuseKey(c, "Changing your own password"); err != nil {
		return err
	}
	if err := refuseWhileImpersonating(c, c.Account.ID, "password"); err != nil {
		return err
	}
	set, err := a.settings.current(ctx, a.deps.Store)
	if err != nil {
		return err
	}
	fields := &Problems{}
	if in.CurrentPassword == "" {
		fields.Add("current_password", ReasonRequired)
	}
	CheckPassword("password", in.Password, in.PasswordConfirm, set.PasswordMinLength, fields)
	if !fields.Has("password") && in.Password == in.CurrentPassword {
		fields.Add("password", ReasonSameAsCurrent)
	}
	if !fields.Empty() {
		return fields.Err()
	}
	// Its own budget: failed logins by others never block the owner's change.
	key := ownPasswordKey(c.Account.ID)
	if t, err := a.deps.Store.LoginThrottle(ctx, key); err != nil {
		return Internal(err)
	} else if now := a.deps.now(); now.Before(t.Until) {
		return RateLimitedFor("Too many wrong passwords.", t.Until.Sub(now))
	}
	ok, err := verifySlot(ctx, c.Account.PasswordHash, in.CurrentPassword)
	if err != nil {
		return Internal(err)
	}
	if !ok {
		// Guessing the current password through this form counts like a failed login.
		if err := a.recordFailure(ctx, key, c.Account, "bad_current_password"); err != nil {
			return err
		}
		return InvalidField("current_password", ReasonWrongPassword)
	}
	hash, err := hashSlot(ctx, in.Password)
	if err != nil {
		return Internal(err)
	}
	return wrapErr(a.deps.Store.Write(ctx, func(tx Tx) error {
		if err := tx.SetPasswordHash(ctx, c.Account.ID, hash, false); err != nil {
			return err
		}
		if err := tx.DeleteOtherSessions(ctx, c.Account.ID, c.SessionHash); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: a.deps.now(), Event: "password.change", SubjectType: "account",
			SubjectID: fmt.Sprint(c.Account.ID)}))
	}))
}

func (a *Auth) Me(ctx context.Context) (Me, error) {
	c, err := requireSession(ctx)
	if err != nil {
		return Me{}, err
	}
	tf, err := a.twoFactorState(ctx, c)
	if err != nil {
		return Me{}, err
	}
	return Me{Account: c.Account, Impersonator: c.Impersonator, TwoFactor: tf}, nil
}
