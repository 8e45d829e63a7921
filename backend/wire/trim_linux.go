//go:build linux && cgo

package wire

/*
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
static void castdesk_malloc_trim(void) { malloc_trim(0); }
#else
static void castdesk_malloc_trim(void) {}
#endif
*/
import "C"

// trimCHeap hands the C heap's free pages back to the system (glibc keeps
// them in its arenas otherwise): SQLite allocates there.
func trimCHeap() { C.castdesk_malloc_trim() }
