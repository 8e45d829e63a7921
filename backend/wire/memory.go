package wire

import (
	"context"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// MemoryLimit is the Go runtime's soft memory limit unless GOMEMLIMIT says
// otherwise. The live heap of an idle desk is far below it; it matters while
// hashing passwords (19 MiB of argon2id memory each, garbage right after):
// near the limit the collector returns that garbage at once instead of
// letting the heap double first.
const MemoryLimit = 96 << 20

// LimitMemory applies MemoryLimit when GOMEMLIMIT is not set. The app calls
// it at start.
func LimitMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(MemoryLimit)
	}
}

// Idle trimming: a burst of work (the start-up reconcile, the media index's
// first pass, a flood of folder events, a bulk action) leaves garbage and
// caches that an idle desk would keep resident until the next collection,
// two minutes later, and glibc's arenas keep SQLite's freed pages for good.
const (
	// trimCheck is how often the allocation rate is sampled.
	trimCheck = time.Second
	// trimAfter is how much must have been allocated since the last trim
	// for one to be worth a full collection.
	trimAfter = 4 << 20
	// trimQuiet is the most allocated in the last trimCheck for the
	// process to count as quiet.
	trimQuiet = 256 << 10
	// trimEvery is the least time between two trims, so that steady work
	// with short pauses costs at most one full collection per trimEvery.
	trimEvery = 10 * time.Second
)

// TrimWhenIdle returns memory to the system once the process is quiet after
// a burst: release (SQLite's page caches) runs first, then the Go heap is
// collected and scavenged (debug.FreeOSMemory) and the C heap trimmed. It
// costs one full collection per burst (at most one per trimEvery) and
// nothing while the desk is idle. It runs until ctx ends.
func TrimWhenIdle(ctx context.Context, release func(context.Context)) {
	sample := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	allocs := func() uint64 {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return 0
		}
		return sample[0].Value.Uint64()
	}
	last := allocs()
	trimmed := uint64(0) // a start-up burst counts from the process's start
	var trimmedAt time.Time
	tick := time.NewTicker(trimCheck)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		now := allocs()
		quiet := now-last < trimQuiet
		last = now
		if !quiet || now-trimmed < trimAfter || time.Since(trimmedAt) < trimEvery {
			continue
		}
		if release != nil {
			release(ctx)
		}
		debug.FreeOSMemory()
		trimCHeap()
		last = allocs()
		trimmed, trimmedAt = last, time.Now()
	}
}
