package panel

import (
	"errors"
	"fmt"
)

// Code is the small, stable vocabulary of failures every door understands.
// The HTTP door maps it to a status; the desktop door and the SPA translate it.
type Code string

const (
	CodeInvalid       Code = "invalid"
	CodeNotFound      Code = "not_found"
	CodeConflict      Code = "conflict"
	CodeUnauthorized  Code = "unauthorized"
	CodeForbidden     Code = "forbidden"
	CodeLimitExceeded Code = "limit_exceeded"
	CodeRateLimited   Code = "rate_limited"
	CodeUnavailable   Code = "unavailable"
	CodeInternal      Code = "internal"
	// The HTTP door's own refusals: a method the route does not have, a body
	// over its size limit.
	CodeMethodNotAllowed Code = "method_not_allowed"
	CodeTooLarge         Code = "too_large"
)

// ErrorCodes lists every Code; the SPA's list is generated from it.
var ErrorCodes = []Code{
	CodeInvalid, CodeNotFound, CodeConflict, CodeUnauthorized, CodeForbidden, CodeLimitExceeded,
	CodeRateLimited, CodeUnavailable, CodeInternal, CodeMethodNotAllowed, CodeTooLarge,
}

// Reason says what is wrong with one input field. Reasons are short machine
// codes without numbers: the numbers behind a reason travel in Error.Params
// under the same field. The SPA translates them; API clients can switch on them.
type Reason string

const (
	ReasonRequired        Reason = "required"
	ReasonTooShort        Reason = "too_short" // text; params {min}: characters
	ReasonTooLong         Reason = "too_long"  // text; params {max}: characters
	ReasonTooSmall        Reason = "too_small" // number; params {min}
	ReasonTooBig          Reason = "too_big"   // number; params {max}
	ReasonMismatch        Reason = "mismatch"
	ReasonTaken           Reason = "taken"
	ReasonInvalidEmail    Reason = "invalid_email"
	ReasonCommonPassword  Reason = "common_password"
	ReasonUnknownTimezone Reason = "unknown_timezone"
	ReasonInvalid         Reason = "invalid"
	ReasonWrongPassword   Reason = "wrong_password"
	ReasonSameAsCurrent   Reason = "same_as_current"
	ReasonMustChange      Reason = "must_change"
	// ReasonForbidden: the caller may not change this field.
	ReasonForbidden Reason = "forbidden"
	// ReasonSelf: an administrator may not do this to its own account.
	ReasonSelf               Reason = "self"
	ReasonInvalidCode        Reason = "invalid_code"
	ReasonUnknownPlaceholder Reason = "unknown_placeholder"
	ReasonMissingMessage     Reason = "missing_message"
	// ReasonTooLargeFile: an upload over the size limit; params {max}: bytes.
	ReasonTooLargeFile Reason = "too_large"
	ReasonNotAFile     Reason = "not_a_file"

	// Plan refusals (code limit_exceeded), keyed by the service field they
	// concern (owner_id for the plan's server limit). ReasonOverPlanLimit has
	// params {limit: the plan's limit (server_limit, max_connections,
	// data_transfer_mb, max_bitrate_kbps, autodj_quota), used: what the
	// reseller's other services already use (0 for a per-service limit),
	// allowed: the plan's value}. ReasonNotInPlan has params {limit: autodj|proxy}.
	ReasonOverPlanLimit Reason = "over_plan_limit"
	ReasonNotInPlan     Reason = "not_in_plan"

	// Conflicts with the current state (code conflict).
	ReasonInUse        Reason = "in_use"        // plan: still assigned; params {count}
	ReasonLastAdmin    Reason = "last_admin"    // level, status or account: the last enabled administrator
	ReasonAlreadyDone  Reason = "already_done"  // setup: an account exists already
	ReasonDisabled     Reason = "disabled"      // status: the account is disabled
	ReasonLimitReached Reason = "limit_reached" // api_keys: params {max}
	ReasonStillQueued  Reason = "still_queued"  // status: the message is still waiting to be sent
	ReasonWiped        Reason = "wiped"         // status: the message held a secret and was wiped

	// Email settings: the OS keyring (smtp_password), and a plain-text login
	// refused (smtp_encryption).
	ReasonNoKeyring    Reason = "no_keyring"
	ReasonKeyringError Reason = "keyring_error"
	ReasonInsecureAuth Reason = "insecure_auth"

	// Backups (code conflict): busy — a backup is being written (field
	// backup: another cannot start; field status: this one cannot be deleted
	// yet); not_ready — the backup is not finished (no download yet).
	ReasonBusy     Reason = "busy"
	ReasonNotReady Reason = "not_ready"

	// Sending email failed (code unavailable): what went wrong with the SMTP
	// server, keyed by the setting to check (smtp_host, smtp_port,
	// smtp_encryption, smtp_username and smtp_password, smtp_from_address) or
	// by to, the recipient.
	ReasonHostNotFound         Reason = "host_not_found"
	ReasonConnectionFailed     Reason = "connection_failed"
	ReasonTimedOut             Reason = "timed_out"
	ReasonTLSFailed            Reason = "tls_failed"
	ReasonUntrustedCertificate Reason = "untrusted_certificate"
	ReasonDowngradeRefused     Reason = "downgrade_refused"
	ReasonAuthFailed           Reason = "auth_failed"
	ReasonRecipientRefused     Reason = "recipient_refused"
	ReasonRejected             Reason = "rejected"
	ReasonNotConfigured        Reason = "not_configured"

	// API keys and webhooks. A key whose scopes do not cover an operation
	// (code forbidden, field scope): missing_scope with params {required:
	// the scope needed, e.g. "customers:write"}, or needs_full_key for what
	// only a key without scopes may do. A key refused at the door (code
	// unauthorized, field key): expired, or address_not_allowed with params
	// {address}. in_past: a date that must lie ahead (expires_at).
	// private_target: a webhook URL on a loopback, private or link-local
	// address while the setting webhook_allow_private_targets is off.
	ReasonMissingScope      Reason = "missing_scope"
	ReasonNeedsFullKey      Reason = "needs_full_key"
	ReasonExpired           Reason = "expired"
	ReasonAddressNotAllowed Reason = "address_not_allowed"
	ReasonInPast            Reason = "in_past"
	ReasonPrivateTarget     Reason = "private_target"

	// Storage. ReasonOverQuota (code limit_exceeded, field file): the upload
	// does not fit in the account's storage quota; params {used, allowed} in
	// bytes (and size, the upload's declared size, when known).
	// ReasonDiskFull (code unavailable, field disk): the server's disk is
	// full, or below the free-space reserve kept for the database.
	ReasonOverQuota Reason = "over_quota"
	ReasonDiskFull  Reason = "disk_full"
	// Two-factor sign-in (field two_factor): must_enrol, a session that may
	// only enrol the second factor System Settings require (code forbidden);
	// not_enabled, no second factor (or no set-up) to act on; enforced, a
	// required second factor cannot be turned off (code conflict).
	ReasonMustEnrol  Reason = "must_enrol"
	ReasonNotEnabled Reason = "not_enabled"
	ReasonEnforced   Reason = "enforced"

	// Abuse guards. control_character: the text holds a control character
	// (C0, DEL, C1, a line or paragraph separator, a bidi control; username,
	// name, contact_number). set_by_higher_level (code forbidden): a level
	// above the caller's suspended the service or disabled the account
	// (field status, or services for an account with such a service); only
	// it lifts that or deletes; params {level: admin}.
	ReasonControlCharacter Reason = "control_character"
	ReasonSetByHigherLevel Reason = "set_by_higher_level"

	// ReasonTooManyAttempts (code rate_limited, field retry): refused until
	// the wait is over; params {seconds} (ratelimit.go).
	ReasonTooManyAttempts Reason = "too_many_attempts"
)

