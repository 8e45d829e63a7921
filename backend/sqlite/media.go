package sqlite

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"castdesk/backend/panel"
)

var _ panel.MediaIndex = (*Store)(nil)

// mediaSortColumns maps the library's sorts to columns indexed with path.
var mediaSortColumns = map[string]string{"path": "path", "size": "size", "modified_at": "modified_at", "kind": "kind"}

type mediaCursor struct {
	Sort  string          `json:"s"`
	Value json.RawMessage `json:"v"`
	Path  string          `json:"p"`
	// PathBytes is Path when it is not UTF-8 (a file name may be any
	// bytes), which JSON would not keep as it is.
	PathBytes []byte `json:"b,omitempty"`
}

func (q queries) MediaTotals(ctx context.Context, accountID int64) (panel.MediaTotals, bool, error) {
	var t panel.MediaTotals
	err := q.db.QueryRowContext(ctx, `SELECT files, bytes FROM media_totals WHERE account_id = ?`, accountID).Scan(&t.Files, &t.Bytes)
	if errors.Is(err, sql.ErrNoRows) {
		return panel.MediaTotals{}, false, nil
	}
	return t, err == nil, err
}

func (q queries) MediaAccountIDs(ctx context.Context) ([]int64, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT account_id FROM media_totals WHERE files > 0 ORDER BY account_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// treeRange is the key range of everything under dir: "dir/" up to "dir0"
// ('0' follows '/'), so no LIKE and no escaping.
func treeRange(dir string) (lo, hi string) { return dir + "/", dir + "0" }

func (q queries) MediaFilesUnder(ctx context.Context, accountID int64, dir string) ([]panel.MediaFile, error) {
	query := `SELECT path, size, kind, modified_at FROM media_files WHERE account_id = ?`
	args := []any{accountID}
	if dir != "" {
		lo, hi := treeRange(dir)
		query += ` AND (path = ? OR (path >= ? AND path < ?))`
		args = append(args, dir, lo, hi)
	}
	return scanMedia(q.db.QueryContext(ctx, query, args...))
}

func scanMedia(rows *sql.Rows, err error) ([]panel.MediaFile, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []panel.MediaFile
	for rows.Next() {
		var f panel.MediaFile
		var mod int64
		var kind sql.RawBytes
		if err := rows.Scan(&f.Path, &f.Size, &kind, &mod); err != nil {
			return nil, err
		}
		f.Kind, f.ModifiedAt = mediaKind(kind), fromMS(mod)
		out = append(out, f)
	}
	return out, rows.Err()
}

// mediaKindOf is mediaKind of a string.
func mediaKindOf(s string) panel.MediaKind {
	for _, k := range []panel.MediaKind{panel.KindAudio, panel.KindVideo, panel.KindImage, panel.KindPlaylist, panel.KindOther} {
		if s == string(k) {
			return k
		}
	}
	return panel.MediaKind(s)
}

// mediaKind is the kind a row says, without a string per row for the few
// kinds there are (a start-up reconcile reads every row of the index).
func mediaKind(b []byte) panel.MediaKind {
	for _, k := range []panel.MediaKind{panel.KindAudio, panel.KindVideo, panel.KindImage, panel.KindPlaylist, panel.KindOther} {
		if string(b) == string(k) {
			return k
		}
	}
	return panel.MediaKind(b)
}

// Sort indexes (migration 012): an account's rows are in the partial sort
// indexes (sorted = 1) once it holds more than sortedAbove files, and leave
// them when it falls below sortedBelow (apart, so a folder near the line
// does not flip at every file). Below, a page of 50 sorts without an index
// in under a millisecond (SQLite's top-N sort over the account's
// primary-key range; TestBenchMediaList: p50 0.3-0.4 ms at 2,000 files,
// 0.5-0.9 ms at 5,000, 4-8 ms at 50,000, against 0.1-0.25 ms through an
// index), and a first start inserts each of its rows into one B-tree
// instead of four.
const (
	sortedAbove = 5000
	sortedBelow = 2500
	// indexedMatches: a filtered page goes along a sort index when the
	// filter matches at least this many times the page's rows (ListMedia).
	indexedMatches = 8
)

// pathKey is what media_files.path_key holds for path: Go's lowered path,
// or nil when SQLite's lower(path), which folds ASCII only, is the same (as
// for every ASCII path): ListMedia matches coalesce(path_key, path) with
// LIKE, which folds ASCII case itself (migration 012).
func pathKey(path string) any {
	for i := 0; i < len(path); i++ {
		if path[i] >= 0x80 {
			if k := strings.ToLower(path); k != asciiLower(path) {
				return k
			}
			return nil
		}
	}
	return nil
}

// asciiLower is SQLite's lower() without ICU: A-Z only.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// inReadTx runs fn with q's reads in one read transaction (one snapshot),
// unless q already is a transaction.
func (q queries) inReadTx(ctx context.Context, fn func(queries) error) error {
	c, ok := q.db.(counting)
	if !ok {
		return fn(q)
	}
	db, ok := c.dbtx.(*sql.DB)
	if !ok {
		return fn(q)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(queries{db: counting{tx, c.n}})
}

func (q queries) ListMedia(ctx context.Context, mq panel.MediaQuery) (page panel.MediaPage, err error) {
	// The account's flag and its rows' are read in one snapshot: "sorted =
	// 1" must not meet rows unflagged since.
	err = q.inReadTx(ctx, func(q queries) error {
		page, err = q.listMedia(ctx, mq)
		return err
	})
	return page, err
}

func (q queries) listMedia(ctx context.Context, mq panel.MediaQuery) (panel.MediaPage, error) {
	var page panel.MediaPage
	var sorted bool
	err := q.db.QueryRowContext(ctx, `SELECT files, sorted FROM media_totals WHERE account_id = ?`, mq.AccountID).Scan(&page.Total, &sorted)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return page, err
	}
	if _, _, _, err := mediaPageQuery(mq, false); err != nil {
		return page, err
	}
	// The totals count the account's files; a filter counts its matches
	// (none to count in an account with no file).
	filtered := mq.Q != "" || mq.Kind != ""
	if where, fargs := mediaFilter(mq); filtered && page.Total > 0 {
		if err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM media_files WHERE `+where, fargs...).Scan(&page.Total); err != nil {
			return page, err
		}
	}
	if page.Total == 0 {
		return page, nil // in the same snapshot: no row to read
	}
	// Along a sort index, a filter that few files match reads most of the
	// account's rows, each looked up in the table, to fill a page: about
	// six times the cost of reading them in key order and sorting the
	// matches (TestBenchMediaList: a search matching 10 of 50,000 files,
	// 80-85 ms along the size index, 13 ms over the rows). The index pays
	// when a page's worth of matches comes within a small part of it.
	useIndex := sorted && (!filtered || page.Total >= indexedMatches*(mq.Limit+1))
	query, args, col, err := mediaPageQuery(mq, useIndex)
	if err != nil {
		return page, err
	}
	items, err := scanMedia(q.db.QueryContext(ctx, query, args...))
	if err != nil {
		return page, err
	}
	if len(items) > mq.Limit {
		items = items[:mq.Limit]
		last := items[len(items)-1]
		var v any
		switch col {
		case "size":
			v = last.Size
		case "modified_at":
			v = ms(last.ModifiedAt)
		case "kind":
			v = last.Kind
		}
		raw, _ := json.Marshal(v)
		c := mediaCursor{Sort: mq.Sort, Value: raw, Path: last.Path}
		if !utf8.ValidString(c.Path) {
			c.PathBytes = []byte(c.Path)
		}
		b, _ := json.Marshal(c)
		page.NextCursor = base64.RawURLEncoding.EncodeToString(b)
	}
	page.Items = items
	return page, nil
}

// mediaFilter is the WHERE clause of an account's files that match mq's
// search and kind. The search is Go's rule, strings.ToLower(path) holds
// strings.ToLower(q): see pathKey.
func mediaFilter(mq panel.MediaQuery) (string, []any) {
	where := `account_id = ?`
	args := []any{mq.AccountID}
	if mq.Q != "" {
		where += ` AND coalesce(path_key, path) LIKE ? ESCAPE '\'`
		args = append(args, "%"+escapeLike(strings.ToLower(mq.Q))+"%")
	}
	if mq.Kind != "" {
		where += ` AND kind = ?`
		args = append(args, string(mq.Kind))
	}
	return where, args
}

// mediaPageQuery is the query of one page of mq (Limit+1 rows, to tell
// whether there is a next one), for an account whose sort flag is sorted;
// col is the sort's column.
func mediaPageQuery(mq panel.MediaQuery, sorted bool) (query string, args []any, col string, err error) {
	desc := strings.HasPrefix(mq.Sort, "-")
	col, ok := mediaSortColumns[strings.TrimPrefix(mq.Sort, "-")]
	if !ok {
		return "", nil, "", panel.InvalidField("sort", panel.ReasonInvalid)
	}
	where, args := mediaFilter(mq)
	if sorted && col != "path" {
		// A literal, so the planner may take the partial sort index (the
		// primary key is path's).
		where += ` AND sorted = 1`
	}
	cmp, dir := ">", "ASC"
	if desc {
		cmp, dir = "<", "DESC"
	}
	if mq.Cursor != "" {
		c, err := decodeMediaCursor(mq.Cursor, mq.Sort)
		if err != nil {
			return "", nil, "", err
		}
		if col == "path" {
			where += ` AND path ` + cmp + ` ?`
			args = append(args, c.Path)
		} else {
			var v any
			if col == "kind" {
				var s string
				err = json.Unmarshal(c.Value, &s)
				v = s
			} else {
				var n int64
				err = json.Unmarshal(c.Value, &n)
				v = n
			}
			if err != nil {
				return "", nil, "", panel.InvalidField("cursor", panel.ReasonInvalid)
			}
			where += ` AND (` + col + `, path) ` + cmp + ` (?, ?)`
			args = append(args, v, c.Path)
		}
	}
	order := col + ` ` + dir
	if col != "path" {
		order += `, path ` + dir
	}
	args = append(args, mq.Limit+1)
	return `SELECT path, size, kind, modified_at FROM media_files WHERE ` + where + ` ORDER BY ` + order + ` LIMIT ?`, args, col, nil
}

func decodeMediaCursor(s, sort string) (mediaCursor, error) {
	var c mediaCursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.Sort != sort {
		return c, panel.InvalidField("cursor", panel.ReasonInvalid)
	}
	if c.PathBytes != nil {
		c.Path = string(c.PathBytes)
	}
	return c, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

type preparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// mediaDelta is what one change did to an account's totals. The indexer
// keeps media_totals itself (migration 010): every write to media_files is
// in ApplyMedia or FillMedia, in the same transaction as its totals.
type mediaDelta struct {
	files    int
	bytes    int64
	inserted bool // a row was added: the account is indexed from now on
}

// addTotals writes a delta into media_totals (creating the account's row
// at its first file, as "indexed" means a file was once held).
func addTotals(ctx context.Context, db dbtx, accountID int64, d mediaDelta) error {
	if d.files == 0 && d.bytes == 0 && !d.inserted {
		return nil
	}
	_, err := db.ExecContext(ctx, `INSERT INTO media_totals (account_id, files, bytes) VALUES (?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET files = files + excluded.files, bytes = bytes + excluded.bytes`,
		accountID, d.files, d.bytes)
	return err
}

// setSorted flips the sort flag of an account (and of all its rows) that
// now holds files above sortedAbove or below sortedBelow (migration 012).
func setSorted(ctx context.Context, db dbtx, accountID int64, sorted bool, files int) error {
	switch {
	case !sorted && files > sortedAbove:
		sorted = true
	case sorted && files < sortedBelow:
		sorted = false
	default:
		return nil
	}
	if _, err := db.ExecContext(ctx, `UPDATE media_files SET sorted = ?1 WHERE account_id = ?2 AND sorted <> ?1`, sorted, accountID); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, `UPDATE media_totals SET sorted = ? WHERE account_id = ?`, sorted, accountID)
	return err
}

// sumDeleted runs a DELETE ... RETURNING size and adds what it removed.
func sumDeleted(rows *sql.Rows, err error, d *mediaDelta) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var size int64
		if err := rows.Scan(&size); err != nil {
			return err
		}
		d.files--
		d.bytes -= size
	}
	return rows.Err()
}

