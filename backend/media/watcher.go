package media

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"

	"castdesk/backend/panel"
)

// Watcher keeps the media index in step with the content root (docs/spec.md §9).
//
// How it stays exact: an event never says what changed, only where to look.
// Every event marks a path of an account dirty; after a quiet moment (per
// account, so a burst costs one pass) the watcher looks at each dirty path on
// disk and makes the index say what it finds there. Renames, atomic saves,
// events for a path that is already gone, or a whole folder moved in from
// elsewhere all come down to "look again". When events were lost (queue
// overflow) it looks again at everything; where it could not watch (the
// inotify limit) it looks again every PollInterval.
type Watcher struct {
	Index panel.MediaIndex
	// Notify hears of every account whose index changed (may be nil).
	Notify panel.Notifier
	// Root answers the content root; it is asked again every RootCheck, and
	// a new answer restarts the watcher on the new root.
	Root func(ctx context.Context) (string, error)
	Log  *slog.Logger

	Debounce     time.Duration // quiet time before an account's changes are indexed (default 40ms)
	MaxDelay     time.Duration // a continuous burst is indexed at least this often (default 500ms)
	PollInterval time.Duration // rescan of folders that could not be watched (default 2s)
	RootCheck    time.Duration // how often the content root setting is re-read (default 5s)
	// MaxWatches caps the inotify watches this watcher takes (0: only the
	// kernel's fs.inotify.max_user_watches limits it).
	MaxWatches int

	// stall, when set, blocks the event reader until it is closed: tests use
	// it to stop draining the kernel queue until it overflows.
	stall chan struct{}

	mu        sync.Mutex
	status    Status
	cur       *state // the run in progress, for Status
	readyOnce sync.Once
	ready     chan struct{}
}

// Status is what the watcher is doing, for the admin and the tests.
type Status = panel.MediaWatchStatus

func (w *Watcher) Status() Status {
	w.mu.Lock()
	s, cur := w.status, w.cur
	w.mu.Unlock()
	if cur != nil {
		cur.mu.Lock()
		s.Watches, s.PolledAccounts = cur.count, len(cur.polled)
		cur.mu.Unlock()
	}
	return s
}

func (w *Watcher) setStatus(fn func(*Status)) {
	w.mu.Lock()
	fn(&w.status)
	w.mu.Unlock()
}

// Ready is closed once the first full reconcile of the index is done.
func (w *Watcher) Ready() <-chan struct{} { return w.readyChan() }

func (w *Watcher) readyChan() chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ready == nil {
		w.ready = make(chan struct{})
	}
	return w.ready
}

func (w *Watcher) markReady() {
	ch := w.readyChan()
	w.readyOnce.Do(func() { close(ch) })
}

func (w *Watcher) defaults() {
	if w.Debounce == 0 {
		w.Debounce = 40 * time.Millisecond
	}
	if w.MaxDelay == 0 {
		w.MaxDelay = 500 * time.Millisecond
	}
	if w.PollInterval == 0 {
		w.PollInterval = 2 * time.Second
	}
	if w.RootCheck == 0 {
		w.RootCheck = 5 * time.Second
	}
	if w.Log == nil {
		w.Log = slog.Default()
	}
}

// Run watches until ctx ends. It never gives up on a bad root: it logs and
// tries again, since the admin may fix the setting or mount the disk.
func (w *Watcher) Run(ctx context.Context) error {
	w.defaults()
	w.Ready()
	for ctx.Err() == nil {
		root, err := w.Root(ctx)
		if err == nil {
			root, err = filepath.Abs(root)
		}
		if err != nil {
			w.Log.Error("media watcher: no content root", "err", err)
		} else if err := os.MkdirAll(root, 0o750); err != nil {
			w.Log.Error("media watcher: content root unavailable", "root", root, "err", err)
		} else if err := w.runRoot(ctx, root); err != nil {
			w.Log.Error("media watcher stopped; restarting", "root", root, "err", err)
		} else {
			continue // root changed or vanished: start over at once
		}
		select {
		case <-ctx.Done():
		case <-time.After(w.RootCheck):
		}
	}
	return nil
}

