package media

// StallReader makes the watcher's event reader wait for ch to close before
// it drains anything: the kernel queue then overflows for real.
func StallReader(w *Watcher, ch chan struct{}) { w.stall = ch }
