//go:build linux

package argon2id

import (
	"bytes"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"unsafe"

	"golang.org/x/crypto/argon2"
	"golang.org/x/sys/unix"
)

// Castdesk's parameters (backend/panel/password.go): 19 MiB, so the blocks
// are mapped and prefaulted.
const testMemory = 19 * 1024

func wantKey() []byte {
	return argon2.IDKey([]byte("pw"), []byte("saltsaltsaltsalt"), 2, testMemory, 1, 32)
}

func gotKey() []byte { return IDKey([]byte("pw"), []byte("saltsaltsaltsalt"), 2, testMemory, 1, 32) }

// withPopulate runs f with populate replaced by p, then restores both.
func withPopulate(t *testing.T, p func([]byte) error, f func()) {
	t.Helper()
	old := populate
	populate = p
	defer func() { populate = old; prefaultOn.Store(true) }()
	f()
}

func bytesOf(b []block) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(b))), len(b)*blockLength*8)
}

// resident tells for each page of b whether it is in memory; the error is
// ENOMEM once b is unmapped.
func resident(b []byte) ([]byte, error) {
	vec := make([]byte, (len(b)+unix.Getpagesize()-1)/unix.Getpagesize())
	_, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(unsafe.SliceData(b))), uintptr(len(b)), uintptr(unsafe.Pointer(unsafe.SliceData(vec))))
	if errno != 0 {
		return vec, errno
	}
	return vec, nil
}

// The hash is x/crypto's whatever the prefault does: done, refused by the
// kernel (EINVAL: not tried again), failed half-way, or nothing at all.
func TestHashWhateverThePrefaultDoes(t *testing.T) {
	want := wantKey()
	if got := gotKey(); !bytes.Equal(got, want) {
		t.Fatalf("with the prefault: %x, want %x", got, want)
	}
	withPopulate(t, func([]byte) error { return unix.EINVAL }, func() {
		if got := gotKey(); !bytes.Equal(got, want) {
			t.Errorf("prefault refused: %x, want %x", got, want)
		}
		if prefaultOn.Load() {
			t.Error("EINVAL did not turn the prefault off")
		}
		if got := gotKey(); !bytes.Equal(got, want) {
			t.Errorf("prefault off: %x, want %x", got, want)
		}
	})
	var calls atomic.Int32
	withPopulate(t, func(b []byte) error {
		if calls.Add(1) > 3 {
			return unix.ENOMEM
		}
		return unix.Madvise(b, unix.MADV_POPULATE_WRITE)
	}, func() {
		if got := gotKey(); !bytes.Equal(got, want) {
			t.Errorf("prefault failed half-way: %x, want %x", got, want)
		}
		if !prefaultOn.Load() {
			t.Error("ENOMEM turned the prefault off for good")
		}
	})
	if n := prefaults.Load(); n != 0 {
		t.Errorf("%d prefault goroutines still running after the hashes", n)
	}
}

// A page the hash wrote before the prefault came to it keeps its bytes:
// here the prefault runs over the whole arena only after every block was
// written (the race at its worst), and fresh blocks read zero before.
func TestPrefaultAfterTheWritesKeepsThem(t *testing.T) {
	gate, done := make(chan struct{}), make(chan struct{})
	withPopulate(t, populateSignallingTheEnd(gate, done), func() {
		B, free := newBlocks(testMemory)
		defer free()
		raw := bytesOf(B)
		lastByte.Store(&raw[len(raw)-1])
		if i := bytes.IndexFunc(raw, func(r rune) bool { return r != 0 }); i >= 0 {
			t.Fatalf("fresh blocks: byte %d is not zero", i)
		}
		for i := range B {
			for j := range B[i] {
				B[i][j] = uint64(i)<<32 | uint64(j)
			}
		}
		close(gate)
		<-done
		for i := range B {
			for j := range B[i] {
				if B[i][j] != uint64(i)<<32|uint64(j) {
					t.Fatalf("block %d word %d changed by the prefault: %x", i, j, B[i][j])
				}
			}
		}
	})
}

// lastByte is the arena's last byte in the test that sets it, so that
// populateSignallingTheEnd knows the prefault's last call.
var lastByte atomic.Pointer[byte]

