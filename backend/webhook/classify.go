package webhook

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"

	"castdesk/backend/panel"
)

// classify turns the error of a request that got no answer into a
// *panel.WebhookError: its kind (docs/api.md, "Webhooks": error_kind), a
// short English explanation, and Go's error without the `Post "<url>":`
// wrapping (the URL is the subscription's).
func classify(err error) error {
	inner := err
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		inner = ue.Err
	}
	var private *PrivateTargetError
	if errors.As(err, &private) {
		return &panel.WebhookError{Kind: panel.WebhookErrPrivateTarget, Err: private}
	}
	kind, msg := kindOf(err)
	return &panel.WebhookError{Kind: kind, Message: msg, Err: inner}
}

func kindOf(err error) (panel.WebhookErrorKind, string) {
	var dns *net.DNSError
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	var op *net.OpError
	switch {
	case errors.As(err, &dns):
		if dns.IsNotFound {
			return panel.WebhookErrDNS, "the receiver's host name " + quote(dns.Name) + " does not exist"
		}
		return panel.WebhookErrDNS, "the receiver's host name " + quote(dns.Name) + " could not be looked up"
	case errors.As(err, &unknown):
		return panel.WebhookErrCertificate, "the receiver's certificate is not signed by a trusted authority"
	case errors.As(err, &host):
		return panel.WebhookErrCertificate, "the receiver's certificate is not valid for this host name"
	case errors.As(err, &invalid):
		return panel.WebhookErrCertificate, "the receiver's certificate is invalid (expired or not yet valid?)"
	case errors.As(err, &verify):
		return panel.WebhookErrCertificate, "the receiver's certificate could not be verified"
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, syscall.ETIMEDOUT) || isTimeout(err):
		return panel.WebhookErrTimeout, "no answer within the timeout"
	case errors.As(err, &record) || strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		// net/http turns the RecordHeaderError of an HTTP answer into a plain error.
		return panel.WebhookErrTLS, "the receiver does not speak TLS on this port (an http:// receiver asked with https://?)"
	case errors.As(err, &op) && op.Op == "remote error":
		// The receiver sent a TLS alert (crypto/tls reports it so).
		return panel.WebhookErrTLS, "the receiver refused the TLS handshake"
	case errors.Is(err, syscall.ECONNREFUSED):
		return panel.WebhookErrConnect, "connection refused (nothing listens on that port, or a firewall)"
	case errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH):
		return panel.WebhookErrConnect, "the receiver's address cannot be reached"
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return panel.WebhookErrConnect, "the connection broke before an answer"
	case strings.Contains(err.Error(), "server response headers exceeded"):
		// net/http's MaxResponseHeaderBytes: no type of its own to ask for.
		return panel.WebhookErrResponseTooLarge, "the answer's headers are larger than 64 KiB"
	case strings.Contains(err.Error(), "tls: "):
		// crypto/tls's other handshake failures are plain errors.
		return panel.WebhookErrTLS, "the TLS handshake failed"
	case errors.As(err, &op) && op.Op == "dial":
		return panel.WebhookErrConnect, "the receiver cannot be reached"
	}
	return panel.WebhookErrOther, "the request failed"
}

func quote(s string) string { return `"` + s + `"` }

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
