package desktop

import (
	"context"
	"encoding/json"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"castdesk/backend/ops"
	"castdesk/backend/panel"
)

// API is the one struct the window binds: Call dispatches to the operation
// declared in backend/ops under that name, exactly as the HTTP door mounts
// it. One dispatching binding instead of a bound method per operation: the
// declarations stay the only place an operation is written, no generated Go
// or JavaScript glue has to be kept in step, and the SPA already names
// operations for its HTTP transport.
type API struct{ s *Session }

// Call runs operation name with input (its JSON input object, path fields
// included) as the window's logged-in account. Every bound method is
// callable by any script in the page: authentication happens here and
// authorization in the panel services, as on the HTTP door.
func (a *API) Call(name string, input json.RawMessage) (any, error) {
	if Tracing() {
		Trace("first call from the page: " + name)
		defer Trace("first answer to the page: " + name)
	}
	o, ok := ops.ByName(name)
	if !ok || !o.OnWindow() {
		return nil, panel.NotFound("Operation")
	}
	in := o.NewInput()
	if len(input) > 0 && string(input) != "null" {
		if err := json.Unmarshal(input, in); err != nil {
			return nil, ops.InputError(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.CallTimeout())
	defer cancel()
	ctx, err := a.s.withCaller(ctx)
	if err != nil {
		return nil, err
	}
	return o.Call(ops.Env{Ctx: ctx, Panel: a.s.panel, Door: windowDoor{a.s}}, in)
}

// windowDoor is what an operation may ask of the window.
type windowDoor struct{ s *Session }

// desktopClient is the throttling identity of calls from the window.
const desktopClient = "desktop"

func (d windowDoor) ClientID() string        { return desktopClient }
func (d windowDoor) SetSession(token string) { d.s.set(token) }

func (d windowDoor) PickFiles(title string) ([]string, error) {
	wctx := d.s.wailsContext()
	if wctx == nil {
		return nil, panel.Unavailable("The window is not ready.", nil)
	}
	return runtime.OpenMultipleFilesDialog(wctx, runtime.OpenDialogOptions{Title: title})
}

func (d windowDoor) TakeDrop(token string) ([]string, bool) {
	ui := &d.s.ui
	ui.mu.Lock()
	defer ui.mu.Unlock()
	paths, ok := ui.drops[token]
	delete(ui.drops, token)
	return paths, ok
}

// NewAPI is the window's binding over a session (tests drive it directly).
func NewAPI(s *Session) *API { return &API{s} }
