package desktop

import (
	"fmt"
	"os"
	"sync"
	"time"
)

// TraceEnv turns on the start-up trace: with CASTDESK_TRACE_STARTUP=1 each
// milestone of the window's start-up prints one line on stderr,
//
//	castdesk startup:   412.3 ms <milestone>
//
// in milliseconds since the kernel started the process (so the dynamic
// loading of GTK and WebKit before Go's main counts too).
// scripts/bench-window.sh takes the median of each.
const TraceEnv = "CASTDESK_TRACE_STARTUP"

var trace struct {
	once    sync.Once
	on      bool
	mu      sync.Mutex
	start   time.Time // the process's start on the monotonic clock
	printed map[string]bool
}

// Tracing tells whether CASTDESK_TRACE_STARTUP=1.
func Tracing() bool {
	trace.once.Do(func() {
		trace.on = os.Getenv(TraceEnv) == "1"
		if trace.on {
			trace.start = processStart()
			trace.printed = map[string]bool{}
		}
	})
	return trace.on
}

// Trace prints a start-up milestone (the first time only for each) when
// CASTDESK_TRACE_STARTUP=1; otherwise it does nothing.
func Trace(milestone string) {
	if !Tracing() {
		return
	}
	trace.mu.Lock()
	defer trace.mu.Unlock()
	if trace.printed[milestone] {
		return
	}
	trace.printed[milestone] = true
	fmt.Fprintf(os.Stderr, "castdesk startup: %7.1f ms %s\n", float64(time.Since(trace.start).Microseconds())/1000, milestone)
}
