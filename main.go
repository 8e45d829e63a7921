// Castdesk: the customer-accounts desk of a streaming-media hosting panel.
//
//	castdesk                       the desktop window
//	castdesk serve                 the web panel and JSON API
//	castdesk admin ...             console rescue (no UI needed)
package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"golang.org/x/term"

	"castdesk/backend/desktop"
	"castdesk/backend/httpapi"
	"castdesk/backend/panel"
)

// version and commit are set at build time (-ldflags "-X main.version=...
// -X main.commit=..."; see scripts/version.sh).
var (
	version = "dev"
	commit  = ""
	// buildDate is the built commit's time (RFC 3339, UTC; Makefile BUILD_DATE).
	buildDate = ""
)

// versionLine is what --version prints: "castdesk VERSION (commit HASH)".
func versionLine() string {
	if commit == "" {
		return "castdesk " + version
	}
	return "castdesk " + version + " (commit " + commit + ")"
}

//go:embed all:frontend/dist
var embedded embed.FS

const usage = `Castdesk — customer accounts for streaming-media hosting.

Usage:
  castdesk [--data DIR]                       open the desktop window
  castdesk serve [--addr HOST:PORT] [--data DIR] [--tls-cert FILE --tls-key FILE]
                 [--trusted-proxy CIDR]...    serve the web panel and /api/v1
                                              (HTTPS with --tls-cert; SIGHUP reloads it;
                                              --trusted-proxy: believe its X-Forwarded-For)
  castdesk admin create --username U --name N --email E [--level admin|customer]
                        [--password-stdin] [--data DIR]
                                              create an account from the console
  castdesk admin reset-password USERNAME [--password-stdin] [--data DIR]
                                              set a new password from the console
  castdesk admin backup --out FILE.zip [--data DIR]
                                              back up the database and media folders (online)
  castdesk admin restore FILE.zip [--data DIR] [--force]
                                              restore a backup (Castdesk must not be running)
  castdesk admin reset-2fa USERNAME [--data DIR]
                                              remove an account's second factor
  castdesk --version                          print the version
  castdesk --licenses                         print Castdesk's licence and the third-party notices
  castdesk --help                             this help

The data directory defaults to %s.
`

func main() {
	panel.Version = version
	setBuildInfo()
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "":
		return runDesktop(args, stdout, stderr)
	case "serve":
		return runServe(args, stdout, stderr)
	case "admin":
		return runAdmin(args, stdin, stdout, stderr)
	case "help":
		printUsage(stdout)
		return 0
	case "version":
		fmt.Fprintln(stdout, versionLine())
		return 0
	}
	fmt.Fprintf(stderr, "castdesk: unknown command %q\n\n", cmd)
	printUsage(stderr)
	return 2
}

func printUsage(w io.Writer) {
	dir, err := defaultDataDir()
	if err != nil {
		dir = "(none: pass --data DIR)"
	}
	fmt.Fprintf(w, usage, dir)
}

// newFlags makes a flag set whose --help prints our usage and exits 0.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { printUsage(stderr) }
	return fs
}

// parse returns an exit code when the command should stop (help, bad flags).
func parse(fs *flag.FlagSet, args []string, stdout io.Writer) (int, bool) {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		printUsage(stdout)
		return 0, false
	}
	if err != nil {
		return 2, false
	}
	return 0, true
}

func assets() fs.FS {
	sub, err := fs.Sub(embedded, "frontend/dist")
	if err != nil {
		panic(err)
	}
	return sub
}

