package desktop

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"path/filepath"
	"sync"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"castdesk/backend/ops"
	"castdesk/backend/panel"
)

// Events the window emits (runtime.EventsOn in the SPA):
const (
	// EventMediaChanged carries panel.MediaChanged after an account's index
	// changed, for accounts the window's login may see.
	EventMediaChanged = "media:changed"
	// EventMediaDropped carries MediaDrop after files were dropped on the
	// window; the SPA answers with the mediaAddDropped operation and the token.
	EventMediaDropped = "media:dropped"
)

// windowUI is the window's runtime state: the Wails context (known from
// OnStartup) and the files dropped on it, waiting for the SPA to place them.
type windowUI struct {
	mu    sync.Mutex
	ctx   context.Context
	drops map[string][]string

	pending map[int64]panel.MediaChanged
	wake    chan struct{}
}

// startup runs in OnStartup: it keeps the Wails context, forwards media
// changes to the page and receives dropped files.
func (s *Session) startup(ctx context.Context, log *slog.Logger) {
	ui := &s.ui
	ui.mu.Lock()
	ui.ctx = ctx
	ui.drops = map[string][]string{}
	ui.pending = map[int64]panel.MediaChanged{}
	ui.wake = make(chan struct{}, 1)
	ui.mu.Unlock()
	s.panel.Media.Relay.Attach(s)
	go s.emitLoop(ctx)
	runtime.OnFileDrop(ctx, func(_, _ int, paths []string) {
		var rnd [12]byte
		rand.Read(rnd[:])
		token := hex.EncodeToString(rnd[:])
		names := make([]string, len(paths))
		for i, p := range paths {
			names[i] = filepath.Base(p)
		}
		ui.mu.Lock()
		if len(ui.drops) > 16 { // unclaimed drops do not pile up
			clear(ui.drops)
		}
		ui.drops[token] = paths
		ui.mu.Unlock()
		runtime.EventsEmit(ctx, EventMediaDropped, ops.MediaDrop{Token: token, Names: names})
	})
}

// Publish implements panel.Notifier. It never blocks the watcher: the
// latest change per account waits for emitLoop.
func (s *Session) Publish(ev panel.MediaChanged) {
	ui := &s.ui
	ui.mu.Lock()
	if ui.pending == nil {
		ui.mu.Unlock()
		return
	}
	ui.pending[ev.AccountID] = ev
	ui.mu.Unlock()
	select {
	case ui.wake <- struct{}{}:
	default:
	}
}

// emitLoop sends pending changes to the page, each only if the window's
// login may see that account (any script in the page receives events).
func (s *Session) emitLoop(ctx context.Context) {
	ui := &s.ui
	for {
		select {
		case <-ctx.Done():
			return
		case <-ui.wake:
		}
		ui.mu.Lock()
		batch := ui.pending
		ui.pending = map[int64]panel.MediaChanged{}
		ui.mu.Unlock()
		callCtx, cancel := context.WithTimeout(ctx, ops.DefaultTimeout)
		callCtx, err := s.withCaller(callCtx)
		if _, loggedIn := panel.CallerFrom(callCtx); err != nil || !loggedIn {
			cancel()
			continue // nobody logged in: nothing to show
		}
		for id, ev := range batch {
			if s.panel.Media.CanSee(callCtx, id) {
				runtime.EventsEmit(ctx, EventMediaChanged, ev)
			}
		}
		cancel()
	}
}

func (s *Session) wailsContext() context.Context {
	s.ui.mu.Lock()
	defer s.ui.mu.Unlock()
	return s.ui.ctx
}
