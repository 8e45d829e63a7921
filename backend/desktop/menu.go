package desktop

import (
	goruntime "runtime"

	"github.com/wailsapp/wails/v2/pkg/menu"
	"github.com/wailsapp/wails/v2/pkg/menu/keys"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// EventMenu carries a menu action the page carries out (runtime.EventsOn in
// the SPA): one of the Action* values.
const EventMenu = "menu"

// Menu actions the page carries out.
const (
	ActionNewCustomer   = "new-customer"
	ActionZoomIn        = "zoom-in"
	ActionZoomOut       = "zoom-out"
	ActionZoomReset     = "zoom-reset"
	ActionDocumentation = "documentation"
	ActionShortcuts     = "shortcuts"
	ActionLicences      = "licenses"
	ActionAbout         = "about"
)

// menuEntry is one item of the menu as the native relabelling walks it.
type menuEntry struct {
	Label string
	// DisplayAccel is a shortcut shown beside the label but not registered
	// as an accelerator (GTK syntax, "<Control>c"): the Edit items, whose
	// keys the web view handles itself.
	DisplayAccel string
}

// editCommand is one Edit item: the WebKit editing command, the document
// command for other web views, and the keys shown.
type editCommand struct {
	label              func(Labels) string
	webkit, execCmd    string
	gtkAccel, winAccel string
}

var editCommands = []editCommand{
	{func(l Labels) string { return l.Undo }, "Undo", "undo", "<Control>z", "Ctrl+Z"},
	{func(l Labels) string { return l.Redo }, "Redo", "redo", "<Control><Shift>z", "Ctrl+Y"},
	{nil, "", "", "", ""}, // separator
	{func(l Labels) string { return l.Cut }, "Cut", "cut", "<Control>x", "Ctrl+X"},
	{func(l Labels) string { return l.Copy }, "Copy", "copy", "<Control>c", "Ctrl+C"},
	{func(l Labels) string { return l.Paste }, "Paste", "paste", "<Control>v", "Ctrl+V"},
	{nil, "", "", "", ""},
	{func(l Labels) string { return l.SelectAll }, "SelectAll", "selectAll", "<Control>a", "Ctrl+A"},
}

// buildMenu is the application menu in one language:
//
//	File   New customer (Ctrl+N) · Open data folder · Quit (Ctrl+Q)
//	Edit   Undo · Redo · Cut · Copy · Paste · Select all
//	View   Reload (Ctrl+R) · Actual size (Ctrl+0) · Zoom in (Ctrl+=) · Zoom out (Ctrl+-)
//	Help   Documentation (F1) · Keyboard shortcuts (Ctrl+/) · Third-party licences · About Castdesk
//
// The Edit keys are not registered as accelerators: the web view handles
// Ctrl+C and the others itself (in text fields and on selected text), and a
// menu accelerator would take the key away from it. On macOS the Edit menu
// is Wails' EditMenu role (the system's own); elsewhere its items run the
// web view's editing commands.
func (c *chrome) buildMenu(l Labels) (*menu.Menu, []menuEntry) {
	m := menu.NewMenu()
	var entries []menuEntry
	add := func(parent *menu.Menu, label string, acc *keys.Accelerator, display string, click menu.Callback) {
		parent.AddText(label, acc, click)
		entries = append(entries, menuEntry{Label: label, DisplayAccel: display})
	}
	sub := func(label string) *menu.Menu {
		entries = append(entries, menuEntry{Label: label})
		return m.AddSubmenu(label)
	}
	if goruntime.GOOS == "darwin" {
		m.Append(menu.AppMenu())
	}

	file := sub(l.File)
	add(file, l.NewCustomer, keys.CmdOrCtrl("n"), "", c.emit(ActionNewCustomer))
	add(file, l.OpenDataFolder, nil, "", func(*menu.CallbackData) { c.openDataFolderFromMenu() })
	file.AddSeparator()
	add(file, l.Quit, keys.CmdOrCtrl("q"), "", func(*menu.CallbackData) { c.quit() })

	if goruntime.GOOS == "darwin" {
		m.Append(menu.EditMenu())
	} else {
		edit := sub(l.Edit)
		for _, e := range editCommands {
			if e.label == nil {
				edit.AddSeparator()
				continue
			}
			label := e.label(l)
			if goruntime.GOOS == "windows" {
				label += "\t" + e.winAccel // Win32 menus show the text after a tab as the shortcut
			}
			add(edit, label, nil, e.gtkAccel, func(*menu.CallbackData) { c.edit(e) })
		}
	}

	view := sub(l.View)
	add(view, l.Reload, keys.CmdOrCtrl("r"), "", func(*menu.CallbackData) { c.reload() })
	view.AddSeparator()
	add(view, l.ActualSize, keys.CmdOrCtrl("0"), "", c.emit(ActionZoomReset))
	add(view, l.ZoomIn, keys.CmdOrCtrl("="), "", c.emit(ActionZoomIn))
	add(view, l.ZoomOut, keys.CmdOrCtrl("-"), "", c.emit(ActionZoomOut))

	help := sub(l.Help)
	add(help, l.Documentation, keys.Key("F1"), "", c.emit(ActionDocumentation))
	add(help, l.Shortcuts, keys.CmdOrCtrl("/"), "", c.emit(ActionShortcuts))
	help.AddSeparator()
	add(help, l.Licences, nil, "", c.emit(ActionLicences))
	add(help, l.About, nil, "", c.emit(ActionAbout))
	return m, entries
}

func (c *chrome) emit(action string) menu.Callback {
	return func(*menu.CallbackData) {
		if ctx := c.context(); ctx != nil {
			runtime.EventsEmit(ctx, EventMenu, action)
		}
	}
}

func (c *chrome) edit(e editCommand) {
	if nativeEdit(e.webkit) {
		return
	}
	if ctx := c.context(); ctx != nil {
		runtime.WindowExecJS(ctx, "document.execCommand('"+e.execCmd+"')")
	}
}

func (c *chrome) reload() {
	if ctx := c.context(); ctx != nil {
		runtime.WindowReloadApp(ctx)
	}
}

func (c *chrome) quit() {
	if ctx := c.context(); ctx != nil {
		runtime.Quit(ctx) // asks OnBeforeClose first
	}
}

// relabelMenu puts the menu in another language. Wails v2.15's GTK
// frontend builds a new menu bar on MenuSetApplicationMenu but never packs
// it into the window (only Run does), so on Linux the bar the window shows
// is relabelled in place, item by item, in the order it was built; the
// callbacks and accelerators stay. Elsewhere the menu is set again with
// MenuSetApplicationMenu and MenuUpdateApplicationMenu.
func (c *chrome) relabelMenu(lang string) {
	ctx := c.context()
	if ctx == nil {
		return
	}
	m, entries := c.buildMenu(LabelsFor(lang))
	if nativeMenuRelabel(entries) {
		return
	}
	runtime.MenuSetApplicationMenu(ctx, m)
	runtime.MenuUpdateApplicationMenu(ctx)
}
