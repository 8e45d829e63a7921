package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"

	"castdesk/backend/panel"
)

// What backups and restores need of the database (backend/backup): a
// consistent copy of the live file while both doors keep writing, and a
// look inside a copy (schema, counts, integrity) without migrating it.

// KnownSchema is the schema version this binary writes: the number of
// migrations it applies (the SQL files and the Go ones), which is the number
// of rows of schema_migrations of a database it opened. A backup whose
// schema is higher comes from a newer Castdesk and is refused by restore.
func KnownSchema() int {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		panic(err)
	}
	return len(names) + len(goMigrations)
}

// Snapshot writes a consistent copy of the live database to path (which must
// not exist) with VACUUM INTO: one read transaction, so it sees one commit
// and never blocks the writer. It answers the copy's schema version and
// counts, read from the copy itself so they describe exactly what it holds.
func (s *Store) Snapshot(ctx context.Context, path string) (panel.DataInfo, error) {
	if _, err := s.reader.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return panel.DataInfo{}, fmt.Errorf("copy the database: %w", err)
	}
	info, err := Inspect(ctx, path, false)
	if err != nil {
		os.Remove(path)
		return panel.DataInfo{}, err
	}
	return info, nil
}

// Inspect opens the database file at path read-only and answers its schema
// version (applied migrations) and counts. With integrity it first runs
// PRAGMA integrity_check and fails unless the answer is "ok".
func Inspect(ctx context.Context, path string, integrity bool) (panel.DataInfo, error) {
	if _, err := os.Stat(path); err != nil {
		return panel.DataInfo{}, err
	}
	v := url.Values{}
	v.Set("mode", "ro")
	v.Set("_busy_timeout", "10000")
	db, err := sql.Open("sqlite3", "file:"+path+"?"+v.Encode())
	if err != nil {
		return panel.DataInfo{}, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if integrity {
		rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
		if err != nil {
			return panel.DataInfo{}, fmt.Errorf("integrity check: %w", err)
		}
		var problems []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				rows.Close()
				return panel.DataInfo{}, err
			}
			if line != "ok" {
				problems = append(problems, line)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return panel.DataInfo{}, err
		}
		if len(problems) > 0 {
			return panel.DataInfo{}, fmt.Errorf("integrity check failed: %v", problems)
		}
	}
	var out panel.DataInfo
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&out.Schema); err != nil {
		return panel.DataInfo{}, fmt.Errorf("not a Castdesk database: %w", err)
	}
	for _, c := range []struct {
		table string
		dst   *int
	}{{"accounts", &out.Counts.Accounts}, {"services", &out.Counts.Services}, {"mail_outbox", &out.Counts.Mails}} {
		err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+c.table).Scan(c.dst)
		if err != nil && !isNoTable(err) {
			return panel.DataInfo{}, err
		}
	}
	return out, nil
}

// isNoTable: an older schema may not have a table yet (it then counts 0).
func isNoTable(err error) bool {
	return err != nil && strings.Contains(err.Error(), "no such table")
}

// DBFileName is the database's file name in a data directory.
const DBFileName = "castdesk.db"
