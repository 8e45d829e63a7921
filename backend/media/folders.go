// Package media is the per-account media folders on disk (docs/spec.md §9).
package media

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// asideDir holds folders of accounts being deleted, until the delete commits.
const asideDir = ".deleting"

// Folders implements panel.MediaFolders on the local file system.
type Folders struct {
	Log *slog.Logger
}

func (f *Folders) Path(root string, id int64) string {
	return filepath.Join(root, fmt.Sprintf("user_%d", id))
}

func (f *Folders) Create(root string, id int64) error {
	return os.MkdirAll(f.Path(root, id), 0o750)
}

// Stats counts the regular files under the account's folder and their size.
func (f *Folders) Stats(root string, id int64) (files int, bytes int64, err error) {
	err = filepath.WalkDir(f.Path(root, id), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return nil // vanished while walking
			}
			files++
			bytes += info.Size()
		}
		return nil
	})
	return files, bytes, err
}

// MoveAside renames the folder into root/.deleting/ (same file system, so
// atomic). A missing folder is not an error: there is nothing to keep.
func (f *Folders) MoveAside(root string, id int64) (string, error) {
	if err := os.MkdirAll(filepath.Join(root, asideDir), 0o750); err != nil {
		return "", err
	}
	aside := filepath.Join(root, asideDir, fmt.Sprintf("user_%d.%d", id, time.Now().UnixNano()))
	err := os.Rename(f.Path(root, id), aside)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	return aside, err
}

func (f *Folders) Restore(root string, id int64, aside string) error {
	if aside == "" {
		return nil
	}
	return os.Rename(aside, f.Path(root, id))
}

func (f *Folders) Purge(aside string) error {
	if aside == "" {
		return nil
	}
	return os.RemoveAll(aside)
}

// Reconcile finishes what a crash interrupted: aside folders of accounts that
// still exist go back (the delete did not commit), the others are purged (it
// did); existing accounts without a folder get an empty one.
func (f *Folders) Reconcile(root string, existing map[int64]bool) error {
	var errs []error
	entries, err := os.ReadDir(filepath.Join(root, asideDir))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		errs = append(errs, err)
	}
	for _, e := range entries {
		id, ok := parseAside(e.Name())
		path := filepath.Join(root, asideDir, e.Name())
		switch {
		case !ok:
			continue
		case existing[id]:
			if _, err := os.Stat(f.Path(root, id)); err == nil {
				errs = append(errs, fmt.Errorf("both %s and its aside copy %s exist; left for the admin", f.Path(root, id), path))
				continue
			}
			f.log().Warn("restoring media folder of an interrupted delete", "account_id", id)
			errs = append(errs, os.Rename(path, f.Path(root, id)))
		default:
			f.log().Info("purging media folder of a deleted account", "account_id", id)
			errs = append(errs, os.RemoveAll(path))
		}
	}
	// One directory read instead of a stat per account: this runs at every
	// start, over every account.
	present := map[string]bool{}
	if list, err := os.ReadDir(root); err == nil {
		for _, e := range list {
			present[e.Name()] = e.IsDir()
		}
	}
	for id := range existing {
		if !present[filepath.Base(f.Path(root, id))] {
			errs = append(errs, f.Create(root, id))
		}
	}
	return errors.Join(errs...)
}

func parseAside(name string) (int64, bool) {
	rest, ok := strings.CutPrefix(name, "user_")
	if !ok {
		return 0, false
	}
	idText, _, ok := strings.Cut(rest, ".")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	return id, err == nil
}

func (f *Folders) log() *slog.Logger {
	if f.Log == nil {
		return slog.Default()
	}
	return f.Log
}
