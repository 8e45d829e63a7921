//go:build bindings

package main

// generatingBindings: `wails generate module` builds with the bindings tag
// and runs the app headless to read the bound methods; it needs no display.
const generatingBindings = true