// populateSignallingTheEnd populates as the kernel does, after gate is
// closed (nil: at once), and closes done once it has populated the page
// holding lastByte.
func populateSignallingTheEnd(gate, done chan struct{}) func([]byte) error {
	return func(b []byte) error {
		if gate != nil {
			<-gate
		}
		err := unix.Madvise(b, unix.MADV_POPULATE_WRITE)
		if &b[len(b)-1] == lastByte.Load() {
			close(done)
		}
		return err
	}
}

// The prefault faults the whole arena in; free waits for its goroutine (even
// one stuck in the kernel) and then nothing of the arena stays mapped.
func TestPrefaultEndsAndNothingStaysMapped(t *testing.T) {
	done := make(chan struct{})
	withPopulate(t, populateSignallingTheEnd(nil, done), func() {
		B, free := newBlocks(testMemory)
		raw := bytesOf(B)
		lastByte.Store(&raw[len(raw)-1])
		<-done
		vec, err := resident(raw)
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(vec, []byte{0}); n > 0 {
			t.Errorf("%d of %d pages not resident after the prefault", n, len(vec))
		}
		free()
		if _, err := resident(raw); !errors.Is(err, unix.ENOMEM) {
			t.Errorf("after free: mincore %v, want ENOMEM (unmapped)", err)
		}
	})
	if n := prefaults.Load(); n != 0 {
		t.Errorf("%d prefault goroutines still running", n)
	}

	// A prefault still in the kernel when the hash ends: free returns only
	// after it, and the next pages are not populated.
	synctest.Test(t, func(t *testing.T) {
		gate := make(chan struct{})
		var calls atomic.Int32
		withPopulate(t, func(b []byte) error {
			calls.Add(1)
			<-gate
			return nil
		}, func() {
			B, free := newBlocks(testMemory)
			raw := bytesOf(B)
			synctest.Wait() // the prefault is in its first populate
			var freed atomic.Bool
			go func() { free(); freed.Store(true) }()
			synctest.Wait()
			if freed.Load() {
				t.Error("free returned while the prefault was in the kernel")
			}
			close(gate)
			synctest.Wait()
			if !freed.Load() {
				t.Fatal("free did not return after the prefault")
			}
			if n := calls.Load(); n != 1 {
				t.Errorf("%d populate calls after free began, want 1", n)
			}
			if _, err := resident(raw); !errors.Is(err, unix.ENOMEM) {
				t.Errorf("after free: mincore %v, want ENOMEM (unmapped)", err)
			}
		})
	})
}

// A prepared arena serves one hash of its size (x/crypto's bytes); a hash
// of another size, or a second hash, maps its own; Free unmaps it, once.
func TestArena(t *testing.T) {
	want := wantKey()
	a := Prepare(testMemory, 1)
	raw := bytesOf(a.blocks)
	if got := IDKeyIn(a, []byte("pw"), []byte("saltsaltsaltsalt"), 2, testMemory, 1, 32); !bytes.Equal(got, want) {
		t.Errorf("in the arena: %x, want %x", got, want)
	}
	if !a.used {
		t.Error("the arena was not used")
	}
	if got := IDKeyIn(a, []byte("pw"), []byte("saltsaltsaltsalt"), 2, testMemory, 1, 32); !bytes.Equal(got, want) {
		t.Errorf("second hash: %x, want %x", got, want)
	}
	small := argon2.IDKey([]byte("pw"), []byte("saltsaltsaltsalt"), 1, 64, 1, 32)
	b := Prepare(testMemory, 1)
	if got := IDKeyIn(b, []byte("pw"), []byte("saltsaltsaltsalt"), 1, 64, 1, 32); !bytes.Equal(got, small) || b.used {
		t.Errorf("another size: %x (arena used %v), want %x in memory of its own", got, b.used, small)
	}
	a.Free()
	a.Free()
	b.Free()
	var none *Arena
	none.Free()
	if _, err := resident(raw); !errors.Is(err, unix.ENOMEM) {
		t.Errorf("after Free: mincore %v, want ENOMEM (unmapped)", err)
	}
	if n := prefaults.Load(); n != 0 {
		t.Errorf("%d prefault goroutines still running", n)
	}
}

func TestPopulateWriteNumber(t *testing.T) {
	if madvPopulateWrite != unix.MADV_POPULATE_WRITE {
		t.Fatalf("madvPopulateWrite %d, x/sys/unix says %d", madvPopulateWrite, unix.MADV_POPULATE_WRITE)
	}
}
