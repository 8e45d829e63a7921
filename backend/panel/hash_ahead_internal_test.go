package panel

import (
	"context"
	"encoding/base64"
	"testing"

	argon2 "castdesk/backend/panel/argon2id"
)

// A slot taken ahead is one of hashSlots: none is taken when all are; it
// verifies like VerifyPassword, with today's parameters (in the prepared
// memory) and with cheaper ones (in memory of their own); it is given back
// once, after the hash or by release, whichever comes first.
func TestHashAhead(t *testing.T) {
	SetHashSlots(1)
	defer SetHashSlots(defaultHashSlots())
	ctx := context.Background()
	today, err := HashPassword("right password")
	if err != nil {
		t.Fatal(err)
	}
	cheap := func() string { // m=64 KiB, t=1: a temporary password's kind of hash
		h := argon2.IDKey([]byte("right password"), []byte("saltsaltsaltsalt"), 1, 64, 1, 32)
		return "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + base64.RawStdEncoding.EncodeToString(h)
	}()
	for _, phc := range []string{today, cheap} {
		for _, c := range []struct {
			pw   string
			want bool
		}{{"right password", true}, {"wrong password", false}} {
			h := takeHashAhead()
			if h == nil || len(hashSlots) != 1 {
				t.Fatalf("no slot taken ahead (%d held)", len(hashSlots))
			}
			if other := takeHashAhead(); other != nil {
				t.Fatal("a second slot ahead with one slot")
			}
			ok, err := h.verify(ctx, phc, c.pw)
			if err != nil || ok != c.want {
				t.Errorf("%.30s %q: %v %v, want %v", phc, c.pw, ok, err, c.want)
			}
			if len(hashSlots) != 0 {
				t.Error("slot not given back after the hash")
			}
			h.release() // the deferred release after a hash: nothing
			if len(hashSlots) != 0 {
				t.Error("released twice")
			}
		}
	}
	// Given back without a hash (a throttled login), then a login without a
	// slot ahead verifies through verifySlot.
	h := takeHashAhead()
	h.release()
	if len(hashSlots) != 0 {
		t.Error("release kept the slot")
	}
	var none *hashAhead
	none.release()
	if ok, err := none.verify(ctx, today, "right password"); err != nil || !ok {
		t.Errorf("no slot ahead: %v %v", ok, err)
	}
	if len(hashSlots) != 0 {
		t.Error("verifySlot kept its slot")
	}
}
