//go:build !linux

package argon2id

// newBlocks takes the blocks from the Go heap, as x/crypto does.
func newBlocks(memory uint32) ([]block, func()) { return make([]block, memory), func() {} }
