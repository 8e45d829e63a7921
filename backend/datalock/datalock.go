// Package datalock is an advisory lock on a file, shared or exclusive, held
// for as long as the process keeps it open. The operating system drops it
// when the process ends, even by kill -9, so a lock is never left stale.
//
// Castdesk uses it twice. Every process on a data directory (the window,
// `castdesk serve`, `castdesk admin ...`) holds DATA/castdesk.lock shared,
// so they keep running side by side; `castdesk admin restore` takes it
// exclusively, and so refuses to swap a data directory someone is using.
// The backups folder has its own lock: one backup at a time, across
// processes.
package datalock

import (
	"errors"
	"os"
)

// ErrLocked: another holder has the lock in a conflicting mode.
var ErrLocked = errors.New("locked by another process")

// Lock is a held lock. Close releases it.
type Lock struct{ f *os.File }

// TryShared takes path shared without waiting, creating the file if needed.
func TryShared(path string) (*Lock, error) { return try(path, false) }

// TryExclusive takes path exclusively without waiting.
func TryExclusive(path string) (*Lock, error) { return try(path, true) }

func try(path string, exclusive bool) (*Lock, error) {
	// Read-only and readable by all: a lock needs no write access, so a
	// lock file made by root (an admin command) still serves the service's
	// own user, and vice versa.
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := lockFile(f, exclusive); err != nil {
		f.Close()
		return nil, err
	}
	return &Lock{f: f}, nil
}

// Close releases the lock (closing the file releases it).
func (l *Lock) Close() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// DataDirFile is the lock file of a data directory.
const DataDirFile = "castdesk.lock"
