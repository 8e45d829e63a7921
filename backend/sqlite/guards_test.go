package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"castdesk/backend/panel"
	"castdesk/backend/sqlite"
)

// TestUsernameKeysFollowNFKC: rows stored when the key was lower() alone get
// panel.UsernameKey (NFKC and case folding) once; a key that would collide
// with another account's stays as it was.
func TestUsernameKeysFollowNFKC(t *testing.T) {
	path := filepath.Join(t.TempDir(), "castdesk.db")
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	insert := func(username, key string) {
		t.Helper()
		if _, err := db.Exec(`INSERT INTO accounts (username, username_key, password_hash, name, name_key, email, email_key,
			level, status, created_at, updated_at) VALUES (?, ?, 'x', 'N', 'n', 'e@example.org', 'e@example.org', 'customer', 'enabled', 0, 0)`,
			username, key); err != nil {
			t.Fatal(err)
		}
	}
	insert("dora", "dora")
	insert("ＫＡＴＥ", "ｋａｔｅ") // lower() only: a fullwidth key
	insert("ＤＯＲＡ", "ｄｏｒａ") // would collide with dora
	insert("plain", "plain")
	if _, err := db.Exec(`DELETE FROM schema_migrations WHERE name = '007_username_keys.go'`); err != nil {
		t.Fatal(err)
	}
	if s, err = sqlite.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := map[string]string{"dora": "dora", "ＫＡＴＥ": "kate", "ＤＯＲＡ": "ｄｏｒａ", "plain": "plain"}
	for username, key := range want {
		var got string
		db.QueryRow(`SELECT username_key FROM accounts WHERE username = ?`, username).Scan(&got)
		if got != key {
			t.Errorf("%s: key %q, want %q", username, got, key)
		}
	}
	if acc, err := s.AccountByUsernameKey(ctx, panel.UsernameKey("kate")); err != nil || acc.Username != "ＫＡＴＥ" {
		t.Fatalf("kate after the rekey: %+v %v", acc, err)
	}
}
