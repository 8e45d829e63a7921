package panel

import (
	"context"
	"errors"
)

// WebhookErrorKind says what went wrong with a delivery's last attempt, in
// a closed list the SPA puts in words (docs/api.md, "Webhooks"); the
// delivery's error keeps the sender's own English text beside it.
type WebhookErrorKind string

const (
	// WebhookErrNone: the delivery has not failed (not tried yet, or delivered).
	WebhookErrNone WebhookErrorKind = ""
	// WebhookErrDNS: the receiver's host name was not found.
	WebhookErrDNS WebhookErrorKind = "dns"
	// WebhookErrConnect: the connection was refused, the host or network
	// unreachable, or the connection broke before an answer.
	WebhookErrConnect WebhookErrorKind = "connect"
	// WebhookErrTimeout: no answer within the request's timeout.
	WebhookErrTimeout WebhookErrorKind = "timeout"
	// WebhookErrTLS: the encrypted connection could not be set up (not
	// TLS on that port, no common protocol version or cipher).
	WebhookErrTLS WebhookErrorKind = "tls"
	// WebhookErrCertificate: the receiver's certificate is not trusted,
	// expired, or not valid for its host name.
	WebhookErrCertificate WebhookErrorKind = "certificate"
	// WebhookErrPrivateTarget: the address connected to is loopback,
	// private or link-local while webhook_allow_private_targets is off.
	WebhookErrPrivateTarget WebhookErrorKind = "private_target"
	// WebhookErrRedirect: the receiver answered 3xx; redirects are not followed.
	WebhookErrRedirect WebhookErrorKind = "redirect"
	// WebhookErrHTTPStatus: the receiver answered another status than 2xx
	// (status_code has it).
	WebhookErrHTTPStatus WebhookErrorKind = "http_status"
	// WebhookErrResponseTooLarge: the answer's headers passed the bound (64 KiB).
	WebhookErrResponseTooLarge WebhookErrorKind = "response_too_large"
	// WebhookErrOther: anything else (error has the details).
	WebhookErrOther WebhookErrorKind = "other"
)

// WebhookErrorKinds is the closed list, "" (no failure) first.
var WebhookErrorKinds = []WebhookErrorKind{WebhookErrNone, WebhookErrDNS, WebhookErrConnect, WebhookErrTimeout,
	WebhookErrTLS, WebhookErrCertificate, WebhookErrPrivateTarget, WebhookErrRedirect, WebhookErrHTTPStatus,
	WebhookErrResponseTooLarge, WebhookErrOther}

// WebhookError is what a WebhookSender returns when a request got no
// answer: the kind, a one-line English explanation, and Go's error.
type WebhookError struct {
	Kind    WebhookErrorKind
	Message string
	Err     error
}

// Error is the text kept in the delivery's error: the message, then Go's own.
func (e *WebhookError) Error() string {
	switch {
	case e.Err == nil:
		return e.Message
	case e.Message == "":
		return e.Err.Error()
	}
	return e.Message + ": " + e.Err.Error()
}

func (e *WebhookError) Unwrap() error { return e.Err }

// WebhookFailureKind classifies a failed attempt: err from the sender (a
// *WebhookError says its kind; a deadline is a timeout; anything else is
// other), or, with no error, the status the receiver answered.
func WebhookFailureKind(status int, err error) WebhookErrorKind {
	if err != nil {
		var we *WebhookError
		switch {
		case errors.As(err, &we) && we.Kind != WebhookErrNone:
			return we.Kind
		case errors.Is(err, context.DeadlineExceeded):
			return WebhookErrTimeout
		}
		return WebhookErrOther
	}
	if status >= 300 && status < 400 {
		return WebhookErrRedirect
	}
	return WebhookErrHTTPStatus
}
