package wire

import (
	"os"
	"runtime/debug"
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
