package panel

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// "Where you're signed in" and the sign-in history (docs/spec.md §1.4): every
// session records the client it was opened from; every sign-in, successful
// or not, is kept per account (the last loginHistoryKeep); a sign-in from a
// device and address the account has not used before is emailed to it.

// ClientInfo is who is at the door: the client's address and its user agent.
// The HTTP door gives the remote IP and the User-Agent header; the window
// gives DesktopAddress and DesktopUserAgent.
type ClientInfo struct {
	Address   string
	UserAgent string
}

const (
	// DesktopAddress and DesktopUserAgent are what the window reports.
	DesktopAddress   = "desktop"
	DesktopUserAgent = "Castdesk window"
	// loginHistoryKeep is how many sign-ins are kept per account.
	loginHistoryKeep = 100
	userAgentMax     = 400
	addressMax       = 100
)

type clientKey struct{}

// WithClient is how a door tells the services where a call comes from.
func WithClient(ctx context.Context, ci ClientInfo) context.Context {
	return context.WithValue(ctx, clientKey{}, ci)
}

// clientFrom is the door's client, trimmed to what is stored.
func clientFrom(ctx context.Context) ClientInfo {
	ci, _ := ctx.Value(clientKey{}).(ClientInfo)
	return ClientInfo{Address: clip(ci.Address, addressMax), UserAgent: clip(ci.UserAgent, userAgentMax)}
}