func runDesktop(args []string, stdout, stderr io.Writer) int {
	fl := newFlags("castdesk", stderr)
	dataDir := fl.String("data", "", "data directory")
	showVersion := fl.Bool("version", false, "print the version")
	showLicenses := fl.Bool("licenses", false, "print the licences")
	if code, ok := parse(fl, args, stdout); !ok {
		return code
	}
	if *showVersion {
		fmt.Fprintln(stdout, versionLine())
		return 0
	}
	if *showLicenses {
		printLicenses(stdout)
		return 0
	}
	if runtime.GOOS == "linux" && os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		fmt.Fprintln(stderr, "castdesk: no display found (DISPLAY and WAYLAND_DISPLAY are not set), so the window cannot open.")
		fmt.Fprintln(stderr, "On a server, run the web panel instead:  castdesk serve   (then open the URL it prints in a browser)")
		return 2
	}
	// One window per data directory: a second launch brings the first to
	// the front and leaves without opening the data directory.
	if dir, err := resolveDataDir(*dataDir); err == nil && desktop.AlreadyOpen(dir) {
		fmt.Fprintf(stdout, "Castdesk is already open on %s: its window was brought to the front.\n", dir)
		return 0
	}
	ctx := context.Background()
	desktop.Trace("main: opening the data directory")
	a, err := openApp(ctx, *dataDir, true)
	if err != nil {
		fmt.Fprintln(stderr, "castdesk:", err)
		return 1
	}
	defer a.close()
	desktop.Trace("data directory open (SQLite, migrations, services)")
	a.start(ctx)
	a.panel.SetWorker(panel.WorkerWatcher, panel.WorkerRunning)
	a.panel.SetWorker(panel.WorkerMail, panel.WorkerRunning)
	desktop.Trace("start-up work started in the background (reconcile, media watcher, workers)")
	if err := desktop.Run(a.panel, assets(), a.log, httpapi.ContentSecurityPolicy, a.dataDir); err != nil {
		fmt.Fprintln(stderr, "castdesk: the window failed:", err)
		return 1
	}
	return 0
}

