package panel

import (
	"context"
	"sync"
)

// The settings are read by most calls (the content root, quotas, the
// password policy) and change rarely, so reads from the store are cached.
// The cache holds while the database's data version stays the same: it
// changes at every commit by any connection, this process's or another's
// on the same file (the window beside serve, the console), so a change is
// seen at the next call. Reads inside a write transaction are never cached:
// they must see the transaction's own writes.

// DataVersioner is a store that tells cheaply whether the database changed
// (sqlite: PRAGMA data_version on a connection of its own).
type DataVersioner interface {
	DataVersion(ctx context.Context) (int64, error)
}

type settingsCache struct {
	mu      sync.Mutex
	ok      bool
	version int64
	set     SystemSettings
}

func (s *Settings) cached(ctx context.Context, r Reader) (SystemSettings, error) {
	dv, ok := r.(DataVersioner)
	if !ok || Reader(s.deps.Store) != r {
		return readSettings(ctx, r, s.deps.DataDir)
	}
	// The version is read before the settings: a change committed between
	// the two is cached under the older version and read again next time.
	v, err := dv.DataVersion(ctx)
	if err != nil {
		return readSettings(ctx, r, s.deps.DataDir)
	}
	c := &s.cache
	c.mu.Lock()
	if c.ok && c.version == v {
		set := c.set
		c.mu.Unlock()
		return set, nil
	}
	c.mu.Unlock()
	set, err := readSettings(ctx, r, s.deps.DataDir)
	if err != nil {
		return set, err
	}
	c.mu.Lock()
	c.ok, c.version, c.set = true, v, set
	c.mu.Unlock()
	return set, nil
}
