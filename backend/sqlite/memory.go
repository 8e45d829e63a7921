package sqlite

import (
	"context"
	"database/sql"
)

// ReleaseMemory empties the page caches of the pooled connections that are
// idle (PRAGMA shrink_memory): after start-up's reads of every account and
// the media index's first fill they hold a few MiB each, which an idle
// desk does not need (make bench: serve idle RSS). A busy connection is
// left alone; the next query refills a cache from the file as needed.
func (s *Store) ReleaseMemory(ctx context.Context) {
	for _, db := range []*sql.DB{s.writer, s.reader} {
		idle := db.Stats().Idle
		conns := make([]*sql.Conn, 0, idle)
		for range idle {
			c, err := db.Conn(ctx) // an idle one first: none is opened while one is idle
			if err != nil {
				break
			}
			conns = append(conns, c)
		}
		for _, c := range conns {
			c.ExecContext(ctx, `PRAGMA shrink_memory`)
			c.Close()
		}
	}
	s.dv.shrink(ctx)
}

func (d *dataVersion) shrink(ctx context.Context) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn != nil {
		d.conn.ExecContext(ctx, `PRAGMA shrink_memory`)
	}
}
