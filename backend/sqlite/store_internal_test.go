package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"castdesk/backend/panel"
)

// openTempStore opens a store on a new file in the test's temporary
// directory, closed when the test ends.
func openTempStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "castdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// insertTestAccount adds an enabled customer called name and returns its ID.
func insertTestAccount(t *testing.T, s *Store, name string) int64 {
	t.Helper()
	ctx := context.Background()
	var id int64
	err := s.Write(ctx, func(tx panel.Tx) error {
		now := time.Now()
		var err error
		id, err = tx.InsertAccount(ctx, &panel.Account{Username: name, Name: "T", Email: name + "@example.org", Level: panel.LevelCustomer,
			Status: panel.StatusEnabled, Language: "en", PasswordHash: "x", CreatedAt: now, UpdatedAt: now})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}
