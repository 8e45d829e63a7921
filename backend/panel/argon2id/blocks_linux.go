//go:build linux

package argon2id

import (
	"errors"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// hugePage is the size of a transparent huge page on the platforms Castdesk
// ships for (amd64, arm64 with 4 KiB pages).
const hugePage = 2 << 20

// newBlocks maps fresh anonymous memory for memory blocks (1 KiB each),
// outside the Go heap, and free unmaps it: the kernel takes the pages back
// (zeroed before any other use) and the collector never sees them. Fresh
// pages cost the kernel's zeroing, more after an idle spell (colder pages;
// in a VM that reports free memory to its host, a host fault each: README
// "Memory"), which prefault moves off the hash's thread.
// The blocks start on a huge-page boundary and the mapping asks for
// transparent huge pages (MADV_HUGEPAGE; a no-op where the system says
// "never"): 19 MiB then faults in about ten 2 MiB pages instead of 4,864
// small ones, and argon2's random reads miss the TLB less. The pages are
// faulted in on another thread ahead of the first pass (prefault). If the
// mapping fails, or for less than 4 MiB, the blocks come from the Go heap as
// in x/crypto.
func newBlocks(memory uint32) ([]block, func()) {
	size := int(memory) * blockLength * 8
	if size < 2*hugePage {
		return make([]block, memory), func() {}
	}
	mem, err := syscall.Mmap(-1, 0, size+hugePage, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return make([]block, memory), func() {}
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(mem)))
	skip := int((hugePage - start%hugePage) % hugePage)
	blocks := mem[skip : skip+size]
	_ = syscall.Madvise(blocks, syscall.MADV_HUGEPAGE)
	stop := prefault(blocks)
	return unsafe.Slice((*block)(unsafe.Pointer(unsafe.SliceData(blocks))), memory), func() {
		stop() // before the unmap: nothing is populated in a range that may be mapped again
		_ = syscall.Munmap(mem)
	}
}

// prefault faults b in, one huge page after the other from the start, on
// another goroutine (so, with a second core free, another thread) while
// argon2's first pass writes the blocks in the same order behind it: the
// kernel's zeroing of the fresh pages (most of a hash's system time, and
// more after an idle spell, when the pages come cold) then runs beside the
// hash instead of inside it. MADV_POPULATE_WRITE (Linux 5.14) only maps
// pages that are not mapped yet and never changes one that is, so a block
// argon2 wrote first keeps its bytes; the pages it populates are the ones
// the hash would fault in anyway, so the peak memory is the same. On a
// kernel without it (EINVAL) it is not tried again and the hash faults its
// pages in itself, as before; any other error ends this call's prefault.
// stop ends it (between two pages) and returns once the goroutine is done.
func prefault(b []byte) (stop func()) {
	if !prefaultOn.Load() {
		return func() {}
	}
	var quit atomic.Bool
	done := make(chan struct{})
	prefaults.Add(1)
	go func() {
		defer func() { prefaults.Add(-1); close(done) }()
		for off := 0; off < len(b) && !quit.Load(); off += hugePage {
			if err := populate(b[off:min(off+hugePage, len(b))]); err != nil {
				if errors.Is(err, syscall.EINVAL) {
					prefaultOn.Store(false)
				}
				return
			}
		}
	}()
	return func() { quit.Store(true); <-done }
}

var (
	// prefaultOn is false once the kernel refused MADV_POPULATE_WRITE.
	prefaultOn atomic.Bool
	// populate faults b in for writing (tests replace it). The call is
	// syscall.Madvise, as for MADV_HUGEPAGE: no code of its own to page in.
	populate = func(b []byte) error { return syscall.Madvise(b, madvPopulateWrite) }
	// prefaults counts the prefault goroutines running (tests).
	prefaults atomic.Int32
)

// madvPopulateWrite is MADV_POPULATE_WRITE (Linux 5.14; the same number on
// every architecture).
const madvPopulateWrite = 23

func init() { prefaultOn.Store(true) }
