package media

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"castdesk/backend/panel"
)

// TestDiffSortedIsDiffFiles: the merge of two path-ordered lists gives the
// same change as the map-based diff, over random lists (paths on one side
// only, on both with or without a change in size, time or kind; paths
// whose byte order differs from their case-insensitive order).
func TestDiffSortedIsDiffFiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"a.mp3", "B.mp3", "b.mp3", "album/01.flac", "album 2/x.ogg", "Album/01.flac", "é.mp3", "z/ü.jpg", "~x.mp3", "0.m3u"}
	for round := range 500 {
		var files, indexed []panel.MediaFile
		for i, n := range names {
			for k := range 3 {
				p := fmt.Sprintf("%d/%s", k, n)
				if k == 0 {
					p = n
				}
				f := panel.MediaFile{Path: p, Size: int64(i), Kind: panel.KindOf(p), ModifiedAt: time.UnixMilli(int64(k))}
				switch rng.IntN(6) {
				case 0:
					files = append(files, f)
				case 1:
					indexed = append(indexed, f)
				case 2:
					files, indexed = append(files, f), append(indexed, f)
				case 3:
					g := f
					g.Size++
					files, indexed = append(files, f), append(indexed, g)
				case 4:
					g := f
					g.ModifiedAt = g.ModifiedAt.Add(time.Millisecond)
					files, indexed = append(files, f), append(indexed, g)
				case 5:
					g := f
					g.Kind = panel.KindOther
					files, indexed = append(files, f), append(indexed, g)
				}
			}
		}
		rng.Shuffle(len(files), func(i, j int) { files[i], files[j] = files[j], files[i] })
		want := diffFiles(7, files, indexed)
		slices.SortFunc(files, byPath)
		slices.SortFunc(indexed, byPath)
		got := diffSorted(7, files, indexed)
		slices.SortFunc(want.Upsert, byPath)
		slices.Sort(want.Delete)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d:\nmerge %+v\nmap   %+v", round, got, want)
		}
	}
}
