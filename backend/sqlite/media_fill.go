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

// fillRows is how many files one INSERT of FillMedia carries (5 values
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
		// Two prepared INSERTs of fillRows rows, one per sort flag (a
		// literal in the statement, like path_key's NULL: fewer values to
		// bind for each row), made when first needed; a row whose path
		// needs its lowered copy (pathKey) goes in by itself.
		var full [2]*sql.Stmt
		defer func() {
			for _, st := range full {
				if st != nil {
					st.Close()
				}
			}
		}()
		var keyed *sql.Stmt
		defer func() {
			if keyed != nil {
				keyed.Close()
			}
		}()
		var totals []any // account, files, bytes, sorted: written after the rows
		args := make([]any, 0, fillCols*fillRows)
		argsSorted := false // the flag of the rows in args
		flush := func() error {
			if len(args) == 0 {
				return nil
			}
			// Through Query, not Exec: go-sqlite3 then copies every value
			// into one buffer and binds and steps in one cgo call, where
			// Exec makes a cgo call per value (1,000 per INSERT; make
			// bench, media index: binding was about 0.23 s of the writer's
			// CPU for 200,000 rows). The INSERT runs at its first step,
			// inside QueryContext, and returns no row.
			var rows *sql.Rows
			var err error
			flag := 0
			if argsSorted {
				flag = 1
			}
			switch {
			case len(args) < cap(args):
				rows, err = tx.db.QueryContext(ctx, fillInsert(len(args)/fillCols, argsSorted), args...)
			case full[flag] == nil:
				if full[flag], err = p.PrepareContext(ctx, fillInsert(fillRows, argsSorted)); err != nil {
					return err
				}
				fallthrough
			default:
				rows, err = full[flag].QueryContext(ctx, args...)
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
			// The account's rows go in with its sort flag already right:
			// the whole folder is here (see sortedAbove).
			sorted := len(ch.Upsert) > sortedAbove
			if sorted != argsSorted {
				if err := flush(); err != nil {
					return err
				}
				argsSorted = sorted
			}
			// The values the rows share, each put in an interface once
			// (an int64 or a string in an interface is an allocation).
			account := any(ch.AccountID)
			var d mediaDelta
			for _, f := range ch.Upsert {
				d.files++
				d.bytes += f.Size
				if key := pathKey(f.Path); key != nil {
					if keyed == nil {
						if keyed, err = p.PrepareContext(ctx, `INSERT INTO media_files (account_id, path, path_key, size, kind, modified_at, sorted)
							VALUES (?, ?, ?, ?, ?, ?, ?)`); err != nil {
							return err
						}
					}
					if _, err := keyed.ExecContext(ctx, account, f.Path, key, f.Size, kindArg(f.Kind), ms(f.ModifiedAt), sorted); err != nil {
						return err
					}
					continue
				}
				args = append(args, account, f.Path, f.Size, kindArg(f.Kind), ms(f.ModifiedAt))
				if len(args) == cap(args) {
					if err := flush(); err != nil {
						return err
					}
				}
			}
			totals = append(totals, ch.AccountID, d.files, d.bytes, sorted)
		}
		if err := flush(); err != nil {
			return err
		}
		// The accounts held no file: their totals rows, if any, say 0. In
		// the same transaction as the rows, so nobody sees either early.
		for chunk := range slices.Chunk(totals, 4*fillAccounts) {
			rows, err := tx.db.QueryContext(ctx, `INSERT INTO media_totals (account_id, files, bytes, sorted) VALUES (?, ?, ?, ?)`+
				strings.Repeat(`, (?, ?, ?, ?)`, len(chunk)/4-1)+`
				ON CONFLICT (account_id) DO UPDATE SET files = files + excluded.files, bytes = bytes + excluded.bytes, sorted = excluded.sorted
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
// statements takes (4 values each for the totals, well under SQLite's
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

// kindArgs are the kinds as values to bind, boxed once.
var kindArgs = func() map[panel.MediaKind]any {
	m := map[panel.MediaKind]any{}
	for _, k := range []panel.MediaKind{panel.KindAudio, panel.KindVideo, panel.KindImage, panel.KindPlaylist, panel.KindOther} {
		m[k] = string(k)
	}
	return m
}()

func kindArg(k panel.MediaKind) any {
	if v, ok := kindArgs[k]; ok {
		return v
	}
	return string(k)
}

// fillCols is how many values each row of fillInsert takes.
const fillCols = 5

// fillInsert is an INSERT of n rows of media_files whose path_key is NULL
// (see pathKey) and whose sort flag is sorted.
func fillInsert(n int, sorted bool) string {
	row := `(?, ?, ?, ?, ?, 0)`
	if sorted {
		row = `(?, ?, ?, ?, ?, 1)`
	}
	var b strings.Builder
	b.WriteString(`INSERT INTO media_files (account_id, path, size, kind, modified_at, sorted) VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	return b.String()
}
