package panel

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// APIKeys is the "API keys" section of every account's own settings (docs/spec.md §8).
// A key acts with its account's rights; only its SHA-256 hash and a short
// visible prefix are stored, so a copy of the database opens no door.
type APIKeys struct{ deps *Deps }

// APIKeys is the API keys service, built once by New.
func (p *Panel) APIKeys() *APIKeys { return p.apiKeys }

// APIKey is a key as listed: never the key itself.
type APIKey struct {
	ID         int64      `json:"id"`
	AccountID  int64      `json:"account_id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"-"`
	Hash       string     `json:"-"`
}

// CreatedAPIKey is the answer to a create: the only time Key is shown.
type CreatedAPIKey struct {
	ID        int64     `json:"id"`
	AccountID int64     `json:"account_id"`
	Name      string    `json:"name"`
	Prefix    string    `json:"prefix"`
	Key       string    `json:"key"`
	CreatedAt time.Time `json:"created_at"`
}

type CreateAPIKeyInput struct {
	Name string `json:"name"`
}

// ListAPIKeysInput: AccountID 0 lists the caller's own keys; another
// account's keys are for administrators only.
type ListAPIKeysInput struct {
	AccountID int64 `json:"account_id"`
}

type APIKeyList struct {
	Items []APIKey `json:"items"`
}

const (
	apiKeyScheme    = "cdk_"
	apiKeyPrefixLen = 8
	apiKeyNameMax   = 100
	// apiKeysPerAccount keeps a runaway script from filling the table.
	apiKeysPerAccount = 100
	// apiKeyTouchEvery limits how often a busy key writes its last-used time.
	apiKeyTouchEvery = time.Minute
	// apiKeyMaxLen bounds what is hashed and looked up.
	apiKeyMaxLen = 200
	// apiKeyThrottleForget: a client's failed attempts are forgotten after
	// this long without a new one, so an old typo never counts against it.
	apiKeyThrottleForget = time.Hour
)

// APIKeyThrottleKey is the login_throttle row of a client's failed key
// attempts. Usernames cannot hold ':' so it never meets a login row.
func APIKeyThrottleKey(client string) string { return "apikey:" + client }

var prefixAlphabet = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newAPIKey returns a key "cdk_<8 char prefix>_<256 random bits>" and its
// visible prefix "cdk_<8 chars>".
func newAPIKey() (key, prefix string, err error) {
	p := make([]byte, 5) // 5 bytes = 8 base32 characters
	secret := make([]byte, 32)
	if _, err := rand.Read(p); err != nil {
		return "", "", err
	}
	if _, err := rand.Read(secret); err != nil {
		return "", "", err
	}
	prefix = apiKeyScheme + prefixAlphabet.EncodeToString(p)
	return prefix + "_" + base64.RawURLEncoding.EncodeToString(secret), prefix, nil
}

// wellFormedKey tells a key that could be ours from anything else.
func wellFormedKey(key string) bool {
	if len(key) > apiKeyMaxLen || !strings.HasPrefix(key, apiKeyScheme) {
		return false
	}
	rest := key[len(apiKeyScheme):]
	return len(rest) > apiKeyPrefixLen+1 && rest[apiKeyPrefixLen] == '_'
}

// refuseKey guards what only a person at a logged-in door may do.
func refuseKey(c *Caller, what string) error {
	if c.ViaKey {
		return Forbidden(fmt.Sprintf("%s needs a logged-in session; an API key cannot do it.", what))
	}
	return nil
}

func (s *APIKeys) List(ctx context.Context, in ListAPIKeysInput) (APIKeyList, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return APIKeyList{}, err
	}
	accountID := c.Account.ID
	if in.AccountID != 0 && in.AccountID != accountID {
		if !c.Account.IsAdmin() {
			return APIKeyList{}, Forbidden("Only administrators can see another account's API keys.")
		}
		if _, err := s.deps.Store.AccountByID(ctx, in.AccountID); err != nil {
			return APIKeyList{}, wrapErr(err)
		}
		accountID = in.AccountID
	}
	keys, err := s.deps.Store.ListAPIKeys(ctx, accountID)
	if err != nil {
		return APIKeyList{}, Internal(err)
	}
	if keys == nil {
		keys = []APIKey{}
	}
	return APIKeyList{Items: keys}, nil
}

// Create makes a key for the caller's own account, which must have API access.
func (s *APIKeys) Create(ctx context.Context, in CreateAPIKeyInput) (CreatedAPIKey, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return CreatedAPIKey{}, err
	}
	if err := refuseWhileImpersonating(c, c.Account.ID, "API keys"); err != nil {
		return CreatedAPIKey{}, err
	}
	if c.Account.ID == 0 {
		return CreatedAPIKey{}, Forbidden("The console has no account to hold an API key.")
	}
	name := strings.TrimSpace(in.Name)
	switch {
	case name == "":
		return CreatedAPIKey{}, InvalidField("name", ReasonRequired)
	case utf8.RuneCountInString(name) > apiKeyNameMax:
		return CreatedAPIKey{}, InvalidField("name", ReasonTooLong, Params{"max": apiKeyNameMax})
	}
	key, prefix, err := newAPIKey()
	if err != nil {
		return CreatedAPIKey{}, Internal(err)
	}
	k := &APIKey{AccountID: c.Account.ID, Name: name, Prefix: prefix, Hash: HashToken(key), CreatedAt: s.deps.now()}
	err = s.deps.Store.Write(ctx, func(tx Tx) error {
		// Read again inside the write: API access may have just been turned off.
		acc, err := tx.AccountByID(ctx, c.Account.ID)
		if err != nil {
			return err
		}
		if !acc.APIAccess {
			return apiAccessOff()
		}
		existing, err := tx.ListAPIKeys(ctx, acc.ID)
		if err != nil {
			return err
		}
		if len(existing) >= apiKeysPerAccount {
			return FieldError(CodeConflict, fmt.Sprintf("This account already has %d API keys: revoke one first.", apiKeysPerAccount),
				"api_keys", ReasonLimitReached, Params{"max": apiKeysPerAccount})
		}
		if k.ID, err = tx.InsertAPIKey(ctx, k); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: k.CreatedAt, Event: "api_key.create", SubjectType: "account",
			SubjectID: fmt.Sprint(acc.ID), Details: fmt.Sprintf("key_id=%d prefix=%s name=%q", k.ID, k.Prefix, k.Name)}))
	})
	if err != nil {
		return CreatedAPIKey{}, wrapErr(err)
	}
	return CreatedAPIKey{ID: k.ID, AccountID: k.AccountID, Name: k.Name, Prefix: k.Prefix, Key: key, CreatedAt: k.CreatedAt}, nil
}

