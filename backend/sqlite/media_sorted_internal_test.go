package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"castdesk/backend/panel"
)

// The sort flag (migration 012): an account above sortedAbove files has its
// rows in the partial sort indexes, one below sortedBelow does not, and
// either way a list answers the same pages in the same order.

func sortedTestStore(t *testing.T) (*Store, func(name string) int64) {
	t.Helper()
	s := openTempStore(t)
	return s, func(name string) int64 {
		return insertTestAccount(t, s, name)
	}
}

// sortedFile is file i of a test library: sizes, times and kinds repeat so
// that every sort has ties for path to break.
func sortedFile(i int) panel.MediaFile {
	exts := []string{"mp3", "ogg", "jpg", "mp4", "m3u", "txt"}
	p := fmt.Sprintf("Album %02d/Track %05d.%s", i%37, i, exts[i%len(exts)])
	return panel.MediaFile{Path: p, Size: int64(i % 101), Kind: panel.KindOf(p), ModifiedAt: time.UnixMilli(1_700_000_000_000 + int64(i%53)*1000).UTC()}
}

// flagState is the account's flag in media_totals and how many of its rows
// say sorted = 1, and how many do not.
func flagState(t *testing.T, s *Store, id int64) (totals bool, on, off int) {
	t.Helper()
	ctx := context.Background()
	if err := s.reader.QueryRowContext(ctx, `SELECT sorted FROM media_totals WHERE account_id = ?`, id).Scan(&totals); err != nil {
		t.Fatal(err)
	}
	if err := s.reader.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE sorted = 1), count(*) FILTER (WHERE sorted <> 1) FROM media_files WHERE account_id = ?`, id).Scan(&on, &off); err != nil {
		t.Fatal(err)
	}
	return totals, on, off
}

func wantFlag(t *testing.T, s *Store, id int64, want bool, step string) {
	t.Helper()
	totals, on, off := flagState(t, s, id)
	if totals != want || (want && off != 0) || (!want && on != 0) {
		t.Fatalf("%s: account %d flag %v with %d rows flagged and %d not, want %v", step, id, totals, on, off, want)
	}
}

// mediaSortKey orders files as the list does: column, then path.
func mediaSortKey(sortBy string) func(a, b panel.MediaFile) int {
	desc := strings.HasPrefix(sortBy, "-")
	by := func(a, b panel.MediaFile) int {
		var c int
		switch strings.TrimPrefix(sortBy, "-") {
		case "size":
			c = cmp.Compare(a.Size, b.Size)
		case "modified_at":
			c = cmp.Compare(ms(a.ModifiedAt), ms(b.ModifiedAt))
		case "kind":
			c = strings.Compare(string(a.Kind), string(b.Kind))
		}
		if c == 0 {
			c = strings.Compare(a.Path, b.Path)
		}
		if desc {
			c = -c
		}
		return c
	}
	return by
}

// expectMedia is what a list of files must answer, in order: Go's rule
// for the search (strings.ToLower of the path holds the lowered query).
func expectMedia(files []panel.MediaFile, mq panel.MediaQuery) []string {
	var out []panel.MediaFile
	for _, f := range files {
		if mq.Q != "" && !strings.Contains(strings.ToLower(f.Path), strings.ToLower(mq.Q)) {
			continue
		}
		if mq.Kind != "" && f.Kind != mq.Kind {
			continue
		}
		out = append(out, f)
	}
	slices.SortFunc(out, mediaSortKey(mq.Sort))
	paths := make([]string, len(out))
	for i, f := range out {
		paths[i] = f.Path
	}
	return paths
}

// allPages follows the cursor to the end and answers every path in order.
func allPages(t *testing.T, s *Store, mq panel.MediaQuery) (paths []string, total int) {
	t.Helper()
	for pages := 0; ; pages++ {
		page, err := s.ListMedia(context.Background(), mq)
		if err != nil {
			t.Fatal(err)
		}
		if pages == 0 {
			total = page.Total
		}
		for _, f := range page.Items {
			paths = append(paths, f.Path)
		}
		if page.NextCursor == "" {
			return paths, total
		}
		if pages > 100000 {
			t.Fatal("the cursor never ends")
		}
		mq.Cursor = page.NextCursor
	}
}

var sortedTestQueries = []panel.MediaQuery{
	{Sort: "path"}, {Sort: "-path"}, {Sort: "size"}, {Sort: "-size"}, {Sort: "modified_at"}, {Sort: "-modified_at"},
	{Sort: "kind"}, {Sort: "-kind"}, {Sort: "size", Q: "TRACK 001"}, {Sort: "-modified_at", Q: "album 3"},
	{Sort: "kind", Kind: panel.KindImage}, {Sort: "size", Q: "0", Kind: panel.KindAudio}, {Sort: "path", Q: "nothing like it"},
}

// checkLists compares every test query's pages with what Go makes of files.
func checkLists(t *testing.T, s *Store, id int64, files []panel.MediaFile, limit int, step string) {
	t.Helper()
	for _, q := range sortedTestQueries {
		q.AccountID, q.Limit = id, limit
		got, total := allPages(t, s, q)
		want := expectMedia(files, q)
		if total != len(want) || !slices.Equal(got, want) {
			t.Fatalf("%s: %+v: total %d, %d paths, want %d (first difference at %d)", step, q, total, len(got), len(want), firstDiff(got, want))
		}
	}
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestMediaSortFlagCrossesBothWays grows an account over sortedAbove and
// shrinks it under sortedBelow: its rows are flagged and unflagged with it,
// in the same transaction, lists answer the same either way, and a cursor
// taken before a crossing goes on exactly after it.
func TestMediaSortFlagCrossesBothWays(t *testing.T) {
	ctx := context.Background()
	s, account := sortedTestStore(t)
	id, other := account("grows"), account("stays")
	var files []panel.MediaFile
	for i := range sortedAbove - 10 {
		files = append(files, sortedFile(i))
	}
	apply := func(ch panel.MediaChange) {
		t.Helper()
		ch.AccountID = id
		if _, err := s.ApplyMedia(ctx, []panel.MediaChange{ch}); err != nil {
			t.Fatal(err)
		}
	}
	apply(panel.MediaChange{Upsert: files})
	if _, err := s.ApplyMedia(ctx, []panel.MediaChange{{AccountID: other, Upsert: files[:300]}}); err != nil {
		t.Fatal(err)
	}
	wantFlag(t, s, id, false, "just under the line")
	checkLists(t, s, id, files, 400, "unflagged")

	// A page of each sort taken before the crossing; the rest after it.
	type half struct {
		q    panel.MediaQuery
		last panel.MediaFile // the last row of the first page
	}
	firstPages := func() []half {
		var halves []half
		for _, q := range sortedTestQueries {
			q.AccountID, q.Limit = id, 50
			page, err := s.ListMedia(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			h := half{q: q}
			if n := len(page.Items); n > 0 {
				h.last = page.Items[n-1]
			}
			h.q.Cursor = page.NextCursor
			halves = append(halves, h)
		}
		return halves
	}
	halves := firstPages()
	rest := func(files []panel.MediaFile, step string) {
		t.Helper()
		for _, h := range halves {
			if h.q.Cursor == "" {
				continue
			}
			got, _ := allPages(t, s, h.q)
			// Keyset pages: the rest is what comes after the last row seen
			// (gone or not), in the files as they are now.
			byPath := map[string]panel.MediaFile{}
			for _, f := range files {
				byPath[f.Path] = f
			}
			by := mediaSortKey(h.q.Sort)
			var want []string
			for _, p := range expectMedia(files, h.q) {
				if by(byPath[p], h.last) > 0 {
					want = append(want, p)
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("%s: %+v: the rest of the pages: %d paths, want %d (first difference at %d)", step, h.q, len(got), len(want), firstDiff(got, want))
			}
		}
	}

	// Over the line: 20 more files in one change.
	var more []panel.MediaFile
	for i := sortedAbove - 10; i < sortedAbove+10; i++ {
		more = append(more, sortedFile(i))
	}
	apply(panel.MediaChange{Upsert: more})
	files = append(files, more...)
	wantFlag(t, s, id, true, "over the line")
	wantFlag(t, s, other, false, "the other account")
	rest(files, "after flagging")
	checkLists(t, s, id, files, 400, "flagged")
	// New rows of a flagged account come in flagged; updated ones stay so.
	f := sortedFile(sortedAbove + 10)
	g := files[7]
	g.Size += 1000
	apply(panel.MediaChange{Upsert: []panel.MediaFile{f, g}})
	files = append(files, f)
	files[7] = g
	wantFlag(t, s, id, true, "an insert and an update")
	checkLists(t, s, id, files, 1000, "flagged, after an insert and an update")

	// Down to just above sortedBelow: still flagged (the lines are apart).
	cut := func(keep int, step string) {
		t.Helper()
		var del []string
		for _, f := range files[keep:] {
			del = append(del, f.Path)
		}
		apply(panel.MediaChange{Delete: del})
		files = files[:keep]
	}
	cut(sortedBelow, "down to the lower line")
	wantFlag(t, s, id, true, "at the lower line")
	checkLists(t, s, id, files, 300, "flagged, at the lower line")

	// Just under it: unflagged, with a cursor taken before.
	halves = firstPages()
	cut(sortedBelow-1, "under the lower line")
	wantFlag(t, s, id, false, "under the lower line")
	rest(files, "after unflagging")
	checkLists(t, s, id, files, 300, "unflagged again")

	// Back up over sortedAbove in one whole-tree replace: flagged again.
	var all []panel.MediaFile
	for i := range sortedAbove + 1 {
		all = append(all, sortedFile(i))
	}
	apply(panel.MediaChange{DeleteTree: []string{""}, Upsert: all})
	files = all
	wantFlag(t, s, id, true, "replaced over the line")
	checkLists(t, s, id, files, 2000, "flagged after a replace")
	// The whole folder gone: no file, no flag.
	apply(panel.MediaChange{DeleteTree: []string{""}})
	wantFlag(t, s, id, false, "folder gone")
}

// TestFillMediaSetsTheSortFlag: a fill writes a big folder's rows flagged
// and a small one's not, and they list as the same files applied would.
func TestFillMediaSetsTheSortFlag(t *testing.T) {
	ctx := context.Background()
	s, account := sortedTestStore(t)
	big, edge, small := account("big"), account("edge"), account("small")
	folder := func(n int) []panel.MediaFile {
		var files []panel.MediaFile
		for i := range n {
			files = append(files, sortedFile(i))
		}
		return files
	}
	changes := []panel.MediaChange{{AccountID: big, Upsert: folder(sortedAbove + 1)}, {AccountID: edge, Upsert: folder(sortedAbove)}, {AccountID: small, Upsert: folder(40)}}
	if _, _, err := s.FillMedia(ctx, changes); err != nil {
		t.Fatal(err)
	}
	wantFlag(t, s, big, true, "a fill over the line")
	wantFlag(t, s, edge, false, "a fill at the line")
	wantFlag(t, s, small, false, "a small fill")
	checkLists(t, s, big, folder(sortedAbove+1), 1000, "filled, flagged")
	checkLists(t, s, small, folder(40), 7, "filled, not flagged")
	// One file more on the edge account: over the line.
	if _, err := s.ApplyMedia(ctx, []panel.MediaChange{{AccountID: edge, Upsert: []panel.MediaFile{sortedFile(sortedAbove)}}}); err != nil {
		t.Fatal(err)
	}
	wantFlag(t, s, edge, true, "one file over the line")
}

// explainMedia answers SQLite's plan for the page query of mq.
func explainMedia(t *testing.T, s *Store, mq panel.MediaQuery, sorted bool) string {
	t.Helper()
	query, args, _, err := mediaPageQuery(mq, sorted)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := s.reader.QueryContext(context.Background(), `EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "; ")
}

