package panel

import "runtime"

// Concurrent argon2id work: each hash holds 19 MiB (defaultArgon), and the
// garbage of finished ones stays until the collector runs. More hashes at
// once than cores only queue on the CPU while each holds its memory, so the
// slots follow the cores, at most two: on a 2-core server a storm of logins
// or parallel creates keeps the process well under 150 MiB (make bench:
// "hashing") for the same throughput.
func init() { SetHashSlots(defaultHashSlots()) }

func defaultHashSlots() int { return min(max(runtime.GOMAXPROCS(0), 1), 2) }

// SetHashSlots sets how many hashes run at once (benchmarks compare). Call
// it before serving.
func SetHashSlots(n int) { hashSlots = make(chan struct{}, max(n, 1)) }
