package panel

// HashSlotsHeld is how many hash slots are taken now.
func HashSlotsHeld() int { return len(hashSlots) }

// HashesAhead is how many logins have taken a hash slot ahead (hash_ahead.go).
func HashesAhead() int64 { return hashesAhead.Load() }
