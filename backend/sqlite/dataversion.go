package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// dataVersion answers PRAGMA data_version on one connection kept for it:
// the value changes whenever another connection, in this process or
// another, commits to the file. Values of different connections cannot be
// compared, so a new connection starts a new generation (the high bits).
type dataVersion struct {
	mu   sync.Mutex
	conn *sql.Conn
	gen  int64
}

// DataVersion tells cheaply whether the database changed since an earlier
// call (panel: the settings cache).
func (s *Store) DataVersion(ctx context.Context) (int64, error) {
	d := &s.dv
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn == nil {
		c, err := s.reader.Conn(ctx)
		if err != nil {
			return 0, err
		}
		d.conn, d.gen = c, d.gen+1
	}
	var v int64
	if err := d.conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
		d.conn.Close()
		d.conn = nil
		return 0, err
	}
	return d.gen<<40 | v, nil
}

func (d *dataVersion) close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn != nil {
		d.conn.Close()
		d.conn = nil
	}
}
