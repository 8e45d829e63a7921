package media

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"castdesk/backend/panel"
)

var _ panel.MediaStorage = (*Folders)(nil)

// uploadPrefix marks our own temp files; the watcher ignores them (hidden).
const uploadPrefix = ".castdesk-upload-"

// openAccount opens the account's folder as an os.Root: every path below it
// is resolved inside the folder, so neither ".." nor a symlink pointing
// outside can take a write or a delete elsewhere.
func (f *Folders) openAccount(root string, id int64) (*os.Root, error) {
	dir := f.Path(root, id)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	return os.OpenRoot(dir)
}

// Save streams r into a hidden temp file in the target's folder and renames
// it over the target, so a reader (or the watcher) never sees half a file.
func (f *Folders) Save(root string, id int64, rel string, r io.Reader, limit int64, overwrite bool) (panel.MediaFile, error) {
	ar, err := f.openAccount(root, id)
	if err != nil {
		return panel.MediaFile{}, err
	}
	defer ar.Close()
	dir := path.Dir(rel)
	if dir != "." {
		if err := ar.MkdirAll(dir, 0o750); err != nil {
			return panel.MediaFile{}, pathError(err, "dir")
		}
	}
	if !overwrite {
		if _, err := ar.Lstat(rel); err == nil {
			return panel.MediaFile{}, panel.InvalidField("name", panel.ReasonTaken)
		}
	} else if info, err := ar.Lstat(rel); err == nil && !info.Mode().IsRegular() {
		return panel.MediaFile{}, panel.InvalidField("name", panel.ReasonTaken)
	}
	var rnd [8]byte
	rand.Read(rnd[:])
	tmp := path.Join(dir, uploadPrefix+hex.EncodeToString(rnd[:])+".part")
	out, err := ar.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
	if err != nil {
		return panel.MediaFile{}, pathError(err, "dir")
	}
	done := false
	defer func() {
		if !done {
			out.Close()
			ar.Remove(tmp)
		}
	}()
	n, err := io.Copy(out, io.LimitReader(r, limit+1))
	if err != nil {
		return panel.MediaFile{}, err
	}
	if n > limit {
		return panel.MediaFile{}, panel.ErrMediaTooLarge
	}
	if err := out.Sync(); err != nil {
		return panel.MediaFile{}, err
	}
	if err := out.Close(); err != nil {
		return panel.MediaFile{}, err
	}
	if err := ar.Rename(tmp, rel); err != nil {
		return panel.MediaFile{}, pathError(err, "name")
	}
	done = true
	info, err := ar.Lstat(rel)
	if err != nil {
		return panel.MediaFile{}, err
	}
	return fileOf(rel, info), nil
}

// Remove deletes one regular file; directories and symlinks are refused.
func (f *Folders) Remove(root string, id int64, rel string) error {
	ar, err := os.OpenRoot(f.Path(root, id))
	if errors.Is(err, fs.ErrNotExist) {
		return panel.NotFound("File")
	}
	if err != nil {
		return err
	}
	defer ar.Close()
	info, err := ar.Lstat(rel)
	if err != nil {
		return pathError(err, "path")
	}
	if !info.Mode().IsRegular() {
		return panel.InvalidField("path", panel.ReasonNotAFile)
	}
	if err := ar.Remove(rel); err != nil {
		return pathError(err, "path")
	}
	return nil
}

// pathError turns what os.Root refuses into field errors: a missing file is
// not_found, a path escaping the folder (through a symlink) is invalid.
func pathError(err error, field string) error {
	var pe *os.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return panel.NotFound("File")
	case errors.As(err, &pe) && pe.Err != nil && strings.HasSuffix(pe.Err.Error(), "path escapes from parent"):
		return panel.InvalidField(field, panel.ReasonInvalid)
	case errors.Is(err, fs.ErrExist):
		return panel.InvalidField(field, panel.ReasonTaken)
	}
	return err
}

func fileOf(rel string, info fs.FileInfo) panel.MediaFile {
	rel = filepath.ToSlash(rel)
	return panel.MediaFile{Path: rel, Size: info.Size(), Kind: panel.KindOf(rel),
		ModifiedAt: info.ModTime().UTC().Truncate(1e6)}
}
