// Package mailer sends mail over SMTP with go-simple-mail (panel.Mailer).
//
// go-simple-mail downgrades silently: with STARTTLS asked for but not
// offered it stays in clear text, and when the server offers no AUTH it
// skips authentication. So this adapter opens the connection itself and
// only then hands it to go-simple-mail (SMTPServer.CustomConn):
//
//   - implicit TLS: dial, TLS handshake (certificate errors told apart);
//   - STARTTLS: dial, read the greeting, EHLO, refuse unless STARTTLS is
//     offered, STARTTLS, handshake; go-simple-mail then talks inside the
//     TLS session (it is given a synthetic greeting, since a server sends
//     none after STARTTLS);
//   - none: refused outright when a username is set (the password would
//     cross the network in clear).
//
// The connection go-simple-mail gets is a guardConn that sees every
// plaintext command: with a username set, a MAIL FROM not preceded by AUTH
// (the server offered none) is refused before it is written. The guard
// also tells which command failed, so errors say precisely what went wrong.
package mailer

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	simplemail "github.com/xhit/go-simple-mail/v2"

	"castdesk/backend/panel"
)

// Mailer is panel.Mailer over SMTP.
type Mailer struct {
	// RootCAs verifies server certificates; nil = the system's roots.
	RootCAs *x509.CertPool
	// Helo is the name given in EHLO; default "localhost".
	Helo string
	// Timeout bounds a send when ctx has no deadline (default 30 s).
	Timeout time.Duration
}

var _ panel.Mailer = (*Mailer)(nil)

func (m *Mailer) helo() string {
	if m.Helo != "" {
		return m.Helo
	}
	return "localhost"
}

func mailErr(kind panel.MailErrorKind, temporary bool, msg string, err error) *panel.MailError {
	return &panel.MailError{Kind: kind, Temporary: temporary, Message: msg, Err: err}
}

func (m *Mailer) Send(ctx context.Context, cfg panel.SMTPConfig, msg panel.Message) (err error) {
	// A connection closed because the deadline passed reads as "broken";
	// it is a timeout.
	defer func() {
		var me *panel.MailError
		if errors.As(err, &me) && me.Kind == panel.MailErrConnect && ctx.Err() != nil {
			err = mailErr(panel.MailErrTimeout, true, "Timeout: the SMTP server did not answer in time.", ctx.Err())
		}
	}()
	if err := checkMessage(cfg, msg); err != nil {
		return err
	}
	if cfg.Username != "" && cfg.Encryption == panel.EncryptionNone {
		return mailErr(panel.MailErrDowngradeRefused, false,
			"Refused: a username is set but encryption is \"none\", so the password would cross the network in clear. Choose TLS or STARTTLS.", nil)
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		t := m.Timeout
		if t <= 0 {
			t = 30 * time.Second
		}
		deadline = time.Now().Add(t)
	}
	port := cfg.Port
	if port == 0 {
		port = map[string]int{panel.EncryptionTLS: 465, panel.EncryptionNone: 25}[cfg.Encryption]
		if port == 0 {
			port = 587
		}
	}
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(port))
	dctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	raw, err := (&net.Dialer{}).DialContext(dctx, "tcp", addr)
	if err != nil {
		return classifyDial(cfg.Host, addr, err)
	}
	raw.SetDeadline(deadline)
	// Closing on ctx end unblocks every read and write at once.
	stop := context.AfterFunc(ctx, func() { raw.Close() })
	defer stop()

	conn := raw
	greeting := ""
	tlsConf := &tls.Config{ServerName: cfg.Host, RootCAs: m.RootCAs, MinVersion: tls.VersionTLS12}
	switch cfg.Encryption {
	case panel.EncryptionTLS:
		tc := tls.Client(raw, tlsConf)
		if err := tc.HandshakeContext(dctx); err != nil {
			raw.Close()
			return classifyTLS(err, "implicit TLS")
		}
		conn = tc
	case panel.EncryptionSTARTTLS:
		tc, err := m.startTLS(dctx, raw, tlsConf)
		if err != nil {
			raw.Close()
			return err
		}
		conn, greeting = tc, "220 "+cfg.Host+" ESMTP (TLS established by castdesk)\r\n"
	}
	guard := &guardConn{Conn: conn, greeting: greeting, requireAuth: cfg.Username != ""}
	defer guard.Close()

	server := simplemail.NewSMTPClient()
	server.Host, server.Port = cfg.Host, port
	server.Username, server.Password = cfg.Username, cfg.Password
	server.Authentication = simplemail.AuthAuto
	// The connection is already encrypted where asked; go-simple-mail must
	// neither dial nor try STARTTLS again.
	server.Encryption = simplemail.EncryptionNone
	if cfg.Encryption == panel.EncryptionTLS {
		server.Encryption = simplemail.EncryptionSSLTLS
	}
	server.CustomConn = guard
	server.Helo = m.helo()
	client, err := server.Connect()
	if err != nil {
		return guard.classify(err, cfg)
	}
	email := simplemail.NewMSG()
	from := msg.FromAddress
	if msg.FromName != "" {
		from = (&mail.Address{Name: msg.FromName, Address: msg.FromAddress}).String()
	}
	to := msg.To
	if msg.ToName != "" {
		to = (&mail.Address{Name: msg.ToName, Address: msg.To}).String()
	}
	email.SetFrom(from).AddTo(to).SetSubject(msg.Subject)
	if msg.MessageID != "" {
		email.AddHeader("Message-ID", "<"+msg.MessageID+">")
	}
	email.SetBody(simplemail.TextPlain, msg.Text)
	if msg.HTML != "" {
		email.AddAlternative(simplemail.TextHTML, msg.HTML)
	}
	if email.Error != nil {
		return mailErr(panel.MailErrInvalid, false, "The message could not be composed.", email.Error)
	}
	if err := email.SendEnvelopeFrom(msg.FromAddress, client); err != nil {
		return guard.classify(err, cfg)
	}
	client.Quit()
	return nil
}

