package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// checkTotals compares media_totals with what media_files holds, for every
// account: the indexer writes the totals itself (migration 010), so this is
// what the triggers used to guarantee.
func checkTotals(t *testing.T, env *testkit.Env, step string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+env.DBPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT t.account_id, t.files, t.bytes, count(f.path), coalesce(sum(f.size), 0)
		FROM media_totals t LEFT JOIN media_files f ON f.account_id = t.account_id
		GROUP BY t.account_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, files, bytes, n, sum int64
		if err := rows.Scan(&id, &files, &bytes, &n, &sum); err != nil {
			t.Fatal(err)
		}
		if files != n || bytes != sum {
			t.Fatalf("%s: account %d totals %d files %d bytes, rows %d files %d bytes", step, id, files, bytes, n, sum)
		}
	}
	var orphans int
	db.QueryRow(`SELECT count(DISTINCT account_id) FROM media_files WHERE account_id NOT IN (SELECT account_id FROM media_totals)`).Scan(&orphans)
	if orphans != 0 {
		t.Fatalf("%s: %d accounts have files and no totals", step, orphans)
	}
	// Every row carries its account's sort flag (migration 012).
	var mixed int
	if err := db.QueryRow(`SELECT count(*) FROM media_files f JOIN media_totals t ON t.account_id = f.account_id WHERE f.sorted <> t.sorted`).Scan(&mixed); err != nil || mixed != 0 {
		t.Fatalf("%s: %d rows disagree with their account's sort flag (%v)", step, mixed, err)
	}
}

func mediaFile(path string, size int64) panel.MediaFile {
	return panel.MediaFile{Path: path, Size: size, Kind: panel.KindOf(path), ModifiedAt: time.UnixMilli(1_700_000_000_000 + size).UTC()}
}

