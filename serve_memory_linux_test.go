package main

import "testing"

// serve advises out only the window door's libraries, never the C library
// or the loader it runs on; the advice is harmless to call (the test binary
// links no GTK, so nothing of it is advised).
func TestDropWindowLibrariesKeepsWhatServeCalls(t *testing.T) {
	for name, keep := range map[string]bool{
		"libc.so.6": true, "ld-linux-x86-64.so.2": true, "libm.so.6": true, "libnss_files.so.2": true,
		"libwebkit2gtk-4.1.so.0.19.9": false, "libgtk-3.so.0.2406.32": false, "libflite_cmu_us_awb.so.2.2": false,
		"libstdc++.so.6.0.30": false,
	} {
		if got := serveKeepsLibrary(name); got != keep {
			t.Errorf("%s kept: %v", name, got)
		}
	}
	if kib := dropWindowLibraries(); kib != 0 {
		t.Errorf("advised %d KiB of a binary without the window's libraries", kib)
	}
}
