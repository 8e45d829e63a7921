package main

import "testing"

// serve gives back only the window door's libraries, never the C library,
// the loader or the unwinder it runs on; the advice is harmless to call
// (the test binary links no GTK, so nothing of it is dropped). That the
// shipped binary's serve goes on working without the relocated pages, and
// gives them back, is checked by scripts/api-e2e.sh on bin/castdesk:
// without librariesOnThreadStacks it crashes within seconds
// (a thread JavaScriptCore starts runs through its GOT).
func TestDropWindowLibrariesKeepsWhatServeCalls(t *testing.T) {
	for name, keep := range map[string]bool{
		"libc.so.6": true, "ld-linux-x86-64.so.2": true, "libm.so.6": true, "libnss_files.so.2": true, "libgcc_s.so.1": true,
		"libwebkit2gtk-4.1.so.0.19.9": false, "libgtk-3.so.0.2406.32": false, "libflite_cmu_us_awb.so.2.2": false,
		"libstdc++.so.6.0.30": false,
	} {
		if got := serveKeepsLibrary(name); got != keep {
			t.Errorf("%s kept: %v", name, got)
		}
	}
	if kib := dropWindowLibraries(); kib != 0 {
		t.Errorf("dropped %d KiB of a binary without the window's libraries", kib)
	}
}

// Libraries are named in ELF's needed lists by their soname.
func TestSoname(t *testing.T) {
	for file, want := range map[string]string{
		"libcap.so.2.66": "libcap.so.2", "libstdc++.so.6.0.30": "libstdc++.so.6", "libz.so.1": "libz.so.1", "libfoo.so": "libfoo.so",
	} {
		if got := soname(file); got != want {
			t.Errorf("soname(%q) = %q, want %q", file, got, want)
		}
	}
}

// Every thread of this test process is Go's: none is taken for a thread a
// library started, and each could be looked at.
func TestGoThreadsAreNotTakenForLibraryThreads(t *testing.T) {
	maps := readMappings()
	if len(maps) == 0 {
		t.Fatal("no mappings read")
	}
	for i := 1; i < len(maps); i++ {
		if maps[i].start < maps[i-1].end {
			t.Fatalf("mappings out of order at %x", maps[i].start)
		}
	}
	if m := mappingAt(maps, maps[len(maps)/2].start); m == nil || m.start != maps[len(maps)/2].start {
		t.Fatalf("mappingAt does not find a mapping's first byte: %+v", m)
	}
	if m := mappingAt(maps, maps[0].start-1); maps[0].start > 0 && m != nil {
		t.Fatalf("an address below every mapping was found in %+v", m)
	}
	libs, ok := librariesOnThreadStacks(maps)
	if !ok {
		t.Fatal("a thread could not be looked at")
	}
	if len(libs) != 0 {
		t.Errorf("Go's threads taken for a library's: %v", libs)
	}
}
