package backup

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"castdesk/backend/panel"
)

// Account bundles (docs/spec.md §13): one account moved between desks, as
// a zip of its media folders (media/<ref>/...) and, last, bundle.json with
// the accounts, their services, plan and mail log, and the SHA-256 of every
// media file. The same shape as a backup: a bundle cut short has no
// bundle.json and is refused.

const BundleName = "bundle.json"

// WriteBundle writes b and the media folders of its accounts (folders maps
// an account's ref to its folder) as a zip to w, streaming.
func (v *Vault) WriteBundle(w io.Writer, b *panel.Bundle, folders map[string]string) error {
	zw := zip.NewWriter(w)
	b.Files = []panel.BundleFile{}
	for _, a := range b.Accounts {
		dir, ok := folders[a.Ref]
		if !ok {
			continue
		}
		files, err := listFolder(dir)
		if err != nil {
			return err
		}
		for _, f := range files {
			name := MediaPrefix + a.Ref + "/" + f.name
			src, err := os.Open(f.abs)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return err
			}
			st, err := src.Stat()
			if err != nil || !st.Mode().IsRegular() {
				src.Close()
				continue
			}
			zf, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: st.ModTime()})
			if err != nil {
				src.Close()
				return err
			}
			h := sha256.New()
			n, err := io.CopyN(io.MultiWriter(zf, h), src, st.Size())
			src.Close()
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			b.Files = append(b.Files, panel.BundleFile{Path: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))})
		}
	}
	body, err := json.MarshalIndent(b, "", " ")
	if err != nil {
		return err
	}
	zf, err := zw.CreateHeader(&zip.FileHeader{Name: BundleName, Method: zip.Deflate, Modified: b.ExportedAt})
	if err != nil {
		return err
	}
	if _, err := zf.Write(body); err != nil {
		return err
	}
	return zw.Close()
}

// listFolder lists the regular files under dir (relative, with '/'),
// skipping hidden and temporary names as the media index does.
func listFolder(dir string) ([]mediaFile, error) {
	var out []mediaFile
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if p != dir && panel.IsTransientName(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		out = append(out, mediaFile{abs: p, name: filepath.ToSlash(rel), size: info.Size()})
		return nil
	})
	return out, err
}

// bundleMedia extracts the media of a checked bundle.
type bundleMedia struct {
	zr    *zip.Reader
	files map[string]panel.BundleFile
}

// ReadBundle checks a bundle archive: bundle.json is there and readable,
// every file is listed, safely named and matches its size and SHA-256.
// Nothing is written.
func (v *Vault) ReadBundle(r io.ReaderAt, size int64) (*panel.Bundle, panel.BundleMedia, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: not a complete bundle archive (%v)", ErrDamaged, err)
	}
	var bf *zip.File
	entries := map[string]*zip.File{}
	for _, f := range zr.File {
		if _, dup := entries[f.Name]; dup {
			return nil, nil, fmt.Errorf("%w: %s appears twice", ErrDamaged, f.Name)
		}
		entries[f.Name] = f
		if f.Name == BundleName {
			bf = f
		}
	}
	if bf == nil {
		return nil, nil, fmt.Errorf("%w: no %s, so it is not a finished bundle", ErrDamaged, BundleName)
	}
	rc, err := bf.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	body, err := io.ReadAll(io.LimitReader(rc, 256<<20))
	rc.Close()
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s does not match its checksum (%v)", ErrDamaged, BundleName, err)
	}
	var b panel.Bundle
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&b); err != nil {
		return nil, nil, fmt.Errorf("%w: %s is not valid JSON (%v)", ErrDamaged, BundleName, err)
	}
	if b.Format != panel.BundleFormat {
		return nil, nil, fmt.Errorf("%w: not a Castdesk account bundle", ErrDamaged)
	}
	if b.FormatVersion > panel.BundleFormatVersion {
		return nil, nil, fmt.Errorf("%w: this bundle has format version %d, newer than this Castdesk reads", ErrNewerSchema, b.FormatVersion)
	}
	refs := map[string]bool{}
	for _, a := range b.Accounts {
		refs[a.Ref] = true
	}
	m := &bundleMedia{zr: zr, files: map[string]panel.BundleFile{}}
	for _, f := range b.Files {
		rest, ok := strings.CutPrefix(f.Path, MediaPrefix)
		ref, rel, _ := strings.Cut(rest, "/")
		if !ok || !refs[ref] || rel == "" || path.Clean(f.Path) != f.Path || strings.Contains(f.Path, "\\") || strings.Contains(f.Path, "/../") {
			return nil, nil, fmt.Errorf("%w: unexpected path %q", ErrDamaged, f.Path)
		}
		for _, part := range strings.Split(rel, "/") {
			if part == "" || part == "." || part == ".." {
				return nil, nil, fmt.Errorf("%w: unexpected path %q", ErrDamaged, f.Path)
			}
		}
		zf := entries[f.Path]
		if zf == nil {
			return nil, nil, fmt.Errorf("%w: %s is listed but not in the archive", ErrDamaged, f.Path)
		}
		if _, err := checkEntry(context.Background(), zf, File{Path: f.Path, Size: f.Size, SHA256: f.SHA256}, io.Discard, func(int64) {}); err != nil {
			return nil, nil, err
		}
		m.files[f.Path] = f
	}
	for name := range entries {
		if _, ok := m.files[name]; !ok && name != BundleName {
			return nil, nil, fmt.Errorf("%w: %s is in the archive but not listed", ErrDamaged, name)
		}
	}
	return &b, m, nil
}

// Stage writes the media of account ref into dir (created), checking every
// checksum again, and answers how many files it wrote.
func (m *bundleMedia) Stage(ref, dir string) (int, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return 0, err
	}
	entries := map[string]*zip.File{}
	for _, f := range m.zr.File {
		entries[f.Name] = f
	}
	n := 0
	prefix := MediaPrefix + ref + "/"
	for name, f := range m.files {
		rel, ok := strings.CutPrefix(name, prefix)
		if !ok {
			continue
		}
		dst := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return n, err
		}
		out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
		if err != nil {
			return n, err
		}
		zf := entries[name]
		_, err = checkEntry(context.Background(), zf, File{Path: f.Path, Size: f.Size, SHA256: f.SHA256}, out, func(int64) {})
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return n, err
		}
		os.Chtimes(dst, zf.Modified, zf.Modified)
		n++
	}
	return n, nil
}