// TestMediaTotalsStayExact runs random upserts, deletes, folder deletes,
// whole-account deletes and fills, and account deletes (the cascade), and
// checks the totals against the rows after each.
func TestMediaTotalsStayExact(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	ctx := context.Background()
	var ids []int64
	for i := range 4 {
		ids = append(ids, env.CreateAccount(t, adminCtx, fmt.Sprintf("tot%d", i), panel.LevelCustomer).ID)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	paths := []string{"a.mp3", "b.mp3", "d/c.mp3", "d/e/f.ogg", "d/e/g.jpg", "dz.mp3", "d0.mp3", "x/y.mp4"}
	pick := func() string { return paths[rng.IntN(len(paths))] }
	for step := range 300 {
		id := ids[rng.IntN(len(ids))]
		var ch panel.MediaChange
		ch.AccountID = id
		switch rng.IntN(6) {
		case 0, 1, 2:
			for range 1 + rng.IntN(3) {
				ch.Upsert = append(ch.Upsert, mediaFile(pick(), rng.Int64N(1000)))
			}
		case 3:
			ch.Delete = []string{pick(), pick()}
		case 4:
			ch.DeleteTree = []string{[]string{"d", "d/e", "x", ""}[rng.IntN(4)]}
			ch.Upsert = []panel.MediaFile{mediaFile(pick(), rng.Int64N(1000))}
		case 5:
			// A whole folder: filled if the account holds nothing, else
			// answered back (and left alone).
			var files []panel.MediaFile
			for i, p := range paths[:1+rng.IntN(len(paths))] {
				files = append(files, mediaFile(p, int64(100+i)))
			}
			before, _, _ := env.Store.MediaTotals(ctx, id)
			filled, notEmpty, err := env.Store.FillMedia(ctx, []panel.MediaChange{{AccountID: id, Upsert: files}})
			if err != nil {
				t.Fatal(err)
			}
			if before.Files > 0 {
				if len(notEmpty) != 1 || len(filled) != 0 {
					t.Fatalf("step %d: fill of a non-empty account: filled %v, not empty %v", step, filled, notEmpty)
				}
				if after, _, _ := env.Store.MediaTotals(ctx, id); after != before {
					t.Fatalf("step %d: a fill changed a non-empty account: %+v -> %+v", step, before, after)
				}
			} else if got := filled[id]; got.Files != len(files) || len(notEmpty) != 0 {
				t.Fatalf("step %d: fill of an empty account: %+v, not empty %v", step, filled, notEmpty)
			}
			checkTotals(t, env, fmt.Sprintf("step %d (fill)", step))
			continue
		}
		totals, err := env.Store.ApplyMedia(ctx, []panel.MediaChange{ch})
		if err != nil {
			t.Fatal(err)
		}
		checkTotals(t, env, fmt.Sprintf("step %d", step))
		var n int
		var sum int64
		files, _ := env.Store.MediaFilesUnder(ctx, id, "")
		for _, f := range files {
			n++
			sum += f.Size
		}
		if got := totals[id]; got.Files != n || got.Bytes != sum {
			t.Fatalf("step %d: ApplyMedia answered %+v, rows %d files %d bytes", step, got, n, sum)
		}
	}
	// A deleted account takes its files and totals with it (the cascade).
	if err := env.Panel.Accounts.Delete(adminCtx, ids[0], "tot0"); err != nil {
		t.Fatal(err)
	}
	checkTotals(t, env, "after an account delete")
	// Changes and fills for an account that no longer exists are dropped.
	if _, err := env.Store.ApplyMedia(ctx, []panel.MediaChange{{AccountID: ids[0], Upsert: []panel.MediaFile{mediaFile("a.mp3", 1)}}}); err != nil {
		t.Fatal(err)
	}
	filled, notEmpty, err := env.Store.FillMedia(ctx, []panel.MediaChange{{AccountID: ids[0], Upsert: []panel.MediaFile{mediaFile("a.mp3", 1)}}})
	if err != nil || len(filled) != 0 || len(notEmpty) != 0 {
		t.Fatalf("fill of a deleted account: %v %v %v", filled, notEmpty, err)
	}
	if _, indexed, _ := env.Store.MediaTotals(ctx, ids[0]); indexed {
		t.Fatal("a deleted account got totals back")
	}
	checkTotals(t, env, "after writes for a deleted account")
}

// TestFillMediaManyRows fills more rows than one INSERT carries, over
// several accounts, and reads them back.
func TestFillMediaManyRows(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	ctx := context.Background()
	var changes []panel.MediaChange
	for i := range 3 {
		id := env.CreateAccount(t, adminCtx, fmt.Sprintf("fill%d", i), panel.LevelCustomer).ID
		ch := panel.MediaChange{AccountID: id}
		for j := range 150 + i*173 { // 150, 323 and 496 files: not a multiple of one INSERT
			ch.Upsert = append(ch.Upsert, mediaFile(fmt.Sprintf("Dir %d/Track %03d.MP3", j%7, j), int64(j)))
		}
		changes = append(changes, ch)
	}
	if _, _, err := env.Store.FillMedia(ctx, []panel.MediaChange{{AccountID: 1, Delete: []string{"x"}}}); err == nil {
		t.Fatal("FillMedia took a delete")
	}
	filled, notEmpty, err := env.Store.FillMedia(ctx, changes)
	if err != nil || len(notEmpty) != 0 {
		t.Fatal(err, notEmpty)
	}
	for _, ch := range changes {
		var bytes int64
		for _, f := range ch.Upsert {
			bytes += f.Size
		}
		if filled[ch.AccountID] != (panel.MediaTotals{Files: len(ch.Upsert), Bytes: bytes}) {
			t.Fatalf("account %d: totals %+v, want %d files %d bytes", ch.AccountID, filled[ch.AccountID], len(ch.Upsert), bytes)
		}
		rows, err := env.Store.MediaFilesUnder(ctx, ch.AccountID, "")
		if err != nil || len(rows) != len(ch.Upsert) {
			t.Fatalf("account %d: %d rows, want %d (%v)", ch.AccountID, len(rows), len(ch.Upsert), err)
		}
		want := map[string]panel.MediaFile{}
		for _, f := range ch.Upsert {
			want[f.Path] = f
		}
		for _, r := range rows {
			if w := want[r.Path]; w.Size != r.Size || w.Kind != r.Kind || !w.ModifiedAt.Equal(r.ModifiedAt) {
				t.Fatalf("account %d: row %+v, want %+v", ch.AccountID, r, w)
			}
		}
		// Search goes by the lower-cased path.
		page, err := env.Store.ListMedia(ctx, panel.MediaQuery{AccountID: ch.AccountID, Q: "track 00", Sort: "path", Limit: 5})
		if err != nil || page.Total != 10 {
			t.Fatalf("account %d: search found %d (%v)", ch.AccountID, page.Total, err)
		}
	}
	checkTotals(t, env, "after fills")
}
