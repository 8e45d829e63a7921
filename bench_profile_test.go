package main

import (
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"syscall"
)

// profileOnSignal writes a heap profile and the runtime's memory figures to
// prefix.heap and prefix.txt on each SIGUSR1 (make bench, when asked).
func profileOnSignal(prefix string) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGUSR1)
	go func() {
		for range ch {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if f, err := os.Create(prefix + ".heap"); err == nil {
				pprof.Lookup("heap").WriteTo(f, 0)
				f.Close()
			}
			os.WriteFile(prefix+".txt", []byte(fmt.Sprintf("HeapAlloc %d\nHeapInuse %d\nHeapIdle %d\nHeapReleased %d\nHeapSys %d\nStackInuse %d\nSys %d\nGCSys %d\nOtherSys %d\nMSpanInuse %d\nNumGC %d\nNumGoroutine %d\n",
				m.HeapAlloc, m.HeapInuse, m.HeapIdle, m.HeapReleased, m.HeapSys, m.StackInuse, m.Sys, m.GCSys, m.OtherSys, m.MSpanInuse, m.NumGC, runtime.NumGoroutine())), 0o644)
		}
	}()
}
