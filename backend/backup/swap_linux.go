//go:build linux

package backup

import (
	"os"

	"golang.org/x/sys/unix"
)

// exchange swaps the two paths in one step (renameat2 RENAME_EXCHANGE), so
// there is no moment without a data directory. It fails on file systems
// that cannot; the caller then falls back to two renames.
func exchange(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}

// syncTree makes everything written under dir durable: one syncfs(2) of its
// file system instead of an fsync per file.
func syncTree(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := unix.Syncfs(int(f.Fd())); err != nil {
		return syncFiles(dir)
	}
	return nil
}
