package webhook_test

import (
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"castdesk/backend/panel"
)

// Every kind of failure a delivery can meet, each made for real (closed
// ports, silent listeners, untrusted certificates, a name under .invalid,
// receivers answering 500 or 307): the sender's error says its kind, and
// the kind the worker stores (panel.WebhookFailureKind) is that kind, with
// Go's own text kept in the error.
func TestSenderClassifiesRealFailures(t *testing.T) {
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer ok.Close()
	closed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	closedURL := closed.URL
	closed.Close() // nothing listens there any more

	// Accepts connections and never answers.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	var mu sync.Mutex
	var held []net.Conn
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	}()

	untrusted := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	untrusted.Config.ErrorLog = log.New(io.Discard, "", 0) // its side of the refused handshake
	untrusted.StartTLS()
	defer untrusted.Close()
	status := func(code int) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if code/100 == 3 {
				w.Header().Set("Location", "http://example.org/elsewhere")
			}
			w.WriteHeader(code)
		}))
	}
	failing, moved := status(500), status(307)
	defer failing.Close()
	defer moved.Close()
	hangUp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			c.Close() // the connection ends without an answer
		}
	}))
	defer hangUp.Close()
	huge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Padding", strings.Repeat("x", 70<<10))
		w.WriteHeader(200)
	}))
	defer huge.Close()

	for _, c := range []struct {
		name, url    string
		allowPrivate bool
		timeout      time.Duration
		want         panel.WebhookErrorKind
		status       int    // the status answered, 0 for none
		text         string // in the error kept for the details
	}{
		{"a closed port", closedURL, true, 5 * time.Second, panel.WebhookErrConnect, 0, "connection refused"},
		{"a listener that never answers", "http://" + silent.Addr().String() + "/hook", true, 300 * time.Millisecond, panel.WebhookErrTimeout, 0, "timeout"},
		{"an untrusted certificate", untrusted.URL, true, 5 * time.Second, panel.WebhookErrCertificate, 0, "x509"},
		{"https to a plain HTTP receiver", strings.Replace(ok.URL, "http://", "https://", 1), true, 5 * time.Second, panel.WebhookErrTLS, 0, "HTTP response to HTTPS client"},
		{"a name that does not exist", "http://castdesk-receiver.invalid/hook", false, 5 * time.Second, panel.WebhookErrDNS, 0, "castdesk-receiver.invalid"},
		{"a private address refused", ok.URL, false, 5 * time.Second, panel.WebhookErrPrivateTarget, 0, "webhook_allow_private_targets"},
		{"a 500", failing.URL, true, 5 * time.Second, panel.WebhookErrHTTPStatus, 500, ""},
		{"a redirect", moved.URL, true, 5 * time.Second, panel.WebhookErrRedirect, 307, ""},
		{"a connection closed without an answer", hangUp.URL, true, 5 * time.Second, panel.WebhookErrConnect, 0, "EOF"},
		{"headers over 64 KiB", huge.URL, true, 5 * time.Second, panel.WebhookErrResponseTooLarge, 0, "exceeded"},
	} {
		res, err := send(c.url, c.allowPrivate, c.timeout)
		got := panel.WebhookFailureKind(res.StatusCode, err)
		t.Logf("%-38s -> %-18s %d %v", c.name, got, res.StatusCode, err)
		if got != c.want || res.StatusCode != c.status {
			t.Errorf("%s: kind %q status %d (%v), want %q %d", c.name, got, res.StatusCode, err, c.want, c.status)
			continue
		}
		if c.status != 0 {
			if err != nil {
				t.Errorf("%s: an answer with an error: %v", c.name, err)
			}
			continue
		}
		var we *panel.WebhookError
		if !errors.As(err, &we) || we.Kind != c.want || !strings.Contains(err.Error(), c.text) || strings.Contains(err.Error(), `Post "`) {
			t.Errorf("%s: error %q, want a %s WebhookError with %q and without the URL", c.name, err, c.want, c.text)
		}
	}
}

// Errors that are not the sender's: a deadline is a timeout, anything else other.
func TestFailureKindOfOtherErrors(t *testing.T) {
	if k := panel.WebhookFailureKind(0, errors.New("boom")); k != panel.WebhookErrOther {
		t.Fatal(k)
	}
	if k := panel.WebhookFailureKind(0, &panel.WebhookError{Kind: panel.WebhookErrDNS}); k != panel.WebhookErrDNS {
		t.Fatal(k)
	}
}
