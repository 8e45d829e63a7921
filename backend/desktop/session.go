// Package desktop is the window door: the only package that imports Wails.
// Its bound structs are thin: each method authenticates the window's session,
// then calls the same panel service the HTTP door calls.
package desktop

import (
	"context"
	"sync"

	"castdesk/backend/panel"
)

// Session is the window's login. The token lives only in this process: no
// cookie, no file, nothing a page script can read.
type Session struct {
	panel *panel.Panel
	mu    sync.Mutex
	token string
	// pending is a login awaiting its second factor (security.go).
	pending string
	// ui is the window's runtime state (media.go).
	ui windowUI
	// devices are the window's device tokens (device.go).
	devices windowDevices
	// chrome is the menu, the window's state and the quit question
	// (chrome.go); nil when no window runs (tests).
	chrome *chrome
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

// withCaller attaches the window's logged-in account to ctx, as the HTTP
// door attaches a cookie's: no login, or one that has ended, leaves ctx
// anonymous and the services refuse what needs a caller.
func (s *Session) withCaller(ctx context.Context) (context.Context, error) {
	token := s.get()
	if token == "" {
		return ctx, nil
	}
	c, err := s.panel.Auth.Authenticate(ctx, token)
	if panel.IsCode(err, panel.CodeUnauthorized) {
		s.set("")
		return ctx, nil
	}
	if err != nil {
		return ctx, err
	}
	return panel.WithCaller(ctx, c), nil
}
