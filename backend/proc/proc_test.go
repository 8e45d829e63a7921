package proc

import (
	"os"
	"testing"
)

func TestReadsThisProcess(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc")
	}
	rss, err := StatusKiB(os.Getpid(), "VmRSS")
	if err != nil || rss <= 0 {
		t.Fatalf("VmRSS %d, %v", rss, err)
	}
	hwm, err := KiB("/proc/self/status", "VmHWM")
	if err != nil || hwm < rss {
		t.Fatalf("VmHWM %d (%v) below VmRSS %d", hwm, err, rss)
	}
	if _, err := StatusKiB(os.Getpid(), "NoSuchField"); err == nil {
		t.Fatal("a missing field read without an error")
	}
}
