package desktop

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"castdesk/backend/panel"
)

// Bindings are the structs the window exposes to the SPA: one, API, whose
// Call dispatches to the declared operations (api.go).
func Bindings(s *Session) []any { return []any{&API{s}} }

// FormatError gives the SPA the same {code,message,fields} the HTTP door
// sends. Internal causes are logged here and never cross into the page.
func FormatError(log *slog.Logger) func(error) any {
	return func(err error) any {
		pe := panel.AsError(err)
		if pe.Code == panel.CodeInternal {
			log.Error("desktop call failed", "err", err)
		}
		return pe
	}
}

// Run opens the window on a data directory and blocks until it is closed.
// The window remembers its size and position there (window.json), and only
// one window opens per data directory: a second launch brings the first to
// the front instead.
func Run(p *panel.Panel, assets fs.FS, log *slog.Logger, csp, dataDir string) error {
	session := NewSession(p)
	session.chrome = newChrome(dataDir, log)
	app := &options.App{
		Title: "Castdesk",
		AssetServer: &assetserver.Options{
			Assets: assets,
			Middleware: func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Security-Policy", csp)
					next.ServeHTTP(w, r)
				})
			},
		},
		OnStartup: func(ctx context.Context) {
			Trace("OnStartup (the window exists)")
			session.startup(ctx, log)
			session.chrome.startup(ctx)
		},
		OnDomReady: func(ctx context.Context) {
			Trace("OnDomReady (the page's DOM is loaded)")
			session.chrome.domReady(ctx)
		},
		// Files dropped on the window reach Go as paths (media.go); the
		// webview itself never opens a dropped file.
		DragAndDrop:    &options.DragAndDrop{EnableFileDrop: true, DisableWebViewDrop: true},
		Bind:           Bindings(session),
		ErrorFormatter: FormatError(log),
		// Software rendering: with GPU acceleration (Wails' default once
		// any Linux option is set) WebKit composites through OpenGL —
		// ~95 MiB more in its web process and a first screen seconds
		// later where there is no GPU (Mesa's llvmpipe: a VM, Xvfb,
		// remote desktops). Forms and tables need no GPU; Wails itself
		// turns it off when no Linux option is given (README, "Window").
		Linux: &linux.Options{ProgramName: "castdesk", WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
	}
	// Menu, size and position, OnBeforeClose, the single-instance lock.
	session.chrome.options(app)
	Trace("wails.Run")
	return wails.Run(app)
}
