package panel

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// SystemSettings are the admin's System Settings (docs/spec.md §10).
type SystemSettings struct {
	// SecuritySettings: required second factors, the new-device email (twofactor.go).
	SecuritySettings
	// AuditSettings: how long the audit log keeps entries (auditlog.go).
	AuditSettings
	DefaultTimezone   string `json:"default_timezone"`
	PasswordMinLength int    `json:"password_min_length"`
	ContentRoot       string `json:"content_root"`
	PublicBaseURL     string `json:"public_base_url"`

	// Storage (docs/spec.md §9): the quota of accounts without their own (nil:
	// unlimited) and the free space uploads leave on the content root's and
	// the database's volumes (nil: 1 GiB or 5 % of the volume, whichever is
	// smaller), in MB.
	DefaultStorageQuotaMB *int `json:"default_storage_quota_mb"`
	MinFreeSpaceMB        *int `json:"min_free_space_mb"`

	// Email (docs/spec.md §6). The password itself lives in the OS keyring only:
	// SMTPPasswordSet says whether one is stored, SMTPPasswordError why the
	// keyring cannot be used (and how to fix it, English details), when it
	// cannot, and SMTPPasswordErrorKind the same as a stable kind:
	// keyring_unavailable, keyring_locked or keyring_error.
	SMTPHost              string         `json:"smtp_host"`
	SMTPPort              int            `json:"smtp_port"`
	SMTPEncryption        string         `json:"smtp_encryption"`
	SMTPUsername          string         `json:"smtp_username"`
	SMTPFromAddress       string         `json:"smtp_from_address"`
	SMTPFromName          string         `json:"smtp_from_name"`
	SMTPPasswordSet       bool           `json:"smtp_password_set"`
	SMTPPasswordError     string         `json:"smtp_password_error,omitempty"`
	SMTPPasswordErrorKind KeyringFailure `json:"smtp_password_error_kind,omitempty"`

	// WebhookAllowPrivateTargets lets webhooks reach loopback, private and
	// link-local addresses (off by default; docs/api.md, "Webhooks").
	WebhookAllowPrivateTargets bool `json:"webhook_allow_private_targets"`
}

// SettingsPatch changes only the fields that are set.
type SettingsPatch struct {
	SecurityPatch
	AuditPatch
	DefaultTimezone   *string `json:"default_timezone"`
	PasswordMinLength *int    `json:"password_min_length"`
	ContentRoot       *string `json:"content_root"`
	PublicBaseURL     *string `json:"public_base_url"`
	// null: unlimited (the quota) or the default reserve.
	DefaultStorageQuotaMB OptionalInt `json:"default_storage_quota_mb"`
	MinFreeSpaceMB        OptionalInt `json:"min_free_space_mb"`

	SMTPHost        *string `json:"smtp_host"`
	SMTPPort        *int    `json:"smtp_port"`
	SMTPEncryption  *string `json:"smtp_encryption"`
	SMTPUsername    *string `json:"smtp_username"`
	SMTPFromAddress *string `json:"smtp_from_address"`
	SMTPFromName    *string `json:"smtp_from_name"`
	// SMTPPassword is write-only: it goes to the OS keyring, never to the
	// database; "" removes the stored password.
	SMTPPassword *string `json:"smtp_password"`

	WebhookAllowPrivateTargets *bool `json:"webhook_allow_private_targets"`
}

type Settings struct {
	deps  *Deps
	cache settingsCache // settings_cache.go
}

const (
	keyDefaultTimezone   = "default_timezone"
	keyPasswordMinLength = "password_min_length"
	keyContentRoot       = "content_root"
	keyPublicBaseURL     = "public_base_url"
	keyDefaultQuotaMB    = "default_storage_quota_mb"
	keyMinFreeSpaceMB    = "min_free_space_mb"
	keySMTPHost          = "smtp_host"
	keySMTPPort          = "smtp_port"
	keySMTPEncryption    = "smtp_encryption"
	keySMTPUsername      = "smtp_username"
	keySMTPFromAddress   = "smtp_from_address"
	keySMTPFromName      = "smtp_from_name"
	keyWebhookPrivate    = "webhook_allow_private_targets"
)

// current reads the settings with defaults, without an authorization check:
// the services need the policy whoever calls.
func (s *Settings) current(ctx context.Context, r Reader) (SystemSettings, error) {
	return s.cached(ctx, r)
}

// ContentRootOf answers the content root configured in r (default: under
// dataDir). It is the media watcher's Root: the watcher is built before the
// Panel it reports to, so it reads the setting itself. It checks no caller.
func ContentRootOf(r Reader, dataDir string) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		set, err := readSettings(ctx, r, dataDir)
		return set.ContentRoot, err
	}
}