// dirtySet is what one account needs looked at again.
type dirtySet struct {
	full  bool
	paths map[string]bool
	first time.Time
	last  time.Time
}

// state is one run over one root.
type state struct {
	w    *Watcher
	root string
	fsw  *fsnotify.Watcher

	mu       sync.Mutex
	watched  watchSet       // account -> rel dirs with a watch (watchset.go)
	count    int            // watches held, root included
	polled   map[int64]bool // accounts with a folder left unwatched
	dirty    map[int64]*dirtySet
	overflow bool
	lost     bool // the root itself went away
	// pendingRemove are watches dropped from the maps but not yet from
	// fsnotify (see drainRemovals).
	pendingRemove []string
	kick          chan struct{}
	// checkpointOwed: the last reconcileAll filled accounts, and the WAL
	// is to be copied into the database file (checkpointFills). Only the
	// run's own goroutine touches it.
	checkpointOwed bool
}

func (w *Watcher) runRoot(ctx context.Context, root string) error {
	fsw, err := fsnotify.NewWatcher()
	st := &state{w: w, root: root, fsw: fsw, polled: map[int64]bool{},
		dirty: map[int64]*dirtySet{}, kick: make(chan struct{}, 1)}
	if err != nil {
		// No inotify instance at all (fs.inotify.max_user_instances): poll everything.
		w.Log.Warn("media watcher: cannot start inotify; polling instead", "err", err)
		st.fsw = nil
	} else {
		defer fsw.Close()
		if err := st.addWatch(-1, ""); err != nil {
			w.Log.Warn("media watcher: cannot watch the content root; polling instead", "root", root, "err", err)
		}
	}
	w.mu.Lock()
	w.status, w.cur = Status{Running: true, Root: root}, st
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		w.status.Running, w.cur = false, nil
		w.mu.Unlock()
	}()
	readerDone := make(chan struct{})
	if st.fsw != nil {
		go func() {
			defer close(readerDone)
			st.read()
		}()
	} else {
		close(readerDone)
	}
	defer func() {
		if st.fsw != nil {
			st.fsw.Close()
		}
		<-readerDone
	}()

	start := time.Now()
	if err := st.reconcileAll(ctx); err != nil {
		return err
	}
	w.Log.Info("media index reconciled", "root", root, "took", time.Since(start).String())
	w.markReady()
	if err := st.checkpointFills(ctx); err != nil && ctx.Err() == nil {
		w.Log.Warn("media watcher: checkpoint after the start-up pass", "err", err)
	}
	// The walk of every folder leaves garbage the size of the tree's
	// listing; an idle desk should not keep it resident until the
	// scavenger gets to it (make bench: serve idle RSS).
	debug.FreeOSMemory()

	poll := time.NewTicker(w.PollInterval)
	defer poll.Stop()
	rootCheck := time.NewTicker(w.RootCheck)
	defer rootCheck.Stop()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-st.kick:
		case <-timer.C:
		case <-poll.C:
			if err := st.poll(ctx); err != nil {
				w.Log.Error("media watcher: poll", "err", err)
			}
		case <-rootCheck.C:
			if r, err := w.Root(ctx); err == nil {
				if abs, err := filepath.Abs(r); err == nil && abs != root {
					w.Log.Info("content root changed; watching the new one", "from", root, "to", abs)
					return nil
				}
			}
		}
		st.mu.Lock()
		lost, overflow := st.lost, st.overflow
		st.overflow = false
		st.mu.Unlock()
		if lost {
			w.Log.Warn("content root vanished; waiting for it", "root", root)
			return nil
		}
		if overflow {
			w.setStatus(func(s *Status) { s.Overflows++ })
			w.Log.Warn("media watcher: event queue overflowed; rescanning everything", "root", root)
			st.takeAll()
			if err := errors.Join(st.reconcileAll(ctx), st.checkpointFills(ctx)); err != nil {
				w.Log.Error("media watcher: rescan after overflow", "err", err)
			}
			continue
		}
		due, next := st.takeDue(time.Now())
		if len(due) > 0 {
			if err := st.flush(ctx, due); err != nil {
				w.Log.Error("media watcher: index update failed; will retry", "err", err)
				st.requeue(due)
				next = w.Debounce * 10
			}
		}
		if next > 0 {
			timer.Reset(next)
		}
	}
}

