package sqlite

import (
	"context"
	"path/filepath"
	"testing"
)

// ReleaseMemory empties the caches of idle connections; the store answers
// as before afterwards, with a connection busy meanwhile.
func TestReleaseMemoryKeepsTheStoreWorking(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.DataVersion(ctx); err != nil {
		t.Fatal(err)
	}
	busy, err := s.reader.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.ReleaseMemory(ctx)
	busy.Close()
	s.ReleaseMemory(ctx)
	var n int
	if err := s.reader.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master`).Scan(&n); err != nil || n == 0 {
		t.Fatalf("after release: %d tables, %v", n, err)
	}
	if _, err := s.DataVersion(ctx); err != nil {
		t.Fatal(err)
	}
}
