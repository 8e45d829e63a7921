package media

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"castdesk/backend/panel"
)

// batchRows bounds one write transaction of a reconcile: big enough to
// amortise the commit, small enough not to hold the writer for long.
const batchRows = 5000

// scanTree makes the index of rel (a folder or file of account id, "" for
// the whole folder) say what is on disk now, and watches every folder it
// walks. Folders are watched before they are read, so a file written during
// the walk is either seen by the walk or reported by an event.
func (st *state) scanTree(ctx context.Context, id int64, rel string) (panel.MediaChange, error) {
	ch := panel.MediaChange{AccountID: id}
	abs := st.abs(id, rel)
	info, err := os.Lstat(abs)
	if err != nil || !info.IsDir() {
		st.mu.Lock()
		st.unwatchTreeLocked(id, rel)
		if rel == "" {
			delete(st.polled, id)
		}
		st.mu.Unlock()
		switch {
		case rel == "":
			ch.DeleteTree = []string{""}
		case err == nil && info.Mode().IsRegular():
			ch.DeleteTree = []string{rel} // it may have been a folder before
			ch.Upsert = []panel.MediaFile{fileOf(rel, info)}
		default:
			ch.DeleteTree = []string{rel}
		}
		return ch, nil
	}
	base := st.abs(id, "")
	onDisk := map[string]panel.MediaFile{}
	seenDirs := map[string]bool{}
	limited := false
	err = filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == abs && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			return nil // vanished or unreadable below: the next event or rescan sees it
		}
		r := ""
		if p != base {
			r = filepath.ToSlash(p[len(base)+1:])
		}
		if p != base && panel.IsTransientName(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case d.IsDir():
			seenDirs[r] = true
			if err := st.addWatch(id, r); errors.Is(err, errWatchLimit) {
				limited = true
			}
		case d.Type().IsRegular():
			info, err := d.Info()
			if err == nil {
				onDisk[r] = fileOf(r, info)
			}
		}
		return nil
	})
	if err != nil {
		return ch, err
	}
	indexed, err := st.w.Index.MediaFilesUnder(ctx, id, rel)
	if err != nil {
		return ch, err
	}
	for _, f := range indexed {
		now, ok := onDisk[f.Path]
		switch {
		case !ok:
			ch.Delete = append(ch.Delete, f.Path)
		case now.Size == f.Size && now.ModifiedAt.Equal(f.ModifiedAt) && now.Kind == f.Kind:
			delete(onDisk, f.Path)
		}
	}
	for _, f := range onDisk {
		ch.Upsert = append(ch.Upsert, f)
	}
	st.mu.Lock()
	st.dropWatchesLocked(id, func(d string) bool {
		return (rel == "" || d == rel || strings.HasPrefix(d, rel+"/")) && !seenDirs[d]
	})
	if !limited && rel == "" {
		delete(st.polled, id)
	}
	n := len(st.polled)
	st.mu.Unlock()
	st.drainRemovals()
	if limited {
		st.limitReached(id)
	} else {
		st.w.setStatus(func(s *Status) { s.PolledAccounts = n })
	}
	return ch, nil
}

