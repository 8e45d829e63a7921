package media

import (
	"cmp"
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
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
	ch, files, walked, err := st.walkTree(id, rel)
	if err != nil || !walked {
		return ch, err
	}
	return st.diff(ctx, id, rel, files)
}

// walkTree lists the regular files at rel of account id and below, and
// watches every folder it walks (dropping the watches of folders gone).
// When rel is not a folder it answers the whole change itself (walked false).
func (st *state) walkTree(id int64, rel string) (ch panel.MediaChange, files []panel.MediaFile, walked bool, err error) {
	ch = panel.MediaChange{AccountID: id}
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
		return ch, nil, false, nil
	}
	seenDirs := map[string]bool{}
	limited := false
	if rel == "" || !panel.IsTransientName(path.Base(rel)) {
		err = walkFiles(abs, rel, func(r string) {
			seenDirs[r] = true
			if err := st.addWatch(id, r); errors.Is(err, errWatchLimit) {
				limited = true
			}
		}, func(f panel.MediaFile) { files = append(files, f) })
		if err != nil {
			return ch, nil, false, err
		}
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
	return ch, files, true, nil
}

// walkFiles calls dir for abs (rel inside the account folder) and each
// folder below it, before reading it, and file for each regular file, in no
// particular order. Hidden and transient names are skipped. Only an error
// reading abs itself is returned: below it, something vanished or
// unreadable is for the next event or rescan to see.
func walkFiles(abs, rel string, dir func(rel string), file func(panel.MediaFile)) error {
	dir(rel)
	subdirs, err := listDir(abs, rel, file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	for _, name := range subdirs {
		r := name
		if rel != "" {
			r = rel + "/" + name
		}
		walkFiles(filepath.Join(abs, name), r, dir, file)
	}
	return nil
}

// diff compares what a walk found at rel with what the index holds there.
// The index is read after the walk, so it is at least as new as the walk.
func (st *state) diff(ctx context.Context, id int64, rel string, files []panel.MediaFile) (panel.MediaChange, error) {
	indexed, err := st.w.Index.MediaFilesUnder(ctx, id, rel)
	if err != nil {
		return panel.MediaChange{AccountID: id}, err
	}
	return diffFiles(id, files, indexed), nil
}

// diffFiles is the change that makes indexed say files.
func diffFiles(id int64, files, indexed []panel.MediaFile) panel.MediaChange {
	ch := panel.MediaChange{AccountID: id}
	left := make(map[string]panel.MediaFile, len(indexed))
	for _, f := range indexed {
		left[f.Path] = f
	}
	for _, f := range files {
		old, ok := left[f.Path]
		delete(left, f.Path)
		if !ok || old.Size != f.Size || !old.ModifiedAt.Equal(f.ModifiedAt) || old.Kind != f.Kind {
			ch.Upsert = append(ch.Upsert, f)
		}
	}
	for _, f := range indexed {
		if _, gone := left[f.Path]; gone {
			ch.Delete = append(ch.Delete, f.Path)
		}
	}
	return ch
}

// diffSorted is diffFiles for files and indexed both in path order (byte
// order): one merge of the two lists, with no map of either.
func diffSorted(id int64, files, indexed []panel.MediaFile) panel.MediaChange {
	ch := panel.MediaChange{AccountID: id}
	i, j := 0, 0
	for i < len(files) || j < len(indexed) {
		switch {
		case j == len(indexed) || (i < len(files) && files[i].Path < indexed[j].Path):
			ch.Upsert = append(ch.Upsert, files[i])
			i++
		case i == len(files) || indexed[j].Path < files[i].Path:
			ch.Delete = append(ch.Delete, indexed[j].Path)
			j++
		default:
			f, old := files[i], indexed[j]
			if old.Size != f.Size || !old.ModifiedAt.Equal(f.ModifiedAt) || old.Kind != f.Kind {
				ch.Upsert = append(ch.Upsert, f)
			}
			i++
			j++
		}
	}
	return ch
}

// byPath orders files by path, in byte order (the index's).
func byPath(a, b panel.MediaFile) int { return strings.Compare(a.Path, b.Path) }

// filler is an index that can take an account's whole folder at once
// while the account holds no indexed file (sqlite.Store.FillMedia): no
// per-row look-up of what was there, multi-row INSERTs, totals written
// once. An index without it gets the usual diff.
type filler interface {
	FillMedia(ctx context.Context, changes []panel.MediaChange) (filled map[int64]panel.MediaTotals, notEmpty []int64, err error)
}

// checkpointer is a filler whose fills leave work for the end of the pass
// (sqlite.Store: the WAL is copied into the database file once).
type checkpointer interface {
	CheckpointMedia(ctx context.Context) error
}

// fillBatchRows bounds one FillMedia transaction, as batchRows does for
// ApplyMedia.
const fillBatchRows = 10000

// batchReader is an index that lists several accounts' files in one query
// (sqlite.Store.MediaFilesOf), each account's in path order.
type batchReader interface {
	MediaFilesOf(ctx context.Context, ids []int64) (map[int64][]panel.MediaFile, error)
}

// diffBatchFiles and diffBatchAccounts bound the walked accounts a worker
// holds before it reads their index in one go.
const (
	diffBatchFiles    = 5000
	diffBatchAccounts = 100
)

// walkedFolder is an account folder walked, waiting for its index to be read.
type walkedFolder struct {
	id    int64
	files []panel.MediaFile
}

// scanned is one account folder walked by reconcileAll: a change to apply,
// or (fill) the whole folder of an account the index held nothing of.
type scanned struct {
	ch   panel.MediaChange
	fill bool
}

// reconcileAll is the start-up pass (and the rescan after an overflow):
// every account folder is walked and diffed against the index, on a few
// goroutines, with one writer applying the changes in batches. Each worker
// reads the index of the accounts it walked a few thousand files at a time
// (batchReader) rather than one query per account. An account
// the index holds no file of (every account, on a first start) is not
// diffed: its walk goes to the index whole (filler), and only if another
// writer indexed one of its files meanwhile is it diffed after all.
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
	// In ID order (not the folders' name order, where user_10 comes before
	// user_2): the index's keys start with the account, so a fill's rows
	// land next to the last ones written instead of all over its B-trees.
	slices.Sort(ids)
	indexed, err := st.w.Index.MediaAccountIDs(ctx)
	if err != nil {
		return err
	}
	hasFiles := make(map[int64]bool, len(indexed))
	var changes []panel.MediaChange
	for _, id := range indexed {
		hasFiles[id] = true
		if !onDisk[id] {
			changes = append(changes, panel.MediaChange{AccountID: id, DeleteTree: []string{""}})
		}
	}
	fill, canFill := st.w.Index.(filler)
	st.w.setStatus(func(s *Status) { s.Rescans++ })

	jobs := make(chan int64)
	results := make(chan scanned, 64)
	var wg sync.WaitGroup
	var scanErr error
	var errOnce sync.Once
	workers := min(runtime.GOMAXPROCS(0)*2, 8)
	reader, canBatch := st.w.Index.(batchReader)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fail := func(err error) { errOnce.Do(func() { scanErr = err }) }
			// Accounts the index holds files of are walked, then diffed a
			// few thousand files at a time: one query reads their index
			// (after their walks, as scanTree does).
			var pending []walkedFolder
			pendingFiles := 0
			diffPending := func() {
				if len(pending) == 0 {
					return
				}
				ids := make([]int64, len(pending))
				for i, p := range pending {
					ids[i] = p.id
				}
				idx, err := reader.MediaFilesOf(ctx, ids)
				if err != nil {
					fail(err)
				} else {
					for _, p := range pending {
						results <- scanned{ch: diffSorted(p.id, p.files, idx[p.id])}
					}
				}
				pending, pendingFiles = nil, 0
			}
			for {
				var id int64
				var ok bool
				select {
				case id, ok = <-jobs:
				default: // nothing to walk right now: diff what is held first
					diffPending()
					id, ok = <-jobs
				}
				if !ok {
					diffPending()
					return
				}
				switch {
				case canFill && !hasFiles[id]:
					ch, files, walked, err := st.walkTree(id, "")
					switch {
					case err != nil:
						fail(err)
					case walked:
						// In path order, as the index takes them: here
						// rather than on the one writer.
						slices.SortFunc(files, byPath)
						results <- scanned{ch: panel.MediaChange{AccountID: id, Upsert: files}, fill: true}
					default:
						results <- scanned{ch: ch}
					}
				case canBatch:
					ch, files, walked, err := st.walkTree(id, "")
					switch {
					case err != nil:
						fail(err)
					case walked:
						slices.SortFunc(files, byPath) // for diffSorted
						pending = append(pending, walkedFolder{id, files})
						if pendingFiles += len(files); pendingFiles >= diffBatchFiles || len(pending) >= diffBatchAccounts {
							diffPending()
						}
					default:
						results <- scanned{ch: ch}
					}
				default:
					ch, err := st.scanTree(ctx, id, "")
					if err != nil {
						fail(err)
						continue
					}
					results <- scanned{ch: ch}
				}
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
	// One writer, so the walks go on while a batch is written.
	type batch struct {
		changes []panel.MediaChange
		fill    bool
	}
	writes := make(chan batch, 1)
	written := make(chan error, 1)
	go func() {
		var err error
		for b := range writes {
			switch {
			case err != nil:
			case b.fill:
				// The walkers finish their folders out of order: put the
				// batch back in ID order (see the sort of ids above).
				slices.SortFunc(b.changes, func(x, y panel.MediaChange) int { return cmp.Compare(x.AccountID, y.AccountID) })
				err = st.fill(ctx, fill, b.changes)
			default:
				err = st.apply(ctx, b.changes)
			}
		}
		written <- err
	}()
	rows, fillRows, fillRowsTotal := 0, 0, 0
	var fills []panel.MediaChange
	for r := range results {
		if r.ch.Empty() {
			continue
		}
		if r.fill {
			fills = append(fills, r.ch)
			fillRows += len(r.ch.Upsert)
			fillRowsTotal += len(r.ch.Upsert)
			if fillRows >= fillBatchRows {
				writes <- batch{fills, true}
				fills, fillRows = nil, 0
			}
			continue
		}
		changes = append(changes, r.ch)
		rows += len(r.ch.Upsert) + len(r.ch.Delete) + len(r.ch.DeleteTree)
		if rows >= batchRows {
			writes <- batch{changes, false}
			changes, rows = nil, 0
		}
	}
	if len(fills) > 0 {
		writes <- batch{fills, true}
	}
	writes <- batch{changes, false}
	close(writes)
	applyErr := <-written
	if canFill && fillRowsTotal > 0 {
		st.checkpointOwed = true // the caller's checkpointFills
	}
	st.w.setStatus(func(s *Status) { s.Watches = st.watchCount() })
	return errors.Join(scanErr, applyErr, ctx.Err())
}

// checkpointFills copies into the database file what the fills of the
// last reconcileAll left in the WAL (checkpointer), once. The start-up pass
// calls it right after the watcher says it is ready: the index is complete
// and exact before (a reader reads the WAL), and this copy was about a tenth
// of a first start's time (make bench, media index). If it is interrupted
// (the app stops), the WAL is copied at a later commit as usual.
func (st *state) checkpointFills(ctx context.Context) error {
	if !st.checkpointOwed {
		return nil
	}
	st.checkpointOwed = false
	if cp, ok := st.w.Index.(checkpointer); ok {
		return cp.CheckpointMedia(ctx)
	}
	return nil
}

// fill hands whole folders to the index and announces the accounts filled;
// those that got an indexed file meanwhile are diffed and applied instead.
func (st *state) fill(ctx context.Context, f filler, fills []panel.MediaChange) error {
	filled, notEmpty, err := f.FillMedia(ctx, fills)
	if err != nil {
		return err
	}
	if st.w.Notify != nil {
		for id, t := range filled {
			st.w.Notify.Publish(panel.MediaChanged{AccountID: id, Files: t.Files, Bytes: t.Bytes})
		}
	}
	if len(notEmpty) == 0 {
		return nil
	}
	again := make(map[int64]bool, len(notEmpty))
	for _, id := range notEmpty {
		again[id] = true
	}
	var changes []panel.MediaChange
	for _, ch := range fills {
		if again[ch.AccountID] {
			d, err := st.diff(ctx, ch.AccountID, "", ch.Upsert)
			if err != nil {
				return err
			}
			changes = append(changes, d)
		}
	}
	return st.apply(ctx, changes)
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
		// No inotify at all: new account folders too.
		return errors.Join(st.reconcileAll(ctx), st.checkpointFills(ctx))
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