// ApplyMedia writes every change in one transaction of the single writer,
// with prepared statements: a start-up reconcile sends thousands of rows.
func (s *Store) ApplyMedia(ctx context.Context, changes []panel.MediaChange) (map[int64]panel.MediaTotals, error) {
	totals := map[int64]panel.MediaTotals{}
	err := s.Write(ctx, func(ptx panel.Tx) error {
		tx := ptx.(*writeTx)
		p, ok := tx.db.(preparer)
		if !ok {
			return errors.New("sqlite: write transaction cannot prepare statements")
		}
		prep := func(query string) (*sql.Stmt, error) { return p.PrepareContext(ctx, query) }
		// Whether the account exists, and its rows' sort flag (new rows
		// get it; see sortedAbove).
		exists, err := prep(`SELECT EXISTS (SELECT 1 FROM accounts WHERE id = ?1),
			coalesce((SELECT sorted FROM media_totals WHERE account_id = ?1), 0)`)
		if err != nil {
			return err
		}
		defer exists.Close()
		del, err := prep(`DELETE FROM media_files WHERE account_id = ? AND path = ? RETURNING size`)
		if err != nil {
			return err
		}
		defer del.Close()
		delTree, err := prep(`DELETE FROM media_files WHERE account_id = ? AND (path = ? OR (path >= ? AND path < ?)) RETURNING size`)
		if err != nil {
			return err
		}
		defer delTree.Close()
		old, err := prep(`SELECT size, kind, modified_at FROM media_files WHERE account_id = ? AND path = ?`)
		if err != nil {
			return err
		}
		defer old.Close()
		insert, err := prep(`INSERT INTO media_files (account_id, path, path_key, size, kind, modified_at, sorted) VALUES (?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer insert.Close()
		update, err := prep(`UPDATE media_files SET size = ?, kind = ?, modified_at = ? WHERE account_id = ? AND path = ?`)
		if err != nil {
			return err
		}
		defer update.Close()
		for _, ch := range changes {
			if ch.Empty() {
				continue
			}
			var found, sorted bool
			if err := exists.QueryRowContext(ctx, ch.AccountID).Scan(&found, &sorted); err != nil {
				return err
			}
			if !found {
				continue
			}
			var d mediaDelta
			for _, dir := range ch.DeleteTree {
				var rows *sql.Rows
				if dir == "" {
					rows, err = tx.db.QueryContext(ctx, `DELETE FROM media_files WHERE account_id = ? RETURNING size`, ch.AccountID)
				} else {
					lo, hi := treeRange(dir)
					rows, err = delTree.QueryContext(ctx, ch.AccountID, dir, lo, hi)
				}
				if err := sumDeleted(rows, err, &d); err != nil {
					return err
				}
			}
			for _, path := range ch.Delete {
				rows, err := del.QueryContext(ctx, ch.AccountID, path)
				if err := sumDeleted(rows, err, &d); err != nil {
					return err
				}
			}
			for _, f := range ch.Upsert {
				var size, mod int64
				var kind string
				err := old.QueryRowContext(ctx, ch.AccountID, f.Path).Scan(&size, &kind, &mod)
				switch {
				case errors.Is(err, sql.ErrNoRows):
					if _, err := insert.ExecContext(ctx, ch.AccountID, f.Path, pathKey(f.Path), f.Size, string(f.Kind), ms(f.ModifiedAt), sorted); err != nil {
						return err
					}
					d.files++
					d.bytes += f.Size
					d.inserted = true
				case err != nil:
					return err
				case size != f.Size || kind != string(f.Kind) || mod != ms(f.ModifiedAt):
					if _, err := update.ExecContext(ctx, f.Size, string(f.Kind), ms(f.ModifiedAt), ch.AccountID, f.Path); err != nil {
						return err
					}
					d.bytes += f.Size - size
				}
			}
			if err := addTotals(ctx, tx.db, ch.AccountID, d); err != nil {
				return err
			}
			t, _, err := tx.MediaTotals(ctx, ch.AccountID)
			if err != nil {
				return err
			}
			if err := setSorted(ctx, tx.db, ch.AccountID, sorted, t.Files); err != nil {
				return err
			}
			totals[ch.AccountID] = t
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return totals, nil
}

// MediaFilesOf lists the indexed files of several accounts in one query
// (the start-up reconcile diffs a few thousand files at a time this way
// rather than one account at a time), each account's in path order (byte
// order, as Go compares strings).
//
// Each account comes as one row: its files packed into one string by
// SQLite (mediaPacked), cut up here without a copy. A next start reads the
// whole index this way, and a row per file through database/sql cost about
// as much CPU as walking the tree (make bench, media index: 200,000 rows,
// 0.39 s of CPU; an allocation per value and a cgo call per row).
func (q queries) MediaFilesOf(ctx context.Context, ids []int64) (map[int64][]panel.MediaFile, error) {
	out := make(map[int64][]panel.MediaFile, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	// Not cancellable once started (one query for a few thousand files):
	// go-sqlite3 steps a query under a cancellable context through a
	// slower path (see FillMedia).
	rows, err := q.db.QueryContext(context.WithoutCancel(ctx), `SELECT account_id, count(*), `+mediaPacked+` FROM media_files
		WHERE account_id IN (?`+strings.Repeat(`, ?`, len(ids)-1)+`) GROUP BY account_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		var packed string
		if err := rows.Scan(&id, &n, &packed); err != nil {
			return nil, err
		}
		files, err := unpackMedia(packed, n)
		if err != nil {
			return nil, fmt.Errorf("media index of account %d: %w", id, err)
		}
		out[id] = files
	}
	return out, rows.Err()
}

// mediaPacked is, per group of media_files rows, one string of
// "<bytes of path> <size> <modified_at> <kind> <path>" for each row, with
// nothing between rows: the path comes last and by its length, so it may
// hold any character. The rows come in the order SQLite reads them (an
// account's in the table's key order, path order, in practice: unpackMedia
// checks and sorts otherwise; an ORDER BY in the aggregate made SQLite sort
// each account's rows again).
const mediaPacked = `group_concat(length(CAST(path AS BLOB)) || ' ' || size || ' ' || modified_at || ' ' || kind || ' ' || path, '')`

// unpackMedia cuts up what mediaPacked made of n rows. The paths share
// packed's memory.
func unpackMedia(packed string, n int) ([]panel.MediaFile, error) {
	files := make([]panel.MediaFile, 0, n)
	field := func() (string, bool) {
		i := strings.IndexByte(packed, ' ')
		if i < 0 {
			return "", false
		}
		f := packed[:i]
		packed = packed[i+1:]
		return f, true
	}
	for packed != "" {
		var nums [3]int64
		for k := range nums {
			f, ok := field()
			if !ok {
				return nil, errors.New("packed media row cut short")
			}
			v, err := strconv.ParseInt(f, 10, 64)
			if err != nil {
				return nil, err
			}
			nums[k] = v
		}
		kind, ok := field()
		if !ok || nums[0] < 0 || nums[0] > int64(len(packed)) {
			return nil, errors.New("packed media row cut short")
		}
		files = append(files, panel.MediaFile{Path: packed[:nums[0]], Size: nums[1], Kind: mediaKindOf(kind), ModifiedAt: fromMS(nums[2])})
		packed = packed[nums[0]:]
	}
	if len(files) != n {
		return nil, fmt.Errorf("packed media rows: %d of %d", len(files), n)
	}
	byPath := func(a, b panel.MediaFile) int { return strings.Compare(a.Path, b.Path) }
	if !slices.IsSortedFunc(files, byPath) {
		slices.SortFunc(files, byPath)
	}
	return files, nil
}
