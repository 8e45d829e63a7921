package panel

import "syscall"

// noSpaceErrnos are the errors of a write that found the disk full:
// ERROR_HANDLE_DISK_FULL (39) and ERROR_DISK_FULL (112).
var noSpaceErrnos = []error{syscall.Errno(39), syscall.Errno(112)}
