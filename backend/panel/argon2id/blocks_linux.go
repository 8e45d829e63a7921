//go:build linux

package argon2id

import (
	"syscall"
	"unsafe"
)

// hugePage is the size of a transparent huge page on the platforms Castdesk
// ships for (amd64, arm64 with 4 KiB pages).
const hugePage = 2 << 20

// newBlocks maps fresh anonymous memory for memory blocks (1 KiB each),
// outside the Go heap, and free unmaps it: the kernel takes the pages back
// (zeroed before any other use), the collector never sees them, and every
// call costs the same, the first after a start or an idle spell included.
// The blocks start on a huge-page boundary and the mapping asks for
// transparent huge pages (MADV_HUGEPAGE; a no-op where the system says
// "never"): 19 MiB then faults in about ten 2 MiB pages instead of 4,864
// small ones, and argon2's random reads miss the TLB less. If the mapping
// fails, or for less than 4 MiB, the blocks come from the Go heap as in
// x/crypto.
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
	return unsafe.Slice((*block)(unsafe.Pointer(unsafe.SliceData(blocks))), memory), func() { _ = syscall.Munmap(mem) }
}