// reconcileAll is the start-up pass (and the rescan after an overflow):
// every account folder is walked and diffed against the index, on a few
// goroutines, with one writer applying the changes in batches.
func (st *state) reconcileAll(ctx context.Context) error {
	entries, err := os.ReadDir(st.root)
	if err != nil {
		return err
	}
	onDisk := map[int64]bool{}
	var ids []int64
	for _, e := range entries {
		if id, ok := parseAccountDir(e.Name()); ok && e.IsDir() {
			onDisk[id] = true
			ids = append(ids, id)
		}
	}
	indexed, err := st.w.Index.MediaAccountIDs(ctx)
	if err != nil {
		return err
	}
	var changes []panel.MediaChange
	for _, id := range indexed {
		if !onDisk[id] {
			changes = append(changes, panel.MediaChange{AccountID: id, DeleteTree: []string{""}})
		}
	}
	st.w.setStatus(func(s *Status) { s.Rescans++ })

	jobs := make(chan int64)
	results := make(chan panel.MediaChange, 64)
	var wg sync.WaitGroup
	var scanErr error
	var errOnce sync.Once
	workers := min(runtime.GOMAXPROCS(0)*2, 8)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range jobs {
				ch, err := st.scanTree(ctx, id, "")
				if err != nil {
					errOnce.Do(func() { scanErr = err })
					continue
				}
				results <- ch
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, id := range ids {
			select {
			case jobs <- id:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	rows := 0
	var applyErr error
	for ch := range results {
		if ch.Empty() {
			continue
		}
		changes = append(changes, ch)
		rows += len(ch.Upsert) + len(ch.Delete) + len(ch.DeleteTree)
		if rows >= batchRows && applyErr == nil {
			applyErr = st.apply(ctx, changes)
			changes, rows = nil, 0
		}
	}
	if applyErr == nil {
		applyErr = st.apply(ctx, changes)
	}
	st.w.setStatus(func(s *Status) { s.Watches = st.watchCount() })
	return errors.Join(scanErr, applyErr, ctx.Err())
}

func (st *state) watchCount() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.count
}

// flush looks again at the dirty paths of the due accounts.
func (st *state) flush(ctx context.Context, due map[int64]*dirtySet) error {
	st.drainRemovals()
	var changes []panel.MediaChange
	for id, d := range due {
		if d.full {
			ch, err := st.scanTree(ctx, id, "")
			if err != nil {
				return err
			}
			changes = append(changes, ch)
			continue
		}
		ch := panel.MediaChange{AccountID: id}
		paths := make([]string, 0, len(d.paths))
		for p := range d.paths {
			paths = append(paths, p)
		}
		sort.Strings(paths) // parents before children
		var dirs []string
		for _, p := range paths {
			if len(dirs) > 0 && strings.HasPrefix(p, dirs[len(dirs)-1]+"/") {
				continue // the parent's walk covers it
			}
			info, err := os.Lstat(st.abs(id, p))
			switch {
			case err == nil && info.IsDir():
				dirs = append(dirs, p)
			case err == nil && info.Mode().IsRegular():
				ch.Upsert = append(ch.Upsert, fileOf(p, info))
			default: // gone, or something we do not index (a symlink)
				ch.DeleteTree = append(ch.DeleteTree, p)
			}
		}
		for _, dir := range dirs {
			sub, err := st.scanTree(ctx, id, dir)
			if err != nil {
				return err
			}
			ch.Upsert = append(ch.Upsert, sub.Upsert...)
			ch.Delete = append(ch.Delete, sub.Delete...)
			ch.DeleteTree = append(ch.DeleteTree, sub.DeleteTree...)
		}
		changes = append(changes, ch)
	}
	return st.apply(ctx, changes)
}

// poll rescans the accounts that have folders without a watch.
func (st *state) poll(ctx context.Context) error {
	if st.fsw == nil {
		return st.reconcileAll(ctx) // no inotify at all: new account folders too
	}
	st.mu.Lock()
	ids := make([]int64, 0, len(st.polled))
	for id := range st.polled {
		ids = append(ids, id)
	}
	st.mu.Unlock()
	var changes []panel.MediaChange
	for _, id := range ids {
		ch, err := st.scanTree(ctx, id, "")
		if err != nil {
			return err
		}
		changes = append(changes, ch)
	}
	return st.apply(ctx, changes)
}

// apply writes the changes and announces the accounts they touched.
func (st *state) apply(ctx context.Context, changes []panel.MediaChange) error {
	var nonEmpty []panel.MediaChange
	for _, ch := range changes {
		if !ch.Empty() {
			nonEmpty = append(nonEmpty, ch)
		}
	}
	if len(nonEmpty) == 0 {
		return nil
	}
	totals, err := st.w.Index.ApplyMedia(ctx, nonEmpty)
	if err != nil {
		return err
	}
	if st.w.Notify != nil {
		for id, t := range totals {
			st.w.Notify.Publish(panel.MediaChanged{AccountID: id, Files: t.Files, Bytes: t.Bytes})
		}
	}
	return nil
}
