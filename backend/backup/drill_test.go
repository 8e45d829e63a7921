package backup_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"castdesk/backend/backup"
	"castdesk/backend/datalock"
	"castdesk/backend/panel"
	"castdesk/backend/sqlite"
	"castdesk/backend/testkit"
)

func ptr[T any](v T) *T { return &v }

// The restore drill: a backup made while both kinds of writes go on (new
// accounts with services, media uploads) restores into a fresh data dir
// whose database passes integrity_check, whose counts equal the manifest,
// where a customer logs in with its old password and every media file is
// byte-identical.
func TestRestoreDrill(t *testing.T) {
	env := testkit.New(t)
	ctx, _ := env.Setup(t)
	var customers []*panel.Account
	for i := range 8 {
		acc := env.CreateAccount(t, ctx, fmt.Sprintf("radio%d", i), panel.LevelCustomer)
		customers = append(customers, acc)
		if _, err := env.Panel.Services.Create(ctx, panel.ServiceInput{OwnerID: &acc.ID, Name: ptr("FM"), Type: ptr("icecast")}); err != nil {
			t.Fatal(err)
		}
		for j := range 3 {
			upload(t, env, ctx, acc.ID, fmt.Sprintf("show-%d.mp3", j), 64<<10)
		}
	}

	// Writers keep going through the backup: accounts with services, and uploads.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var wrote atomic.Int64
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			acc, err := env.Panel.Accounts.Create(ctx, panel.CreateAccountInput{Username: fmt.Sprintf("late%d", i), Name: "Late",
				Email: fmt.Sprintf("late%d@example.org", i), Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
			if err != nil {
				t.Error(err)
				return
			}
			env.Panel.Services.Create(ctx, panel.ServiceInput{OwnerID: &acc.ID, Name: ptr("Late FM"), Type: ptr("icecast")})
			wrote.Add(1)
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			upload(t, env, ctx, customers[i%len(customers)].ID, fmt.Sprintf("live-%d.mp3", i), 32<<10)
			wrote.Add(1)
		}
	}()
	// Let the writers get going, then back up through the service, as the
	// Backups screen does, polling its status.
	for wrote.Load() < 4 {
		time.Sleep(5 * time.Millisecond)
	}
	atStart := wrote.Load()
	started, err := env.Panel.Backups.Create(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if started.Status != panel.BackupRunning {
		t.Fatalf("a new backup is %s, want running", started.Status)
	}
	var done panel.Backup
	for deadline := time.Now().Add(20 * time.Second); ; {
		b, err := env.Panel.Backups.Get(ctx, started.ID)
		if err != nil {
			t.Fatal(err)
		}
		if b.Status == panel.BackupDone {
			done = b
			break
		}
		if b.Status == panel.BackupFailed || time.Now().After(deadline) {
			t.Fatalf("backup: %+v", b)
		}
		time.Sleep(10 * time.Millisecond)
	}
	during := wrote.Load() - atStart
	close(stop)
	wg.Wait()
	if during == 0 {
		t.Error("nothing was written while the backup ran: the drill proves nothing")
	}
	t.Logf("%d writes while the backup ran; %+v", during, done)
	if done.Size == 0 || done.BytesDone != done.BytesTotal || done.BytesTotal == 0 {
		t.Errorf("finished backup: %+v", done)
	}
	archive := filepath.Join(env.Dir, "backups", done.Name)

	// Restore into a fresh data dir.
	fresh := filepath.Join(t.TempDir(), "restored")
	res, err := backup.Restore(context.Background(), backup.RestoreOptions{Archive: archive, DataDir: fresh})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Manifest
	if m.Counts.Accounts < 9 || m.Counts.Services < 8 || m.Counts.Files < 24 {
		t.Errorf("manifest counts: %+v", m.Counts)
	}
	info, err := sqlite.Inspect(context.Background(), filepath.Join(fresh, sqlite.DBFileName), true)
	if err != nil {
		t.Fatalf("integrity_check of the restored database: %v", err)
	}
	info.Counts.Files = countFiles(t, filepath.Join(fresh, "content"))
	if info.Counts != m.Counts {
		t.Errorf("restored counts %+v, manifest %+v", info.Counts, m.Counts)
	}
	// Every media file is byte-identical to the original.
	for _, f := range m.Files {
		if f.Path == backup.DBName {
			continue
		}
		rel := filepath.FromSlash(strings.TrimPrefix(f.Path, backup.MediaPrefix))
		a, err := os.ReadFile(filepath.Join(env.ContentRoot(), rel))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(fresh, "content", rel))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs after the restore", f.Path)
		}
	}
	// The restored desk runs: a customer logs in with its old password.
	restored := &testkit.Env{Dir: fresh, DBPath: filepath.Join(fresh, sqlite.DBFileName), Clock: env.Clock, Mailer: env.Mailer, Secrets: env.Secrets}
	restored.Reopen(t)
	cctx := restored.Login(t, "radio3", testkit.StrongPassword)
	ov, err := restored.Panel.Accounts.Overview(cctx, customers[3].ID)
	if err != nil {
		t.Fatal(err)
	}
	if ov.Services.Active != 1 || ov.Media.Files < 3 {
		t.Errorf("radio3 after the restore: %+v", ov)
	}
}

