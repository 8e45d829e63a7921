package wire

import (
	"context"
	"testing"
	"time"
)

var sink [][]byte

// After a burst of allocation the trimmer releases once the process is
// quiet; it waits for the quiet, not for a time.
func TestTrimWhenIdleReleasesAfterABurst(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	released := make(chan struct{}, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		TrimWhenIdle(ctx, func(context.Context) {
			select {
			case released <- struct{}{}:
			default:
			}
		})
	}()
	for range 64 {
		sink = append(sink, make([]byte, 256<<10)) // 16 MiB, then garbage
	}
	sink = nil
	select {
	case <-released:
	case <-time.After(2 * time.Minute):
		t.Fatal("no release after a 16 MiB burst")
	}
	cancel()
	<-done
}
