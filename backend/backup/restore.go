package backup

import (
	"archive/zip"
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
	"time"

	"castdesk/backend/datalock"
	"castdesk/backend/sqlite"
)

// Why a restore refuses. Each error wraps one of these, with a sentence
// that says what to do.
var (
	// ErrDamaged: the archive is incomplete, altered or not a backup.
	ErrDamaged = errors.New("damaged backup")
	// ErrNewerSchema: the backup comes from a newer Castdesk.
	ErrNewerSchema = errors.New("backup from a newer Castdesk")
	// ErrInUse: a Castdesk process is using the data directory.
	ErrInUse = errors.New("data directory in use")
	// ErrExists: the data directory holds a desk and --force was not given.
	ErrExists = errors.New("data directory not empty")
)

// Progress reports a stage ("verify", "extract") in bytes.
type Progress func(stage string, done, total int64)

// Verify checks an archive without writing anything: the manifest is there
// and readable, its schema is not newer than this Castdesk's, and every file
// is present, listed, safely named and matches its size and SHA-256.
func Verify(ctx context.Context, archive string, progress Progress) (*Manifest, error) {
	zr, err := zip.OpenReader(archive)
	if err != nil {
		return nil, fmt.Errorf("%w: %s is not a complete backup archive (%v); it may have been cut short", ErrDamaged, archive, err)
	}
	defer zr.Close()
	m, err := readManifest(&zr.Reader)
	if err != nil {
		return nil, err
	}
	entries := map[string]*zip.File{}
	for _, f := range zr.File {
		if _, dup := entries[f.Name]; dup {
			return nil, fmt.Errorf("%w: %s appears twice in the archive", ErrDamaged, f.Name)
		}
		entries[f.Name] = f
	}
	var total int64
	listed := map[string]bool{ManifestName: true}
	for _, f := range m.Files {
		if err := safeName(f.Path); err != nil {
			return nil, err
		}
		if listed[f.Path] {
			return nil, fmt.Errorf("%w: %s is listed twice in the manifest", ErrDamaged, f.Path)
		}
		listed[f.Path] = true
		if entries[f.Path] == nil {
			return nil, fmt.Errorf("%w: %s is in the manifest but not in the archive", ErrDamaged, f.Path)
		}
		total += f.Size
	}
	if !listed[DBName] {
		return nil, fmt.Errorf("%w: the archive has no database", ErrDamaged)
	}
	for name := range entries {
		if !listed[name] {
			return nil, fmt.Errorf("%w: %s is in the archive but not in its manifest", ErrDamaged, name)
		}
	}
	var done int64
	for _, f := range m.Files {
		n, err := checkEntry(ctx, entries[f.Path], f, io.Discard, func(n int64) {
			if progress != nil {
				progress("verify", done+n, total)
			}
		})
		if err != nil {
			return nil, err
		}
		done += n
	}
	if progress != nil {
		progress("verify", total, total)
	}
	return m, nil
}

func readManifest(zr *zip.Reader) (*Manifest, error) {
	var mf *zip.File
	for _, f := range zr.File {
		if f.Name == ManifestName {
			mf = f
		}
	}
	if mf == nil {
		return nil, fmt.Errorf("%w: the archive has no manifest, so it is not a finished backup", ErrDamaged)
	}
	r, err := mf.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: the manifest cannot be read: %v", ErrDamaged, err)
	}
	defer r.Close()
	body, err := io.ReadAll(io.LimitReader(r, 1<<30))
	if err != nil {
		return nil, fmt.Errorf("%w: the manifest does not match its checksum: %v", ErrDamaged, err)
	}
	var m Manifest
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("%w: the manifest is not valid JSON: %v", ErrDamaged, err)
	}
	if err := m.check(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	if known := sqlite.KnownSchema(); m.SchemaVersion > known {
		return nil, fmt.Errorf("%w: this backup was made by Castdesk %s with database schema %d; this Castdesk knows schema %d. "+
			"Restore it with Castdesk %s or newer", ErrNewerSchema, m.CastdeskVersion, m.SchemaVersion, known, m.CastdeskVersion)
	}
	return &m, nil
}

// safeName accepts the database and media/user_{ID}/... paths that stay
// inside their folder.
func safeName(name string) error {
	bad := func() error { return fmt.Errorf("%w: the archive holds an unexpected path %q", ErrDamaged, name) }
	if name == DBName {
		return nil
	}
	rest, ok := strings.CutPrefix(name, MediaPrefix)
	if !ok || strings.Contains(name, "\\") || path.Clean(name) != name || strings.Contains(name, "\x00") {
		return bad()
	}
	parts := strings.Split(rest, "/")
	if len(parts) < 2 || !userFolder.MatchString(parts[0]) {
		return bad()
	}
	for _, p := range parts {
		if p == "" || p == "." || p == ".." {
			return bad()
		}
	}
	return nil
}

