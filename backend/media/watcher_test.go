package media_test

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"castdesk/backend/media"
	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// fixture is a real store, a real content root and a running watcher.
type fixture struct {
	env  *testkit.Env
	root string
	ids  []int64
	w    *media.Watcher
	stop func()
}

func newFixture(t *testing.T, accounts int, tweak func(*media.Watcher)) *fixture {
	t.Helper()
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	f := &fixture{env: env, root: filepath.Join(env.Dir, "content")}
	for i := range accounts {
		f.ids = append(f.ids, env.CreateAccount(t, adminCtx, fmt.Sprintf("cust%d", i), panel.LevelCustomer).ID)
	}
	f.w = f.newWatcher(tweak)
	return f
}

func (f *fixture) newWatcher(tweak func(*media.Watcher)) *media.Watcher {
	return &media.Watcher{Index: f.env.Store, Root: func(context.Context) (string, error) { return f.root, nil },
		Debounce: 20 * time.Millisecond, PollInterval: 100 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// start runs the watcher until the test ends (or stop) and waits for its
// start-up reconcile.
func (f *fixture) start(t *testing.T, tweak func(*media.Watcher)) {
	t.Helper()
	if tweak != nil {
		tweak(f.w)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.w.Run(ctx)
	}()
	var once sync.Once
	f.stop = func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(f.stop)
	select {
	case <-f.w.Ready():
	case <-time.After(30 * time.Second):
		t.Fatal("start-up reconcile did not finish")
	}
}

func (f *fixture) dir(id int64) string {
	return filepath.Join(f.root, "user_"+strconv.FormatInt(id, 10))
}

// onDisk is what the index must say: every regular, non-transient file.
func onDisk(t *testing.T, dir string) map[string]int64 {
	out := map[string]int64{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if p != dir && panel.IsTransientName(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				rel, _ := filepath.Rel(dir, p)
				out[filepath.ToSlash(rel)] = info.Size()
			}
		}
		return nil
	})
	return out
}

