//go:build !unix

package media_test

import "time"

// processCPU is not measured here (the benchmark runs on Linux).
func processCPU() time.Duration { return 0 }
