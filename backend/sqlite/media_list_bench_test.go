package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"castdesk/backend/panel"
)

// TestBenchMediaList (CASTDESK_BENCH=1) times the first page of 50 of a
// media library, by each sort, with no search, one matching about a
// quarter of the files, one matching ten of them at most and one matching
// none, for accounts of
// 100, 2,000, 5,000 and 50,000 files: before migration 012 (three full sort
// indexes, every row's lowered path; the statements the old ListMedia sent)
// against now (ListMedia: partial indexes for accounts over sortedAbove
// files), in the same run, samples alternated. Two more accounts show what
// the flag changes at 5,000 and 50,000 files: one of 5,000 flagged and one
// of 50,000 not. It prints p50s; it asserts nothing about time.
func TestBenchMediaList(t *testing.T) {
	if os.Getenv("CASTDESK_BENCH") == "" {
		t.Skip("benchmark: run with CASTDESK_BENCH=1")
	}
	ctx := context.Background()
	dir := t.TempDir()
	beforeDB, _ := openBefore012(t, filepath.Join(dir, "before.db"))
	beforeDB.Close()
	before, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "before.db")+"?_journal_mode=WAL&_stmt_cache_size=16")
	if err != nil {
		t.Fatal(err)
	}
	defer before.Close()
	s, account := sortedTestStore(t)

	library := func(n int) []panel.MediaFile {
		files := make([]panel.MediaFile, n)
		for i := range n {
			files[i] = sortedFile(i)
		}
		return files
	}
	type lib struct {
		files         int
		before, after int64
		flag, forced  bool
		name          string
	}
	var libs []lib
	for _, n := range []int{100, 2000, 5000, 50000} {
		files := library(n)
		idB := addAccountRaw(t, before, fmt.Sprintf("b%d", n))
		tx, err := before.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		var bytes int64
		for _, f := range files {
			if _, err := tx.ExecContext(ctx, `INSERT INTO media_files (account_id, path, path_key, size, kind, modified_at) VALUES (?, ?, ?, ?, ?, ?)`,
				idB, f.Path, strings.ToLower(f.Path), f.Size, string(f.Kind), ms(f.ModifiedAt)); err != nil {
				t.Fatal(err)
			}
			bytes += f.Size
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO media_totals (account_id, files, bytes) VALUES (?, ?, ?)`, idB, n, bytes); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		idA := account(fmt.Sprintf("a%d", n))
		if _, _, err := s.FillMedia(ctx, []panel.MediaChange{{AccountID: idA, Upsert: files}}); err != nil {
			t.Fatal(err)
		}
		libs = append(libs, lib{files: n, before: idB, after: idA, flag: n > sortedAbove})
		// The same library with the flag the other way.
		if n == 5000 || n == 50000 {
			idX := account(fmt.Sprintf("x%d", n))
			if _, _, err := s.FillMedia(ctx, []panel.MediaChange{{AccountID: idX, Upsert: files}}); err != nil {
				t.Fatal(err)
			}
			flip := n <= sortedAbove
			for _, q := range []string{`UPDATE media_files SET sorted = ? WHERE account_id = ?`, `UPDATE media_totals SET sorted = ? WHERE account_id = ?`} {
				if _, err := s.writer.ExecContext(ctx, q, flip, idX); err != nil {
					t.Fatal(err)
				}
			}
			libs = append(libs, lib{files: n, before: idB, after: idX, flag: flip, forced: true})
		}
	}
	s.writer.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	before.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)

	// What the old ListMedia sent: the totals (or a count of the matches),
	// then the page.
	oldList := func(mq panel.MediaQuery) (int, error) {
		col := strings.TrimPrefix(mq.Sort, "-")
		where := `account_id = ?`
		args := []any{mq.AccountID}
		if mq.Q != "" {
			where += ` AND path_key LIKE ? ESCAPE '\'`
			args = append(args, "%"+escapeLike(strings.ToLower(mq.Q))+"%")
		}
		var total int
		var err error
		if mq.Q == "" {
			err = before.QueryRowContext(ctx, `SELECT files FROM media_totals WHERE account_id = ?`, mq.AccountID).Scan(&total)
		} else {
			err = before.QueryRowContext(ctx, `SELECT count(*) FROM media_files WHERE `+where, args...).Scan(&total)
		}
		if err != nil {
			return 0, err
		}
		order := col + ` ASC`
		if col != "path" {
			order += `, path ASC`
		}
		items, err := scanMedia(before.QueryContext(ctx, `SELECT path, size, kind, modified_at FROM media_files WHERE `+where+
			` ORDER BY `+order+` LIMIT ?`, append(args, mq.Limit+1)...))
		return len(items), err
	}
	p50 := func(d []time.Duration) time.Duration {
		slices.Sort(d)
		return d[len(d)/2]
	}
	fmt.Printf("\nmedia list: first page of 50, p50 of alternated samples (before: 3 full sort indexes + path_key; now: flag over %d files)\n", sortedAbove)
	fmt.Printf("%-22s %-12s %-14s %12s %12s %8s\n", "files (flag now)", "sort", "q", "before", "now", "now/bef")
	for _, l := range libs {
		name := fmt.Sprintf("%d (%v)", l.files, map[bool]string{true: "sorted", false: "unsorted"}[l.flag])
		if l.forced {
			name += " forced"
		}
		for _, sortBy := range []string{"size", "modified_at", "kind", "path"} {
			for _, q := range []string{"", "album 1", "track 0123", "no such name"} {
				mq := panel.MediaQuery{Sort: sortBy, Q: q, Limit: 50}
				var tb, ta []time.Duration
				start := time.Now()
				for i := 0; i < 101 && (i < 11 || time.Since(start) < 1500*time.Millisecond); i++ {
					mq.AccountID = l.before
					t0 := time.Now()
					nb, err := oldList(mq)
					tb = append(tb, time.Since(t0))
					if err != nil {
						t.Fatal(err)
					}
					mq.AccountID = l.after
					t0 = time.Now()
					page, err := s.ListMedia(ctx, mq)
					ta = append(ta, time.Since(t0))
					if err != nil {
						t.Fatal(err)
					}
					if want := min(nb, 50); len(page.Items) != want {
						t.Fatalf("%s %+v: %d items now, %d before", name, mq, len(page.Items), want)
					}
				}
				b, a := p50(tb), p50(ta)
				fmt.Printf("%-22s %-12s %-14q %12s %12s %8.2f\n", name, sortBy, q, b.Round(time.Microsecond), a.Round(time.Microsecond), float64(a)/float64(b))
			}
		}
	}
	fmt.Println()
}
