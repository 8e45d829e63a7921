// Package sqlite is the panel.Store over one SQLite file (mattn/go-sqlite3).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"

	"castdesk/backend/panel"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store is the panel.Store. Writes go through a pool of exactly one
// connection whose transactions start with BEGIN IMMEDIATE, so two writers
// (even in two processes) queue on SQLite's lock under busy_timeout instead
// of failing with "database is locked" half way through a transaction.
// Reads use their own pool and see WAL snapshots.
type Store struct {
	queries // reads, on the reader pool
	writer  *sql.DB
	reader  *sql.DB
	// stmts counts the statements sent through queries (count.go).
	stmts atomic.Int64
	// dv is the connection that answers DataVersion (dataversion.go).
	dv dataVersion
	// search keeps the accounts' search index compact (search_index.go).
	search *searchIndex
}

// driverName is the database/sql driver the store opens (stable_plans.go);
// an internal test opens the store on one that also counts statement
// compiles (stable_plans_internal_test.go).
var driverName = driverWithStablePlans

// readerStmtCache is how many compiled statements each reader connection
// keeps (mattn/go-sqlite3's _stmt_cache_size).
const readerStmtCache = 16

// Open opens (creating if needed) the database file and applies migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	dsn := func(mode string) string {
		v := url.Values{}
		v.Set("_busy_timeout", "10000")
		v.Set("_foreign_keys", "on")
		v.Set("_journal_mode", "WAL")
		v.Set("_synchronous", "NORMAL")
		v.Set("_txlock", mode)
		return "file:" + path + "?" + v.Encode()
	}
	writer, err := sql.Open(driverName, dsn("immediate"))
	if err != nil {
		return nil, err
	}
	writer.SetMaxOpenConns(1)
	writer.SetConnMaxIdleTime(0)
	// Readers keep their last statements compiled (per connection, least
	// recently used dropped first): the session check and the overview are
	// statements with subqueries whose compiling cost more than running them.
	reader, err := sql.Open(driverName, dsn("deferred")+"&_stmt_cache_size="+strconv.Itoa(readerStmtCache))
	if err != nil {
		writer.Close()
		return nil, err
	}
	reader.SetMaxOpenConns(5) // one of them answers DataVersion (dataversion.go)
	s := &Store{writer: writer, reader: reader}
	s.queries = queries{db: counting{reader, &s.stmts}}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		if strings.Contains(err.Error(), "no such module: fts5") {
			return nil, fmt.Errorf("migrate %s: this binary was built without SQLite FTS5; build and test with -tags sqlite_fts5 (the Makefile does): %w", path, err)
		}
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	s.startSearchIndex()
	return s, nil
}

func (s *Store) Close() error {
	s.search.close()
	s.dv.close()
	return errors.Join(s.reader.Close(), s.writer.Close())
}

// Write runs fn in one immediate transaction on the single writer connection.
func (s *Store) Write(ctx context.Context, fn func(panel.Tx) error) error {
	for attempt := 0; ; attempt++ {
		err := s.writeOnce(ctx, fn)
		// busy_timeout covers almost every wait; a BUSY that still escapes
		// (e.g. another process's checkpoint) is retried a few times.
		if isBusy(err) && attempt < 5 && ctx.Err() == nil {
			time.Sleep(time.Duration(50*(attempt+1)) * time.Millisecond)
			continue
		}
		return err
	}
}

func (s *Store) writeOnce(ctx context.Context, fn func(panel.Tx) error) error {
	tx, err := s.writer.BeginTx(ctx, nil)
	if err != nil {
		return noSpace(err)
	}
	wt := &writeTx{queries: queries{db: counting{tx, &s.stmts}}}
	if err := fn(wt); err != nil {
		tx.Rollback()
		return noSpace(err)
	}
	if err := tx.Commit(); err != nil {
		return noSpace(err)
	}
	if wt.accountWrites > 0 {
		s.search.wrote(wt.accountWrites)
	}
	return nil
}

func isBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

func isUnique(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique
}

// Backup writes a consistent copy of the live database to path.
func (s *Store) Backup(ctx context.Context, path string) error {
	_, err := s.reader.ExecContext(ctx, "VACUUM INTO ?", path)
	return err
}

// migrate applies, in name order, each embedded migration not yet applied,
// each in its own transaction. Forward only: a migration is never edited once
// released; a change is a new file.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.writer.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return err
	}
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		body, err := migrationFiles.ReadFile(name)
		if err != nil {
			return err
		}
		base := strings.TrimPrefix(name, "migrations/")
		err = s.writeOnce(ctx, func(ptx panel.Tx) error {
			tx := ptx.(*writeTx)
			var n int
			if err := tx.db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, base).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.db.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("%s: %w", base, err)
			}
			_, err := tx.db.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, base, time.Now().UnixMilli())
			return err
		})
		if err != nil {
			return err
		}
	}
	return s.migrateGo(ctx)
}

// AppliedMigrations lists applied migration names, oldest first.
func (s *Store) AppliedMigrations(ctx context.Context) ([]string, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// dbtx is what both the reader pool and a transaction offer.
type dbtx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// queries holds every read; writeTx adds the writes.
type queries struct{ db dbtx }

type writeTx struct {
	queries
	// accountWrites counts the accounts written (their search index rows).
	accountWrites int
}

var _ panel.Store = (*Store)(nil)
var _ panel.Tx = (*writeTx)(nil)

func ms(t time.Time) int64 { return t.UTC().UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

func fromNullMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMS(v.Int64)
	return &t
}

func nullMS(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ms(*t)
}

func fromNullID(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	id := v.Int64
	return &id
}

func nullID(id *int64) any {
	if id == nil {
		return nil
	}
	return *id
}
