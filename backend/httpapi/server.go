// Package httpapi is the web door: the JSON API under /api/v1, cookie
// sessions for the web panel, and the same SPA the desktop window shows.
package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"castdesk/backend/ops"
	"castdesk/backend/panel"
)

const (
	sessionCookie = "castdesk_session"
	// csrfHeader must accompany every unsafe cookie-authenticated request: a
	// cross-site form cannot set it, and a cross-site fetch that sets it needs
	// a CORS preflight we never grant.
	csrfHeader = "X-Requested-With"
	csrfValue  = "castdesk"
	maxBody    = 1 << 20
)

// ContentSecurityPolicy is the same on both doors: nothing but our own origin.
const ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

type Server struct {
	panel *panel.Panel
	log   *slog.Logger
	mux   *http.ServeMux
	// patterns lists every API route registered, for the OpenAPI document
	// and the test that keeps it true.
	patterns []string
	// media fans live media updates out to event streams (media.go).
	media *mediaHub
	// The OpenAPI document, built at its first request (openapi.go).
	openAPIOnce sync.Once
	openAPIJSON []byte
	openAPIErr  error
	// opts: trusted proxies (proxy.go).
	opts Options
}

// New builds the handler. assets is the built SPA (frontend/dist).
func New(p *panel.Panel, assets fs.FS, log *slog.Logger) http.Handler {
	return NewWithOptions(p, assets, log, Options{})
}

// NewWithOptions is New for a deployed server (serve's flags, proxy.go).
func NewWithOptions(p *panel.Panel, assets fs.FS, log *slog.Logger, opts Options) http.Handler {
	s := &Server{panel: p, log: log, mux: http.NewServeMux(), media: newMediaHub(), opts: opts}
	p.Media.Relay.Attach(s.media)
	s.mount()
	s.mux.Handle("GET /", spaHandler(assets))
	return s
}

// Patterns lists the API routes registered, in order (the OpenAPI test reads it).
func (s *Server) Patterns() []string { return append([]string(nil), s.patterns...) }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r = s.withClient(r) // the client's address and scheme, once (proxy.go)
	h := w.Header()
	if isHTTPS(r) {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	if !strings.HasPrefix(r.URL.Path, "/api/") {
		s.mux.ServeHTTP(w, r)
		return
	}
	h.Set("Cache-Control", "no-store")
	if isUnsafe(r.Method) && !hasBearer(r) && crossSite(r) {
		// Even with the header: a browser says another site sent this.
		s.writeError(w, r, panel.Forbidden("Cross-site requests are refused."))
		return
	}
	if isUnsafe(r.Method) && !hasBearer(r) && r.Header.Get(csrfHeader) != csrfValue {
		s.writeError(w, r, panel.Forbidden("Missing the X-Requested-With: castdesk header."))
		return
	}
	ctx, err := s.authenticate(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	r = r.WithContext(ctx)
	if _, pattern := s.mux.Handler(r); pattern == "" || pattern == "GET /" {
		s.writeError(w, r, s.unmatched(r))
		return
	}
	s.mux.ServeHTTP(w, r)
}

// unmatched tells a wrong method on a known path from an unknown path.
func (s *Server) unmatched(r *http.Request) error {
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "GET /" {
			return &panel.Error{Code: panel.CodeMethodNotAllowed, Message: r.Method + " is not allowed here."}
		}
	}
	return panel.NotFound("API route")
}

