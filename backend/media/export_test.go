package media

import "castdesk/backend/sqlite"

// StallReader makes the watcher's event reader wait for ch to close before
// it drains anything: the kernel queue then overflows for real.
func StallReader(w *Watcher, ch chan struct{}) { w.stall = ch }

// The store the app wires in takes a first start's folders whole and reads
// the index of several accounts at once.
var (
	_ filler      = (*sqlite.Store)(nil)
	_ batchReader = (*sqlite.Store)(nil)
)
