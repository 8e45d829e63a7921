package httpapi_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"testing"
	"time"

	"castdesk/backend/panel"
)

// TestBenchAccountsList is `make bench`, not `make test`: it seeds 100,000
// accounts and times each list/search call of the API against the same
// query run directly on SQLite in the same run, printing p50/p99 and the
// ratio. It asserts nothing about time: these machines are shared.
func TestBenchAccountsList(t *testing.T) {
	if os.Getenv("CASTDESK_BENCH") == "" {
		t.Skip("set CASTDESK_BENCH=1 (make bench)")
	}
	const accounts = 100_000
	e := newServer(t)
	admin := e.client(t)
	admin.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")
	seedAccounts(t, e, accounts)

	db, err := sql.Open("sqlite3", "file:"+e.DBPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cols := `id, username, name, email, level, status, created_at`
	cases := []struct {
		name, query string
		sql         []string // the direct baseline: count, then page
		args        []any
	}{
		{"list first page (by name)", "sort=name&limit=50", []string{
			`SELECT count(*) FROM accounts`,
			`SELECT ` + cols + ` FROM accounts ORDER BY name_key, id LIMIT 51`}, nil},
		{"deep page (by name, keyset at 90%)", "", []string{
			`SELECT count(*) FROM accounts`,
			`SELECT ` + cols + ` FROM accounts WHERE (name_key, id) > ('name 89999', 0) ORDER BY name_key, id LIMIT 51`}, nil},
		{"search username prefix", "q=user0421&limit=50", []string{
			`SELECT count(*) FROM accounts WHERE id IN (SELECT rowid FROM accounts_fts WHERE accounts_fts MATCH '"user0421"')`,
			`SELECT ` + cols + ` FROM accounts WHERE id IN (SELECT rowid FROM accounts_fts WHERE accounts_fts MATCH '"user0421"') ORDER BY id LIMIT 51`}, nil},
		{"search email", "q=u77777@host&limit=50", []string{
			`SELECT count(*) FROM accounts WHERE id IN (SELECT rowid FROM accounts_fts WHERE accounts_fts MATCH '"u77777@host"')`,
			`SELECT ` + cols + ` FROM accounts WHERE id IN (SELECT rowid FROM accounts_fts WHERE accounts_fts MATCH '"u77777@host"') ORDER BY id LIMIT 51`}, nil},
		// A whole address against the lookup of its email_key index: the
		// search also finds every other account containing it, yet should
		// cost about the lookup.
		{"search whole address (vs email_key)", "q=u77777@host27.example.org&limit=50", []string{
			`SELECT count(*) FROM accounts WHERE email_key = 'u77777@host27.example.org'`,
			`SELECT ` + cols + ` FROM accounts WHERE email_key = 'u77777@host27.example.org' ORDER BY id LIMIT 51`}, nil},
		{"search name substring", "q=mith97&limit=50", []string{
			`SELECT count(*) FROM accounts WHERE id IN (SELECT rowid FROM accounts_fts WHERE accounts_fts MATCH '"mith97"')`,
			`SELECT ` + cols + ` FROM accounts WHERE id IN (SELECT rowid FROM accounts_fts WHERE accounts_fts MATCH '"mith97"') ORDER BY id LIMIT 51`}, nil},
	}
	// The deep page's cursor comes from the API itself, as a client would get it.
	deep := deepCursor(t, admin, accounts*9/10)
	cases[1].query = "sort=name&limit=50&cursor=" + deep
	if page := admin.do(http.MethodGet, "/api/v1/customers?q=u77777@host27.example.org", nil).expect(t, 200, ""); page.body["total"] != float64(1) {
		t.Fatalf("the whole address found %v accounts, want 1", page.body["total"])
	}

	fmt.Printf("\n%-36s %10s %10s %10s %10s %8s %9s\n", "accounts list at 100,000", "API p50", "API p99", "SQL p50", "SQL p99", "p50 ×", "p50 +")
	// The floor under every row: an HTTP round trip through the same client
	// to /health (no session; its one statement, a count of the accounts'
	// index, takes ~15 µs).
	floor := measure(200, func() { admin.fetch(t, "/api/v1/health") })
	fmt.Printf("%-36s %10s %10s\n", "HTTP round trip (GET /health)", floor.p50, floor.p99)
	for _, c := range cases {
		admin.do(http.MethodGet, "/api/v1/customers?"+c.query, nil).expect(t, 200, "") // a valid answer, parsed once
		api, direct := measureAlternately(200, func() { admin.fetch(t, "/api/v1/customers?"+c.query) }, func() {
			for _, q := range c.sql {
				rows, err := db.Query(q, c.args...)
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
				}
				rows.Close()
			}
		})
		fmt.Printf("%-36s %10s %10s %10s %10s %8.1f %9s\n", c.name, api.p50, api.p99, direct.p50, direct.p99,
			float64(api.p50)/float64(direct.p50), api.p50-direct.p50)
	}
	benchOneRecord(t, e, admin, db, accounts)
}

