package datalock

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestSharedAndExclusive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "castdesk.lock")
	a, err := TryShared(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := TryShared(path)
	if err != nil {
		t.Fatalf("two shared holders: %v", err)
	}
	if _, err := TryExclusive(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("exclusive while shared: %v, want ErrLocked", err)
	}
	a.Close()
	b.Close()
	x, err := TryExclusive(path)
	if err != nil {
		t.Fatalf("exclusive once free: %v", err)
	}
	if _, err := TryShared(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("shared while exclusive: %v, want ErrLocked", err)
	}
	x.Close()
}

// A lock file another user made, read-only for us, still locks.
func TestReadOnlyLockFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "castdesk.lock")
	if err := os.WriteFile(path, nil, 0o444); err != nil {
		t.Fatal(err)
	}
	l, err := TryExclusive(path)
	if err != nil {
		t.Fatalf("a read-only lock file: %v", err)
	}
	l.Close()
}
