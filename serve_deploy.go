package main

import (
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"strings"
	"sync/atomic"

	"castdesk/backend/httpapi"
)

// What `castdesk serve` needs on a real server: TLS with a certificate that
// a SIGHUP reloads, the reverse proxies it trusts, and logs for journald.

// certReloader serves the certificate last loaded; reload swaps it
// atomically, so connections open at the time keep theirs and the next
// handshake gets the new one.
type certReloader struct {
	certFile, keyFile string
	cur               atomic.Pointer[tls.Certificate]
}

func newCertReloader(certFile, keyFile string) (*certReloader, error) {
	c := &certReloader{certFile: certFile, keyFile: keyFile}
	return c, c.reload()
}

// reload reads the files again; on an error the certificate in use stays.
func (c *certReloader) reload() error {
	cert, err := tls.LoadX509KeyPair(c.certFile, c.keyFile)
	if err != nil {
		return fmt.Errorf("cannot load the TLS certificate %s and key %s: %w", c.certFile, c.keyFile, err)
	}
	c.cur.Store(&cert)
	return nil
}

func (c *certReloader) get(*tls.ClientHelloInfo) (*tls.Certificate, error) { return c.cur.Load(), nil }

func (c *certReloader) config() *tls.Config {
	return &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: c.get, NextProtos: []string{"h2", "http/1.1"}}
}

// proxyFlag is the repeatable --trusted-proxy CIDR.
type proxyFlag []netip.Prefix

func (p *proxyFlag) String() string {
	var s []string
	for _, x := range *p {
		s = append(s, x.String())
	}
	return strings.Join(s, ",")
}

func (p *proxyFlag) Set(v string) error {
	x, err := httpapi.ParseTrustedProxy(v)
	if err != nil {
		return err
	}
	*p = append(*p, x)
	return nil
}

// reachableByOthers: the listener answers on an address other machines can
// use (not loopback: 0.0.0.0, a LAN or public address).
func reachableByOthers(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return !ok || !tcp.IP.IsLoopback()
}

// underSystemd: started by systemd, whose journal reads stderr. Then logs go
// there as JSON lines (journald keeps each as one entry), every level from Info.
func underSystemd() bool {
	return os.Getenv("JOURNAL_STREAM") != "" || os.Getenv("INVOCATION_ID") != ""
}

// stderrLog is the handler of the logs a terminal or the journal sees: under
// systemd all of them as JSON lines, otherwise warnings and errors as text.
func stderrLog(w io.Writer) slog.Handler {
	if w != io.Discard && underSystemd() {
		return slog.NewJSONHandler(w, nil)
	}
	return slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn})
}