func checkMessage(cfg panel.SMTPConfig, msg panel.Message) error {
	for _, v := range []string{msg.FromAddress, msg.FromName, msg.To, msg.ToName, msg.Subject, msg.MessageID, cfg.Host} {
		if strings.ContainsAny(v, "\r\n\x00") {
			return mailErr(panel.MailErrInvalid, false, "Refused: a header value holds a line break (header injection).", nil)
		}
	}
	for _, a := range []string{msg.FromAddress, msg.To} {
		if p, err := mail.ParseAddress(a); err != nil || p.Address != a {
			return mailErr(panel.MailErrInvalid, false, fmt.Sprintf("%q is not a valid email address.", a), err)
		}
	}
	if cfg.Host == "" {
		return mailErr(panel.MailErrNotConfigured, false, "No SMTP host is set.", nil)
	}
	return nil
}

// startTLS does the clear-text part of a STARTTLS session itself, so that
// a server not offering STARTTLS is refused instead of silently used in clear.
func (m *Mailer) startTLS(ctx context.Context, raw net.Conn, conf *tls.Config) (*tls.Conn, error) {
	text := textproto.NewConn(struct {
		io.Reader
		io.WriteCloser
	}{raw, nopCloser{raw}})
	if _, _, err := text.ReadResponse(220); err != nil {
		return nil, classifyProto(err, "greeting", false)
	}
	if err := text.PrintfLine("EHLO %s", m.helo()); err != nil {
		return nil, classifyNet(err, "EHLO")
	}
	_, ext, err := text.ReadResponse(250)
	if err != nil {
		return nil, classifyProto(err, "EHLO", false)
	}
	offered := false
	for _, line := range strings.Split(ext, "\n") {
		if strings.EqualFold(strings.TrimSpace(line), "STARTTLS") {
			offered = true
		}
	}
	if !offered {
		return nil, mailErr(panel.MailErrDowngradeRefused, false,
			"Refused: STARTTLS was asked for but the server does not offer it, so the connection would stay unencrypted. Choose implicit TLS (usually port 465) if the server supports it, or check the port.", nil)
	}
	if err := text.PrintfLine("STARTTLS"); err != nil {
		return nil, classifyNet(err, "STARTTLS")
	}
	if _, _, err := text.ReadResponse(220); err != nil {
		return nil, classifyProto(err, "STARTTLS", false)
	}
	tc := tls.Client(raw, conf)
	if err := tc.HandshakeContext(ctx); err != nil {
		return nil, classifyTLS(err, "STARTTLS")
	}
	return tc, nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

func classifyDial(host, addr string, err error) error {
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			return mailErr(panel.MailErrDNS, false, fmt.Sprintf("DNS: the SMTP host %q does not exist.", host), err)
		}
		return mailErr(panel.MailErrDNS, true, fmt.Sprintf("DNS: the SMTP host %q could not be looked up.", host), err)
	case isTimeout(err):
		return mailErr(panel.MailErrTimeout, true, fmt.Sprintf("Connect: %s did not answer in time.", addr), err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return mailErr(panel.MailErrConnect, true, fmt.Sprintf("Connect: %s refused the connection (nothing listens on that port, or a firewall).", addr), err)
	}
	return mailErr(panel.MailErrConnect, true, fmt.Sprintf("Connect: %s cannot be reached.", addr), err)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, syscall.ETIMEDOUT) ||
		(errors.As(err, &ne) && ne.Timeout())
}

