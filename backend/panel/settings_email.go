package panel

import (
	"strconv"
	"strings"
)

// System Settings → Email: the smtp_* fields. The password is write-only
// and lives in the OS keyring (secrets.go); nothing here ever writes it to
// the store, a file or a log.

func defaultSMTPPort(encryption string) int {
	switch encryption {
	case EncryptionTLS:
		return 465
	case EncryptionNone:
		return 25
	}
	return 587
}

func (s SystemSettings) smtpConfig() SMTPConfig {
	return SMTPConfig{Host: s.SMTPHost, Port: s.SMTPPort, Encryption: s.SMTPEncryption, Username: s.SMTPUsername,
		FromAddress: s.SMTPFromAddress, FromName: s.SMTPFromName}
}

func (s SystemSettings) emailConfigured() bool {
	return s.SMTPHost != "" && s.SMTPFromAddress != ""
}

var hostRunes = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:[]"

// patchSMTP validates the smtp_* fields of p against the settings they
// change (before) and puts the values to save into values.
func (s *Settings) patchSMTP(p SettingsPatch, before SystemSettings, values map[string]string, fields *Problems) {
	after := before
	oneLine := func(field string, v *string, max int, dst *string, key string) {
		if v == nil {
			return
		}
		t := strings.TrimSpace(*v)
		switch {
		case strings.ContainsAny(t, "\r\n\x00"):
			fields.Add(field, ReasonInvalid)
		case len(t) > max:
			fields.TooLong(field, max)
		}
		*dst = t
		values[key] = t
	}
	oneLine("smtp_host", p.SMTPHost, 253, &after.SMTPHost, keySMTPHost)
	if p.SMTPHost != nil && strings.Trim(after.SMTPHost, hostRunes) != "" {
		fields.Add("smtp_host", ReasonInvalid)
	}
	oneLine("smtp_username", p.SMTPUsername, 256, &after.SMTPUsername, keySMTPUsername)
	oneLine("smtp_from_name", p.SMTPFromName, 100, &after.SMTPFromName, keySMTPFromName)
	oneLine("smtp_from_address", p.SMTPFromAddress, 254, &after.SMTPFromAddress, keySMTPFromAddress)
	if p.SMTPFromAddress != nil && after.SMTPFromAddress != "" && validateMailAddress(after.SMTPFromAddress) != nil {
		fields.Add("smtp_from_address", ReasonInvalidEmail)
	}
	if p.SMTPEncryption != nil {
		e := strings.TrimSpace(*p.SMTPEncryption)
		switch e {
		case EncryptionTLS, EncryptionSTARTTLS, EncryptionNone:
		default:
			fields.Add("smtp_encryption", ReasonInvalid)
		}
		after.SMTPEncryption = e
		values[keySMTPEncryption] = e
	}
	if p.SMTPPort != nil {
		switch {
		case *p.SMTPPort < 0:
			fields.TooSmall("smtp_port", 0)
		case *p.SMTPPort > 65535:
			fields.TooBig("smtp_port", 65535)
		}
		// 0 = the usual port of the encryption.
		values[keySMTPPort] = strconv.Itoa(*p.SMTPPort)
		if *p.SMTPPort == 0 {
			values[keySMTPPort] = ""
		}
	}
	// A password never crosses the network in clear (docs/spec.md §6).
	if after.SMTPUsername != "" && after.SMTPEncryption == EncryptionNone && !fields.Has("smtp_encryption") {
		fields.Add("smtp_encryption", ReasonInsecureAuth)
	}
	if p.SMTPPassword != nil && strings.ContainsAny(*p.SMTPPassword, "\r\n\x00") {
		fields.Add("smtp_password", ReasonInvalid)
	}
	if p.SMTPPassword != nil && len(*p.SMTPPassword) > 1024 {
		fields.TooLong("smtp_password", 1024)
	}
}
