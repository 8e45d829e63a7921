// Package webhook is panel.WebhookSender over net/http: it POSTs webhook
// deliveries and resolves target host names.
//
// Safety (docs/api.md, "Webhooks"): the address a request actually connects
// to is checked against panel.PrivateAddress inside the dialer, after name
// resolution, so a host name that resolves to a public address when a
// subscription is saved and to 127.0.0.1 at delivery time (DNS rebinding)
// is refused all the same. No proxy from the environment is used (it would
// connect on the request's behalf, out of the check's sight), no redirect
// is followed (a 3xx is the answer), and every request has a timeout.
package webhook

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"

	"castdesk/backend/panel"
)

// excerptMax is how much of a response body is read for the delivery log.
const excerptMax = 1024

// Sender is the panel.WebhookSender. The zero value is ready.
type Sender struct {
	// Resolver resolves names (net.DefaultResolver when nil).
	Resolver *net.Resolver
}

var _ panel.WebhookSender = (*Sender)(nil)

// PrivateTargetError is a connection refused because its address is
// loopback, private or link-local while private targets are not allowed.
type PrivateTargetError struct{ Addr netip.Addr }

func (e *PrivateTargetError) Error() string {
	return fmt.Sprintf("refused to connect to %s: a loopback, private or link-local address (the setting webhook_allow_private_targets is off)", e.Addr)
}

// dialer checks every address it is about to connect to.
func dialer(allowPrivate bool) *net.Dialer {
	return &net.Dialer{
		Timeout:   10 * time.Second,
		KeepAlive: 30 * time.Second,
		Control: func(network, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			ip, err := netip.ParseAddr(host)
			if err != nil {
				return fmt.Errorf("refused to connect to %q: not an IP address", host)
			}
			if !allowPrivate && panel.PrivateAddress(ip) {
				return &PrivateTargetError{Addr: ip}
			}
			return nil
		},
	}
}

func newClient(allowPrivate bool) *http.Client {
	d := dialer(allowPrivate)
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                  nil, // never the environment's proxy: it would connect out of the check's sight
			DialContext:            d.DialContext,
			TLSHandshakeTimeout:    10 * time.Second,
			ResponseHeaderTimeout:  10 * time.Second,
			MaxResponseHeaderBytes: 64 << 10,
			MaxIdleConnsPerHost:    2,
			IdleConnTimeout:        60 * time.Second,
			ForceAttemptHTTP2:      true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Two clients, so a connection made while private targets were allowed is
// never reused once they are not.
var (
	publicOnly = newClient(false)
	anyTarget  = newClient(true)
)

// Send POSTs one delivery and reads the start of the answer.
func (s *Sender) Send(ctx context.Context, r panel.WebhookRequest) (panel.WebhookResponse, error) {
	if r.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.Timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.URL, bytes.NewReader(r.Body))
	if err != nil {
		return panel.WebhookResponse{}, &panel.WebhookError{Kind: panel.WebhookErrOther, Message: "the URL cannot be requested", Err: err}
	}
	for k, v := range r.Headers {
		req.Header.Set(k, v)
	}
	client := publicOnly
	if r.AllowPrivate {
		client = anyTarget
	}
	res, err := client.Do(req)
	if err != nil {
		return panel.WebhookResponse{}, classify(err)
	}
	defer res.Body.Close()
	excerpt, _ := io.ReadAll(io.LimitReader(res.Body, excerptMax))
	// Read a little more so the connection can be reused, not the whole body.
	io.CopyN(io.Discard, res.Body, 64<<10)
	return panel.WebhookResponse{StatusCode: res.StatusCode, Excerpt: string(excerpt)}, nil
}

// LookupHost resolves host to its addresses.
func (s *Sender) LookupHost(ctx context.Context, host string) ([]netip.Addr, error) {
	r := s.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	return r.LookupNetIP(ctx, "ip", host)
}