// TestMediaListPlans: for a flagged account each sort reads its partial
// index in order; for an unflagged one the account's primary-key range is
// read and sorted; never the whole table.
func TestMediaListPlans(t *testing.T) {
	ctx := context.Background()
	s, account := sortedTestStore(t)
	big, small := account("big"), account("small")
	var files []panel.MediaFile
	for i := range sortedAbove + 1 {
		files = append(files, sortedFile(i))
	}
	if _, _, err := s.FillMedia(ctx, []panel.MediaChange{{AccountID: big, Upsert: files}, {AccountID: small, Upsert: files[:100]}}); err != nil {
		t.Fatal(err)
	}
	// The planner's statistics, as a long-lived database may have them.
	for _, analyze := range []bool{false, true} {
		if analyze {
			if _, err := s.writer.ExecContext(ctx, `ANALYZE`); err != nil {
				t.Fatal(err)
			}
		}
		for _, sortBy := range []string{"path", "-path", "size", "-size", "modified_at", "-modified_at", "kind", "-kind"} {
			for _, filter := range []panel.MediaQuery{{}, {Q: "track"}, {Kind: panel.KindAudio}} {
				for _, cursor := range []bool{false, true} {
					for _, id := range []int64{big, small} {
						mq := filter
						mq.AccountID, mq.Sort, mq.Limit = id, sortBy, 10
						if cursor {
							page, err := s.ListMedia(ctx, mq)
							if err != nil || page.NextCursor == "" {
								t.Fatalf("%+v: no second page (%v)", mq, err)
							}
							mq.Cursor = page.NextCursor
						}
						plan := explainMedia(t, s, mq, id == big)
						col := strings.TrimPrefix(sortBy, "-")
						var want string
						switch {
						case col == "path":
							want = "USING PRIMARY KEY (account_id=?"
						case id == big && col == "kind" && mq.Kind != "" && strings.Contains(plan, "PRIMARY KEY"):
							// One kind sorted by kind is in path order: the
							// primary key's, with no sort either (the
							// planner takes it without statistics).
							want = "USING PRIMARY KEY (account_id=?"
						case id == big:
							want = "USING INDEX media_files_" + strings.TrimSuffix(col, "_at") + " (account_id=?"
						default:
							want = "USING PRIMARY KEY (account_id=?)"
						}
						if !strings.Contains(plan, "SEARCH media_files "+want) || strings.Contains(plan, "SCAN media_files") ||
							(id == big && col != "path" && strings.Contains(plan, "TEMP B-TREE")) {
							t.Errorf("analyze %v, %+v (flagged %v): plan %q, want a search %s", analyze, mq, id == big, plan, want)
						}
					}
				}
			}
		}
	}
	// The count of a filter reads the account's range too.
	where, args := mediaFilter(panel.MediaQuery{AccountID: big, Q: "x", Kind: panel.KindAudio})
	var plan string
	var a, b, c int
	if err := s.reader.QueryRowContext(ctx, `EXPLAIN QUERY PLAN SELECT count(*) FROM media_files WHERE `+where, args...).Scan(&a, &b, &c, &plan); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "SEARCH media_files USING PRIMARY KEY (account_id=?)") {
		t.Errorf("count: plan %q", plan)
	}
}

