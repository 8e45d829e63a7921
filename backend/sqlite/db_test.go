package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"castdesk/backend/panel"
	"castdesk/backend/sqlite"
	"castdesk/backend/testkit"
)

func TestMigrationsApplyOnceAndSchemaHasEveryAccountField(t *testing.T) {
	path := filepath.Join(t.TempDir(), "castdesk.db")
	ctx := context.Background()
	for i := 0; i < 2; i++ { // the second open must apply nothing new
		s, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		names, err := s.AppliedMigrations(ctx)
		if err != nil || len(names) == 0 || names[0] != "001_foundation.sql" {
			t.Fatalf("applied: %v %v", names, err)
		}
		s.Close()
	}
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	db.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n)
	rows, err := db.Query(`SELECT name FROM pragma_table_info('accounts')`)
	if err != nil {
		t.Fatal(err)
	}
	var cols []string
	for rows.Next() {
		var c string
		rows.Scan(&c)
		cols = append(cols, c)
	}
	rows.Close()
	// docs/spec.md §1: every field of an account.
	for _, want := range []string{"id", "username", "password_hash", "name", "contact_number", "email", "level",
		"reseller_plan_id", "status", "api_access", "accessibility", "timezone", "language", "owner_id",
		"must_change_password", "created_at", "last_login_at"} {
		if !slices.Contains(cols, want) {
			t.Errorf("accounts has no %s column (has %v)", want, cols)
		}
	}
	var mode string
	db.QueryRow(`PRAGMA journal_mode`).Scan(&mode)
	if mode != "wal" {
		t.Errorf("journal mode %q, want wal", mode)
	}
}

func TestAuditRowsCannotBeChanged(t *testing.T) {
	env := testkit.New(t)
	env.Setup(t)
	db, err := sql.Open("sqlite3", env.DBPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM audit WHERE event = 'setup.admin_created'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("setup not audited: %d %v", n, err)
	}
	if _, err := db.Exec(`UPDATE audit SET details = 'x'`); err == nil {
		t.Fatal("audit row updated")
	}
	if _, err := db.Exec(`DELETE FROM audit`); err == nil {
		t.Fatal("audit row deleted")
	}
}

// Two stores on one file stand for two processes: concurrent writers must
// queue, not fail with "database is locked", and lose nothing.
func TestTwoStoresOnOneFileWriteConcurrently(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	p2 := env.OtherProcess(t).Panel
	const each = 15
	var wg sync.WaitGroup
	errs := make(chan error, 2*each)
	for i := 0; i < each; i++ {
		for j, p := range []*panel.Panel{env.Panel, p2} {
			wg.Add(1)
			go func(i, j int, p *panel.Panel) {
				defer wg.Done()
				_, err := p.Accounts.Create(panel.Operator(context.Background()), panel.CreateAccountInput{
					Username: "u" + string(rune('a'+j)) + string(rune('a'+i)), Name: "N", Email: "n@example.org",
					Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
				if err != nil {
					errs <- err
				}
			}(i, j, p)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent create failed: %v", err)
	}
	page, err := env.Panel.Accounts.List(adminCtx, panel.ListAccountsInput{Limit: 200})
	if err != nil || page.Total != 1+2*each {
		t.Fatalf("total %d (%v), want %d", page.Total, err, 1+2*each)
	}
}