func clip(s string, max int) string {
	s = strings.TrimSpace(s)
	if len(s) <= max {
		return s
	}
	s = s[:max]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// Device is what the screens show of a user agent: the browser and the
// operating system when they can be told, "desktop" for the window.
type Device struct {
	Desktop bool   `json:"desktop"`
	Browser string `json:"browser"`
	OS      string `json:"os"`
}

// DeviceOf reads a user agent string. It knows the common browsers and
// systems; anything else keeps its first product token ("curl").
func DeviceOf(ua string) Device {
	if ua == DesktopUserAgent {
		return Device{Desktop: true}
	}
	var d Device
	has := func(s string) bool { return strings.Contains(ua, s) }
	switch {
	case has("Edg/"):
		d.Browser = "Edge"
	case has("OPR/"), has("Opera"):
		d.Browser = "Opera"
	case has("Firefox/"):
		d.Browser = "Firefox"
	case has("Chromium/"):
		d.Browser = "Chromium"
	case has("Chrome/"), has("CriOS/"):
		d.Browser = "Chrome"
	case has("Safari/"):
		d.Browser = "Safari"
	default:
		if tok, _, _ := strings.Cut(ua, "/"); tok != "" && !strings.Contains(tok, " ") {
			d.Browser = tok
		}
	}
	switch {
	case has("iPhone"), has("iPad"):
		d.OS = "iOS"
	case has("Android"):
		d.OS = "Android"
	case has("Windows"):
		d.OS = "Windows"
	case has("Mac OS X"), has("Macintosh"):
		d.OS = "macOS"
	case has("CrOS"):
		d.OS = "ChromeOS"
	case has("Linux"), has("X11"):
		d.OS = "Linux"
	}
	return d
}

// label names a device in a language, for emails.
func (d Device) label(lang string) string {
	es := lang == "es"
	switch {
	case d.Desktop && es:
		return "la ventana de Castdesk"
	case d.Desktop:
		return "the Castdesk window"
	case d.Browser != "" && d.OS != "" && es:
		return d.Browser + " en " + d.OS
	case d.Browser != "" && d.OS != "":
		return d.Browser + " on " + d.OS
	case d.Browser != "":
		return d.Browser
	case d.OS != "":
		return d.OS
	case es:
		return "un dispositivo desconocido"
	}
	return "an unknown device"
}

// SessionInfo is one live session as "Where you're signed in" lists it.
// ID is a public handle: never the token or its hash.
type SessionInfo struct {
	ID         string    `json:"id"`
	AccountID  int64     `json:"account_id"`
	Device     Device    `json:"device"`
	UserAgent  string    `json:"user_agent"`
	Address    string    `json:"address"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	// Current marks the session the list was asked from.
	Current bool `json:"current"`
	// Impersonator names the administrator or reseller inside this account
	// through "log in as"; ActingAs the account a session of this one is
	// inside. Both are empty for an ordinary session.
	Impersonator string `json:"impersonator"`
	ActingAs     string `json:"acting_as"`
}

type SessionList struct {
	Items []SessionInfo `json:"items"`
}

// LoginEvent is one sign-in attempt that named an existing account.
// Method is how it succeeded (password, totp, recovery_code, setup);
// Reason why it failed (bad_password, disabled, bad_code, replayed_code).
type LoginEvent struct {
	ID        int64     `json:"id"`
	AccountID int64     `json:"account_id"`
	At        time.Time `json:"at"`
	Success   bool      `json:"success"`
	Method    string    `json:"method"`
	Reason    string    `json:"reason"`
	Address   string    `json:"address"`
	UserAgent string    `json:"user_agent"`
	Device    Device    `json:"device"`
}

type LoginHistory struct {
	Items []LoginEvent `json:"items"`
}

// RevokedSessions answers "sign out everywhere else": how many ended.
type RevokedSessions struct {
	Revoked int `json:"revoked"`
}

// newSessionID is a session's public handle (72 random bits, hex).
func newSessionID() (string, error) {
	b := make([]byte, 9)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// openSessionFor creates a session of accountID inside tx with the door's
// client; mustEnrol restricts it to enrolling a second factor.
func (a *Auth) openSessionFor(ctx context.Context, tx Tx, accountID int64, impersonator *int64, mustEnrol bool) (string, error) {
	token, hash, err := NewToken()
	if err != nil {
		return "", err
	}
	id, err := newSessionID()
	if err != nil {
		return "", err
	}
	ci := clientFrom(ctx)
	now := a.deps.now()
	s := &Session{Hash: hash, PublicID: id, AccountID: accountID, ImpersonatorID: impersonator,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(sessionIdle),
		Address: ci.Address, UserAgent: ci.UserAgent, MustEnrol: mustEnrol}
	return token, tx.InsertSession(ctx, s)
}

// live tells whether a stored session still opens a door at now.
func (s *Session) live(now time.Time) bool {
	return now.Before(s.ExpiresAt) && now.Before(s.CreatedAt.Add(sessionMax))
}

// listSessions is accountID's live sessions, newest first, with current marked.
func (a *Auth) listSessions(ctx context.Context, accountID int64, currentHash string) (SessionList, error) {
	rows, err := a.deps.Store.SessionsOf(ctx, accountID)
	if err != nil {
		return SessionList{}, Internal(err)
	}
	now := a.deps.now()
	names := map[int64]string{}
	nameOf := func(id int64) string {
		if n, ok := names[id]; ok {
			return n
		}
		n := ""
		if acc, err := a.deps.Store.AccountByID(ctx, id); err == nil {
			n = acc.Username
		}
		names[id] = n
		return n
	}
	out := SessionList{Items: []SessionInfo{}}
	for _, s := range rows {
		if !s.live(now) {
			continue
		}
		info := SessionInfo{ID: s.PublicID, AccountID: s.AccountID, Device: DeviceOf(s.UserAgent), UserAgent: s.UserAgent,
			Address: s.Address, CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt, Current: currentHash != "" && s.Hash == currentHash}
		if s.ImpersonatorID != nil && s.AccountID == accountID {
			info.Impersonator = nameOf(*s.ImpersonatorID)
		}
		if s.AccountID != accountID {
			info.ActingAs = nameOf(s.AccountID)
		}
		out.Items = append(out.Items, info)
	}
	return out, nil
}

// Sessions lists the caller's own live sessions; the one asking is marked.
func (a *Auth) Sessions(ctx context.Context) (SessionList, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return SessionList{}, err
	}
	return a.listSessions(ctx, c.Account.ID, c.SessionHash)
}

// AccountSessions lists accountID's live sessions: administrators any
// account's, everyone else only its own.
func (a *Auth) AccountSessions(ctx context.Context, accountID int64) (SessionList, error) {
	c, err := a.securityViewer(ctx, accountID)
	if err != nil {
		return SessionList{}, err
	}
	return a.listSessions(ctx, accountID, c.SessionHash)
}

// securityViewer is a caller who may see accountID's sessions and sign-ins:
// an administrator, or the account itself. Accounts out of sight are not_found.
func (a *Auth) securityViewer(ctx context.Context, accountID int64) (*Caller, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return nil, err
	}
	acc, err := a.deps.Store.AccountByID(ctx, accountID)
	if err != nil {
		return nil, wrapErr(err)
	}
	if !visible(c, acc) {
		return nil, NotFound("Account")
	}
	if !c.Account.IsAdmin() && c.Account.ID != accountID {
		return nil, Forbidden("Only administrators can see another account's sessions and sign-ins.")
	}
	return c, nil
}

// RevokeSession ends one session: the caller's own (any of its sessions,
// this one included), or any account's for an administrator.
func (a *Auth) RevokeSession(ctx context.Context, id string) error {
	c, err := requireCaller(ctx)
	if err != nil {
		return err
	}
	s, err := a.deps.Store.SessionByPublicID(ctx, strings.TrimSpace(id))
	if err != nil {
		return wrapErr(err)
	}
	mine := s.AccountID == c.Account.ID || s.ImpersonatorID != nil && *s.ImpersonatorID == c.Account.ID
	if !mine && !c.Account.IsAdmin() {
		return NotFound("Session")
	}
	now := a.deps.now()
	return wrapErr(a.deps.Store.Write(ctx, func(tx Tx) error {
		if err := tx.DeleteSession(ctx, s.Hash); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "session.revoke", SubjectType: "account",
			SubjectID: fmt.Sprint(s.AccountID), Details: "session=" + s.PublicID}))
	}))
}

// RevokeOtherSessions is "sign out everywhere else": every session of the
// caller's account but the one asking.
func (a *Auth) RevokeOtherSessions(ctx context.Context) (RevokedSessions, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return RevokedSessions{}, err
	}
	if err := refuseKey(c, "Signing out everywhere else"); err != nil {
		return RevokedSessions{}, err
	}
	var out RevokedSessions
	now := a.deps.now()
	err = a.deps.Store.Write(ctx, func(tx Tx) error {
		rows, err := tx.SessionsOf(ctx, c.Account.ID)
		if err != nil {
			return err
		}
		for _, s := range rows {
			if s.Hash == c.SessionHash {
				continue
			}
			if err := tx.DeleteSession(ctx, s.Hash); err != nil {
				return err
			}
			if s.live(now) {
				out.Revoked++
			}
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "session.revoke_others", SubjectType: "account",
			SubjectID: fmt.Sprint(c.Account.ID), Details: fmt.Sprintf("count=%d", out.Revoked)}))
	})
	if err != nil {
		return RevokedSessions{}, wrapErr(err)
	}
	return out, nil
}

// LoginHistory is accountID's last sign-ins, newest first: administrators
// any account's, everyone else only its own.
func (a *Auth) LoginHistory(ctx context.Context, accountID int64) (LoginHistory, error) {
	if _, err := a.securityViewer(ctx, accountID); err != nil {
		return LoginHistory{}, err
	}
	rows, err := a.deps.Store.LoginEvents(ctx, accountID, loginHistoryKeep)
	if err != nil {
		return LoginHistory{}, Internal(err)
	}
	out := LoginHistory{Items: []LoginEvent{}}
	for _, e := range rows {
		e.Device = DeviceOf(e.UserAgent)
		out.Items = append(out.Items, e)
	}
	return out, nil
}

// noteSignIn records a successful sign-in inside its transaction and, when
// it comes from a device and address the account has not signed in from
// before (and the setting is on), queues the "new sign-in" email. It tells
// whether mail was queued: the caller wakes the worker after the commit.
func (a *Auth) noteSignIn(ctx context.Context, tx Tx, acc *Account, method string) (bool, error) {
	ci := clientFrom(ctx)
	now := a.deps.now()
	earlier, err := tx.LoginEvents(ctx, acc.ID, loginHistoryKeep)
	if err != nil {
		return false, err
	}
	if err := tx.InsertLoginEvent(ctx, LoginEvent{AccountID: acc.ID, At: now, Success: true, Method: method,
		Address: ci.Address, UserAgent: ci.UserAgent}, loginHistoryKeep); err != nil {
		return false, err
	}
	set, err := a.settings.current(ctx, tx)
	if err != nil {
		return false, err
	}
	if !set.NewDeviceEmail || acc.Email == "" {
		return false, nil
	}
	device := DeviceOf(ci.UserAgent)
	seenBefore, known := false, false
	for _, e := range earlier {
		if !e.Success {
			continue
		}
		seenBefore = true
		if DeviceOf(e.UserAgent) == device && e.Address == ci.Address {
			known = true
			break
		}
	}
	// The very first sign-in of an account is not news to anyone.
	if !seenBefore || known {
		return false, nil
	}
	tz := acc.Timezone
	if tz == "" {
		tz = set.DefaultTimezone
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		loc = time.UTC
	}
	vars := map[string]string{
		"device":  device.label(acc.Language),
		"address": ci.Address,
		"time":    now.In(loc).Format("2006-01-02 15:04") + " (" + loc.String() + ")",
	}
	if _, err := a.mail.queueTemplate(ctx, tx, acc, TemplateNewSignIn, vars, false, "system"); err != nil {
		return false, err
	}
	return true, tx.InsertAudit(ctx, AuditEntry{At: now, Event: "mail.queue", SubjectType: "account",
		SubjectID: fmt.Sprint(acc.ID), Details: "kind=" + TemplateNewSignIn})
}

// noteFailedSignIn records a failed sign-in of an existing account.
func (a *Auth) noteFailedSignIn(ctx context.Context, tx Tx, accountID int64, reason string) error {
	ci := clientFrom(ctx)
	return tx.InsertLoginEvent(ctx, LoginEvent{AccountID: accountID, At: a.deps.now(), Success: false, Reason: reason,
		Address: ci.Address, UserAgent: ci.UserAgent}, loginHistoryKeep)
}

// noteFailure records a failed password of an existing account in its own
// transaction (the failure answer does not wait on it).
func (a *Auth) noteFailure(ctx context.Context, accountID int64, reason string) {
	if err := a.deps.Store.Write(ctx, func(tx Tx) error { return a.noteFailedSignIn(ctx, tx, accountID, reason) }); err != nil {
		a.deps.Log.Error("sign-in history not written", "account_id", accountID, "err", err)
	}
}
