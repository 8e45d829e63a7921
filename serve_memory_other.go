//go:build !linux

package main

// dropWindowLibraries is Linux only (serve_memory_linux.go).
func dropWindowLibraries() int64 { return 0 }
