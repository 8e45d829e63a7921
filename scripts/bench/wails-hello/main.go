// wails-hello is the baseline of the window benchmark (scripts/bench-window.sh):
// the smallest Wails v2 application — the same Wails version as Castdesk
// (this module's go.mod), the same window size, built with the same tags and
// flags as `make build` — showing one tiny embedded page, with Wails' default
// options. Castdesk's cold
// start and memory are measured against it in the same run.
package main

import (
	"embed"
	"fmt"
	"io/fs"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
)

//go:embed index.html
var page embed.FS

func main() {
	assets, _ := fs.Sub(page, ".")
	err := wails.Run(&options.App{
		Title:       "Hello",
		Width:       1280, // backend/desktop DefaultWidth, DefaultHeight
		Height:      820,
		AssetServer: &assetserver.Options{Assets: assets},
		// No Linux options: Wails' defaults, as a hello-world has them
		// (with none, Wails turns the webview's GPU acceleration off).
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "wails-hello:", err)
		os.Exit(1)
	}
}