// nonASCIINames are paths whose lowering Go and SQLite's lower() do not
// agree on, or that only Go lowers, beside plain ones.
var nonASCIINames = []string{
	"Ärger/ÄRGER.MP3", "ärger.mp3", "ÉTÉ/Été.flac", "été.ogg", "Kelvin \u212a.mp3", "İstanbul.mp3", "ΣΟΦΙΑ/σοφια.mp3",
	"straße.mp3", "STRASSE.mp3", "bad\xffname.mp3", "Mixed CASE.mp3", "100%_done.mp3", "back\\slash.mp3", "日本語/曲.mp3",
	"plain.mp3", "e\u0301.mp3",
}

var nonASCIIQueries = []string{"är", "ÄR", "ärger", "été", "ÉTÉ", "k", "K", "\u212a", "i", "İ", "ist", "σοφ", "ΣΟΦ", "ß", "ss", "SS",
	"\xff", "bad", "mixed case", "%", "_", "%_", "\\", "曲", "mp3", "e", "\u0301", "É"}

// TestMediaSearchNonASCII: the search matches exactly Go's rule
// (strings.ToLower of the path holds strings.ToLower of the query), for
// paths SQLite's lower() folds differently or not at all, flagged or not.
func TestMediaSearchNonASCII(t *testing.T) {
	ctx := context.Background()
	s, account := sortedTestStore(t)
	id, big := account("names"), account("bignames")
	var files []panel.MediaFile
	for i, name := range nonASCIINames {
		files = append(files, panel.MediaFile{Path: name, Size: int64(i), Kind: panel.KindOf(name), ModifiedAt: time.UnixMilli(int64(i)).UTC()})
	}
	bigFiles := slices.Clone(files)
	for i := range sortedAbove + 1 {
		bigFiles = append(bigFiles, sortedFile(i))
	}
	if _, err := s.ApplyMedia(ctx, []panel.MediaChange{{AccountID: id, Upsert: files}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.FillMedia(ctx, []panel.MediaChange{{AccountID: big, Upsert: bigFiles}}); err != nil {
		t.Fatal(err)
	}
	wantFlag(t, s, big, true, "big")
	for _, q := range nonASCIIQueries {
		for _, sortBy := range []string{"path", "-size"} {
			mq := panel.MediaQuery{AccountID: id, Q: q, Sort: sortBy, Limit: 3}
			got, total := allPages(t, s, mq)
			if want := expectMedia(files, mq); total != len(want) || !slices.Equal(got, want) {
				t.Errorf("q %q: %q (total %d), want %q", q, got, total, want)
			}
			mq.AccountID, mq.Limit = big, 500
			got, total = allPages(t, s, mq)
			if want := expectMedia(bigFiles, mq); total != len(want) || !slices.Equal(got, want) {
				t.Errorf("flagged, q %q: %d paths (total %d), want %d", q, len(got), total, len(want))
			}
		}
	}
	// path_key is kept only where SQLite's lower() is not Go's.
	var kept []string
	rows, err := s.reader.QueryContext(ctx, `SELECT path FROM media_files WHERE account_id = ? AND path_key IS NOT NULL ORDER BY path`, id)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var p string
		rows.Scan(&p)
		kept = append(kept, p)
	}
	rows.Close()
	var want []string
	for _, n := range nonASCIINames {
		if strings.ToLower(n) != asciiLower(n) {
			want = append(want, n)
		}
	}
	sort.Strings(want)
	if !slices.Equal(kept, want) || len(want) != 6 {
		t.Fatalf("path_key kept for %q, want %q", kept, want)
	}
}

// TestMediaMigrationFlagsBigAccounts builds a database as it was before
// migration 012 (every row with its lowered path, three full sort indexes),
// with an account over sortedAbove and a small one, and opens it: the big
// account is flagged with its rows, the small one is not, search answers
// what the old path_key LIKE answered, and lists are unchanged.
func TestMediaMigrationFlagsBigAccounts(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "castdesk.db")
	old, addAccount := openBefore012(t, path)
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := old.ExecContext(ctx, query, args...); err != nil {
			t.Fatalf("%.60s: %v", query, err)
		}
	}
	big, small := addAccount("big"), addAccount("small")
	ids := []int64{big, small}
	var names0 []panel.MediaFile
	for i, name := range nonASCIINames {
		names0 = append(names0, panel.MediaFile{Path: name, Size: int64(i), Kind: panel.KindOf(name), ModifiedAt: time.UnixMilli(int64(i)).UTC()})
	}
	library := map[int64][]panel.MediaFile{small: names0, big: slices.Clone(names0)}
	for i := range sortedAbove + 1 {
		library[big] = append(library[big], sortedFile(i))
	}
	for _, id := range ids {
		var bytes int64
		for _, f := range library[id] {
			exec(`INSERT INTO media_files (account_id, path, path_key, size, kind, modified_at) VALUES (?, ?, ?, ?, ?, ?)`,
				id, f.Path, strings.ToLower(f.Path), f.Size, string(f.Kind), ms(f.ModifiedAt))
			bytes += f.Size
		}
		exec(`INSERT INTO media_totals (account_id, files, bytes) VALUES (?, ?, ?)`, id, len(library[id]), bytes)
	}
	// What the search answered before: path_key LIKE.
	before := map[string][]string{}
	for _, id := range ids {
		for _, q := range nonASCIIQueries {
			rows, err := old.QueryContext(ctx, `SELECT path FROM media_files WHERE account_id = ? AND path_key LIKE ? ESCAPE '\' ORDER BY path`,
				id, "%"+escapeLike(strings.ToLower(q))+"%")
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for rows.Next() {
				var p string
				rows.Scan(&p)
				got = append(got, p)
			}
			rows.Close()
			before[fmt.Sprint(id, q)] = got
		}
	}
	old.Close()

	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	wantFlag(t, s, big, true, "big account after the migration")
	wantFlag(t, s, small, false, "small account after the migration")
	for _, id := range ids {
		t.Run(fmt.Sprint(id), func(t *testing.T) {
			for _, q := range nonASCIIQueries {
				got, _ := allPages(t, s, panel.MediaQuery{AccountID: id, Q: q, Sort: "path", Limit: 1000})
				if want := before[fmt.Sprint(id, q)]; !slices.Equal(got, want) {
					t.Errorf("q %q: %d paths, before the migration %d (%q / %q)", q, len(got), len(want), got[:min(len(got), 5)], want[:min(len(want), 5)])
				}
				if want := expectMedia(library[id], panel.MediaQuery{Q: q, Sort: "path"}); !slices.Equal(got, want) {
					t.Errorf("q %q: not Go's rule", q)
				}
			}
		})
		checkLists(t, s, id, library[id], 1000, fmt.Sprintf("account %d after the migration", id))
		tot, _, _ := s.MediaTotals(ctx, id)
		if tot.Files != len(library[id]) {
			t.Fatalf("account %d: totals %+v", id, tot)
		}
	}
	if plan := explainMedia(t, s, panel.MediaQuery{AccountID: big, Sort: "-size", Limit: 50}, true); !strings.Contains(plan, "USING INDEX media_files_size") {
		t.Fatalf("big account after the migration: plan %q", plan)
	}
	// Most rows lost their lowered copy.
	var keys int
	s.reader.QueryRowContext(ctx, `SELECT count(*) FROM media_files WHERE path_key IS NOT NULL`).Scan(&keys)
	if keys > 2*len(nonASCIINames) {
		t.Fatalf("%d rows keep path_key", keys)
	}
}