// checkEntry copies an entry to w, checking its size and SHA-256.
func checkEntry(ctx context.Context, zf *zip.File, want File, w io.Writer, progress func(int64)) (int64, error) {
	r, err := zf.Open()
	if err != nil {
		return 0, fmt.Errorf("%w: %s cannot be read: %v", ErrDamaged, want.Path, err)
	}
	defer r.Close()
	h := sha256.New()
	var n int64
	buf := make([]byte, 256<<10)
	for {
		k, rerr := r.Read(buf)
		if k > 0 {
			n += int64(k)
			if n > want.Size {
				return n, fmt.Errorf("%w: %s is larger than its manifest says", ErrDamaged, want.Path)
			}
			h.Write(buf[:k])
			if _, err := w.Write(buf[:k]); err != nil {
				return n, err
			}
			progress(n)
		}
		if errors.Is(rerr, io.EOF) {
			break
		}
		if rerr != nil {
			return n, fmt.Errorf("%w: %s does not match its checksum (%v)", ErrDamaged, want.Path, rerr)
		}
		if err := ctx.Err(); err != nil {
			return n, err
		}
	}
	if n != want.Size || hex.EncodeToString(h.Sum(nil)) != want.SHA256 {
		return n, fmt.Errorf("%w: %s does not match its SHA-256 in the manifest", ErrDamaged, want.Path)
	}
	return n, nil
}

// RestoreOptions say what to restore where.
type RestoreOptions struct {
	Archive string
	DataDir string
	// Force replaces a data directory that holds a desk (it is kept aside).
	Force    bool
	Progress Progress
	Now      func() time.Time
}

// RestoreResult says where things went.
type RestoreResult struct {
	Manifest *Manifest
	DataDir  string
	// Aside is the previous data directory, kept ("" when there was none).
	Aside string
	// ContentRoot is where the media went; ContentAside the previous
	// folder there when it was outside the data directory.
	ContentRoot  string
	ContentAside string
}

// Restore verifies the archive, restores it into a new directory beside
// the data directory and swaps it in. Nothing is touched until every
// checksum matched; the new directory is only swapped in once its database
// passed PRAGMA integrity_check, holds the manifest's counts and opens; the
// previous data directory is kept aside. On Linux the swap is one
// renameat2(RENAME_EXCHANGE), so there is no moment without a data dir.
func Restore(ctx context.Context, o RestoreOptions) (res RestoreResult, err error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	dataDir, err := filepath.Abs(o.DataDir)
	if err != nil {
		return res, err
	}
	res.DataDir = dataDir
	parent, base := filepath.Dir(dataDir), filepath.Base(dataDir)
	var locks []*datalock.Lock
	defer func() {
		for _, l := range locks {
			l.Close()
		}
	}()
	exists := false
	if st, err := os.Stat(dataDir); err == nil {
		if !st.IsDir() {
			return res, fmt.Errorf("%s is not a directory", dataDir)
		}
		exists = true
		l, err := datalock.TryExclusive(filepath.Join(dataDir, datalock.DataDirFile))
		if errors.Is(err, datalock.ErrLocked) {
			return res, fmt.Errorf("%w: Castdesk is running on %s (the window, castdesk serve or another admin command); stop it, then restore", ErrInUse, dataDir)
		}
		if err != nil {
			return res, err
		}
		locks = append(locks, l)
		if _, err := os.Stat(filepath.Join(dataDir, sqlite.DBFileName)); err == nil && !o.Force {
			return res, fmt.Errorf("%w: %s already holds a Castdesk database; add --force to replace it (the current one is kept aside)", ErrExists, dataDir)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return res, err
	}

	m, err := Verify(ctx, o.Archive, o.Progress)
	if err != nil {
		return res, err
	}
	res.Manifest = m

	stamp := o.Now().UTC().Format("20060102-150405")
	tmp := filepath.Join(parent, "."+base+".restoring-"+stamp)
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return res, err
	}
	if err := os.Mkdir(tmp, 0o700); err != nil {
		return res, err
	}
	cleanup := []string{tmp}
	defer func() {
		if err != nil {
			for _, p := range cleanup {
				os.RemoveAll(p)
			}
		}
	}()
	l, err := datalock.TryExclusive(filepath.Join(tmp, datalock.DataDirFile))
	if err != nil {
		return res, err
	}
	locks = append(locks, l)
	contentTmp, contentRoot := filepath.Join(tmp, "content"), filepath.Join(dataDir, "content")
	if !m.DefaultContentRoot && m.ContentRoot != "" {
		contentRoot = m.ContentRoot
		contentTmp = filepath.Join(filepath.Dir(contentRoot), "."+filepath.Base(contentRoot)+".restoring-"+stamp)
		if err := os.MkdirAll(filepath.Dir(contentRoot), 0o750); err != nil {
			return res, err
		}
		cleanup = append(cleanup, contentTmp)
	}
	if err := os.MkdirAll(contentTmp, 0o750); err != nil {
		return res, err
	}
	files, err := extract(ctx, o.Archive, m, tmp, contentTmp, o.Progress)
	if err != nil {
		return res, err
	}

	// The copy must be whole before it replaces anything.
	dbPath := filepath.Join(tmp, sqlite.DBFileName)
	info, err := sqlite.Inspect(ctx, dbPath, true)
	if err != nil {
		return res, fmt.Errorf("%w: the restored database: %v", ErrDamaged, err)
	}
	got := info.Counts
	got.Files = files
	if info.Schema != m.SchemaVersion || got != m.Counts {
		return res, fmt.Errorf("%w: the restored desk holds %+v (schema %d), its manifest says %+v (schema %d)",
			ErrDamaged, got, info.Schema, m.Counts, m.SchemaVersion)
	}
	// Opening applies the migrations a backup from an older Castdesk lacks.
	if err := openAndClose(ctx, dbPath); err != nil {
		return res, fmt.Errorf("the restored database does not open: %w", err)
	}

	// The swap.
	aside := filepath.Join(parent, base+".before-restore-"+stamp)
	if exists {
		if err := swapIn(tmp, dataDir, aside); err != nil {
			return res, err
		}
		res.Aside = aside
	} else if err := os.Rename(tmp, dataDir); err != nil {
		return res, err
	}
	cleanup = nil
	syncDir(parent)
	// Backups stay with the desk they live in: bring them over.
	if exists {
		if _, err := os.Stat(filepath.Join(dataDir, "backups")); errors.Is(err, fs.ErrNotExist) {
			os.Rename(filepath.Join(aside, "backups"), filepath.Join(dataDir, "backups"))
		}
	}
	if contentTmp != filepath.Join(tmp, "content") {
		res.ContentRoot = contentRoot
		if _, err := os.Stat(contentRoot); err == nil {
			res.ContentAside = contentRoot + ".before-restore-" + stamp
			if err := swapIn(contentTmp, contentRoot, res.ContentAside); err != nil {
				return res, fmt.Errorf("the data directory is restored, but the media folders could not be put in place at %s (they are in %s): %w", contentRoot, contentTmp, err)
			}
		} else if err := os.Rename(contentTmp, contentRoot); err != nil {
			return res, fmt.Errorf("the data directory is restored, but the media folders could not be put in place at %s (they are in %s): %w", contentRoot, contentTmp, err)
		}
	} else {
		res.ContentRoot = contentRoot
	}
	// The new one opens where it lives now; if not, the old one comes back.
	if err := openAndClose(ctx, filepath.Join(dataDir, sqlite.DBFileName)); err != nil {
		if res.Aside != "" {
			failed := filepath.Join(parent, "."+base+".failed-restore-"+stamp)
			if os.Rename(dataDir, failed) == nil && os.Rename(res.Aside, dataDir) == nil {
				return res, fmt.Errorf("the restored data directory did not open (%v); the previous one is back in place", err)
			}
		}
		return res, fmt.Errorf("the restored data directory did not open: %w", err)
	}
	return res, nil
}