// readSettings is the settings in r with their defaults.
func readSettings(ctx context.Context, r Reader, dataDir string) (SystemSettings, error) {
	values, err := r.Settings(ctx)
	if err != nil {
		return SystemSettings{}, Internal(err)
	}
	out := SystemSettings{
		DefaultTimezone:   "UTC",
		PasswordMinLength: PasswordMinDefault,
		ContentRoot:       filepath.Join(dataDir, "content"),
		PublicBaseURL:     values[keyPublicBaseURL],
	}
	if v := values[keyDefaultTimezone]; v != "" {
		out.DefaultTimezone = v
	}
	if n, err := strconv.Atoi(values[keyPasswordMinLength]); err == nil && n >= PasswordMinFloor {
		out.PasswordMinLength = n
	}
	if v := values[keyContentRoot]; v != "" {
		out.ContentRoot = v
	}
	out.DefaultStorageQuotaMB = optionalSetting(values[keyDefaultQuotaMB])
	out.MinFreeSpaceMB = optionalSetting(values[keyMinFreeSpaceMB])
	readAuditSettings(values, &out.AuditSettings)
	readSecuritySettings(values, &out.SecuritySettings)
	out.SMTPHost, out.SMTPUsername = values[keySMTPHost], values[keySMTPUsername]
	out.SMTPFromAddress, out.SMTPFromName = values[keySMTPFromAddress], values[keySMTPFromName]
	out.SMTPEncryption = values[keySMTPEncryption]
	if out.SMTPEncryption == "" {
		out.SMTPEncryption = EncryptionSTARTTLS
	}
	out.WebhookAllowPrivateTargets = values[keyWebhookPrivate] == "true"
	out.SMTPPort, _ = strconv.Atoi(values[keySMTPPort])
	if out.SMTPPort == 0 {
		out.SMTPPort = defaultSMTPPort(out.SMTPEncryption)
	}
	return out, nil
}

func (s *Settings) Get(ctx context.Context) (SystemSettings, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return SystemSettings{}, err
	}
	out, err := s.current(ctx, s.deps.Store)
	if err != nil {
		return SystemSettings{}, err
	}
	s.fillPasswordState(ctx, &out)
	return out, nil
}

func (s *Settings) Update(ctx context.Context, p SettingsPatch) (SystemSettings, error) {
	c, err := requireAdmin(ctx)
	if err != nil {
		return SystemSettings{}, err
	}
	fields := &Problems{}
	values := map[string]string{}
	var changed []string
	if p.DefaultTimezone != nil {
		tz := strings.TrimSpace(*p.DefaultTimezone)
		if tz == "" {
			tz = "UTC"
		}
		validateTimezone("default_timezone", tz, fields)
		values[keyDefaultTimezone] = tz
	}
	if p.PasswordMinLength != nil {
		n := *p.PasswordMinLength
		switch {
		case n < PasswordMinFloor:
			fields.TooSmall("password_min_length", PasswordMinFloor)
		case n > passwordMinCeiling:
			fields.TooBig("password_min_length", passwordMinCeiling)
		}
		values[keyPasswordMinLength] = strconv.Itoa(n)
	}
	if p.ContentRoot != nil {
		root := strings.TrimSpace(*p.ContentRoot)
		if !filepath.IsAbs(root) {
			fields.Add("content_root", ReasonInvalid)
		} else if err := os.MkdirAll(root, 0o750); err != nil {
			fields.Add("content_root", ReasonInvalid)
		}
		values[keyContentRoot] = filepath.Clean(root)
	}
	if p.PublicBaseURL != nil {
		raw := strings.TrimRight(strings.TrimSpace(*p.PublicBaseURL), "/")
		if raw != "" {
			u, err := url.Parse(raw)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				fields.Add("public_base_url", ReasonInvalid)
			}
		}
		values[keyPublicBaseURL] = raw
	}
	for key, o := range map[string]OptionalInt{keyDefaultQuotaMB: p.DefaultStorageQuotaMB, keyMinFreeSpaceMB: p.MinFreeSpaceMB} {
		if o.Set {
			validateStorageMB(key, o.Value, fields)
			values[key] = ""
			if o.Value != nil {
				values[key] = strconv.Itoa(*o.Value)
			}
		}
	}
	if p.WebhookAllowPrivateTargets != nil {
		values[keyWebhookPrivate] = strconv.FormatBool(*p.WebhookAllowPrivateTargets)
	}
	before, err := s.current(ctx, s.deps.Store)
	if err != nil {
		return SystemSettings{}, err
	}
	s.patchSMTP(p, before, values, fields)
	p.SecurityPatch.apply(values)
	p.AuditPatch.apply(values, fields)
	if !fields.Empty() {
		return SystemSettings{}, fields.Err()
	}
	// The keyring first: when it cannot take the password, nothing is saved
	// and the error says why. The password never reaches the database.
	if err := s.savePassword(ctx, p.SMTPPassword); err != nil {
		return SystemSettings{}, err
	}
	if p.SMTPPassword != nil {
		changed = append(changed, "smtp_password")
	}
	for k := range values {
		changed = append(changed, k)
	}
	sort.Strings(changed)
	var out SystemSettings
	err = s.deps.Store.Write(ctx, func(tx Tx) error {
		if err := tx.SaveSettings(ctx, values); err != nil {
			return err
		}
		if err := tx.InsertAudit(ctx, c.audit(AuditEntry{At: s.deps.now(), Event: "settings.update",
			SubjectType: "settings", Details: strings.Join(changed, ",")})); err != nil {
			return err
		}
		out, err = s.current(ctx, tx)
		return err
	})
	if err != nil {
		return SystemSettings{}, wrapErr(err)
	}
	s.fillPasswordState(ctx, &out)
	return out, nil
}

// optionalSetting reads a nullable number setting ("" or absent: nil).
func optionalSetting(v string) *int {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return nil
	}
	return &n
}