// read drains fsnotify into the dirty sets. It never waits on the index, so
// the kernel queue only overflows if this goroutine is starved (or stalled
// by a test).
func (st *state) read() {
	if st.w.stall != nil {
		<-st.w.stall
	}
	for {
		select {
		case ev, ok := <-st.fsw.Events:
			if !ok {
				return
			}
			st.event(ev)
		case err, ok := <-st.fsw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				st.mu.Lock()
				st.overflow = true
				st.mu.Unlock()
				st.signal()
			} else {
				st.w.Log.Warn("media watcher", "err", err)
			}
		}
	}
}

func (st *state) signal() {
	select {
	case st.kick <- struct{}{}:
	default:
	}
}

// locate splits an absolute path into the account and the path inside its
// folder. ok is false outside any account folder.
func (st *state) locate(name string) (id int64, rel string, ok bool) {
	rest, found := strings.CutPrefix(name, st.root+string(filepath.Separator))
	if !found {
		return 0, "", false
	}
	first, rel, _ := strings.Cut(rest, string(filepath.Separator))
	id, ok = parseAccountDir(first)
	return id, filepath.ToSlash(rel), ok
}

func parseAccountDir(name string) (int64, bool) {
	text, ok := strings.CutPrefix(name, "user_")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(text, 10, 64)
	return id, err == nil && id > 0 && "user_"+strconv.FormatInt(id, 10) == name
}

func (st *state) event(ev fsnotify.Event) {
	if ev.Op == fsnotify.Chmod {
		return // permission and timestamp noise: no content changed
	}
	if ev.Name == st.root {
		if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
			st.mu.Lock()
			st.lost = true
			st.mu.Unlock()
			st.signal()
		}
		return
	}
	id, rel, ok := st.locate(ev.Name)
	if !ok || panel.IsTransientName(filepath.Base(ev.Name)) {
		return
	}
	st.mu.Lock()
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		// Drop the watches of a folder that left now, in event order, before
		// a later event can bring the same folder back under another name.
		st.unwatchTreeLocked(id, rel)
	}
	st.markLocked(id, rel, time.Now())
	st.mu.Unlock()
	st.signal()
}

func (st *state) markLocked(id int64, rel string, now time.Time) {
	d := st.dirty[id]
	if d == nil {
		d = &dirtySet{paths: map[string]bool{}, first: now}
		st.dirty[id] = d
	}
	d.last = now
	if rel == "" {
		d.full = true
	} else if !d.full {
		d.paths[rel] = true
		if len(d.paths) > 512 {
			d.full, d.paths = true, map[string]bool{} // cheaper to look at it all
		}
	}
}

// takeDue removes and returns the accounts quiet for Debounce (or dirty for
// MaxDelay), and how long until the next one is due.
func (st *state) takeDue(now time.Time) (map[int64]*dirtySet, time.Duration) {
	st.mu.Lock()
	defer st.mu.Unlock()
	due := map[int64]*dirtySet{}
	var next time.Duration
	for id, d := range st.dirty {
		at := d.last.Add(st.w.Debounce)
		if cap := d.first.Add(st.w.MaxDelay); cap.Before(at) {
			at = cap
		}
		if !at.After(now) {
			due[id] = d
			delete(st.dirty, id)
		} else if wait := at.Sub(now); next == 0 || wait < next {
			next = wait
		}
	}
	if len(st.dirty) == 0 && len(due) > 0 {
		// A map never shrinks: after a burst (100,000 folders made at
		// once) an empty one would keep its buckets for the whole run.
		st.dirty = map[int64]*dirtySet{}
	}
	return due, next
}

// takeAll forgets pending work that a full reconcile is about to cover.
func (st *state) takeAll() {
	st.mu.Lock()
	st.dirty = map[int64]*dirtySet{}
	st.mu.Unlock()
}

func (st *state) requeue(sets map[int64]*dirtySet) {
	st.mu.Lock()
	defer st.mu.Unlock()
	now := time.Now()
	for id, d := range sets {
		if d.full {
			st.markLocked(id, "", now)
		}
		for p := range d.paths {
			st.markLocked(id, p, now)
		}
	}
}

