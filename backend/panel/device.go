package panel

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Device tokens (OWASP, "Blocking Brute Force Attacks": device cookies).
// A browser or the window that logged in to an account successfully gets a
// signed token naming that account. Later login attempts for the account
// that present a valid token are throttled on that token's own budget;
// every other attempt shares the account's lockout. So an attacker who
// spends wrong passwords locks out only untrusted attempts, and the owner,
// from a browser or window it logged in from before, still logs in.
//
// A token is base64url(account id, 16 random bytes, expiry) "."
// base64url(HMAC-SHA256 of those bytes) under a key kept in the database
// (created on first use). Nothing about a token is stored: its signature is
// its proof, and its throttle state is keyed by its hash.

const (
	// deviceTokenLifetime is renewed at every successful login.
	deviceTokenLifetime = 180 * 24 * time.Hour
	// deviceTokensMax is how many accounts' tokens one browser or window
	// keeps; the oldest is dropped first.
	deviceTokensMax  = 5
	devicePayloadLen = 8 + 16 + 8
	// deviceTokenMaxLen bounds what is parsed at all.
	deviceTokenMaxLen = 128
)

// deviceKeys caches the signing key per store: it never changes once made.
type deviceKeys struct {
	mu  sync.Mutex
	key []byte
}

func (a *Auth) deviceKey(ctx context.Context) ([]byte, error) {
	a.devices.mu.Lock()
	defer a.devices.mu.Unlock()
	if a.devices.key != nil {
		return a.devices.key, nil
	}
	key, err := a.deps.Store.DeviceKey(ctx)
	if err != nil {
		return nil, err
	}
	if key == nil {
		fresh := make([]byte, 32)
		if _, err := rand.Read(fresh); err != nil {
			return nil, err
		}
		// Another process may create it at the same time: the first one wins
		// and both read it back.
		err = a.deps.Store.Write(ctx, func(tx Tx) error {
			if err := tx.InitDeviceKey(ctx, fresh); err != nil {
				return err
			}
			key, err = tx.DeviceKey(ctx)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	a.devices.key = key
	return key, nil
}

type deviceToken struct {
	accountID int64
	expires   time.Time
	// throttleKey is the login_throttle key of attempts with this token.
	throttleKey string
}

func sign(key, payload []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(payload)
	return m.Sum(nil)
}

// newDeviceToken signs a fresh token for accountID.
func (a *Auth) newDeviceToken(ctx context.Context, accountID int64) (string, error) {
	key, err := a.deviceKey(ctx)
	if err != nil {
		return "", err
	}
	payload := make([]byte, devicePayloadLen)
	binary.BigEndian.PutUint64(payload[:8], uint64(accountID))
	if _, err := rand.Read(payload[8:24]); err != nil {
		return "", err
	}
	binary.BigEndian.PutUint64(payload[24:], uint64(a.deps.now().Add(deviceTokenLifetime).UnixMilli()))
	enc := base64.RawURLEncoding
	return enc.EncodeToString(payload) + "." + enc.EncodeToString(sign(key, payload)), nil
}

// parseDeviceToken checks a token's signature and expiry; ok is false for
// anything else.
func (a *Auth) parseDeviceToken(key []byte, token string) (deviceToken, bool) {
	if len(token) > deviceTokenMaxLen {
		return deviceToken{}, false
	}
	p, s, found := strings.Cut(token, ".")
	if !found {
		return deviceToken{}, false
	}
	enc := base64.RawURLEncoding
	payload, err1 := enc.DecodeString(p)
	sig, err2 := enc.DecodeString(s)
	if err1 != nil || err2 != nil || len(payload) != devicePayloadLen || !hmac.Equal(sig, sign(key, payload)) {
		return deviceToken{}, false
	}
	t := deviceToken{
		accountID: int64(binary.BigEndian.Uint64(payload[:8])),
		expires:   time.UnixMilli(int64(binary.BigEndian.Uint64(payload[24:]))).UTC(),
	}
	if !a.deps.now().Before(t.expires) {
		return deviceToken{}, false
	}
	t.throttleKey = "device:" + HashToken(token)[:32]
	return t, true
}

// trustedDevice is the valid token among tokens that belongs to accountID,
// if any. A broken key store means no trust, never a failed login.
func (a *Auth) trustedDevice(ctx context.Context, tokens []string, accountID int64) (deviceToken, bool) {
	if len(tokens) == 0 {
		return deviceToken{}, false
	}
	key, err := a.deviceKey(ctx)
	if err != nil {
		a.deps.Log.Error("device key unavailable", "err", err)
		return deviceToken{}, false
	}
	// Every token is checked, whoever the account is (0: unknown), so the
	// work does not tell whether the username exists.
	var found deviceToken
	trusted := false
	for _, tok := range tokens[:min(len(tokens), deviceTokensMax)] {
		if t, ok := a.parseDeviceToken(key, tok); ok && accountID != 0 && t.accountID == accountID && !trusted {
			found, trusted = t, true
		}
	}
	return found, trusted
}

// rememberDevice is the token list a browser or window keeps after
// accountID logged in there: a fresh token for accountID, after the still
// valid tokens of other accounts (at most deviceTokensMax in all).
func (a *Auth) rememberDevice(ctx context.Context, tokens []string, accountID int64) ([]string, error) {
	fresh, err := a.newDeviceToken(ctx, accountID)
	if err != nil {
		return nil, err
	}
	key, err := a.deviceKey(ctx)
	if err != nil {
		return nil, err
	}
	var keep []string
	for _, tok := range tokens[:min(len(tokens), deviceTokensMax)] {
		if t, ok := a.parseDeviceToken(key, tok); ok && t.accountID != accountID {
			keep = append(keep, tok)
		}
	}
	if len(keep) >= deviceTokensMax {
		keep = keep[len(keep)-deviceTokensMax+1:]
	}
	return append(keep, fresh), nil
}

// loginBudget is the throttle key a login attempt for acc counts against:
// its trusted device token's own key, else the shared one of the username.
func (a *Auth) loginBudget(ctx context.Context, in LoginInput, key string, acc *Account) (string, bool) {
	var id int64
	if acc != nil {
		id = acc.ID
	}
	if t, ok := a.trustedDevice(ctx, in.DeviceTokens, id); ok {
		return t.throttleKey, true
	}
	return key, false
}

// WindowDeviceFile is where the window keeps its device tokens between runs
// (the browser keeps them in its castdesk_device cookie).
func (a *Auth) WindowDeviceFile() string { return filepath.Join(a.deps.DataDir, "window-devices") }

// deviceTokensAfterLogin is rememberDevice for a right password; a failure
// to sign is logged and leaves the door's tokens as they are (nil).
func (a *Auth) deviceTokensAfterLogin(ctx context.Context, tokens []string, accountID int64) []string {
	out, err := a.rememberDevice(ctx, tokens, accountID)
	if err != nil {
		a.deps.Log.Error("device token not issued", "account_id", accountID, "err", err)
		return nil
	}
	return out
}

// deviceDetail notes in the audit whether an attempt came with a trusted
// device token.
func deviceDetail(trusted bool) string {
	if trusted {
		return "device=trusted"
	}
	return ""
}

// ownPasswordKey is the throttle key of a logged-in account re-entering its
// own password (the password change): guesses there are throttled, on a
// budget of the account's own that failed logins from elsewhere never use
// up, so an attacker's lockout does not keep the owner from changing it.
func ownPasswordKey(accountID int64) string {
	return "own-password:" + strconv.FormatInt(accountID, 10)
}