func classifyTLS(err error, mode string) error {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	switch {
	case errors.As(err, &unknown):
		return mailErr(panel.MailErrCertificate, false, "Certificate: the server's certificate is not signed by a trusted authority.", err)
	case errors.As(err, &host):
		return mailErr(panel.MailErrCertificate, false, "Certificate: the server's certificate is not valid for this host name.", err)
	case errors.As(err, &invalid):
		return mailErr(panel.MailErrCertificate, false, "Certificate: the server's certificate is invalid (expired or not yet valid?).", err)
	case errors.As(err, &verify):
		return mailErr(panel.MailErrCertificate, false, "Certificate: the server's certificate could not be verified.", err)
	case isTimeout(err):
		return mailErr(panel.MailErrTimeout, true, "TLS: the server did not complete the "+mode+" handshake in time.", err)
	}
	hint := ""
	if mode == "implicit TLS" {
		hint = " Does the server speak TLS on this port? Port 587 usually wants STARTTLS, port 465 implicit TLS."
	}
	return mailErr(panel.MailErrTLS, false, "TLS: the "+mode+" handshake failed."+hint, err)
}

func classifyNet(err error, step string) error {
	if isTimeout(err) {
		return mailErr(panel.MailErrTimeout, true, "Timeout: the SMTP server did not answer in time ("+step+").", err)
	}
	return mailErr(panel.MailErrConnect, true, "Connect: the connection broke during "+step+".", err)
}

// classifyProto turns a failure at one SMTP step into a MailError: 4xx is
// temporary, 5xx permanent; network failures are timeouts or broken links.
func classifyProto(err error, step string, withUser bool) error {
	var te *textproto.Error
	if !errors.As(err, &te) {
		return classifyNet(err, step)
	}
	temporary := te.Code >= 400 && te.Code < 500
	reply := fmt.Sprintf("%d %s", te.Code, te.Msg)
	switch step {
	case "AUTH":
		return mailErr(panel.MailErrAuth, temporary, "Authentication failed: the server refused the username or password ("+reply+").", nil)
	case "RCPT":
		return mailErr(panel.MailErrRecipientRefused, temporary, "Recipient refused: the server does not accept mail for this address ("+reply+").", nil)
	case "MAIL":
		if te.Code == 530 || (te.Code == 550 && strings.Contains(strings.ToLower(te.Msg), "auth")) {
			return mailErr(panel.MailErrAuth, false, "The server requires authentication: set the SMTP username and password ("+reply+").", nil)
		}
		return mailErr(panel.MailErrRejected, temporary, "The server refused the sender (From address) ("+reply+").", nil)
	case "DATA":
		return mailErr(panel.MailErrRejected, temporary, "The server refused the message ("+reply+").", nil)
	case "greeting", "EHLO", "HELO":
		return mailErr(panel.MailErrConnect, temporary, "The SMTP server refused the session ("+reply+").", nil)
	case "STARTTLS":
		return mailErr(panel.MailErrTLS, temporary, "The server refused STARTTLS ("+reply+").", nil)
	}
	return mailErr(panel.MailErrRejected, temporary, "The SMTP server refused "+step+" ("+reply+").", nil)
}

