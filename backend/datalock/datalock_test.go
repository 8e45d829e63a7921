package datalock

import (
	"errors"
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
