package testkit

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"castdesk/backend/media"
	"castdesk/backend/panel"
)

// StartMedia runs the panel's media watcher (Env.Watcher) until the test
// ends and returns once its start-up reconcile is done. It answers Env.Panel
// (whose Media.Status reports that watcher) and the watcher.
func (e *Env) StartMedia(t testing.TB) (*panel.Panel, *media.Watcher) {
	t.Helper()
	if e.watching {
		t.Fatal("testkit: StartMedia called twice on one Reopen")
	}
	e.watching = true
	w := e.Watcher
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
	return e.Panel, w
}

// ContentRoot is the default content root of the env.
func (e *Env) ContentRoot() string { return filepath.Join(e.Dir, "content") }
