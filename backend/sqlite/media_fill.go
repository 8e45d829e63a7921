package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"castdesk/backend/panel"
)

// fillRows is how many files one INSERT of FillMedia carries (6 values
// each, well under SQLite's 32,766 bound parameters). Measured on 200,000
// rows: one row per statement costs about 1.5× the CPU of 50–500.
const fillRows = 200

// FillMedia is the media index's first start (backend/media): each change
// is the whole of an account's folder as a walk found it, Upsert only, each
// path once. In one write transaction, an account that exists and still
// holds no indexed file gets its files by multi-row INSERTs (in path order)
// and its totals written once; an account that holds files by now is left
// alone and answered in notEmpty, for the caller to diff as usual; changes
// for accounts that no longer exist are dropped. filled holds the new
// totals of each account written.
func (s *Store) FillMedia(ctx context.Context, changes []panel.MediaChange) (filled map[int64]panel.MediaTotals, notEmpty []int64, err error) {
	for _, ch := range changes {
		if len(ch.Delete) > 0 || len(ch.DeleteTree) > 0 {
			return nil, nil, errors.New("sqlite: FillMedia takes whole folders (Upsert only)")
		}
	}
	// This commit does not checkpoint the WAL: a first start writes tens of
	// MB in a row of batches, and copying each batch into the database file
	// (and syncing it) as it committed kept the writer waiting on the disk
	// (make bench, loaded machine: the writer busy 2.6–2.9 s of a 2.7 s
	// first start; 1.5–1.8 s without). CheckpointMedia does it once when
	// the start-up pass is done. Safe: a commit is in the WAL either way,
	// and when its pages are copied into the database file changes nothing
	// a crash could lose or corrupt (a reopen replays a longer WAL). The WAL
	// file keeps its size until SQLite reuses it. The setting is put back
	// right after this commit, so every other write checkpoints as usual.
	defer s.writer.ExecContext(context.WithoutCancel(ctx), `PRAGMA wal_autocheckpoint = `+strconv.Itoa(walAutoCheckpoint))
	// The statements run under a context that is never cancelled, and ctx
	// is checked between accounts instead: go-sqlite3 runs every statement
	// given a cancellable context on a goroutine of its own and waits for
	// it, and while the start-up walkers keep both threads of a 2-core
	// machine busy, each of those thousands of goroutines queued for a
	// thread behind them (make bench, media index).
	cctx := ctx
	ctx = context.WithoutCancel(ctx)
	err = s.Write(cctx, func(ptx panel.Tx) error {
		filled, notEmpty = map[int64]panel.MediaTotals{}, nil
		tx := ptx.(*writeTx)
		p, ok := tx.db.(preparer)
		if !ok {
			return errors.New("sqlite: write transaction cannot prepare statements")
		}
		if _, err := tx.db.ExecContext(ctx, `PRAGMA wal_autocheckpoint = 0`); err != nil {
			return err
		}
		// Which accounts exist and hold no indexed file: one query per few
		// hundred accounts rather than one each.
		var ids []int64
		for _, ch := range changes {
			if len(ch.Upsert) > 0 {
				ids = append(ids, ch.AccountID)
			}
		}
		indexed := make(map[int64]bool, len(ids))
		for chunk := range slices.Chunk(ids, fillAccounts) {
			rows, err := tx.db.QueryContext(ctx, `SELECT a.id, EXISTS (SELECT 1 FROM media_files m WHERE m.account_id = a.id)
				FROM accounts a WHERE a.id IN (?`+strings.Repeat(`, ?`, len(chunk)-1)+`)`, int64Args(chunk)...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id int64
				var has bool
				if err := rows.Scan(&id, &has); err != nil {
					rows.Close()
					return err
				}
				indexed[id] = has
			}
			if err := errors.Join(rows.Err(), rows.Close()); err != nil {
				return err
			}
		}
		var todo []panel.MediaChange
		for _, ch := range changes {
			has, exists := indexed[ch.AccountID]
			switch {
			case len(ch.Upsert) == 0 || !exists:
			case has:
				notEmpty = append(notEmpty, ch.AccountID)
			default:
				todo = append(todo, ch)
			}
		}
		if len(todo) == 0 {
			return nil
		}
		full, err := p.PrepareContext(ctx, fillInsert(fillRows))
		if err != nil {
			return err
		}
		defer full.Close()
		var totals []any // account, files, bytes: written after the rows
		args := make([]any, 0, 6*fillRows)
		flush := func() error {
			if len(args) == 0 {
				return nil
			}
			// Through Query, not Exec: go-sqlite3 then copies every value
			// into one buffer and binds and steps in one cgo call, where
			// Exec makes a cgo call per value (1,200 per INSERT; make
			// bench, media index: binding was about 0.23 s of the writer's
			// CPU for 200,000 rows). The INSERT runs at its first step,
			// inside QueryContext, and returns no row.
			var rows *sql.Rows
			var err error
			if len(args) == cap(args) {
				rows, err = full.QueryContext(ctx, args...)
			} else {
				rows, err = tx.db.QueryContext(ctx, fillInsert(len(args)/6), args...)
			}
			args = args[:0]
			if err != nil {
				return err
			}
			return rows.Close()
		}
		for _, ch := range todo {
			if err := cctx.Err(); err != nil {
				return err
			}
			// Path order: each INSERT lands on the same few leaf pages.
			slices.SortFunc(ch.Upsert, func(a, b panel.MediaFile) int { return strings.Compare(a.Path, b.Path) })
			var d mediaDelta
			for _, f := range ch.Upsert {
				args = append(args, ch.AccountID, f.Path, strings.ToLower(f.Path), f.Size, string(f.Kind), ms(f.ModifiedAt))
				d.files++
				d.bytes += f.Size
				if len(args) == cap(args) {
					if err := flush(); err != nil {
						return err
					}
				}
			}
			totals = append(totals, ch.AccountID, d.files, d.bytes)
		}
		if err := flush(); err != nil {
			return err
		}
		// The accounts held no file: their totals rows, if any, say 0. In
		// the same transaction as the rows, so nobody sees either early.
		for chunk := range slices.Chunk(totals, 3*fillAccounts) {
			rows, err := tx.db.QueryContext(ctx, `INSERT INTO media_totals (account_id, files, bytes) VALUES (?, ?, ?)`+
				strings.Repeat(`, (?, ?, ?)`, len(chunk)/3-1)+`
				ON CONFLICT (account_id) DO UPDATE SET files = files + excluded.files, bytes = bytes + excluded.bytes
				RETURNING account_id, files, bytes`, chunk...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id int64
				var t panel.MediaTotals
				if err := rows.Scan(&id, &t.Files, &t.Bytes); err != nil {
					rows.Close()
					return err
				}
				filled[id] = t
			}
			if err := errors.Join(rows.Err(), rows.Close()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return filled, notEmpty, nil
}

// fillAccounts is how many accounts one of FillMedia's look-ups or totals
// statements takes (3 values each for the totals, well under SQLite's
// 32,766 bound values).
const fillAccounts = 500

func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// walAutoCheckpoint is SQLite's default, which Open leaves as it is.
const walAutoCheckpoint = 1000

// CheckpointMedia copies the WAL into the database file after a first
// start's fills (PASSIVE: it waits for no reader and no writer).
func (s *Store) CheckpointMedia(ctx context.Context) error {
	_, err := s.writer.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
	return err
}

// fillInsert is an INSERT of n rows of media_files.
func fillInsert(n int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO media_files (account_id, path, path_key, size, kind, modified_at) VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`(?, ?, ?, ?, ?, ?)`)
	}
	return b.String()
}
