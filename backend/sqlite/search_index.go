package sqlite

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// The customers search reads the accounts' trigram index (accounts_fts).
// FTS5 adds a segment to it per committed transaction and merges them only
// now and then, so after many single writes (accounts created one by one, an
// import in batches) a search reads each of its trigrams from many segments:
// at 100,000 accounts loaded in batches FTS5 had left 9, and an address's
// search took 2-3x as long as on the same index in one segment (306 single
// writes leave 8). So the store merges it into one ('optimize': 0.25 s at
// 100,000 accounts, on the writer connection) in the background once
// searchCompactAfter account writes have piled up and writing has paused
// for searchQuiet (an import is merged once, at its end), at most once per
// searchCompactGap, and when it has more than one segment.
var (
	searchCompactAfter = 256 // account writes (created, changed, deleted)
	searchQuiet        = time.Second
	searchCompactGap   = 30 * time.Second
	// searchMaxWait bounds how long a merge waits for a pause: a desk
	// written without pause still gets one.
	searchMaxWait = 5 * time.Minute
)

// searchIndex runs the merges: one goroutine per store, woken by writes.
type searchIndex struct {
	mu        sync.Mutex
	pending   int       // account writes since the last merge began
	lastWrite time.Time // of an account
	kick      chan struct{}
	merges    atomic.Int64
	stop      context.CancelFunc
	done      chan struct{}
}

func (s *Store) startSearchIndex() {
	ctx, stop := context.WithCancel(context.Background())
	s.search = &searchIndex{kick: make(chan struct{}, 1), stop: stop, done: make(chan struct{})}
	go s.search.run(ctx, s)
}

func (x *searchIndex) close() {
	if x != nil {
		x.stop()
		<-x.done
	}
}

// wrote is told, after a commit, how many account rows it wrote.
func (x *searchIndex) wrote(n int) {
	x.mu.Lock()
	x.pending += n
	x.lastWrite = time.Now()
	wake := x.pending >= searchCompactAfter
	x.mu.Unlock()
	if wake {
		select {
		case x.kick <- struct{}{}:
		default: // already woken
		}
	}
}

func (x *searchIndex) run(ctx context.Context, s *Store) {
	defer close(x.done)
	var last time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-x.kick:
		}
		woken := time.Now()
		for {
			x.mu.Lock()
			ready := last.Add(searchCompactGap)
			if quiet := x.lastWrite.Add(searchQuiet); quiet.After(ready) && time.Since(woken) < searchMaxWait {
				ready = quiet
			}
			x.mu.Unlock()
			wait := time.Until(ready)
			if wait <= 0 {
				break
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
		}
		x.mu.Lock()
		x.pending = 0
		x.mu.Unlock()
		last = time.Now()
		// A failure (busy, disk full) leaves the index as it was: correct,
		// only slower; the next writes try again.
		if merged, _ := s.CompactSearchIndex(ctx); merged {
			x.merges.Add(1)
		}
	}
}

// SearchIndexSegments says how many segments the accounts' search index has.
func (s *Store) SearchIndexSegments(ctx context.Context) (n int, err error) {
	err = s.reader.QueryRowContext(ctx, `SELECT count(DISTINCT segid) FROM accounts_fts_idx`).Scan(&n)
	return n, err
}

// CompactSearchIndex merges the search index into one segment when it has
// more. The background merge calls it; a bulk load may call it when done
// rather than wait for it.
func (s *Store) CompactSearchIndex(ctx context.Context) (merged bool, err error) {
	n, err := s.SearchIndexSegments(ctx)
	if err != nil || n <= 1 {
		return false, err
	}
	_, err = s.writer.ExecContext(ctx, `INSERT INTO accounts_fts (accounts_fts) VALUES ('optimize')`)
	return err == nil, noSpace(err)
}
