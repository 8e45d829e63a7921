package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"sync/atomic"
)

// counting passes statements on and counts them, so a test can tell how
// many queries one request costs (Store.Statements). An atomic add per
// statement is all it costs.
type counting struct {
	dbtx
	n *atomic.Int64
}

func (c counting) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c.n.Add(1)
	return c.dbtx.ExecContext(ctx, query, args...)
}

func (c counting) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.n.Add(1)
	return c.dbtx.QueryContext(ctx, query, args...)
}

func (c counting) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	c.n.Add(1)
	return c.dbtx.QueryRowContext(ctx, query, args...)
}

// PrepareContext counts one statement per prepare (ApplyMedia runs its
// prepared statements many times over).
func (c counting) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	p, ok := c.dbtx.(preparer)
	if !ok {
		return nil, errors.New("sqlite: cannot prepare statements here")
	}
	c.n.Add(1)
	return p.PrepareContext(ctx, query)
}

// Statements is how many statements the store has sent through its reads
// and write transactions since it opened.
func (s *Store) Statements() int64 { return s.stmts.Load() }