// FieldReasons lists every Reason; the SPA's list is generated from it.
var FieldReasons = []Reason{
	ReasonRequired, ReasonTooShort, ReasonTooLong, ReasonTooSmall, ReasonTooBig, ReasonMismatch, ReasonTaken,
	ReasonInvalidEmail, ReasonCommonPassword, ReasonUnknownTimezone, ReasonInvalid, ReasonWrongPassword,
	ReasonSameAsCurrent, ReasonMustChange, ReasonForbidden, ReasonSelf, ReasonInvalidCode,
	ReasonUnknownPlaceholder, ReasonMissingMessage, ReasonTooLargeFile, ReasonNotAFile,
	ReasonOverPlanLimit, ReasonNotInPlan,
	ReasonInUse, ReasonLastAdmin, ReasonAlreadyDone, ReasonDisabled, ReasonLimitReached, ReasonStillQueued, ReasonWiped,
	ReasonNoKeyring, ReasonKeyringError, ReasonInsecureAuth,
	ReasonBusy, ReasonNotReady,
	ReasonHostNotFound, ReasonConnectionFailed, ReasonTimedOut, ReasonTLSFailed, ReasonUntrustedCertificate,
	ReasonDowngradeRefused, ReasonAuthFailed, ReasonRecipientRefused, ReasonRejected, ReasonNotConfigured,
	ReasonMissingScope, ReasonNeedsFullKey, ReasonExpired, ReasonAddressNotAllowed, ReasonInPast, ReasonPrivateTarget,
	ReasonOverQuota, ReasonDiskFull,
	ReasonMustEnrol, ReasonNotEnabled, ReasonEnforced,
	ReasonControlCharacter, ReasonSetByHigherLevel,
	ReasonTooManyAttempts,
}

// Params are the numbers (and names) behind a field's reason, e.g. {"min": 8}.
type Params = map[string]any

