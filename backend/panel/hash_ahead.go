package panel

import (
	"context"
	"sync/atomic"

	argon2 "castdesk/backend/panel/argon2id"
)

// hashAhead is a hash slot a login takes once its throttles let it through,
// if one is free at that moment, with the memory of today's hash mapped for
// it and faulted in by another thread from then on (argon2id.Prepare). The
// kernel's zeroing of the fresh pages (most of a hash's system time, and
// several times more after an idle spell, README "Memory") so starts before
// the hash and keeps ahead of its first pass. It is not taken before the
// throttle checks: a refused attempt must not cost the zeroing of an arena.
// A login that finds no slot free waits for one at its hash, as before, so
// no more arenas exist at once than slots. Known and unknown usernames go
// the same way (the dummy hash's parameters are today's).
type hashAhead struct{ arena *argon2.Arena }

// hashesAhead counts the slots taken ahead (tests: a refused login takes none).
var hashesAhead atomic.Int64

// takeHashAhead takes a free hash slot and prepares its arena, or returns
// nil when every slot is taken.
func takeHashAhead() *hashAhead {
	select {
	case hashSlots <- struct{}{}:
		hashesAhead.Add(1)
		return &hashAhead{arena: argon2.Prepare(defaultArgon.memoryKiB, defaultArgon.threads)}
	default:
		return nil
	}
}

// release unmaps the arena and gives the slot back; later calls, and calls
// on nil, do nothing.
func (h *hashAhead) release() {
	if h == nil || h.arena == nil {
		return
	}
	h.arena.Free()
	h.arena = nil
	<-hashSlots
}

// verify is verifySlot in the slot taken ahead, which it gives back after
// the hash (h nil or released: verifySlot).
func (h *hashAhead) verify(ctx context.Context, phc, pw string) (bool, error) {
	if h == nil || h.arena == nil {
		return verifySlot(ctx, phc, pw)
	}
	defer h.release()
	return verifyPasswordIn(h.arena, phc, pw)
}
