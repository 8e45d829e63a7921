package testkit

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"castdesk/backend/media"
	"castdesk/backend/panel"
)

// StartMedia builds a second panel over the same store with the live media
// index wired in (Deps.MediaIndex, Deps.Storage) and runs a folder watcher
// until the test ends. Sessions are shared: contexts and cookies from Env
// work with it. It returns once the start-up reconcile is done.
func (e *Env) StartMedia(t testing.TB) (*panel.Panel, *media.Watcher) {
	t.Helper()
	folders := &media.Folders{}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	p := panel.New(panel.Deps{Store: e.Store, Folders: folders, DataDir: e.Dir, Now: e.Clock.Now, Log: log,
		MediaIndex: e.Store, Storage: folders, Outbox: e.Store, Mailer: e.Mailer, Secrets: e.Secrets})
	w := &media.Watcher{Index: e.Store, Notify: p.Media.Relay, Root: p.Media.ContentRoot, Log: log,
		Debounce: 20 * time.Millisecond, PollInterval: 200 * time.Millisecond}
	p.Media.Monitor = w
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-w.Ready():
	case <-time.After(30 * time.Second):
		t.Fatal("media watcher: start-up reconcile did not finish")
	}
	return p, w
}

// ContentRoot is the default content root of the env.
func (e *Env) ContentRoot() string { return filepath.Join(e.Dir, "content") }