func runServe(args []string, stdout, stderr io.Writer) int {
	fl := newFlags("castdesk serve", stderr)
	addr := fl.String("addr", "127.0.0.1:2020", "address to listen on (HOST:PORT; port 0 picks a free one)")
	dataDir := fl.String("data", "", "data directory")
	tlsCert := fl.String("tls-cert", "", "serve HTTPS with this certificate (PEM, chain included); SIGHUP reloads it")
	tlsKey := fl.String("tls-key", "", "the private key of --tls-cert (PEM)")
	var trusted proxyFlag
	fl.Var(&trusted, "trusted-proxy", "a reverse proxy (CIDR or address) whose X-Forwarded-For/-Proto and Forwarded are believed; repeatable")
	if code, ok := parse(fl, args, stdout); !ok {
		return code
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		fmt.Fprintln(stderr, "castdesk serve: --tls-cert and --tls-key go together")
		return 2
	}
	var certs *certReloader
	if *tlsCert != "" {
		var err error
		if certs, err = newCertReloader(*tlsCert, *tlsKey); err != nil {
			fmt.Fprintln(stderr, "castdesk:", err)
			return 1
		}
	}
	// serve never calls the window's libraries: their pages, touched by the
	// dynamic loader at start, need not stay resident (serve_memory_linux.go).
	// CASTDESK_KEEP_WINDOW_LIBRARIES=1 keeps them, should a system's GTK or
	// WebKit run code of theirs in serve in a way not foreseen there.
	keepLibraries := os.Getenv("CASTDESK_KEEP_WINDOW_LIBRARIES") != ""
	if !keepLibraries {
		dropWindowLibraries()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := openApp(ctx, *dataDir, true)
	if err != nil {
		fmt.Fprintln(stderr, "castdesk:", err)
		return 1
	}
	defer a.close()
	// Pages of theirs touched again since (a new thread copies each
	// library's thread-local data) go back at each idle trim.
	if !keepLibraries {
		a.alsoTrim = func() { dropWindowLibraries() }
	}
	a.start(ctx)
	a.panel.SetWorker(panel.WorkerWatcher, panel.WorkerRunning)
	a.panel.SetWorker(panel.WorkerMail, panel.WorkerRunning)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "castdesk: cannot listen on %s: %v\n", *addr, err)
		return 1
	}
	srv := &http.Server{
		Handler:           httpapi.NewWithOptions(a.panel, assets(), a.log, httpapi.Options{TrustedProxies: trusted}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	if h, ok := srv.Handler.(interface{ CloseStreams() }); ok {
		srv.RegisterOnShutdown(h.CloseStreams) // event streams would hold up a graceful shutdown
	}
	scheme := "http"
	if certs != nil {
		scheme = "https"
		srv.TLSConfig = certs.config()
		ln = tls.NewListener(ln, srv.TLSConfig)
		hup := make(chan os.Signal, 1)
		signal.Notify(hup, syscall.SIGHUP)
		defer signal.Stop(hup)
		go func() {
			for range hup {
				if err := certs.reload(); err != nil {
					a.log.Error("TLS certificate not reloaded; the previous one stays", "err", err)
					continue
				}
				a.log.Info("TLS certificate reloaded", "cert", *tlsCert)
			}
		}()
	}
	exposed := certs == nil && reachableByOthers(ln.Addr())
	a.panel.SetPlainHTTP(exposed)
	if exposed {
		fmt.Fprintf(stderr, `
WARNING: Castdesk answers over plain HTTP on %s, an address other machines can reach.
WARNING: Passwords and session cookies would cross the network readable by anyone on the way.
WARNING: Use --tls-cert/--tls-key, or listen on 127.0.0.1 behind a TLS reverse proxy
WARNING: (nginx or Caddy, with --trusted-proxy; README "Install", docs/deploy/).

`, ln.Addr())
		a.log.Warn("serving plain HTTP on an address other machines can reach; use TLS or a TLS reverse proxy", "addr", ln.Addr().String())
	}
	fmt.Fprintf(stdout, "Castdesk %s is serving at %s://%s/ (data: %s). Press Ctrl+C to stop.\n", version, scheme, ln.Addr(), a.dataDir)
	a.log.Info("serving", "addr", ln.Addr().String(), "scheme", scheme, "data", a.dataDir, "trusted_proxies", trusted.String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintln(stderr, "castdesk: server stopped:", err)
		return 1
	case <-ctx.Done():
	}
	// SIGTERM or Ctrl+C: stop accepting, let requests in flight finish (up
	// to 10 s; event streams are closed), then a.close (deferred) stops the
	// mail worker, the watcher and the other workers and closes the database.
	a.log.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		a.log.Warn("requests still running at shutdown were cut", "err", err)
	}
	a.panel.SetWorker(panel.WorkerWatcher, panel.WorkerStopped)
	a.panel.SetWorker(panel.WorkerMail, panel.WorkerStopped)
	fmt.Fprintln(stdout, "Castdesk stopped.")
	return 0
}

func runAdmin(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(stderr, "castdesk admin: say what to do: create, reset-password, reset-2fa, backup or restore")
		printUsage(stderr)
		return 2
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "create":
		return adminCreate(args, stdin, stdout, stderr)
	case "reset-password":
		return adminResetPassword(args, stdin, stdout, stderr)
	case "reset-2fa":
		return adminReset2FA(args, stdout, stderr)
	case "backup":
		return adminBackup(args, stdout, stderr)
	case "restore":
		return adminRestore(args, stdout, stderr)
	}
	fmt.Fprintf(stderr, "castdesk admin: unknown command %q (create, reset-password, reset-2fa, backup, restore)\n", sub)
	return 2
}

