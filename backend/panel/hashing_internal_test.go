package panel

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
)

// A login that comes while a CSV import's hashes hold every slot gets the
// next slot freed, before the import's hashes that were waiting already
// (they wait in bulkSlots, the login on hashSlots). Before, the import
// queued every password on hashSlots and a login waited behind all of them.
// synctest.Wait makes "is waiting" exact: no sleeps, no timing.
func TestLoginGoesBeforeQueuedBulkHashes(t *testing.T) {
	phc, err := HashPassword("right password")
	if err != nil {
		t.Fatal(err)
	}
	synctest.Test(t, func(t *testing.T) {
		SetHashSlots(2) // channels of this bubble
		ctx := context.Background()
		var mu sync.Mutex
		var order []string
		note := func(s string) { mu.Lock(); order = append(order, s); mu.Unlock() }

		// The import's first two hashes hold both slots.
		rel1, err := bulkSlot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rel2, err := bulkSlot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// Three more of its hashes queue.
		done := make(chan struct{})
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(func() {
				rel, err := bulkSlot(ctx)
				if err != nil {
					t.Error(err)
					return
				}
				note("bulk")
				<-done
				rel()
			})
		}
		synctest.Wait()
		// A login comes, after them.
		wg.Go(func() {
			ok, err := verifySlot(ctx, phc, "right password")
			if err != nil || !ok {
				t.Errorf("verify: %v %v", ok, err)
			}
			note("login")
		})
		synctest.Wait()
		if len(order) != 0 {
			t.Errorf("with both slots held, %v went ahead", order)
		}
		// One of the import's hashes ends: its slot goes to the login.
		rel1()
		synctest.Wait()
		mu.Lock()
		got := append([]string(nil), order...)
		mu.Unlock()
		if len(got) == 0 || got[0] != "login" {
			t.Errorf("after one slot freed: %v, want the login first", got)
		}
		rel2()
		close(done)
		wg.Wait()
	})
	SetHashSlots(defaultHashSlots())
}