// benchOneRecord is the "one record by ID" row: GET /customers/{id} (the
// overview: session check, account, services, mail, second factor, media)
// over HTTP against the account's row read with one SELECT by primary key
// on SQLite, in the same run, and the statements each API call sends.
func benchOneRecord(t *testing.T, e *env, admin *client, db *sql.DB, accounts int) {
	const n = 1000
	ids := make([]int64, n+1)
	for i := range ids {
		ids[i] = int64(2 + (i*7919)%accounts) // spread over the table; 1 is the admin
	}
	i := 0
	before := e.Store.Statements()
	j := 0
	api, direct := measureAlternately(n, func() {
		admin.fetch(t, fmt.Sprintf("/api/v1/customers/%d", ids[i%len(ids)]))
		i++
	}, func() {
		var id int64
		var username, name, email string
		if err := db.QueryRow(`SELECT id, username, name, email FROM accounts WHERE id = ?`, ids[j%len(ids)]).
			Scan(&id, &username, &name, &email); err != nil {
			t.Fatal(err)
		}
		j++
	})
	perCall := float64(e.Store.Statements()-before) / float64(n+1)
	fmt.Printf("%-36s %10s %10s %10s %10s %8.1f   (%.1f statements per API call)\n", "one record by ID (overview)",
		api.p50, api.p99, direct.p50, direct.p99, float64(api.p50)/float64(direct.p50), perCall)
}

// fetch is one GET as a client of the API sees its time: the whole answer
// read, its status checked, the JSON not parsed (the direct SQL beside it
// reads rows without converting them either).
func (c *client) fetch(t *testing.T, path string) {
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", path, res.StatusCode, err)
	}
}

type percentiles struct{ p50, p99 time.Duration }

// measureAlternately times a and b n times each, one after the other (A B A
// B ...), so that both see the same moments of this shared machine's load.
func measureAlternately(n int, a, b func()) (pa, pb percentiles) {
	a()
	b()
	da, db := make([]time.Duration, n), make([]time.Duration, n)
	for i := range n {
		start := time.Now()
		a()
		da[i] = time.Since(start)
		start = time.Now()
		b()
		db[i] = time.Since(start)
	}
	return percentilesOf(da), percentilesOf(db)
}

func percentilesOf(d []time.Duration) percentiles {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	n := len(d)
	return percentiles{d[n/2].Round(time.Microsecond), d[n*99/100].Round(time.Microsecond)}
}

func measure(n int, fn func()) percentiles {
	fn() // warm the page cache
	d := make([]time.Duration, n)
	for i := range d {
		start := time.Now()
		fn()
		d[i] = time.Since(start)
	}
	return percentilesOf(d)
}

// seedAccounts inserts accounts straight through the store (hashing 100k
// passwords would only time argon2).
func seedAccounts(t *testing.T, e *env, n int) {
	t.Helper()
	hash, _ := panel.HashPassword("seeded-Passw0rd")
	ctx := context.Background()
	now := time.Now()
	for start := 0; start < n; start += 5000 {
		err := e.Store.Write(ctx, func(tx panel.Tx) error {
			for i := start; i < start+5000 && i < n; i++ {
				_, err := tx.InsertAccount(ctx, &panel.Account{Username: fmt.Sprintf("user%06d", i), Name: fmt.Sprintf("Name %d Smith%d", i, i%977),
					Email: fmt.Sprintf("u%d@host%d.example.org", i, i%50), Level: panel.LevelCustomer, Status: panel.StatusEnabled,
					Language: "en", PasswordHash: hash, CreatedAt: now, UpdatedAt: now})
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// The store merges the search index by itself a second after a load
	// like this one (backend/sqlite/search_index.go); done here at once so
	// that the merge does not land in a measurement.
	if _, err := e.Store.CompactSearchIndex(ctx); err != nil {
		t.Fatal(err)
	}
}

func deepCursor(t *testing.T, c *client, skip int) string {
	cursor := ""
	for seen := 0; seen < skip; seen += 200 {
		page := c.do("GET", "/api/v1/customers?sort=name&limit=200&cursor="+cursor, nil).expect(t, 200, "")
		cursor, _ = page.body["next_cursor"].(string)
	}
	return cursor
}