// One flipped byte anywhere in an archive is refused before anything is
// touched: the data dir it would replace stays exactly as it was, and no
// restore directory is left beside it.
func TestFlippedByteIsRefusedBeforeAnythingIsTouched(t *testing.T) {
	env := testkit.New(t)
	ctx, _ := env.Setup(t)
	acc := env.CreateAccount(t, ctx, "radio", panel.LevelCustomer)
	upload(t, env, ctx, acc.ID, "a.mp3", 200<<10)
	archive := filepath.Join(t.TempDir(), "b.zip")
	if _, err := env.Panel.Backups.WriteTo(ctx, archive, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := backup.Verify(context.Background(), archive, nil); err != nil {
		t.Fatalf("the intact archive: %v", err)
	}
	body, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	// The target: another desk, closed.
	target := testkit.New(t)
	target.Setup(t)
	target.Store.Close()
	before := treeDigest(t, target.Dir)

	for _, at := range []int{len(body) / 3, len(body) / 2, len(body) - 40} {
		flipped := bytes.Clone(body)
		flipped[at] ^= 0x01
		bad := filepath.Join(t.TempDir(), "flipped.zip")
		os.WriteFile(bad, flipped, 0o600)
		_, err := backup.Restore(context.Background(), backup.RestoreOptions{Archive: bad, DataDir: target.Dir, Force: true})
		if !errors.Is(err, backup.ErrDamaged) {
			t.Errorf("byte %d of %d flipped: %v, want ErrDamaged", at, len(body), err)
		}
		if after := treeDigest(t, target.Dir); after != before {
			t.Errorf("byte %d flipped: the data dir changed", at)
		}
		assertNoRestoreLeftovers(t, filepath.Dir(target.Dir))
	}
	// Cut short: refused the same way.
	short := filepath.Join(t.TempDir(), "short.zip")
	os.WriteFile(short, body[:len(body)/2], 0o600)
	if _, err := backup.Restore(context.Background(), backup.RestoreOptions{Archive: short, DataDir: target.Dir, Force: true}); !errors.Is(err, backup.ErrDamaged) {
		t.Errorf("half an archive: %v, want ErrDamaged", err)
	}
}

// A restore refuses a data dir that a Castdesk process holds, one that
// holds a desk without --force, and a backup of a newer schema.
func TestRestoreRefusals(t *testing.T) {
	env := testkit.New(t)
	ctx, _ := env.Setup(t)
	archive := filepath.Join(t.TempDir(), "b.zip")
	if _, err := env.Panel.Backups.WriteTo(ctx, archive, nil); err != nil {
		t.Fatal(err)
	}
	target := testkit.New(t)
	target.Setup(t)
	held, err := datalock.TryShared(filepath.Join(target.Dir, datalock.DataDirFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := backup.Restore(context.Background(), backup.RestoreOptions{Archive: archive, DataDir: target.Dir, Force: true}); !errors.Is(err, backup.ErrInUse) {
		t.Errorf("a data dir in use: %v, want ErrInUse", err)
	}
	held.Close()
	target.Store.Close()
	if _, err := backup.Restore(context.Background(), backup.RestoreOptions{Archive: archive, DataDir: target.Dir}); !errors.Is(err, backup.ErrExists) {
		t.Errorf("a desk without --force: %v, want ErrExists", err)
	}
	newer := rewriteManifest(t, archive, func(m *backup.Manifest) { m.SchemaVersion = sqlite.KnownSchema() + 1; m.CastdeskVersion = "9.9.9" })
	_, err = backup.Restore(context.Background(), backup.RestoreOptions{Archive: newer, DataDir: target.Dir, Force: true})
	if !errors.Is(err, backup.ErrNewerSchema) || !strings.Contains(err.Error(), "9.9.9") {
		t.Errorf("a newer schema: %v, want ErrNewerSchema naming the version", err)
	}
	// With --force it replaces the desk and keeps the old one aside.
	res, err := backup.Restore(context.Background(), backup.RestoreOptions{Archive: archive, DataDir: target.Dir, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(res.Aside, sqlite.DBFileName)); err != nil {
		t.Errorf("the previous data dir is not kept aside: %v", err)
	}
	assertNoRestoreLeftovers(t, filepath.Dir(target.Dir))
}

// kill -9 during a backup leaves no complete-looking archive: only a hidden
// .part without a manifest, which restore refuses, the list reports as
// interrupted, and the next backup clears.
func TestKillDuringBackup(t *testing.T) {
	if os.Getenv("CASTDESK_BACKUP_CHILD") != "" {
		t.Skip("the child of TestKillDuringBackup")
	}
	env := testkit.New(t)
	ctx, _ := env.Setup(t)
	acc := env.CreateAccount(t, ctx, "radio", panel.LevelCustomer)
	for i := range 40 {
		upload(t, env, ctx, acc.ID, fmt.Sprintf("f%02d.mp3", i), 16<<10)
	}
	env.Store.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^TestBackupChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CASTDESK_BACKUP_CHILD="+env.Dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	writing := false
	for lines.Scan() {
		if lines.Text() == "writing" {
			writing = true
			break
		}
	}
	if !writing {
		cmd.Wait()
		t.Fatal("the child never started writing")
	}
	// While the child writes, this process may not start another backup,
	// and sees the child's as running, with its progress.
	env.Reopen(t)
	if _, err := env.Panel.Backups.Create(ctx); testkit.Code(err) != panel.CodeConflict {
		t.Errorf("a second backup while one runs: %v, want conflict", err)
	}
	if list, err := env.Panel.Backups.List(ctx); err != nil || len(list.Items) != 1 || list.Items[0].Status != panel.BackupRunning ||
		list.Items[0].BytesTotal == 0 {
		t.Errorf("the child's backup is listed as %+v (%v), want running with progress", list.Items, err)
	}
	time.Sleep(100 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()

	dir := filepath.Join(env.Dir, "backups")
	var parts []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".zip") {
			t.Errorf("a complete-looking archive after kill -9: %s", e.Name())
		}
		if strings.HasSuffix(e.Name(), ".part") {
			parts = append(parts, filepath.Join(dir, e.Name()))
		}
	}
	if len(parts) != 1 {
		t.Fatalf("want one .part file, have %v", entries)
	}
	if _, err := backup.Verify(context.Background(), parts[0], nil); !errors.Is(err, backup.ErrDamaged) {
		t.Errorf("restore of the .part: %v, want ErrDamaged", err)
	}
	list, err := env.Panel.Backups.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 1 || list.Items[0].Status != panel.BackupFailed || list.Items[0].Failure != "interrupted" {
		t.Errorf("the killed backup is listed as %+v, want failed/interrupted", list.Items)
	}
	// The next backup clears the leftovers and succeeds.
	env.Clock.Advance(time.Second)
	if _, err := env.Panel.Backups.Create(ctx); err != nil {
		t.Fatal(err)
	}
	env.Panel.Backups.Wait()
	if _, err := os.Stat(parts[0]); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the stale .part is still there: %v", err)
	}
	list, _ = env.Panel.Backups.List(ctx)
	if len(list.Items) != 2 || list.Items[0].Status != panel.BackupDone {
		t.Errorf("after the next backup: %+v", list.Items)
	}
}

// TestBackupChild is TestKillDuringBackup's child process: a slow backup of
// the data dir it is given, announced on stdout once the archive is open.
func TestBackupChild(t *testing.T) {
	dir := os.Getenv("CASTDESK_BACKUP_CHILD")
	if dir == "" {
		t.Skip("run by TestKillDuringBackup")
	}
	store, err := sqlite.Open(context.Background(), filepath.Join(dir, sqlite.DBFileName))
	if err != nil {
		t.Fatal(err)
	}
	v := backup.New(filepath.Join(dir, "backups"), store, slog.New(slog.NewTextHandler(io.Discard, nil)))
	v.FilePause = 50 * time.Millisecond
	job, err := v.Begin(context.Background(), panel.BackupRequest{ID: "castdesk-20261124-090000", ContentRoot: filepath.Join(dir, "content"), DefaultContentRoot: true})
	if err != nil {
		t.Fatal(err)
	}
	announced := false
	job.Run(context.Background(), func(done, total int64) {
		if !announced && done > 0 {
			announced = true
			fmt.Println("writing")
		}
	})
	t.Fatal("the child finished its backup before it was killed")
}

// ------------------------------------------------------------------ helpers

func upload(t *testing.T, env *testkit.Env, ctx context.Context, id int64, name string, size int) {
	t.Helper()
	body := make([]byte, size)
	rand.Read(body)
	if _, err := env.Panel.Media.Upload(ctx, id, panel.MediaUploadInput{Name: name}, bytes.NewReader(body)); err != nil {
		t.Error(err)
	}
}

func countFiles(t *testing.T, root string) int {
	n := 0
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return nil
	})
	return n
}

