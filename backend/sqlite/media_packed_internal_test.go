package sqlite

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"castdesk/backend/panel"
)

// TestMediaFilesOfReadsEveryFileExactly: the packed read of several
// accounts gives each account's files as MediaFilesUnder does, in path
// (byte) order, whatever the paths hold (spaces, digits, newlines,
// non-ASCII, invalid UTF-8) and whatever the sizes and times (0, negative,
// large); an account with no file is absent.
func TestMediaFilesOfReadsEveryFileExactly(t *testing.T) {
	ctx := context.Background()
	s := openTempStore(t)
	var ids []int64
	for _, name := range []string{"packa", "packb", "packc"} {
		ids = append(ids, insertTestAccount(t, s, name))
	}
	paths := []string{"a.mp3", "12 34 5 audio x.mp3", "Album/01 Intro.MP3", "line\nbreak.ogg", "ñandú/é.flac", "bad\xff\xfe.mp3", " lead.mp3",
		"trail .mp3", "9", "z/" + strings.Repeat("long ", 60) + ".mp4"}
	var files []panel.MediaFile
	for i, p := range paths {
		files = append(files, panel.MediaFile{Path: p, Size: []int64{0, 1, 1 << 40, 123456789}[i%4], Kind: panel.KindOf(p),
			ModifiedAt: time.UnixMilli([]int64{0, -1000, 1764000000123, 42}[i%4]).UTC()})
	}
	if _, err := s.ApplyMedia(ctx, []panel.MediaChange{{AccountID: ids[0], Upsert: files}, {AccountID: ids[1], Upsert: files[:3]}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.MediaFilesOf(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got[ids[2]]; ok || len(got) != 2 {
		t.Fatalf("accounts read: %v", got)
	}
	for _, id := range ids[:2] {
		want, err := s.MediaFilesUnder(ctx, id, "")
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(want, func(a, b panel.MediaFile) int { return strings.Compare(a.Path, b.Path) })
		if !reflect.DeepEqual(got[id], want) {
			t.Fatalf("account %d:\npacked %+v\nrows   %+v", id, got[id], want)
		}
	}
	if len(got[ids[0]]) != len(paths) {
		t.Fatalf("%d files read, %d written", len(got[ids[0]]), len(paths))
	}
	for _, bad := range []string{"5 1 2 audio abc", "x 1 2 audio a", "1 1 2", "3 1 2 audio abcd"} {
		if _, err := unpackMedia(bad, 1); err == nil {
			t.Errorf("unpackMedia(%q) took it", bad)
		}
	}
}
