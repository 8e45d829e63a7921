//go:build !windows

package panel

import "syscall"

// noSpaceErrnos are the errors of a write that found the disk full:
// no space left, or the user's disk quota exceeded.
var noSpaceErrnos = []error{syscall.ENOSPC, syscall.EDQUOT}