func indexed(t *testing.T, f *fixture, id int64) (map[string]int64, panel.MediaTotals) {
	t.Helper()
	files, err := f.env.Store.MediaFilesUnder(context.Background(), id, "")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, m := range files {
		out[m.Path] = m.Size
	}
	tot, _, err := f.env.Store.MediaTotals(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return out, tot
}

func diff(want, got map[string]int64) string {
	var lines []string
	for p, s := range want {
		if g, ok := got[p]; !ok {
			lines = append(lines, "missing "+p)
		} else if g != s {
			lines = append(lines, fmt.Sprintf("size of %s: index %d, disk %d", p, g, s))
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			lines = append(lines, "stale "+p)
		}
	}
	sort.Strings(lines)
	if len(lines) > 10 {
		lines = append(lines[:10], fmt.Sprintf("... %d more", len(lines)-10))
	}
	return strings.Join(lines, "\n")
}

// mismatch says how account id's index (files and totals) differs from
// its folder on disk: "" when it is exact.
func mismatch(t *testing.T, f *fixture, id int64) string {
	t.Helper()
	want := onDisk(t, f.dir(id))
	got, tot := indexed(t, f, id)
	var bytes int64
	for _, s := range want {
		bytes += s
	}
	if d := diff(want, got); d != "" || tot.Files != len(want) || tot.Bytes != bytes {
		return fmt.Sprintf("%s\ntotals %+v, disk %d files %d bytes", d, tot, len(want), bytes)
	}
	return ""
}

// waitExact polls the index until it equals the disk, or fails at the deadline.
func waitExact(t *testing.T, f *fixture, id int64, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		m := mismatch(t, f, id)
		if m == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("index of account %d not exact after %s:\n%s", id, within, m)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func write(t *testing.T, path string, size int) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, make([]byte, size), 0o644); err != nil {
		t.Fatal(err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

const within = 10 * time.Second

func TestFilesAndNestedFolders(t *testing.T) {
	f := newFixture(t, 2, nil)
	write(t, filepath.Join(f.dir(f.ids[0]), "before.mp3"), 10) // there before the watcher starts
	f.start(t, nil)
	id, dir := f.ids[0], f.dir(f.ids[0])
	waitExact(t, f, id, within)

	write(t, filepath.Join(dir, "a.mp3"), 100)
	waitExact(t, f, id, within)
	write(t, filepath.Join(dir, "a.mp3"), 250) // modified
	waitExact(t, f, id, within)

	// Nested folders made at once, faster than a watch can be set on each.
	for i := range 5 {
		write(t, filepath.Join(dir, "x", "y", "z", fmt.Sprintf("deep%d.ogg", i)), 10+i)
	}
	write(t, filepath.Join(dir, "x", "cover.jpg"), 7)
	waitExact(t, f, id, within)

	must(t, os.Rename(filepath.Join(dir, "a.mp3"), filepath.Join(dir, "x", "b.mp3")))
	waitExact(t, f, id, within)
	must(t, os.Rename(filepath.Join(dir, "x"), filepath.Join(dir, "renamed")))
	waitExact(t, f, id, within)
	// The renamed folder's subfolders are still watched under their new name.
	write(t, filepath.Join(dir, "renamed", "y", "z", "later.flac"), 33)
	waitExact(t, f, id, within)

	// A folder moved in from outside the root, with files already in it.
	outside := t.TempDir()
	write(t, filepath.Join(outside, "album", "cd1", "t1.mp3"), 5)
	write(t, filepath.Join(outside, "album", "t0.mp3"), 6)
	must(t, os.Rename(filepath.Join(outside, "album"), filepath.Join(dir, "album")))
	waitExact(t, f, id, within)
	write(t, filepath.Join(dir, "album", "cd1", "t2.mp3"), 8)
	waitExact(t, f, id, within)

	// A folder moved to another account: it leaves one index and joins the other.
	must(t, os.Rename(filepath.Join(dir, "album"), filepath.Join(f.dir(f.ids[1]), "album")))
	waitExact(t, f, id, within)
	waitExact(t, f, f.ids[1], within)
	write(t, filepath.Join(f.dir(f.ids[1]), "album", "cd1", "t3.mp3"), 9)
	waitExact(t, f, f.ids[1], within)

	must(t, os.Remove(filepath.Join(dir, "before.mp3")))
	must(t, os.RemoveAll(filepath.Join(dir, "renamed", "y")))
	waitExact(t, f, id, within)

	// Noise: chmod and temp files change nothing in the index.
	must(t, os.Chmod(filepath.Join(dir, "renamed", "cover.jpg"), 0o600))
	write(t, filepath.Join(dir, ".hidden.mp3"), 3)
	write(t, filepath.Join(dir, "upload.mp3.part"), 3)
	write(t, filepath.Join(dir, "notes.txt~"), 3)
	waitExact(t, f, id, within)
	got, _ := indexed(t, f, id)
	if len(got) != 2 || got["renamed/cover.jpg"] != 7 || got["renamed/b.mp3"] != 250 {
		t.Fatalf("index: %v", got)
	}
	files, _ := f.env.Store.MediaFilesUnder(context.Background(), id, "")
	for _, m := range files {
		if want := map[string]panel.MediaKind{"renamed/b.mp3": panel.KindAudio, "renamed/cover.jpg": panel.KindImage}[m.Path]; m.Kind != want {
			t.Fatalf("kind: %+v", m)
		}
	}
}

func TestAtomicSave(t *testing.T) {
	f := newFixture(t, 1, nil)
	f.start(t, nil)
	id, dir := f.ids[0], f.dir(f.ids[0])
	target := filepath.Join(dir, "playlist.m3u")
	write(t, target, 10)
	waitExact(t, f, id, within)
	// Editors write a temp file and rename it over the original.
	for i, tmp := range []string{".playlist.m3u.swp", "playlist.m3u.tmp", "playlist.m3u~", ".#playlist.m3u"} {
		write(t, filepath.Join(dir, tmp), 100+i)
		must(t, os.Rename(filepath.Join(dir, tmp), target))
		waitExact(t, f, id, within)
		got, _ := indexed(t, f, id)
		if got["playlist.m3u"] != int64(100+i) || len(got) != 1 {
			t.Fatalf("after atomic save %d: %v", i, got)
		}
	}
}

func TestBurstOf10000Files(t *testing.T) {
	f := newFixture(t, 1, nil)
	f.start(t, nil)
	id, dir := f.ids[0], f.dir(f.ids[0])
	for i := range 10000 {
		write(t, filepath.Join(dir, fmt.Sprintf("d%02d", i%20), fmt.Sprintf("f%05d.mp3", i)), i%97)
	}
	waitExact(t, f, id, 30*time.Second)
	if _, tot := indexed(t, f, id); tot.Files != 10000 {
		t.Fatalf("totals %+v", tot)
	}
	// And a burst of deletes.
	for i := 0; i < 10000; i += 2 {
		must(t, os.Remove(filepath.Join(dir, fmt.Sprintf("d%02d", i%20), fmt.Sprintf("f%05d.mp3", i))))
	}
	waitExact(t, f, id, 30*time.Second)
}

func TestOverflowRescan(t *testing.T) {
	b, err := os.ReadFile("/proc/sys/fs/inotify/max_queued_events")
	if err != nil {
		t.Skip("no inotify here")
	}
	queue, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	if queue <= 0 || queue > 200000 {
		t.Skipf("max_queued_events %d: too big to overflow in a test", queue)
	}
	f := newFixture(t, 1, nil)
	id, dir := f.ids[0], f.dir(f.ids[0])
	for i := range 4 { // watched from the start: new folders would only be watched once read
		must(t, os.MkdirAll(filepath.Join(dir, fmt.Sprintf("s%d", i)), 0o755))
	}
	stall := make(chan struct{})
	f.start(t, func(w *media.Watcher) { media.StallReader(w, stall) })
	// Each new file is two events (create, write): this is twice the kernel
	// queue, with room for what fsnotify holds in its read buffer.
	n := queue + 1000
	for i := range n {
		write(t, filepath.Join(dir, fmt.Sprintf("s%d", i%4), fmt.Sprintf("o%06d.mp3", i)), 1+i%50)
	}
	close(stall)
	waitExact(t, f, id, 30*time.Second)
	deadline := time.Now().Add(within)
	for f.w.Status().Overflows == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no overflow seen: %+v", f.w.Status())
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Still live after the rescan.
	write(t, filepath.Join(dir, "after.mp3"), 5)
	waitExact(t, f, id, within)
}

func TestWatchLimitFallsBackToPolling(t *testing.T) {
	f := newFixture(t, 1, nil)
	id, dir := f.ids[0], f.dir(f.ids[0])
	for _, sub := range []string{"a", "a/b", "a/b/c", "d", "e"} {
		write(t, filepath.Join(dir, sub, "x.mp3"), len(sub))
	}
	// Room for the root, the account folder and one more.
	f.start(t, func(w *media.Watcher) { w.MaxWatches = 3 })
	waitExact(t, f, id, within)
	st := f.w.Status()
	if st.PolledAccounts < 1 || !strings.Contains(st.LimitHint, "max_user_watches") || st.Watches > 3 {
		t.Fatalf("status: %+v", st)
	}
	// Changes in folders without a watch arrive by polling.
	write(t, filepath.Join(dir, "a", "b", "c", "new.mp3"), 42)
	write(t, filepath.Join(dir, "e", "f", "g", "deeper.mp3"), 43)
	must(t, os.Remove(filepath.Join(dir, "d", "x.mp3")))
	waitExact(t, f, id, within)
	must(t, os.RemoveAll(filepath.Join(dir, "a")))
	write(t, filepath.Join(dir, "top.mp3"), 44)
	waitExact(t, f, id, within)
}

func TestAccountFolderDeleted(t *testing.T) {
	f := newFixture(t, 2, nil)
	f.start(t, nil)
	id, dir := f.ids[0], f.dir(f.ids[0])
	write(t, filepath.Join(dir, "a.mp3"), 10)
	write(t, filepath.Join(dir, "sub", "b.mp3"), 20)
	write(t, filepath.Join(f.dir(f.ids[1]), "keep.mp3"), 30)
	waitExact(t, f, id, within)
	waitExact(t, f, f.ids[1], within)

	must(t, os.RemoveAll(dir))
	waitExact(t, f, id, within)
	if _, tot := indexed(t, f, id); tot.Files != 0 || tot.Bytes != 0 {
		t.Fatalf("totals after delete: %+v", tot)
	}
	waitExact(t, f, f.ids[1], within) // the neighbour is untouched
	// Brought back (from a backup, say): indexed again.
	write(t, filepath.Join(dir, "restored.mp3"), 11)
	waitExact(t, f, id, within)
	write(t, filepath.Join(dir, "restored2.mp3"), 12)
	waitExact(t, f, id, within)
}

func TestStartupReconcile(t *testing.T) {
	f := newFixture(t, 2, nil)
	f.start(t, nil)
	a, b := f.ids[0], f.ids[1]
	write(t, filepath.Join(f.dir(a), "old.mp3"), 10)
	write(t, filepath.Join(f.dir(a), "gone.mp3"), 10)
	write(t, filepath.Join(f.dir(b), "b.mp3"), 10)
	waitExact(t, f, a, within)
	waitExact(t, f, b, within)
	f.stop()

	// While the app is off: changes, a delete, a whole folder gone.
	write(t, filepath.Join(f.dir(a), "old.mp3"), 99)
	must(t, os.Remove(filepath.Join(f.dir(a), "gone.mp3")))
	write(t, filepath.Join(f.dir(a), "new", "n.mp3"), 5)
	must(t, os.RemoveAll(f.dir(b)))

	f.w = f.newWatcher(nil)
	f.start(t, nil)
	for _, id := range []int64{a, b} {
		want := onDisk(t, f.dir(id))
		got, _ := indexed(t, f, id)
		if d := diff(want, got); d != "" {
			t.Fatalf("account %d right after start-up:\n%s", id, d)
		}
	}
}
