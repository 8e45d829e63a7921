package media

import "slices"

// watchSet is which folders of which accounts hold a watch (paths relative
// to the account's folder, "" for the folder itself). Almost every account
// watches only its own folder, so that case is one bit per account ID; the
// few accounts with watched subfolders keep them in a small map. At 100,000
// accounts this is about 12 KiB where a map entry per account cost megabytes
// of serve's idle RSS (make bench: TestBenchServeRSS).
type watchSet struct {
	top  []uint64           // bit id: the account's own folder is watched
	far  map[int64]bool     // the same for IDs beyond maxBitID (never in practice)
	subs map[int64][]string // watched folders below an account's folder
}

// maxBitID bounds the bitset (8 MiB at most); larger IDs go to far.
const maxBitID = 1 << 26

func (s *watchSet) has(id int64, rel string) bool {
	if rel != "" {
		return slices.Contains(s.subs[id], rel)
	}
	if id < 0 {
		return false
	}
	if id >= maxBitID {
		return s.far[id]
	}
	i := int(id >> 6)
	return i < len(s.top) && s.top[i]&(1<<(id&63)) != 0
}

func (s *watchSet) add(id int64, rel string) {
	switch {
	case id < 0:
		return // the root is not an account's
	case rel != "":
		if s.subs == nil {
			s.subs = map[int64][]string{}
		}
		s.subs[id] = append(s.subs[id], rel)
	case id >= maxBitID:
		if s.far == nil {
			s.far = map[int64]bool{}
		}
		s.far[id] = true
	default:
		i := int(id >> 6)
		if i >= len(s.top) {
			s.top = slices.Grow(s.top, i+1-len(s.top))[:i+1]
		}
		s.top[i] |= 1 << (id & 63)
	}
}

// drop removes the account's watches for which drop is true and returns
// their relative paths.
func (s *watchSet) drop(id int64, drop func(rel string) bool) (dropped []string) {
	if s.has(id, "") && drop("") {
		dropped = append(dropped, "")
		if id >= maxBitID {
			delete(s.far, id)
		} else {
			s.top[id>>6] &^= 1 << (id & 63)
		}
	}
	dirs := s.subs[id]
	if len(dirs) == 0 {
		return dropped
	}
	kept := dirs[:0]
	for _, d := range dirs {
		if drop(d) {
			dropped = append(dropped, d)
		} else {
			kept = append(kept, d)
		}
	}
	clear(dirs[len(kept):])
	if len(kept) == 0 {
		delete(s.subs, id)
	} else {
		s.subs[id] = kept
	}
	return dropped
}
