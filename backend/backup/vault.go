package backup

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"castdesk/backend/datalock"
	"castdesk/backend/panel"
	"castdesk/backend/sqlite"
)

// Snapshotter copies the live database consistently (sqlite.Store).
type Snapshotter interface {
	Snapshot(ctx context.Context, path string) (panel.DataInfo, error)
}

// Vault is panel.BackupVault over a folder (DATA/backups). Its files:
//
//	<id>.zip               a finished backup
//	.<id>.zip.part         one being written (removed on failure; a stale
//	                       one is removed by the next backup)
//	.<id>.status.json      a running or failed backup: progress, heartbeat
//	.lock                  held exclusively by the process writing a backup
//
// Progress lives in files, not memory, so the window and `serve` on one data
// dir see each other's backups; whether a "running" one really runs is told
// by its lock, which the operating system drops when its process dies.
type Vault struct {
	dir string
	db  Snapshotter
	log *slog.Logger
	// FilePause is slept after each media file is archived: the tests use it
	// to kill a backup half way. Zero in the app.
	FilePause time.Duration
	// ProgressEvery is how often a running backup's status file is updated
	// (default 250 ms).
	ProgressEvery time.Duration
}

var _ panel.BackupVault = (*Vault)(nil)

// New is the vault of the folder dir (created when the first backup starts).
func New(dir string, db Snapshotter, log *slog.Logger) *Vault {
	return &Vault{dir: dir, db: db, log: log}
}

func (v *Vault) Dir() string { return v.dir }

func (v *Vault) Schema() int { return sqlite.KnownSchema() }

func (v *Vault) zipPath(id string) string    { return filepath.Join(v.dir, id+".zip") }
func (v *Vault) partPath(id string) string   { return filepath.Join(v.dir, "."+id+".zip.part") }
func (v *Vault) statusPath(id string) string { return filepath.Join(v.dir, "."+id+".status.json") }
func (v *Vault) lockPath() string            { return filepath.Join(v.dir, ".lock") }

// status is a .status.json file.
type status struct {
	ID         string             `json:"id"`
	Status     panel.BackupStatus `json:"status"`
	Failure    string             `json:"failure,omitempty"`
	CreatedAt  time.Time          `json:"created_at"`
	BytesDone  int64              `json:"bytes_done"`
	BytesTotal int64              `json:"bytes_total"`
	Scheduled  bool               `json:"scheduled"`
	Out        string             `json:"out,omitempty"`
}

func (s status) backup() panel.Backup {
	return panel.Backup{ID: s.ID, Name: s.ID + ".zip", CreatedAt: s.CreatedAt, Status: s.Status, BytesDone: s.BytesDone,
		BytesTotal: s.BytesTotal, Scheduled: s.Scheduled, Failure: s.Failure}
}

// writeStatus replaces the status file atomically (a reader never sees half).
func (v *Vault) writeStatus(s status) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	tmp := v.statusPath(s.ID) + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, v.statusPath(s.ID))
}

func (v *Vault) readStatus(name string) (status, bool) {
	b, err := os.ReadFile(filepath.Join(v.dir, name))
	if err != nil {
		return status{}, false
	}
	var s status
	if json.Unmarshal(b, &s) != nil || !panel.ValidBackupID(s.ID) {
		return status{}, false
	}
	return s, true
}

// lock takes the backup lock, waiting a moment for a List probe to let go.
func (v *Vault) lock() (*datalock.Lock, error) {
	for i := 0; ; i++ {
		l, err := datalock.TryExclusive(v.lockPath())
		if errors.Is(err, datalock.ErrLocked) && i < 20 {
			time.Sleep(25 * time.Millisecond)
			continue
		}
		if errors.Is(err, datalock.ErrLocked) {
			return nil, panel.ErrBackupBusy
		}
		return l, err
	}
}

// someoneWriting tells whether a backup is being written right now.
func (v *Vault) someoneWriting() bool {
	l, err := datalock.TryShared(v.lockPath())
	if err != nil {
		return errors.Is(err, datalock.ErrLocked)
	}
	l.Close()
	return false
}

var statusName = regexp.MustCompile(`^\.(.+)\.status\.json$`)

func (v *Vault) List(ctx context.Context) ([]panel.Backup, error) {
	entries, err := os.ReadDir(v.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return []panel.Backup{}, nil
	}
	if err != nil {
		return nil, err
	}
	byID := map[string]panel.Backup{}
	writing := -1 // unknown until a running status needs it
	for _, e := range entries {
		name := e.Name()
		if id, ok := strings.CutSuffix(name, ".zip"); ok && panel.ValidBackupID(id) && e.Type().IsRegular() {
			info, err := e.Info()
			if err != nil {
				continue
			}
			created, _ := panel.BackupTimeOf(id)
			byID[id] = panel.Backup{ID: id, Name: name, Size: info.Size(), CreatedAt: created, Status: panel.BackupDone,
				BytesDone: info.Size(), BytesTotal: info.Size(), Scheduled: strings.Contains(id, "-auto")}
		}
	}
	for _, e := range entries {
		m := statusName.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		if _, done := byID[m[1]]; done {
			continue // finished: the archive is what counts
		}
		s, ok := v.readStatus(e.Name())
		if !ok || s.Out != "" {
			continue
		}
		if s.Status == panel.BackupRunning {
			if writing < 0 {
				writing = 0
				if v.someoneWriting() {
					writing = 1
				}
			}
			if writing == 0 {
				s.Status, s.Failure = panel.BackupFailed, "interrupted"
			}
		}
		byID[s.ID] = s.backup()
	}
	out := make([]panel.Backup, 0, len(byID))
	for _, b := range byID {
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.After(out[j].CreatedAt)
		}
		return out[i].ID > out[j].ID
	})
	return out, nil
}

