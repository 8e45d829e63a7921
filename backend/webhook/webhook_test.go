package webhook_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"castdesk/backend/panel"
	"castdesk/backend/webhook"
)

// The signature a delivery carries verifies with the secret, and with
// nothing else: another body, another secret, or an old timestamp fail.
func TestSignatureVerifies(t *testing.T) {
	body := []byte(`{"id":"evt_1","event":"ping","occurred_at":"2026-01-01T00:00:00Z","data":{}}`)
	now := time.Unix(1790000000, 0)
	sig := panel.Signature("whsec_test", now, body)
	if !strings.HasPrefix(sig, "t=1790000000,v1=") || len(sig) != len("t=1790000000,v1=")+64 {
		t.Fatalf("header: %q", sig)
	}
	if err := webhook.Verify("whsec_test", sig, body, now.Add(time.Minute), 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	for name, err := range map[string]error{
		"other body":   webhook.Verify("whsec_test", sig, append(body, ' '), now, 5*time.Minute),
		"other secret": webhook.Verify("whsec_other", sig, body, now, 5*time.Minute),
		"replayed":     webhook.Verify("whsec_test", sig, body, now.Add(6*time.Minute), 5*time.Minute),
		"malformed":    webhook.Verify("whsec_test", "v1=abc", body, now, 5*time.Minute),
	} {
		if err == nil {
			t.Errorf("%s: verified", name)
		}
	}
}

func send(url string, allowPrivate bool, timeout time.Duration) (panel.WebhookResponse, error) {
	return (&webhook.Sender{}).Send(context.Background(), panel.WebhookRequest{URL: url, Body: []byte(`{}`),
		Headers: map[string]string{"Content-Type": "application/json"}, AllowPrivate: allowPrivate, Timeout: timeout})
}

// The address is checked where the connection is made: a loopback
// receiver is refused unless private targets are allowed, by IP and by a
// name that resolves to it.
func TestSenderChecksTheConnectedAddress(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.WriteString(w, strings.Repeat("x", 5000))
	}))
	defer srv.Close()
	for _, url := range []string{srv.URL, strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)} {
		_, err := send(url, false, 5*time.Second)
		var private *webhook.PrivateTargetError
		if !errors.As(err, &private) || !private.Addr.IsLoopback() {
			t.Fatalf("%s: %v", url, err)
		}
	}
	if hits.Load() != 0 {
		t.Fatal("a refused request reached the receiver")
	}
	res, err := send(srv.URL, true, 5*time.Second)
	if err != nil || res.StatusCode != 200 || len(res.Excerpt) != 1024 {
		t.Fatalf("allowed: %d %d %v", res.StatusCode, len(res.Excerpt), err)
	}
}

// A redirect is the answer, never followed; a receiver that does not answer
// in time is an error.
func TestSenderNoRedirectsAndTimeout(t *testing.T) {
	var followed atomic.Bool
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { followed.Store(true) }))
	defer target.Close()
	redirect := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL, http.StatusTemporaryRedirect)
	}))
	defer redirect.Close()
	res, err := send(redirect.URL, true, 5*time.Second)
	if err != nil || res.StatusCode != http.StatusTemporaryRedirect || followed.Load() {
		t.Fatalf("redirect: %d %v followed=%v", res.StatusCode, err, followed.Load())
	}
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer slow.Close()
	defer close(release)
	if _, err := send(slow.URL, true, 200*time.Millisecond); err == nil || !strings.Contains(err.Error(), "timeout") {
		t.Fatalf("slow receiver: %v", err)
	}
}