// Error is the one error shape that crosses every boundary: Go services, the
// Wails bindings and the JSON API all carry exactly this. Message is English
// prose for API clients and logs; interfaces render Code, Fields and Params.
type Error struct {
	Code    Code              `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]Reason `json:"fields,omitempty"`
	// Params maps a field of Fields to the numbers behind its reason.
	Params map[string]Params `json:"params,omitempty"`
	// cause is logged, never shown: it may hold SQL or paths.
	cause error
}

func (e *Error) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.cause)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.cause }

func newError(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid reports bad input; fields maps a field name to its reason.
func Invalid(fields map[string]Reason) *Error {
	return &Error{Code: CodeInvalid, Message: "Some fields need attention.", Fields: fields}
}

// InvalidField is Invalid for a single field, with the numbers behind its
// reason if any.
func InvalidField(field string, reason Reason, params ...Params) *Error {
	var p Problems
	p.Add(field, reason, params...)
	return p.WithCode(CodeInvalid, "Some fields need attention.")
}

// FieldError is an error of any code about one field, with the numbers
// behind its reason (params may be nil). Conflicts and plan refusals are built
// with it: each names a field and a reason the interface can translate.
func FieldError(code Code, message, field string, reason Reason, params Params) *Error {
	e := &Error{Code: code, Message: message, Fields: map[string]Reason{field: reason}}
	if len(params) > 0 {
		e.Params = map[string]Params{field: params}
	}
	return e
}

// Problems collects field reasons, and the numbers behind them, while
// validating input; Err turns them into one invalid error.
type Problems struct {
	Fields map[string]Reason
	Params map[string]Params
}

// Add records reason for field, with the numbers behind it if any.
func (p *Problems) Add(field string, reason Reason, params ...Params) {
	if p.Fields == nil {
		p.Fields = map[string]Reason{}
	}
	p.Fields[field] = reason
	delete(p.Params, field)
	for _, ps := range params {
		if len(ps) == 0 {
			continue
		}
		if p.Params == nil {
			p.Params = map[string]Params{}
		}
		if p.Params[field] == nil {
			p.Params[field] = Params{}
		}
		for k, v := range ps {
			p.Params[field][k] = v
		}
	}
}

// TooShort records a text shorter than min characters.
func (p *Problems) TooShort(field string, min int) { p.Add(field, ReasonTooShort, Params{"min": min}) }

// TooLong records a text longer than max characters.
func (p *Problems) TooLong(field string, max int) { p.Add(field, ReasonTooLong, Params{"max": max}) }

// TooSmall records a number below min.
func (p *Problems) TooSmall(field string, min int) { p.Add(field, ReasonTooSmall, Params{"min": min}) }

// TooBig records a number above max.
func (p *Problems) TooBig(field string, max int) { p.Add(field, ReasonTooBig, Params{"max": max}) }

// Has tells whether field already has a reason.
func (p *Problems) Has(field string) bool { _, ok := p.Fields[field]; return ok }

// Empty tells whether nothing was recorded.
func (p *Problems) Empty() bool { return len(p.Fields) == 0 }

// Err is nil when nothing was recorded, else the invalid error carrying it.
func (p *Problems) Err() error {
	if p.Empty() {
		return nil
	}
	return p.WithCode(CodeInvalid, "Some fields need attention.")
}

// WithCode is the recorded problems under another code and message.
func (p *Problems) WithCode(code Code, message string) *Error {
	return &Error{Code: code, Message: message, Fields: p.Fields, Params: p.Params}
}

func NotFound(what string) *Error { return newError(CodeNotFound, "%s not found.", what) }
func Forbidden(msg string) *Error { return newError(CodeForbidden, "%s", msg) }
func Unavailable(msg string, cause error) *Error {
	return &Error{Code: CodeUnavailable, Message: msg, cause: cause}
}
func RateLimited(msg string) *Error { return newError(CodeRateLimited, "%s", msg) }

// LoginFailed is the one answer to every failed login: it must not tell an
// unknown user from a wrong password or a disabled account.
func LoginFailed() *Error {
	return newError(CodeUnauthorized, "Invalid username or password.")
}

// Unauthorized answers a call without a valid session or key.
func Unauthorized() *Error {
	return newError(CodeUnauthorized, "Please log in.")
}

// Internal wraps an unexpected failure; the cause is logged by the door, the
// caller only sees a generic message.
func Internal(cause error) *Error {
	if IsNoSpace(cause) {
		// A full disk is not a bug: it is told as such (storage.go).
		return DiskFull(cause)
	}
	return &Error{Code: CodeInternal, Message: "Something went wrong on our side. It has been logged.", cause: cause}
}

// AsError turns any error into a *Error, classifying unknown errors as internal.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var pe *Error
	if errors.As(err, &pe) {
		return pe
	}
	return Internal(err)
}

// wrapErr is AsError for service returns: nil stays a nil error (a typed
// nil *Error inside an error interface would not compare equal to nil).
func wrapErr(err error) error {
	if err == nil {
		return nil
	}
	return AsError(err)
}

// IsCode tells whether err carries the given code.
func IsCode(err error, code Code) bool {
	var pe *Error
	return errors.As(err, &pe) && pe.Code == code
}
