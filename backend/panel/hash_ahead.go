package panel

import (
	"context"

	argon2 "castdesk/backend/panel/argon2id"
)

// hashAhead is a hash slot a login takes as it arrives, if one is free at
// that moment, with the memory of today's hash mapped for it and faulted in
// by another thread from then on (argon2id.Prepare), while the login reads
// the account and its throttles. The kernel's zeroing of the fresh pages
// (most of a hash's system time, and several times more after an idle
// spell, README "Memory") so starts before the hash instead of racing its
// first pass. A login that finds no slot free waits for one at its hash, as
// before, so no more arenas exist at once than slots. Known and unknown
// usernames go the same way (the dummy hash's parameters are today's).
type hashAhead struct{ arena *argon2.Arena }

// takeHashAhead takes a free hash slot and prepares its arena, or returns
// nil when every slot is taken.
func takeHashAhead() *hashAhead {
	select {
	case hashSlots <- struct{}{}:
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