// errNoAuth is what guardConn answers a MAIL FROM sent without AUTH.
var errNoAuth = errors.New("castdesk: MAIL FROM without AUTH refused")

// guardConn sits between go-simple-mail and the (encrypted) connection. It
// reads the plaintext commands go-simple-mail writes to know the current
// step and to stop an unauthenticated send when credentials are set.
type guardConn struct {
	net.Conn
	greeting    string
	requireAuth bool

	mu      sync.Mutex
	pending string // partial command line
	step    string // last command verb
	sawAuth bool
	inData  bool
	refused bool
	closed  bool
}

func (g *guardConn) Read(p []byte) (int, error) {
	g.mu.Lock()
	if g.greeting != "" {
		n := copy(p, g.greeting)
		g.greeting = g.greeting[n:]
		g.mu.Unlock()
		return n, nil
	}
	g.mu.Unlock()
	return g.Conn.Read(p)
}

func (g *guardConn) Write(p []byte) (int, error) {
	g.mu.Lock()
	if !g.inData {
		g.pending += string(p)
		for {
			i := strings.Index(g.pending, "\r\n")
			if i < 0 {
				break
			}
			line := g.pending[:i]
			g.pending = g.pending[i+2:]
			verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
			if strings.HasPrefix(strings.ToUpper(line), "MAIL FROM") {
				verb = "MAIL"
			} else if strings.HasPrefix(strings.ToUpper(line), "RCPT TO") {
				verb = "RCPT"
			}
			switch verb {
			// QUIT and RSET follow a failure: the step stays the one that failed.
			case "EHLO", "HELO", "AUTH", "MAIL", "RCPT", "DATA", "STARTTLS":
				g.step = verb
			}
			if verb == "AUTH" {
				g.sawAuth = true
			}
			if verb == "MAIL" && g.requireAuth && !g.sawAuth {
				g.refused = true
				g.mu.Unlock()
				return 0, errNoAuth
			}
			if verb == "DATA" {
				g.inData = true
				g.pending = ""
				break
			}
		}
	}
	g.mu.Unlock()
	return g.Conn.Write(p)
}

func (g *guardConn) Close() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return nil
	}
	g.closed = true
	return g.Conn.Close()
}

func (g *guardConn) classify(err error, cfg panel.SMTPConfig) error {
	g.mu.Lock()
	step, refused := g.step, g.refused
	g.mu.Unlock()
	if refused || errors.Is(err, errNoAuth) {
		return mailErr(panel.MailErrDowngradeRefused, false,
			"Refused: a username is set but the server offers no AUTH, so the message would go out unauthenticated. Check the port and encryption, or clear the username if the server needs none.", nil)
	}
	var te *textproto.Error
	if errors.As(err, &te) || isTimeout(err) {
		if step == "" {
			step = "greeting"
		}
		if isTimeout(err) {
			return mailErr(panel.MailErrTimeout, true, fmt.Sprintf("Timeout: the SMTP server did not answer in time (at %s).", stepName(step)), err)
		}
		return classifyProto(err, step, cfg.Username != "")
	}
	if step == "AUTH" {
		return mailErr(panel.MailErrAuth, false, "Authentication failed.", err)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return mailErr(panel.MailErrConnect, true, fmt.Sprintf("Connect: the SMTP server closed the connection (at %s).", stepName(step)), err)
	}
	return mailErr(panel.MailErrConnect, true, fmt.Sprintf("Sending failed (at %s).", stepName(step)), err)
}

func stepName(step string) string {
	if step == "" {
		return "greeting"
	}
	return step
}
