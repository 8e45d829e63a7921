package panel

import (
	"context"
	"runtime"
)

// Concurrent argon2id work: each hash holds 19 MiB (defaultArgon) while it
// runs, mapped for it and unmapped after it (package argon2id). More hashes
// at once than cores only queue on the CPU while each holds its memory, so
// the slots follow the cores, at most two: on a 2-core server a storm of
// logins or parallel creates keeps the process well under 150 MiB (make
// bench: "hashing") for the same throughput.
//
// A person waits on a login, a create or a password change; nobody waits on
// each password of a CSV import, which queues up to 200 hashes at once. A
// slot freed goes to the first goroutine queued on hashSlots, so if the
// import's hashes all queued there a login would wait behind every one of
// them (seconds). Bulk hashes therefore pass bulkSlots first: at most as
// many of them as there are slots hold a slot or wait for one, so a login
// has at most that many bulk hashes ahead of it (with both slots taken by
// the import: none waiting, the login gets the first slot freed), and the
// import still keeps every slot busy while nobody logs in.
func init() { SetHashSlots(defaultHashSlots()) }

func defaultHashSlots() int { return min(max(runtime.GOMAXPROCS(0), 1), 2) }

// bulkSlots admits bulk hashes (a CSV import's passwords) to hashSlots.
var bulkSlots chan struct{}

// SetHashSlots sets how many hashes run at once (benchmarks compare). Call
// it before serving.
func SetHashSlots(n int) {
	hashSlots = make(chan struct{}, max(n, 1))
	bulkSlots = make(chan struct{}, max(n, 1))
}

// bulkSlot takes a hash slot for bulk work; release gives it back.
func bulkSlot(ctx context.Context) (release func(), err error) {
	select {
	case bulkSlots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case hashSlots <- struct{}{}:
	case <-ctx.Done():
		<-bulkSlots
		return nil, ctx.Err()
	}
	return func() { <-hashSlots; <-bulkSlots }, nil
}

// bulkHashSlot is hashSlot for bulk work (bulkSlot).
func bulkHashSlot(ctx context.Context, pw string) (string, error) {
	release, err := bulkSlot(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	return HashPassword(pw)
}
