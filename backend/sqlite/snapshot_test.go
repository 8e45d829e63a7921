package sqlite

import (
	"context"
	"path/filepath"
	"testing"
)

// A database this binary opened has exactly KnownSchema migrations applied:
// the number a backup records and a restore compares.
func TestKnownSchemaIsWhatOpenApplies(t *testing.T) {
	path := filepath.Join(t.TempDir(), DBFileName)
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	info, err := Inspect(context.Background(), path, true)
	if err != nil {
		t.Fatal(err)
	}
	if info.Schema != KnownSchema() {
		t.Errorf("schema_migrations has %d rows, KnownSchema is %d", info.Schema, KnownSchema())
	}
}
