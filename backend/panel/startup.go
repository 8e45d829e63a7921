package panel

import (
	"context"
	"runtime/debug"
	"sync"
)

// Start-up work runs in the background so a restart answers at once, even
// with 100,000 accounts: the folder reconcile (Accounts.reconcileFolders)
// and the media index's first pass both walk every account folder. /health
// says "indexing" meanwhile.
//
// The folder reconcile decides what to do with folders set aside by a delete
// from a snapshot of the account IDs, so a delete running alongside it could
// have its folder restored. Deletes therefore wait for it: startGate holds
// MoveAside until the reconcile is done. Creates need no gate (a new account
// is not in the snapshot, and its folder is not aside).

// startGate wraps the media folders; MoveAside waits for the start-up
// reconcile.
type startGate struct {
	MediaFolders
	mu      sync.Mutex
	pending chan struct{} // open while the start-up reconcile runs
}

func (g *startGate) wait() chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.pending
}

func (g *startGate) MoveAside(root string, accountID int64) (string, error) {
	if ch := g.wait(); ch != nil {
		<-ch
	}
	return g.MediaFolders.MoveAside(root, accountID)
}

// busy tells whether the start-up reconcile still runs.
func (g *startGate) busy() bool {
	ch := g.wait()
	if ch == nil {
		return false
	}
	select {
	case <-ch:
		return false
	default:
		return true
	}
}

// startBackground runs the start-up reconcile in the background and returns
// at once. Its failure is logged, not fatal: the panel works, and the next
// start tries again.
func (p *Panel) startBackground(ctx context.Context) error {
	g, ok := p.deps.Folders.(*startGate)
	if !ok {
		return p.Accounts.reconcileFolders(ctx)
	}
	done := make(chan struct{})
	g.mu.Lock()
	g.pending = done
	g.mu.Unlock()
	go func() {
		defer close(done)
		// The dummy hash an unknown username is checked against: computed
		// now rather than in the first login, which would then take two.
		dummyHash()
		if err := p.Accounts.reconcileFolders(ctx); err != nil {
			p.deps.Log.Error("start-up reconcile incomplete", "err", err)
		}
		// The first login's other first uses (auth_warm.go), after the
		// reconcile's writes so that its commit is the start-up's last.
		if err := p.Auth.warmLogin(ctx); err != nil {
			p.deps.Log.Error("start-up login warm-up failed", "err", err)
		}
		// Its garbage (every account ID, the root's listing) need not stay
		// resident in an idle desk (make bench: serve idle RSS).
		debug.FreeOSMemory()
	}()
	return nil
}

// StartDone is closed once the start-up reconcile begun by Start is done
// (at once when Start was not called).
func (p *Panel) StartDone() <-chan struct{} {
	if g, ok := p.deps.Folders.(*startGate); ok {
		if ch := g.wait(); ch != nil {
			return ch
		}
	}
	closed := make(chan struct{})
	close(closed)
	return closed
}

// indexing tells whether start-up work still runs: the folder reconcile, or
// the media index's first pass when the watcher runs.
func (p *Panel) indexing() bool {
	if g, ok := p.deps.Folders.(*startGate); ok && g.busy() {
		return true
	}
	if m, ok := p.deps.Monitor.(interface{ Ready() <-chan struct{} }); ok && p.deps.Monitor.Status().Running {
		select {
		case <-m.Ready():
		default:
			return true
		}
	}
	return false
}
