//go:build !(linux && desktop)

package desktop

// AlreadyOpen: elsewhere Wails' own single-instance lock decides, when the
// window starts.
func AlreadyOpen(string) bool { return false }
