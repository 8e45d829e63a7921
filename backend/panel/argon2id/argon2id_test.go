package argon2id

import (
	"bytes"
	"encoding/hex"
	"math/rand/v2"
	"sync"
	"testing"

	"golang.org/x/crypto/argon2"
)

// The same bytes as golang.org/x/crypto/argon2.IDKey, on random passwords,
// salts, passes, memory sizes, lanes and key lengths, and at Castdesk's
// parameters (defaultArgon in backend/panel/password.go).
func TestSameAsXCrypto(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		pw := make([]byte, r.IntN(64))
		salt := make([]byte, 8+r.IntN(32))
		for j := range pw {
			pw[j] = byte(r.Uint32())
		}
		for j := range salt {
			salt[j] = byte(r.Uint32())
		}
		passes, mem, lanes, keyLen := uint32(1+r.IntN(4)), uint32(8+r.IntN(2048)), uint8(1+r.IntN(8)), uint32(4+r.IntN(64))
		if i%40 == 0 {
			passes, mem, lanes, keyLen = 2, 19*1024, 1, 32
		}
		want := argon2.IDKey(pw, salt, passes, mem, lanes, keyLen)
		if got := IDKey(pw, salt, passes, mem, lanes, keyLen); !bytes.Equal(got, want) {
			t.Fatalf("t=%d m=%d p=%d len=%d: %x, x/crypto %x", passes, mem, lanes, keyLen, got, want)
		}
	}
}

// Known answers: RFC 9106 §5.3 (argon2id with a secret and associated
// data, t=3, m=32 KiB, p=4) and the argon2id vectors of x/crypto's own
// tests ("password", "somesalt").
func TestVectors(t *testing.T) {
	rep := func(b byte, n int) []byte { return bytes.Repeat([]byte{b}, n) }
	rfc := deriveKey(argon2id, nil, rep(1, 32), rep(2, 16), rep(3, 8), rep(4, 12), 3, 32, 4, 32)
	if got, want := hex.EncodeToString(rfc), "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"; got != want {
		t.Errorf("RFC 9106: %s, want %s", got, want)
	}
	for _, v := range []struct {
		passes, memory uint32
		lanes          uint8
		hash           string
	}{
		{1, 64, 1, "655ad15eac652dc59f7170a7332bf49b8469be1fdb9c28bb"},
		{2, 64, 1, "068d62b26455936aa6ebe60060b0a65870dbfa3ddf8d41f7"},
		{2, 64, 2, "350ac37222f436ccb5c0972f1ebd3bf6b958bf2071841362"},
		{3, 256, 2, "4668d30ac4187e6878eedeacf0fd83c5a0a30db2cc16ef0b"},
		{4, 4096, 4, "145db9733a9f4ee43edf33c509be96b934d505a4efb33c5a"},
		{4, 1024, 8, "8dafa8e004f8ea96bf7c0f93eecf67a6047476143d15577f"},
		{2, 64, 3, "4a15b31aec7c2590b87d1f520be7d96f56658172deaa3079"},
	} {
		want, _ := hex.DecodeString(v.hash)
		if got := IDKey([]byte("password"), []byte("somesalt"), v.passes, v.memory, v.lanes, uint32(len(want))); !bytes.Equal(got, want) {
			t.Errorf("t=%d m=%d p=%d: %x, want %s", v.passes, v.memory, v.lanes, got, v.hash)
		}
	}
}

// Calls at once each map their own memory.
func TestConcurrent(t *testing.T) {
	want := argon2.IDKey([]byte("pw"), []byte("saltsaltsaltsalt"), 2, 1024, 2, 32)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if got := IDKey([]byte("pw"), []byte("saltsaltsaltsalt"), 2, 1024, 2, 32); !bytes.Equal(got, want) {
				t.Errorf("concurrent call: %x, want %x", got, want)
			}
		})
	}
	wg.Wait()
}
