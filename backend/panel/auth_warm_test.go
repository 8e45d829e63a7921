package panel_test

import (
	"context"
	"database/sql"
	"os"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// tableRows counts the rows of the tables a login writes, read through a
// connection of its own on the same file.
func tableRows(t *testing.T, path string) map[string]int {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]int{}
	for _, table := range []string{"login_throttle", "audit", "sessions", "login_history", "accounts", "device_key", "mail_outbox"} {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

// The start-up work does the first login's first uses (auth_warm.go): its
// commit starts the WAL, which SQLite deletes when a store closes, so that
// the first login's commit is not the one that writes the WAL's header and
// syncs it. It changes nothing in the database, and a login after it works.
func TestStartUpStartsTheWALAndChangesNothing(t *testing.T) {
	kit := testkit.New(t)
	admin, _ := kit.Setup(t)
	kit.CreateAccount(t, admin, "lena", panel.LevelCustomer)
	before := tableRows(t, kit.DBPath)

	kit.Reopen(t)
	wal := kit.DBPath + "-wal"
	if fi, err := os.Stat(wal); err == nil && fi.Size() > 0 {
		t.Fatalf("the WAL holds %d bytes before the start-up work: nothing should have written since the reopen", fi.Size())
	}
	if err := kit.Panel.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	<-kit.Panel.StartDone()
	fi, err := os.Stat(wal)
	if err != nil || fi.Size() == 0 {
		t.Fatalf("the start-up work did not start the WAL (%v): the first login would", err)
	}
	after := tableRows(t, kit.DBPath)
	for table, n := range before {
		if after[table] != n {
			t.Errorf("%s: %d rows before the start-up work, %d after", table, n, after[table])
		}
	}

	kit.Login(t, "lena", testkit.StrongPassword)
	if n := tableRows(t, kit.DBPath)["login_throttle"]; n != 0 {
		t.Errorf("login_throttle: %d rows after a right password", n)
	}
}