func apiAccessOff() *Error {
	return Forbidden("API access is off for this account.")
}

// Revoke ends a key for good: its own account's, or anyone's for an administrator.
func (s *APIKeys) Revoke(ctx context.Context, id int64) error {
	c, err := requireCaller(ctx)
	if err != nil {
		return err
	}
	return wrapErr(s.deps.Store.Write(ctx, func(tx Tx) error {
		k, err := tx.APIKeyByID(ctx, id)
		if err != nil {
			return err
		}
		if k.RevokedAt != nil || (k.AccountID != c.Account.ID && !c.Account.IsAdmin()) {
			return NotFound("API key")
		}
		if err := refuseWhileImpersonating(c, k.AccountID, "API keys"); err != nil {
			return err
		}
		now := s.deps.now()
		if err := tx.RevokeAPIKey(ctx, id, now); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "api_key.revoke", SubjectType: "account",
			SubjectID: fmt.Sprint(k.AccountID), Details: fmt.Sprintf("key_id=%d prefix=%s name=%q", k.ID, k.Prefix, k.Name)}))
	}))
}

// AuthenticateKey turns an API key into the caller it acts for. client names
// the remote end (its IP): keys that do not exist count as failed attempts
// against it, throttled like logins through the same persistent table.
func (a *Auth) AuthenticateKey(ctx context.Context, key, client string) (*Caller, error) {
	tkey := APIKeyThrottleKey(client)
	now := a.deps.now()
	t, err := a.deps.Store.LoginThrottle(ctx, tkey)
	if err != nil {
		return nil, Internal(err)
	}
	if now.Before(t.Until) {
		wait := int(t.Until.Sub(now).Seconds()) + 1
		return nil, RateLimited(fmt.Sprintf("Too many failed API key attempts from this address. Try again in %d seconds.", wait))
	}
	var k *APIKey
	if wellFormedKey(key) {
		k, err = a.deps.Store.APIKeyByHash(ctx, HashToken(key))
		if err != nil && !IsCode(err, CodeNotFound) {
			return nil, Internal(err)
		}
	}
	if k == nil {
		if err := a.recordKeyFailure(ctx, tkey); err != nil {
			return nil, err
		}
		return nil, &Error{Code: CodeUnauthorized, Message: "This API key is not valid."}
	}
	// A revoked key was real once: it is refused clearly, not counted as a guess.
	if k.RevokedAt != nil {
		return nil, &Error{Code: CodeUnauthorized, Message: "This API key has been revoked."}
	}
	acc, err := a.deps.Store.AccountByID(ctx, k.AccountID)
	if IsCode(err, CodeNotFound) {
		return nil, &Error{Code: CodeUnauthorized, Message: "The account of this API key no longer exists."}
	}
	if err != nil {
		return nil, Internal(err)
	}
	if !acc.IsEnabled() {
		return nil, Forbidden("This API key's account is disabled (account disabled).")
	}
	if !acc.APIAccess {
		return nil, apiAccessOff()
	}
	if k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) >= apiKeyTouchEvery {
		if err := a.deps.Store.Write(ctx, func(tx Tx) error { return tx.TouchAPIKey(ctx, k.ID, now) }); err != nil {
			a.deps.Log.Warn("API key last use not recorded", "key_id", k.ID, "err", err)
		}
	}
	return &Caller{Account: acc, ViaKey: true, KeyID: k.ID, KeyPrefix: k.Prefix}, nil
}

func (a *Auth) recordKeyFailure(ctx context.Context, tkey string) error {
	now := a.deps.now()
	return wrapErr(a.deps.Store.Write(ctx, func(tx Tx) error {
		t, err := tx.LoginThrottle(ctx, tkey)
		if err != nil {
			return err
		}
		if now.Sub(t.Until) >= apiKeyThrottleForget {
			t.Failures = 0
		}
		t.Failures++
		t.Until = now.Add(a.throttle.delay(t.Failures))
		if err := tx.SaveLoginThrottle(ctx, tkey, t); err != nil {
			return err
		}
		if t.Failures == a.throttle.free {
			// One entry when a client starts being throttled, not one per guess.
			return tx.InsertAudit(ctx, AuditEntry{At: now, Event: "api_key.throttled", SubjectType: "client",
				SubjectID: strings.TrimPrefix(tkey, "apikey:"), Details: fmt.Sprintf("failures=%d", t.Failures)})
		}
		return nil
	}))
}