func (v *Vault) Open(id string) (io.ReadSeekCloser, panel.Backup, error) {
	if !panel.ValidBackupID(id) {
		return nil, panel.Backup{}, fs.ErrNotExist
	}
	f, err := os.Open(v.zipPath(id))
	if err != nil {
		return nil, panel.Backup{}, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, panel.Backup{}, err
	}
	created, _ := panel.BackupTimeOf(id)
	return f, panel.Backup{ID: id, Name: id + ".zip", Size: info.Size(), CreatedAt: created, Status: panel.BackupDone,
		BytesDone: info.Size(), BytesTotal: info.Size(), Scheduled: strings.Contains(id, "-auto")}, nil
}

func (v *Vault) Remove(id string) error {
	if !panel.ValidBackupID(id) {
		return fs.ErrNotExist
	}
	var errs []error
	for _, p := range []string{v.zipPath(id), v.partPath(id), v.statusPath(id)} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Begin takes the lock and announces the backup. Holding the lock, it also
// clears what dead backups left: their .part files and "running" statuses.
func (v *Vault) Begin(ctx context.Context, req panel.BackupRequest) (panel.BackupJob, error) {
	if !panel.ValidBackupID(req.ID) {
		return nil, fmt.Errorf("backup id %q is not valid", req.ID)
	}
	if err := os.MkdirAll(v.dir, 0o700); err != nil {
		return nil, err
	}
	l, err := v.lock()
	if err != nil {
		return nil, err
	}
	v.clearStale()
	created, _ := panel.BackupTimeOf(req.ID)
	j := &job{v: v, req: req, lock: l, st: status{ID: req.ID, Status: panel.BackupRunning, CreatedAt: created,
		Scheduled: req.Scheduled, Out: req.Out}}
	if err := v.writeStatus(j.st); err != nil {
		l.Close()
		return nil, err
	}
	return j, nil
}

func (v *Vault) clearStale() {
	entries, _ := os.ReadDir(v.dir)
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, ".") && (strings.HasSuffix(name, ".zip.part") || strings.HasSuffix(name, ".db.tmp")):
			os.Remove(filepath.Join(v.dir, name))
		case statusName.MatchString(name):
			if s, ok := v.readStatus(name); ok && s.Status == panel.BackupRunning {
				s.Status, s.Failure = panel.BackupFailed, "interrupted"
				if s.Out != "" {
					os.Remove(filepath.Join(v.dir, name))
					continue
				}
				v.writeStatus(s)
			}
		}
	}
}

// job is one backup holding the lock.
type job struct {
	v    *Vault
	req  panel.BackupRequest
	lock *datalock.Lock
	once sync.Once

	mu sync.Mutex
	st status
}

func (j *job) Backup() panel.Backup { return j.st.backup() }

func (j *job) Abort() {
	j.once.Do(func() {
		os.Remove(j.v.statusPath(j.req.ID))
		j.lock.Close()
	})
}

// mediaFile is one file to archive.
type mediaFile struct {
	abs, name string // name in the archive
	size      int64
}