func (st *state) polledCount() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.polled)
}

// errWatchLimit is the inotify watch limit, real (ENOSPC) or configured.
var errWatchLimit = errors.New("inotify watch limit reached")

// addWatch watches one folder (id -1: the root itself).
func (st *state) addWatch(id int64, rel string) error {
	abs := st.root
	if id >= 0 {
		abs = st.abs(id, rel)
	}
	st.mu.Lock()
	if id >= 0 && st.watched.has(id, rel) {
		st.mu.Unlock()
		return nil
	}
	if st.fsw == nil || (st.w.MaxWatches > 0 && st.count >= st.w.MaxWatches) {
		st.mu.Unlock()
		return errWatchLimit
	}
	st.count++ // reserve, so parallel scans respect MaxWatches
	st.mu.Unlock()
	st.drainRemovals()
	err := st.fsw.Add(abs)
	st.mu.Lock()
	defer st.mu.Unlock()
	if err != nil {
		st.count--
		if errors.Is(err, syscall.ENOSPC) {
			return errWatchLimit
		}
		return err
	}
	if id >= 0 {
		st.watched.add(id, rel)
	}
	return nil
}

// drainRemovals takes away the watches unwatchTreeLocked dropped. Never
// call it (or any fsnotify method) from the event reader or with st.mu held:
// fsnotify may hold its own lock while it waits for the reader to take an
// error, and the reader may be waiting for st.mu.
func (st *state) drainRemovals() {
	if st.fsw == nil {
		return
	}
	st.mu.Lock()
	paths := st.pendingRemove
	st.pendingRemove = nil
	st.mu.Unlock()
	for _, p := range paths {
		st.fsw.Remove(p) // the kernel may already have dropped it (folder deleted)
	}
}

// unwatchTreeLocked drops the watches of rel and every folder under it; the
// fsnotify side follows in drainRemovals, before any new watch is added, so
// a folder moved elsewhere cannot come back with its old watch and name.
func (st *state) unwatchTreeLocked(id int64, rel string) {
	st.dropWatchesLocked(id, func(d string) bool { return rel == "" || d == rel || strings.HasPrefix(d, rel+"/") })
}

// dropWatchesLocked drops the account's watches that drop says, queueing
// their fsnotify side for drainRemovals.
func (st *state) dropWatchesLocked(id int64, drop func(rel string) bool) {
	for _, d := range st.watched.drop(id, drop) {
		st.count--
		st.pendingRemove = append(st.pendingRemove, st.abs(id, d))
	}
}

func (st *state) abs(id int64, rel string) string {
	if rel != "" {
		return filepath.Join(st.root, "user_"+strconv.FormatInt(id, 10), filepath.FromSlash(rel))
	}
	// An account's own folder: one allocation of the exact size, since
	// fsnotify keeps this string for as long as the watch lives.
	var buf [20]byte
	digits := strconv.AppendInt(buf[:0], id, 10)
	sep := string(filepath.Separator)
	if strings.HasSuffix(st.root, sep) {
		sep = "" // the root is "/"
	}
	var b strings.Builder
	b.Grow(len(st.root) + len(sep) + len("user_") + len(digits))
	b.WriteString(st.root)
	b.WriteString(sep)
	b.WriteString("user_")
	b.Write(digits)
	return b.String()
}

// limitReached tells the admin, once per run, how to raise the limit.
func (st *state) limitReached(id int64) {
	st.mu.Lock()
	first := len(st.polled) == 0
	st.polled[id] = true
	n := len(st.polled)
	st.mu.Unlock()
	hint := "The inotify watch limit (fs.inotify.max_user_watches) is reached, so some media folders are checked every " +
		st.w.PollInterval.String() + " instead of instantly. To raise it: " +
		"echo fs.inotify.max_user_watches=524288 | sudo tee /etc/sysctl.d/60-castdesk.conf && sudo sysctl --system"
	st.w.setStatus(func(s *Status) { s.PolledAccounts, s.LimitHint = n, hint })
	if first {
		st.w.Log.Warn(hint, "current_limit", readLimit())
	}
}

func readLimit() string {
	b, err := os.ReadFile("/proc/sys/fs/inotify/max_user_watches")
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(b))
}