func adminCreate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fl := newFlags("castdesk admin create", stderr)
	dataDir := fl.String("data", "", "data directory")
	username := fl.String("username", "", "login name")
	name := fl.String("name", "", "full name")
	email := fl.String("email", "", "email address")
	level := fl.String("level", "admin", "admin or customer")
	fromStdin := fl.Bool("password-stdin", false, "read the password from the first line of standard input")
	if code, ok := parse(fl, args, stdout); !ok {
		return code
	}
	pw, confirm, err := readNewPassword(*fromStdin, stdin, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "castdesk:", err)
		return 1
	}
	ctx := panel.Operator(context.Background())
	a, err := openApp(ctx, *dataDir, false)
	if err != nil {
		fmt.Fprintln(stderr, "castdesk:", err)
		return 1
	}
	defer a.close()
	acc, err := a.panel.Accounts.Create(ctx, panel.CreateAccountInput{Username: *username, Name: *name, Email: *email,
		Level: panel.Level(*level), Password: pw, PasswordConfirm: confirm})
	if err != nil {
		printPanelError(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "Created %s account %q (ID %d).\n", acc.Level, acc.Username, acc.ID)
	return 0
}

func adminResetPassword(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fl := newFlags("castdesk admin reset-password", stderr)
	dataDir := fl.String("data", "", "data directory")
	fromStdin := fl.Bool("password-stdin", false, "read the password from the first line of standard input")
	username, code, ok := parseWithUsername(fl, args, stdout, stderr, "say whose password")
	if !ok {
		return code
	}
	ctx := panel.Operator(context.Background())
	a, err := openApp(ctx, *dataDir, false)
	if err != nil {
		fmt.Fprintln(stderr, "castdesk:", err)
		return 1
	}
	defer a.close()
	id, err := a.panel.Accounts.IDByUsername(ctx, username)
	if err != nil {
		printPanelError(stderr, err)
		return 1
	}
	pw, confirm, err := readNewPassword(*fromStdin, stdin, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "castdesk:", err)
		return 1
	}
	if err := a.panel.Accounts.SetPassword(ctx, id, panel.SetPasswordInput{Password: pw, PasswordConfirm: confirm}); err != nil {
		printPanelError(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "The password of %q is changed; its sessions have ended.\n", username)
	return 0
}

// readNewPassword reads a password twice from the terminal without echo, or
// once from stdin for scripts.
func readNewPassword(fromStdin bool, stdin io.Reader, stderr io.Writer) (string, string, error) {
	if fromStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !(errors.Is(err, io.EOF) && line != "") {
			return "", "", errors.New("no password on standard input")
		}
		pw := strings.TrimRight(line, "\r\n")
		return pw, pw, nil
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return "", "", errors.New("standard input is not a terminal: use --password-stdin")
	}
	fmt.Fprint(stderr, "New password: ")
	pw, err := term.ReadPassword(fd)
	fmt.Fprintln(stderr)
	if err != nil {
		return "", "", err
	}
	fmt.Fprint(stderr, "Confirm password: ")
	confirm, err := term.ReadPassword(fd)
	fmt.Fprintln(stderr)
	return string(pw), string(confirm), err
}

func printPanelError(w io.Writer, err error) {
	pe := panel.AsError(err)
	fmt.Fprintln(w, "castdesk:", pe.Message)
	for field, reason := range pe.Fields {
		fmt.Fprintf(w, "  %s: %s\n", field, reason)
	}
	if pe.Code == panel.CodeInternal {
		fmt.Fprintln(w, "  cause:", err)
	}
}

// parseWithUsername parses an admin command that names one account:
// USERNAME may come before or after the flags; what says what is missing
// when none is given.
func parseWithUsername(fl *flag.FlagSet, args []string, stdout, stderr io.Writer, what string) (username string, code int, ok bool) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		username, args = args[0], args[1:]
	}
	if code, ok := parse(fl, args, stdout); !ok {
		return "", code, false
	}
	if username == "" && fl.NArg() > 0 {
		username = fl.Arg(0)
	}
	if username == "" {
		fmt.Fprintf(stderr, "%s: %s: %s USERNAME\n", fl.Name(), what, fl.Name())
		return "", 2, false
	}
	return username, 0, true
}
