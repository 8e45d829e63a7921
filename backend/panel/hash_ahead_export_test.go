package panel

// HashSlotsHeld is how many hash slots are taken now.
func HashSlotsHeld() int { return len(hashSlots) }