func isUnsafe(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

// hasBearer: an API client's request. It needs no CSRF header because
// authenticate then never looks at the cookie, and a cross-site form or
// fetch cannot set Authorization without a preflight we never grant.
func hasBearer(r *http.Request) bool {
	scheme, _, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	return strings.EqualFold(scheme, "Bearer")
}

// clientID is who is throttled, audited and shown in the session list: the
// remote IP, or the client behind a trusted proxy (proxy.go). Forwarding
// headers from any other peer are ignored (anyone can send them).
func clientID(r *http.Request) string {
	if c, ok := r.Context().Value(clientKey{}).(clientInfo); ok {
		return c.addr
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// authenticate attaches the caller of an API key (Authorization: Bearer) or
// of a valid session cookie. A bad key is an error at once, whatever the
// route; a missing or stale cookie is not: routes that need a caller refuse
// in the panel services.
func (s *Server) authenticate(r *http.Request) (context.Context, error) {
	ctx := r.Context()
	if auth := r.Header.Get("Authorization"); auth != "" {
		if !hasBearer(r) {
			return ctx, &panel.Error{Code: panel.CodeUnauthorized, Message: "Send the API key as Authorization: Bearer <key>."}
		}
		_, key, _ := strings.Cut(auth, " ")
		caller, err := s.panel.Auth.AuthenticateKey(ctx, strings.TrimSpace(key), clientID(r))
		if err != nil {
			return ctx, err
		}
		return panel.WithCaller(ctx, caller), nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return ctx, nil
	}
	caller, err := s.panel.Auth.Authenticate(ctx, c.Value)
	if panel.IsCode(err, panel.CodeUnauthorized) {
		return ctx, nil
	}
	if err != nil {
		return ctx, err
	}
	return panel.WithCaller(ctx, caller), nil
}

func setSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: isHTTPS(r)})
}

func clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: isHTTPS(r)})
}

// StatusOf maps panel error codes to HTTP statuses (docs/api.md, "Errors").
func StatusOf(code panel.Code) int {
	switch code {
	case panel.CodeInvalid:
		return http.StatusBadRequest
	case panel.CodeUnauthorized:
		return http.StatusUnauthorized
	case panel.CodeForbidden:
		return http.StatusForbidden
	case panel.CodeNotFound:
		return http.StatusNotFound
	case panel.CodeConflict:
		return http.StatusConflict
	case panel.CodeLimitExceeded:
		return http.StatusUnprocessableEntity
	case panel.CodeRateLimited:
		return http.StatusTooManyRequests
	case panel.CodeUnavailable:
		return http.StatusServiceUnavailable
	case panel.CodeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case panel.CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	pe := panel.AsError(err)
	status := StatusOf(pe.Code)
	if status >= 500 {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if wait := panel.RetryAfter(pe); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(wait))
	}
	writeJSON(w, status, pe)
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	if body == nil {
		body = struct{}{}
	}
	json.NewEncoder(w).Encode(body)
}

// decode reads a JSON body into dst with clear errors for the usual mistakes.
func decode(r *http.Request, dst any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return &panel.Error{Code: panel.CodeInvalid, Message: "Send the body as application/json."}
	}
	dec := json.NewDecoder(r.Body)
	err := dec.Decode(dst)
	var tooLarge *http.MaxBytesError
	switch {
	case err == nil:
		if dec.More() {
			return &panel.Error{Code: panel.CodeInvalid, Message: "The body must hold a single JSON object."}
		}
		return nil
	case errors.As(err, &tooLarge):
		return &panel.Error{Code: panel.CodeTooLarge, Message: "The request body is too large."}
	case errors.Is(err, io.EOF):
		return &panel.Error{Code: panel.CodeInvalid, Message: "The request body is empty; send a JSON object."}
	}
	return ops.InputError(err)
}

// spaHandler serves the built SPA; unknown paths get index.html, since the
// SPA routes in the URL hash and a bookmarked path should still open it.
func spaHandler(assets fs.FS) http.Handler {
	files := http.FileServerFS(assets)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/")
		if name == "" {
			name = "index.html"
		}
		if _, err := fs.Stat(assets, name); err != nil {
			r = r.Clone(r.Context())
			r.URL.Path = "/"
		}
		if strings.HasPrefix(r.URL.Path, "/assets/") {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		}
		files.ServeHTTP(w, r)
	})
}
