// Package smtptest is a real SMTP server in the test process (emersion/go-smtp)
// for the mailer's and the outbox's tests: plain, STARTTLS or implicit TLS
// with a throw-away CA, optional AUTH PLAIN, refused recipients, a server
// that goes down and comes back on the same port, and a silent server that
// accepts TCP and never speaks. Only tests import it.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"

	"io"
	"log"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

type Mode int

const (
	// Plain offers no STARTTLS.
	Plain Mode = iota
	// STARTTLS offers STARTTLS on a clear connection.
	STARTTLS
	// ImplicitTLS speaks TLS from the first byte.
	ImplicitTLS
)

type Options struct {
	Mode Mode
	// Username and Password, when set, offer AUTH PLAIN and require it for
	// MAIL. AUTH is offered in clear too (AllowInsecureAuth), so a client
	// that would send credentials in clear could.
	Username, Password string
	// RefuseRecipient answers 550 5.1.1 for the addresses it returns true for.
	RefuseRecipient func(addr string) bool
}

// Received is one delivered message.
type Received struct {
	From      string
	To        []string
	Raw       []byte
	Header    mail.Header
	Subject   string
	MessageID string
	Text      string // the text/plain part, decoded
	HTML      string // the text/html part, decoded
	TLS       bool   // delivered over TLS
	AuthUser  string // the authenticated user, if any
}

// Server is a running (or stopped) test server.
type Server struct {
	t    testing.TB
	opts Options
	// Host is 127.0.0.1; Port stays the same across Stop/Start.
	Host string
	Port int
	// RootCAs trusts the test CA that signed the server's certificate.
	RootCAs *x509.CertPool
	tlsConf *tls.Config

	mu       sync.Mutex
	srv      *smtp.Server
	listener net.Listener
	received []Received
	arrived  chan struct{}
}

// Start runs a server on 127.0.0.1 on a free port; it stops with the test.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	s := &Server{t: t, opts: opts, Host: "127.0.0.1", arrived: make(chan struct{}, 1<<16)}
	s.RootCAs, s.tlsConf = NewCA(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s.Port = l.Addr().(*net.TCPAddr).Port
	s.serve(l)
	t.Cleanup(s.Stop)
	return s
}

// Reserve picks a free port for a server that is down until Up is called.
func Reserve(t testing.TB, opts Options) *Server {
	s := Start(t, opts)
	s.Stop()
	return s
}

func (s *Server) serve(l net.Listener) {
	srv := smtp.NewServer(&backend{s: s})
	srv.Domain = "smtptest.local"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.MaxMessageBytes = 10 << 20
	switch s.opts.Mode {
	case STARTTLS:
		srv.TLSConfig = s.tlsConf
	case ImplicitTLS:
		srv.TLSConfig = s.tlsConf
		l = tls.NewListener(l, s.tlsConf)
	}
	s.mu.Lock()
	s.srv, s.listener = srv, l
	s.mu.Unlock()
	go srv.Serve(l)
}

// Addr is host:port.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// Stop takes the server down: connections are refused until Up.
func (s *Server) Stop() {
	s.mu.Lock()
	srv, l := s.srv, s.listener
	s.srv, s.listener = nil, nil
	s.mu.Unlock()
	if l != nil {
		// Closed here too: Serve may not have registered it with srv yet.
		l.Close()
	}
	if srv != nil {
		srv.Close()
	}
}

// Up brings a stopped server back on the same port.
func (s *Server) Up() {
	s.t.Helper()
	var l net.Listener
	var err error
	for i := 0; i < 50; i++ {
		if l, err = net.Listen("tcp", s.Addr()); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatalf("smtptest: listen again on %s: %v", s.Addr(), err)
	}
	s.serve(l)
}

// Messages returns a copy of what was delivered so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// WaitFor waits until at least n messages arrived, or fails the test.
func (s *Server) WaitFor(t testing.TB, n int, timeout time.Duration) []Received {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		msgs := s.Messages()
		if len(msgs) >= n {
			return msgs
		}
		if time.Now().After(deadline) {
			t.Fatalf("smtptest: %d messages after %s, want %d", len(msgs), timeout, n)
		}
		select {
		case <-s.arrived:
		case <-time.After(50 * time.Millisecond):
		}
	}
}

type backend struct{ s *Server }

func (b *backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &session{s: b.s, tls: isTLS, conn: c}, nil
}

type session struct {
	s    *Server
	conn *smtp.Conn
	tls  bool
	user string
	from string
	to   []string
}

func (x *session) AuthMechanisms() []string {
	if x.s.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (x *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != x.s.opts.Username || password != x.s.opts.Password {
			return smtp.ErrAuthFailed
		}
		x.user = username
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	if x.s.opts.Username != "" && x.user == "" {
		return smtp.ErrAuthRequired
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if x.s.opts.RefuseRecipient != nil && x.s.opts.RefuseRecipient(to) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
	}
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := x.conn.TLSConnectionState()
	rec := Received{From: x.from, To: append([]string(nil), x.to...), Raw: raw, TLS: isTLS, AuthUser: x.user}
	if m, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		rec.Header = m.Header
		dec := new(mime.WordDecoder)
		rec.Subject, _ = dec.DecodeHeader(m.Header.Get("Subject"))
		rec.MessageID = strings.Trim(m.Header.Get("Message-Id"), "<>")
		parseBody(&rec, m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body)
	}
	x.s.mu.Lock()
	x.s.received = append(x.s.received, rec)
	x.s.mu.Unlock()
	select {
	case x.s.arrived <- struct{}{}:
	default:
	}
	return nil
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }

func parseBody(rec *Received, contentType, encoding string, body io.Reader) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = "text/plain"
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return
			}
			parseBody(rec, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p)
		}
	}
	var r io.Reader = body
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = newBase64Reader(body)
	}
	data, _ := io.ReadAll(r)
	switch mt {
	case "text/plain":
		rec.Text = string(data)
	case "text/html":
		rec.HTML = string(data)
	}
}

// Silent accepts TCP connections and never says a word: a hung server.
func Silent(t testing.TB) (host string, port int) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	return "127.0.0.1", l.Addr().(*net.TCPAddr).Port
}

// NewCA makes a throw-away CA and a server certificate it signed for
// 127.0.0.1 and localhost: the pool trusts the CA, the config serves the leaf.
func NewCA(t testing.TB) (*x509.CertPool, *tls.Config) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	caTpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "castdesk test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), IsCA: true,
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true}
	caDER, err := x509.CreateCertificate(rand.Reader, caTpl, caTpl, &caKey.PublicKey, caKey)
	must(t, err)
	ca, err := x509.ParseCertificate(caDER)
	must(t, err)
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	leafTpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTpl, ca, &leafKey.PublicKey, caKey)
	must(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return pool, &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{leafDER}, PrivateKey: leafKey}}}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("smtptest: %v", err)
	}
}

func newBase64Reader(r io.Reader) io.Reader {
	return base64.NewDecoder(base64.StdEncoding, &stripNewlines{r: r})
}

type stripNewlines struct{ r io.Reader }

func (s *stripNewlines) Read(p []byte) (int, error) {
	for {
		n, err := s.r.Read(p)
		j := 0
		for _, c := range p[:n] {
			if c != '\r' && c != '\n' {
				p[j] = c
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}