// swapIn puts fresh at target, moving what was there to aside.
func swapIn(fresh, target, aside string) error {
	if err := exchange(fresh, target); err == nil {
		// fresh now names the old directory.
		return os.Rename(fresh, aside)
	}
	if err := os.Rename(target, aside); err != nil {
		return err
	}
	if err := os.Rename(fresh, target); err != nil {
		if rerr := os.Rename(aside, target); rerr != nil {
			return fmt.Errorf("%v; and the previous directory could not be put back from %s: %v", err, aside, rerr)
		}
		return err
	}
	return nil
}

func openAndClose(ctx context.Context, dbPath string) error {
	s, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	return s.Close()
}

// extract writes the archive's files (checking each checksum again) and
// answers how many media files it wrote.
func extract(ctx context.Context, archive string, m *Manifest, dataDir, contentRoot string, progress Progress) (int, error) {
	zr, err := zip.OpenReader(archive)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	defer zr.Close()
	entries := map[string]*zip.File{}
	for _, f := range zr.File {
		entries[f.Name] = f
	}
	var total, done int64
	for _, f := range m.Files {
		total += f.Size
	}
	media := 0
	for _, f := range m.Files {
		dst := filepath.Join(dataDir, sqlite.DBFileName)
		if f.Path != DBName {
			dst = filepath.Join(contentRoot, filepath.FromSlash(strings.TrimPrefix(f.Path, MediaPrefix)))
			media++
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
			return 0, err
		}
		out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
		if err != nil {
			return 0, err
		}
		zf := entries[f.Path]
		n, err := checkEntry(ctx, zf, f, out, func(n int64) {
			if progress != nil {
				progress("extract", done+n, total)
			}
		})
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return 0, err
		}
		os.Chtimes(dst, zf.Modified, zf.Modified)
		done += n
	}
	// Everything on disk before anything is swapped: one syncfs on Linux,
	// a sync of every file elsewhere.
	for _, dir := range []string{dataDir, contentRoot} {
		if err := syncTree(dir); err != nil {
			return 0, err
		}
	}
	if progress != nil {
		progress("extract", total, total)
	}
	return media, nil
}

// syncFiles fsyncs every file and folder under dir.
func syncFiles(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		err = f.Sync()
		f.Close()
		return err
	})
}
