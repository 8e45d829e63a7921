// Package desktop is the window door: the only package that imports Wails.
// Its bound structs are thin: each method authenticates the window's session,
// then calls the same panel service the HTTP door calls.
package desktop

import (
	"context"
	"sync"
	"time"

	"castdesk/backend/panel"
)

// callTimeout bounds every bound call, so a stuck dependency cannot freeze the window.
const callTimeout = 30 * time.Second

// Session is the window's login. The token lives only in this process: no
// cookie, no file, nothing a page script can read.
type Session struct {
	panel *panel.Panel
	mu    sync.Mutex
	token string
	// ui is the window's runtime state (media.go).
	ui windowUI
}

func NewSession(p *panel.Panel) *Session { return &Session{panel: p} }

func (s *Session) set(token string) {
	s.mu.Lock()
	s.token = token
	s.mu.Unlock()
}

func (s *Session) get() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.token
}

// anonymous is the context of calls that need no login (health, setup, login).
func (s *Session) anonymous() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), callTimeout)
}

// caller authenticates the window's session for one call. Authorization
// itself happens in the panel services, as for every door.
func (s *Session) caller() (context.Context, context.CancelFunc, error) {
	ctx, cancel := s.anonymous()
	token := s.get()
	if token == "" {
		cancel()
		return nil, nil, panel.Unauthorized()
	}
	c, err := s.panel.Auth.Authenticate(ctx, token)
	if err != nil {
		cancel()
		if panel.IsCode(err, panel.CodeUnauthorized) {
			s.set("")
		}
		return nil, nil, err
	}
	return panel.WithCaller(ctx, c), cancel, nil
}

// Empty is the input of calls that take none: every bound method takes
// exactly one argument, so the SPA's transport has one rule.
type Empty struct{}

// IDInput names one object.
type IDInput struct {
	ID int64 `json:"id"`
}

// AccountResult is {account}, as the HTTP door answers.
type AccountResult struct {
	Account *panel.Account `json:"account"`
}

// withCaller runs fn as the window's logged-in account: the one shape of
// every bound method that needs a login.
func withCaller[T any](s *Session, fn func(ctx context.Context) (T, error)) (T, error) {
	ctx, cancel, err := s.caller()
	if err != nil {
		var zero T
		return zero, err
	}
	defer cancel()
	return fn(ctx)
}

// done adapts calls that return only an error.
func done(err error) (Done, error) { return Done{err == nil}, err }