func (j *job) Run(ctx context.Context, progress func(done, total int64)) (out panel.Backup, err error) {
	v := j.v
	final, part := v.zipPath(j.req.ID), v.partPath(j.req.ID)
	if j.req.Out != "" {
		final = j.req.Out
		part = filepath.Join(filepath.Dir(final), "."+filepath.Base(final)+".part")
	}
	dbTmp := filepath.Join(v.dir, "."+j.req.ID+".db.tmp")
	defer func() {
		os.Remove(dbTmp)
		if err != nil {
			os.Remove(part)
			j.mu.Lock()
			j.st.Status, j.st.Failure = panel.BackupFailed, "error"
			if ctx.Err() != nil {
				j.st.Failure = "interrupted"
			}
			st := j.st
			j.mu.Unlock()
			if st.Out != "" {
				os.Remove(v.statusPath(st.ID))
			} else {
				v.writeStatus(st)
			}
		} else {
			os.Remove(v.statusPath(j.req.ID))
		}
		j.once.Do(func() { j.lock.Close() })
	}()

	// 1. The database: one consistent snapshot while the doors keep writing.
	info, err := v.db.Snapshot(ctx, dbTmp)
	if err != nil {
		return panel.Backup{}, err
	}
	dbInfo, err := os.Stat(dbTmp)
	if err != nil {
		return panel.Backup{}, err
	}
	// 2. The media folders: what is there now (files written later are in
	// the next backup; the database does not point at files).
	files, err := listMedia(j.req.ContentRoot)
	if err != nil {
		return panel.Backup{}, fmt.Errorf("list the media folders: %w", err)
	}
	total := dbInfo.Size()
	for _, f := range files {
		total += f.size
	}
	meter := &meter{total: total, every: v.ProgressEvery, report: func(done, total int64) {
		j.mu.Lock()
		j.st.BytesDone, j.st.BytesTotal = done, total
		st := j.st
		j.mu.Unlock()
		v.writeStatus(st)
		if progress != nil {
			progress(done, total)
		}
	}}
	meter.flush()

	f, err := os.OpenFile(part, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return panel.Backup{}, err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	zw := zip.NewWriter(bw)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	created, _ := panel.BackupTimeOf(j.req.ID)
	m := &Manifest{Format: Format, FormatVersion: FormatVersion, ID: j.req.ID, CastdeskVersion: j.req.Version,
		SchemaVersion: info.Schema, CreatedAt: created, Counts: info.Counts, ContentRoot: j.req.ContentRoot,
		DefaultContentRoot: j.req.DefaultContentRoot, SMTPPassword: smtpReminder, Files: []File{}}

	add := func(name string, method uint16, mod time.Time, r io.Reader, size int64) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: mod})
		if err != nil {
			return err
		}
		h := sha256.New()
		n, err := io.CopyN(io.MultiWriter(w, h, meter), r, size)
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%s changed while it was being backed up (%d of %d bytes)", name, n, size)
		}
		if err != nil {
			return err
		}
		m.Files = append(m.Files, File{Path: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))})
		return ctx.Err()
	}
	db, err := os.Open(dbTmp)
	if err != nil {
		return panel.Backup{}, err
	}
	err = add(DBName, zip.Deflate, created, db, dbInfo.Size())
	db.Close()
	if err != nil {
		return panel.Backup{}, err
	}
	for _, mf := range files {
		src, err := os.Open(mf.abs)
		if errors.Is(err, fs.ErrNotExist) {
			meter.shrink(mf.size) // deleted since the listing
			continue
		}
		if err != nil {
			return panel.Backup{}, err
		}
		st, err := src.Stat()
		if err != nil || !st.Mode().IsRegular() {
			src.Close()
			meter.shrink(mf.size)
			continue
		}
		meter.shrink(mf.size - st.Size())
		err = add(mf.name, zip.Store, st.ModTime(), src, st.Size())
		src.Close()
		if err != nil {
			return panel.Backup{}, err
		}
		m.Counts.Files++
		if v.FilePause > 0 {
			time.Sleep(v.FilePause)
		}
	}
	// 3. The manifest, last: an archive without it is not a backup.
	body, err := encodeManifest(m)
	if err != nil {
		return panel.Backup{}, err
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: ManifestName, Method: zip.Deflate, Modified: created})
	if err != nil {
		return panel.Backup{}, err
	}
	if _, err := w.Write(body); err != nil {
		return panel.Backup{}, err
	}
	if err := zw.Close(); err != nil {
		return panel.Backup{}, err
	}
	if err := bw.Flush(); err != nil {
		return panel.Backup{}, err
	}
	if err := f.Sync(); err != nil {
		return panel.Backup{}, err
	}
	if err := f.Close(); err != nil {
		return panel.Backup{}, err
	}
	if err := os.Rename(part, final); err != nil {
		return panel.Backup{}, err
	}
	syncDir(filepath.Dir(final))
	meter.flush()
	size := int64(0)
	if st, err := os.Stat(final); err == nil {
		size = st.Size()
	}
	return panel.Backup{ID: j.req.ID, Name: filepath.Base(final), Size: size, CreatedAt: created, Status: panel.BackupDone,
		BytesDone: meter.done, BytesTotal: meter.total, Scheduled: j.req.Scheduled}, nil
}

// listMedia lists the files of every user_{ID} folder under root, skipping
// hidden and temporary names (uploads in flight, editors' swap files) and
// what is not a regular file.
func listMedia(root string) ([]mediaFile, error) {
	entries, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []mediaFile
	for _, e := range entries {
		if !e.IsDir() || !userFolder.MatchString(e.Name()) {
			continue
		}
		files, err := listFolder(filepath.Join(root, e.Name()))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			f.name = MediaPrefix + e.Name() + "/" + f.name
			out = append(out, f)
		}
	}
	return out, nil
}

var userFolder = regexp.MustCompile(`^user_[0-9]+$`)

// meter counts bytes read into the archive and reports them now and then.
type meter struct {
	done, total int64
	every       time.Duration
	last        time.Time
	report      func(done, total int64)
}

func (m *meter) Write(p []byte) (int, error) {
	m.done += int64(len(p))
	every := m.every
	if every == 0 {
		every = 250 * time.Millisecond
	}
	if time.Since(m.last) >= every {
		m.flush()
	}
	return len(p), nil
}

func (m *meter) shrink(n int64) { m.total -= n }

func (m *meter) flush() {
	m.last = time.Now()
	m.report(m.done, m.total)
}

// syncDir makes a rename in dir durable (a no-op where directories cannot
// be synced).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
