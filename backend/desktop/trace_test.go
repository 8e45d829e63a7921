package desktop

import (
	"testing"
	"time"
)

// The start-up trace counts from the kernel's start of the process: before
// now, and not by more than this test process has been running.
func TestProcessStartIsBeforeNow(t *testing.T) {
	start := processStart()
	age := time.Since(start)
	if age < 0 || age > time.Hour {
		t.Fatalf("process started %v ago", age)
	}
}
