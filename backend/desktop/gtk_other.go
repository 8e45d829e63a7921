//go:build !(linux && desktop)

package desktop

// Without GTK (other systems, and builds without the desktop tag such as the
// tests) the window has no native helpers: menu.go falls back to Wails.

func nativeMenuRelabel([]menuEntry) bool { return false }
func nativeEdit(string) bool             { return false }
func nativePresent() bool                { return false }
