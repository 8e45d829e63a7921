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

// Run opens the window and blocks until it is closed.
func Run(p *panel.Panel, assets fs.FS, log *slog.Logger, csp string) error {
	session := NewSession(p)
	return wails.Run(&options.App{
		Title:     "Castdesk",
		Width:     1280,
		Height:    820,
		MinWidth:  900,
		MinHeight: 600,
		AssetServer: &assetserver.Options{
			Assets: assets,
			Middleware: func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Content-Security-Policy", csp)
					next.ServeHTTP(w, r)
				})
			},
		},
		OnStartup: func(ctx context.Context) { session.startup(ctx, log) },
		// Files dropped on the window reach Go as paths (media.go); the
		// webview itself never opens a dropped file.
		DragAndDrop:    &options.DragAndDrop{EnableFileDrop: true, DisableWebViewDrop: true},
		Bind:           Bindings(session),
		ErrorFormatter: FormatError(log),
		Linux:          &linux.Options{ProgramName: "castdesk"},
	})
}
