package sqlite

import (
	"context"
	"path/filepath"
	"testing"
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
