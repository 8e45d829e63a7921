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
// A key acts with its account's rights, narrowed by its scopes (scopes.go);
// it may expire and may be limited to some client addresses. Only its
// SHA-256 hash and a short visible prefix are stored, so a copy of the
// database opens no door.
type APIKeys struct {
	deps *Deps
	mail *Mail
}

// APIKeys is the API keys service, built once by New.
func (p *Panel) APIKeys() *APIKeys { return p.apiKeys }

// APIKey is a key as listed: never the key itself.
type APIKey struct {
	ID        int64  `json:"id"`
	AccountID int64  `json:"account_id"`
	Name      string `json:"name"`
	Prefix    string `json:"prefix"`
	// Scopes narrow the account's rights; empty: its full rights.
	Scopes []string `json:"scopes"`
	// ExpiresAt: null never expires. ExpiresSoon is true in the last 7
	// days before it (the keys page warns, an email is sent); Expired once
	// it has passed.
	ExpiresAt   *time.Time `json:"expires_at"`
	ExpiresSoon bool       `json:"expires_soon"`
	Expired     bool       `json:"expired"`
	// AllowedIPs are the client addresses and CIDR prefixes the key works
	// from; empty: any address.
	AllowedIPs []string   `json:"allowed_ips"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	// LastUsedIP is the client address of the last use.
	LastUsedIP     string     `json:"last_used_ip"`
	RevokedAt      *time.Time `json:"-"`
	ExpiryWarnedAt *time.Time `json:"-"`
	Hash           string     `json:"-"`
}

// CreatedAPIKey is the answer to a create: the only time Key is shown.
type CreatedAPIKey struct {
	APIKey
	Key string `json:"key"`
}

// CreateAPIKeyInput: Scopes empty gives the account's full rights;
// ExpiresAt nil never expires; AllowedIPs empty allows any address.
type CreateAPIKeyInput struct {
	Name       string     `json:"name"`
	Scopes     []string   `json:"scopes"`
	ExpiresAt  *time.Time `json:"expires_at"`
	AllowedIPs []string   `json:"allowed_ips"`
}

// UpdateAPIKeyInput changes only what is sent; the key itself never changes.
// Scopes [] gives the account's full rights, expires_at null removes the
// expiry, allowed_ips [] allows any address.
type UpdateAPIKeyInput struct {
	Name       *string      `json:"name"`
	Scopes     *[]string    `json:"scopes"`
	ExpiresAt  OptionalTime `json:"expires_at"`
	AllowedIPs *[]string    `json:"allowed_ips"`
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
	// APIKeyWarnBefore: how long before its expiry a key is flagged on the
	// keys page and its account emailed.
	APIKeyWarnBefore = 7 * 24 * time.Hour
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
	now := s.deps.now()
	for i := range keys {
		keys[i].fill(now)
	}
	return APIKeyList{Items: keys}, nil
}

// fill sets what a listed key shows but does not store.
func (k *APIKey) fill(now time.Time) {
	if k.Scopes == nil {
		k.Scopes = []string{}
	}
	if k.AllowedIPs == nil {
		k.AllowedIPs = []string{}
	}
	k.Expired = k.ExpiresAt != nil && !now.Before(*k.ExpiresAt)
	k.ExpiresSoon = k.ExpiresAt != nil && !k.Expired && k.ExpiresAt.Sub(now) <= APIKeyWarnBefore
}

// validateKeyLimits checks scopes, expiry and addresses into k (nil
// arguments: unchanged).
func validateKeyLimits(k *APIKey, scopes *[]string, expires *OptionalTime, allowed *[]string, now time.Time, fields *Problems) {
	if scopes != nil {
		k.Scopes = normalizeScopes(*scopes, fields)
	}
	if expires != nil && expires.Set {
		k.ExpiresAt = nil
		if expires.Value != nil {
			at := expires.Value.UTC().Truncate(time.Millisecond)
			if !at.After(now) {
				fields.Add("expires_at", ReasonInPast)
			}
			k.ExpiresAt = &at
		}
	}
	if allowed != nil {
		k.AllowedIPs = normalizeAllowedIPs(*allowed, fields)
	}
}

func validateKeyName(raw string, fields *Problems) string {
	name := strings.TrimSpace(raw)
	switch {
	case name == "":
		fields.Add("name", ReasonRequired)
	case utf8.RuneCountInString(name) > apiKeyNameMax:
		fields.TooLong("name", apiKeyNameMax)
	}
	return name
}

// describeKey is what the audit says of a key: never the key itself.
func describeKey(k *APIKey) string {
	scopes := "full"
	if len(k.Scopes) > 0 {
		scopes = strings.Join(k.Scopes, ",")
	}
	expires := "never"
	if k.ExpiresAt != nil {
		expires = k.ExpiresAt.Format(time.RFC3339)
	}
	ips := "any"
	if len(k.AllowedIPs) > 0 {
		ips = strings.Join(k.AllowedIPs, ",")
	}
	return fmt.Sprintf("key_id=%d prefix=%s name=%q scopes=%s expires=%s allowed_ips=%s", k.ID, k.Prefix, k.Name, scopes, expires, ips)
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
	now := s.deps.now()
	fields := &Problems{}
	k := &APIKey{AccountID: c.Account.ID, CreatedAt: now}
	k.Name = validateKeyName(in.Name, fields)
	expires := OptionalTime{Set: true, Value: in.ExpiresAt}
	validateKeyLimits(k, &in.Scopes, &expires, &in.AllowedIPs, now, fields)
	if !fields.Empty() {
		return CreatedAPIKey{}, fields.Err()
	}
	key, prefix, err := newAPIKey()
	if err != nil {
		return CreatedAPIKey{}, Internal(err)
	}
	k.Prefix, k.Hash = prefix, HashToken(key)
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
			SubjectID: fmt.Sprint(acc.ID), Details: describeKey(k)}))
	})
	if err != nil {
		return CreatedAPIKey{}, wrapErr(err)
	}
	k.fill(now)
	return CreatedAPIKey{APIKey: *k, Key: key}, nil
}

// Update changes a key's name, scopes, expiry or allowed addresses (never
// the key itself): its own account's, or anyone's for an administrator.
// A new expiry is warned about again.
func (s *APIKeys) Update(ctx context.Context, id int64, in UpdateAPIKeyInput) (APIKey, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return APIKey{}, err
	}
	now := s.deps.now()
	var out APIKey
	err = s.deps.Store.Write(ctx, func(tx Tx) error {
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
		before := *k
		fields := &Problems{}
		if in.Name != nil {
			k.Name = validateKeyName(*in.Name, fields)
		}
		validateKeyLimits(k, in.Scopes, &in.ExpiresAt, in.AllowedIPs, now, fields)
		if !fields.Empty() {
			return fields.Err()
		}
		if in.ExpiresAt.Set && !sameTime(before.ExpiresAt, k.ExpiresAt) {
			k.ExpiryWarnedAt = nil
		}
		if err := tx.UpdateAPIKey(ctx, k); err != nil {
			return err
		}
		out = *k
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "api_key.update", SubjectType: "account",
			SubjectID: fmt.Sprint(k.AccountID), Details: describeKey(k)}))
	})
	if err != nil {
		return APIKey{}, wrapErr(err)
	}
	out.fill(now)
	return out, nil
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
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
			SubjectID: fmt.Sprint(k.AccountID), Details: describeKey(k)}))
	}))
}

// AuthenticateKey turns an API key into the caller it acts for. client names
// the remote end (its IP address): the key may be limited to some addresses,
// and keys that do not exist count as failed attempts against it, throttled
// like logins through the same persistent table.
//
// A key that exists is judged on its own, before the throttle: a valid key
// is never refused because other clients behind the same address sent bad
// ones. Only unknown keys meet the throttle (an attacker learns nothing from
// it: keys carry 256 random bits).
func (a *Auth) AuthenticateKey(ctx context.Context, key, client string) (*Caller, error) {
	now := a.deps.now()
	var k *APIKey
	var err error
	if wellFormedKey(key) {
		k, err = a.deps.Store.APIKeyByHash(ctx, HashToken(key))
		if err != nil && !IsCode(err, CodeNotFound) {
			return nil, Internal(err)
		}
	}
	if k == nil {
		return nil, a.unknownKey(ctx, client, now)
	}
	// A revoked key was real once: it is refused clearly, not counted as a guess.
	if k.RevokedAt != nil {
		return nil, &Error{Code: CodeUnauthorized, Message: "This API key has been revoked."}
	}
	if k.ExpiresAt != nil && !now.Before(*k.ExpiresAt) {
		return nil, FieldError(CodeUnauthorized, fmt.Sprintf("This API key expired at %s; its owner can extend it on the API keys page.",
			k.ExpiresAt.Format(time.RFC3339)), "key", ReasonExpired, Params{"expired_at": k.ExpiresAt.Format(time.RFC3339)})
	}
	if !addressAllowed(k.AllowedIPs, client) {
		a.deps.Log.Warn("API key used from an address it does not allow", "key_prefix", k.Prefix, "client", client)
		return nil, FieldError(CodeUnauthorized, fmt.Sprintf("This API key may not be used from the address %s.", client),
			"key", ReasonAddressNotAllowed, Params{"address": client})
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
	if k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) >= apiKeyTouchEvery || k.LastUsedIP != client {
		if err := a.deps.Store.Write(ctx, func(tx Tx) error { return tx.TouchAPIKey(ctx, k.ID, now, client) }); err != nil {
			a.deps.Log.Warn("API key last use not recorded", "key_id", k.ID, "err", err)
		}
	}
	return &Caller{Account: acc, ViaKey: true, KeyID: k.ID, KeyPrefix: k.Prefix, Scopes: k.Scopes}, nil
}

// unknownKey answers a key that does not exist: 429 while its client is
// throttled (nothing is written then), else 401 and one more failure.
func (a *Auth) unknownKey(ctx context.Context, client string, now time.Time) error {
	tkey := APIKeyThrottleKey(client)
	t, err := a.deps.Store.LoginThrottle(ctx, tkey)
	if err != nil {
		return Internal(err)
	}
	if now.Before(t.Until) {
		return RateLimitedFor("Too many failed API key attempts from this address.", t.Until.Sub(now))
	}
	if err := a.recordKeyFailure(ctx, tkey); err != nil {
		return err
	}
	return &Error{Code: CodeUnauthorized, Message: "This API key is not valid."}
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
