//go:build !linux

package desktop

import "time"

// processStart: elsewhere the trace counts from the first milestone.
func processStart() time.Time { return time.Now() }
