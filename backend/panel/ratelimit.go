package panel

import (
	"fmt"
	"time"
)

// RetryField is the field of a rate_limited error that says how long to
// wait: reason too_many_attempts with params {seconds}. The SPA turns it
// into "Too many attempts. Try again in N seconds/minutes." beside the form
// that was refused; the HTTP door also sends it as Retry-After.
const RetryField = "retry"

// RateLimitedFor is a rate_limited refusal that says how long to wait. msg
// is the English sentence before "Try again in N seconds." (for logs and API
// clients).
func RateLimitedFor(msg string, wait time.Duration) *Error {
	s := RetrySeconds(wait)
	return &Error{Code: CodeRateLimited, Message: fmt.Sprintf("%s Try again in %d seconds.", msg, s),
		Fields: map[string]Reason{RetryField: ReasonTooManyAttempts},
		Params: map[string]Params{RetryField: {"seconds": s}}}
}

// RetrySeconds is a wait in whole seconds, rounded up, at least 1.
func RetrySeconds(wait time.Duration) int {
	s := int((wait + time.Second - 1) / time.Second)
	if s < 1 {
		s = 1
	}
	return s
}

// RetryAfter is the wait a rate_limited error carries, in seconds (0: none).
func RetryAfter(e *Error) int {
	if e == nil || e.Code != CodeRateLimited {
		return 0
	}
	if s, ok := e.Params[RetryField]["seconds"].(int); ok {
		return s
	}
	return 0
}
