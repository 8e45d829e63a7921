package main

import "castdesk/backend/wire"

// The soft memory limit is set before anything allocates (backend/wire/memory.go).
func init() { wire.LimitMemory() }