// openBefore012 makes a database as it was before migration 012 (its
// migrations applied by hand) and a way to add an account to it.
func openBefore012(t testing.TB, path string) (*sql.DB, func(name string) int64) {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on&_journal_mode=WAL&_synchronous=NORMAL")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	exec := func(query string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, query, args...); err != nil {
			t.Fatalf("%.60s: %v", query, err)
		}
	}
	exec(`CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`)
	names, _ := fs.Glob(migrationFiles, "migrations/*.sql")
	sort.Strings(names)
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		if base >= "012" {
			break
		}
		body, _ := migrationFiles.ReadFile(name)
		exec(string(body))
		exec(`INSERT INTO schema_migrations (name, applied_at) VALUES (?, 0)`, base)
	}
	return db, func(name string) int64 { return addAccountRaw(t, db, name) }
}

// addAccountRaw adds an account with plain SQL.
func addAccountRaw(t testing.TB, db *sql.DB, name string) int64 {
	t.Helper()
	res, err := db.ExecContext(context.Background(), `INSERT INTO accounts (username, username_key, password_hash, name, name_key, email, email_key,
		level, status, created_at, updated_at) VALUES (?, ?, 'x', 'N', 'n', 'e@example.org', 'e@example.org', 'customer', 'enabled', 0, 0)`, name, name)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	return id
}
