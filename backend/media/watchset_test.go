package media

import (
	"slices"
	"testing"
)

func TestWatchSetKeepsEachAccountsFolders(t *testing.T) {
	var s watchSet
	for _, id := range []int64{1, 63, 64, 100_000, maxBitID + 5} {
		if s.has(id, "") {
			t.Fatalf("%d watched before add", id)
		}
		s.add(id, "")
	}
	s.add(64, "a")
	s.add(64, "a/b")
	s.add(7, "c") // a subfolder without its top folder still counts
	for _, c := range []struct {
		id   int64
		rel  string
		want bool
	}{{1, "", true}, {2, "", false}, {63, "", true}, {64, "", true}, {65, "", false}, {100_000, "", true},
		{maxBitID + 5, "", true}, {maxBitID + 6, "", false}, {64, "a", true}, {64, "a/b", true}, {64, "b", false},
		{7, "", false}, {7, "c", true}, {-1, "", false}, {1 << 40, "", false}} {
		if got := s.has(c.id, c.rel); got != c.want {
			t.Errorf("has(%d, %q) = %v", c.id, c.rel, got)
		}
	}
	dropped := s.drop(64, func(rel string) bool { return rel == "a" || rel == "a/b" })
	slices.Sort(dropped)
	if !slices.Equal(dropped, []string{"a", "a/b"}) || !s.has(64, "") || s.has(64, "a") {
		t.Fatalf("drop a subtree: %q", dropped)
	}
	if d := s.drop(64, func(string) bool { return true }); !slices.Equal(d, []string{""}) || s.has(64, "") || !s.has(63, "") {
		t.Fatalf("drop the folder: %q", d)
	}
	if d := s.drop(maxBitID+5, func(string) bool { return true }); len(d) != 1 || s.has(maxBitID+5, "") {
		t.Fatalf("drop a far ID: %q", d)
	}
	if d := s.drop(2, func(string) bool { return true }); len(d) != 0 {
		t.Fatalf("nothing to drop: %q", d)
	}
	if _, ok := s.subs[64]; ok {
		t.Fatal("an account without subfolders keeps a map entry")
	}
	s.add(-1, "") // the root is not kept
	if s.has(-1, "") {
		t.Fatal("the root kept")
	}
}
