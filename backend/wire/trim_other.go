//go:build !(linux && cgo)

package wire

func trimCHeap() {}
