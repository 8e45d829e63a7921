package media_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"castdesk/backend/media"
	"castdesk/backend/panel"
	"castdesk/backend/sqlite"
)

// TestFirstStartIndexesEveryFolderWhole: with an empty index, every folder
// goes to the index whole (FillMedia); nested folders, hidden and transient
// names, symlinks and empty folders come out as with the diff, and the
// totals are exact as soon as the watcher says it is ready.
func TestFirstStartIndexesEveryFolderWhole(t *testing.T) {
	f := newFixture(t, 4, nil)
	a, b, c := f.ids[0], f.ids[1], f.ids[2] // the fourth has an empty folder
	outside := filepath.Join(t.TempDir(), "outside.mp3")
	write(t, outside, 3)
	for i, name := range []string{"top.mp3", "Album/01 Intro.MP3", "Album/Disc 2/02.flac", "cover.jpg", "notes.txt"} {
		write(t, filepath.Join(f.dir(a), name), 100+i)
	}
	for _, name := range []string{".hidden.mp3", "Album/.DS_Store", "upload.mp3.part", "song.mp3~", ".git/objects/x", "draft.tmp/inside.mp3"} {
		write(t, filepath.Join(f.dir(a), name), 7) // never indexed
	}
	must(t, os.Symlink(outside, filepath.Join(f.dir(a), "link.mp3")))
	must(t, os.MkdirAll(filepath.Join(f.dir(a), "empty", "deeper"), 0o755))
	for i := range 450 { // more than one INSERT's worth
		write(t, filepath.Join(f.dir(b), "many", filepath.FromSlash("t"+string(rune('a'+i%26))), "f"+time.Duration(i).String()+".mp3"), i)
	}
	write(t, filepath.Join(f.dir(c), "only.ogg"), 1)
	must(t, os.MkdirAll(f.dir(f.ids[3]), 0o755))

	f.start(t, nil)
	for _, id := range f.ids[:3] {
		if m := mismatch(t, f, id); m != "" {
			t.Fatalf("account %d right after start-up:\n%s", id, m)
		}
	}
	if got, _ := indexed(t, f, a); len(got) != 5 {
		t.Fatalf("account %d: %d files indexed, want the 5 media files: %v", a, len(got), got)
	}
	if _, ok, _ := f.env.Store.MediaTotals(context.Background(), f.ids[3]); ok {
		t.Fatal("an empty folder got totals")
	}
	if w := f.w.Status().Watches; w < 1+4+5 {
		t.Fatalf("watches %d: the root, 4 account folders and every folder below must be watched", w)
	}
	// The index then follows the disk as usual.
	write(t, filepath.Join(f.dir(a), "Album", "Disc 2", "03.flac"), 9)
	must(t, os.Remove(filepath.Join(f.dir(a), "top.mp3")))
	waitExact(t, f, a, within)
}

// racingIndex is the real store with another writer indexing a file of
// the first account it is asked to fill, just before the fill.
type racingIndex struct {
	*sqlite.Store
	id   int64
	done bool
}

func (r *racingIndex) FillMedia(ctx context.Context, changes []panel.MediaChange) (map[int64]panel.MediaTotals, []int64, error) {
	if !r.done {
		r.done = true
		at := time.Now().UTC().Truncate(time.Millisecond)
		if _, err := r.Store.ApplyMedia(ctx, []panel.MediaChange{{AccountID: r.id, Upsert: []panel.MediaFile{
			{Path: "ghost.mp3", Size: 5, Kind: panel.KindAudio, ModifiedAt: at},        // not on disk
			{Path: "real.mp3", Size: 12345, Kind: panel.KindAudio, ModifiedAt: at}}}}); // on disk, another size
		err != nil {
			return nil, nil, err
		}
	}
	return r.Store.FillMedia(ctx, changes)
}

// TestFirstStartDiffsAnAccountIndexedMeanwhile: an account that got an
// indexed file between the walk and its fill is not filled but diffed, so
// what the other writer put there is checked against the disk too.
func TestFirstStartDiffsAnAccountIndexedMeanwhile(t *testing.T) {
	f := newFixture(t, 2, nil)
	a, b := f.ids[0], f.ids[1]
	write(t, filepath.Join(f.dir(a), "real.mp3"), 10)
	write(t, filepath.Join(f.dir(a), "sub", "other.mp3"), 11)
	write(t, filepath.Join(f.dir(b), "b.mp3"), 12)
	race := &racingIndex{Store: f.env.Store, id: a}
	f.start(t, func(w *media.Watcher) { w.Index = race })
	if !race.done {
		t.Fatal("the first start did not fill")
	}
	for _, id := range []int64{a, b} {
		want := onDisk(t, f.dir(id))
		got, tot := indexed(t, f, id)
		if d := diff(want, got); d != "" || tot.Files != len(want) {
			t.Fatalf("account %d right after start-up:\n%s\ntotals %+v", id, d, tot)
		}
	}
}

// TestNextStartDiffsManyAccounts: a next start reads the index of many
// accounts at once (MediaFilesOf); every account's changes made while the
// app was off are found, and no account is mixed up with another.
func TestNextStartDiffsManyAccounts(t *testing.T) {
	f := newFixture(t, 40, nil)
	for i, id := range f.ids {
		for j := range 3 {
			write(t, filepath.Join(f.dir(id), "d", "same.mp3"), 10+j)
			write(t, filepath.Join(f.dir(id), "f"+string(rune('a'+j))+".mp3"), 100*i+j)
		}
	}
	f.start(t, nil)
	f.stop()
	for i, id := range f.ids {
		switch i % 4 {
		case 0:
			write(t, filepath.Join(f.dir(id), "fa.mp3"), 7) // another size
		case 1:
			must(t, os.Remove(filepath.Join(f.dir(id), "fb.mp3")))
		case 2:
			write(t, filepath.Join(f.dir(id), "new", "n.mp3"), 3)
		}
	}
	f.w = f.newWatcher(nil)
	f.start(t, nil)
	for _, id := range f.ids {
		if m := mismatch(t, f, id); m != "" {
			t.Fatalf("account %d right after the next start:\n%s", id, m)
		}
	}
}