// treeDigest describes every file under dir by path, size and content.
func treeDigest(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		// The lock file is made by whoever looks at the dir (every Castdesk
		// process, and restore); it holds nothing.
		if err != nil || d.IsDir() || d.Name() == datalock.DataDirFile {
			return nil
		}
		b, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		lines = append(lines, fmt.Sprintf("%s %d %x", rel, len(b), b))
		return nil
	})
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func assertNoRestoreLeftovers(t *testing.T, parent string) {
	t.Helper()
	entries, _ := os.ReadDir(parent)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".restoring-") || strings.Contains(e.Name(), ".failed-restore-") {
			t.Errorf("left beside the data dir: %s", e.Name())
		}
	}
}

// rewriteManifest copies an archive with its manifest changed (and its
// other entries as they are).
func rewriteManifest(t *testing.T, archive string, change func(*backup.Manifest)) string {
	t.Helper()
	zr, err := zip.OpenReader(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := filepath.Join(t.TempDir(), "rewritten.zip")
	f, _ := os.Create(out)
	zw := zip.NewWriter(f)
	for _, e := range zr.File {
		r, _ := e.Open()
		body, _ := io.ReadAll(r)
		r.Close()
		if e.Name == backup.ManifestName {
			var m backup.Manifest
			if err := jsonUnmarshal(body, &m); err != nil {
				t.Fatal(err)
			}
			change(&m)
			body, _ = jsonMarshal(&m)
		}
		w, _ := zw.Create(e.Name)
		w.Write(body)
	}
	zw.Close()
	f.Close()
	return out
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
func jsonMarshal(v any) ([]byte, error)   { return json.Marshal(v) }
