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
)

// Field error reasons are short machine codes: the SPA translates them, API
// clients can switch on them.
const (
	ReasonRequired        = "required"
	ReasonTooShort        = "too_short"
	ReasonTooLong         = "too_long"
	ReasonMismatch        = "mismatch"
	ReasonTaken           = "taken"
	ReasonInvalidEmail    = "invalid_email"
	ReasonCommonPassword  = "common_password"
	ReasonUnknownTimezone = "unknown_timezone"
	ReasonInvalid         = "invalid"
)

// Error is the one error shape that crosses every boundary: Go services, the
// Wails bindings and the JSON API all carry exactly this.
type Error struct {
	Code    Code              `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
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

// Invalid reports bad input; fields maps a field name to a reason code.
func Invalid(fields map[string]string) *Error {
	return &Error{Code: CodeInvalid, Message: "Some fields need attention.", Fields: fields}
}

// InvalidField is Invalid for a single field.
func InvalidField(field, reason string) *Error {
	return Invalid(map[string]string{field: reason})
}

func NotFound(what string) *Error { return newError(CodeNotFound, "%s not found.", what) }
func Conflict(msg string) *Error  { return newError(CodeConflict, "%s", msg) }
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
