package desktop

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"strings"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// chrome is what makes the window behave like a desktop application around
// the page: the menu and its language, the remembered size and position,
// the question before quitting in the middle of a task, one window per data
// directory, and opening folders in the file manager.
type chrome struct {
	dataDir string
	log     *slog.Logger

	mu       sync.Mutex
	ctx      context.Context
	state    WindowState
	saved    WindowState
	lang     string
	tasks    []string
	closing  bool
	trackEnd chan struct{}
	// open shows a folder in the file manager (OpenFolder; tests replace it).
	open func(dir string) error
}

func newChrome(dataDir string, log *slog.Logger) *chrome {
	st := LoadState(dataDir)
	lang := SupportedLanguage(st.Language)
	if lang == "" {
		lang = SystemLanguage(nil)
	}
	return &chrome{dataDir: dataDir, log: log, state: st, saved: st, lang: lang, trackEnd: make(chan struct{}), open: OpenFolder}
}

func (c *chrome) context() context.Context {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ctx
}

// InstanceID is the single-instance key of a data directory: one window
// per data directory (two data directories may have a window each).
func InstanceID(dataDir string) string {
	sum := sha256.Sum256([]byte(filepath.Clean(dataDir)))
	return "castdesk_" + hex.EncodeToString(sum[:8])
}

// options fills the parts of the Wails options the chrome owns.
func (c *chrome) options(app *options.App) {
	c.mu.Lock()
	st, lang := c.state, c.lang
	c.mu.Unlock()
	p := Place(st, nil) // the screens are known only once the window exists
	app.Width, app.Height = p.Width, p.Height
	app.MinWidth, app.MinHeight = MinWidth, MinHeight
	if p.Maximised {
		app.WindowStartState = options.Maximised
	}
	app.Menu, _ = c.buildMenu(LabelsFor(lang))
	app.OnBeforeClose = c.beforeClose
	app.SingleInstanceLock = &options.SingleInstanceLock{
		UniqueId:               InstanceID(c.dataDir),
		OnSecondInstanceLaunch: func(options.SecondInstanceData) { c.raise() },
	}
}

// startup runs in OnStartup: with the screens known, the window moves to
// its remembered place, then its geometry is watched.
func (c *chrome) startup(ctx context.Context) {
	c.mu.Lock()
	c.ctx = ctx
	st := c.state
	c.mu.Unlock()
	screens := c.screens(ctx)
	p := Place(st, screens)
	if !p.Maximised {
		runtime.WindowSetSize(ctx, p.Width, p.Height)
		if p.Position {
			runtime.WindowSetPosition(ctx, p.X, p.Y)
		}
	}
	go c.track(ctx)
}

// domReady: the menu's display-only shortcuts are set once the GTK menu
// exists (see relabelMenu).
func (c *chrome) domReady(context.Context) {
	c.mu.Lock()
	lang := c.lang
	c.mu.Unlock()
	c.relabelMenu(lang)
}

func (c *chrome) screens(ctx context.Context) []ScreenSize {
	list, err := runtime.ScreenGetAll(ctx)
	if err != nil {
		return nil
	}
	out := make([]ScreenSize, 0, len(list))
	for _, s := range list {
		w, h := s.Size.Width, s.Size.Height
		if w == 0 || h == 0 {
			w, h = s.Width, s.Height
		}
		out = append(out, ScreenSize{Width: w, Height: h, Current: s.IsCurrent, Primary: s.IsPrimary})
	}
	return out
}

// trackEvery is how often the window's geometry is looked at. A look is
// cheap; saving happens only when something changed. Looking (rather than
// saving only on close) keeps the state when the session ends the process
// with a signal, which skips OnBeforeClose.
const trackEvery = 2 * time.Second

func (c *chrome) track(ctx context.Context) {
	t := time.NewTicker(trackEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.trackEnd:
			return
		case <-t.C:
			c.observe(ctx)
			c.save()
		}
	}
}

func (c *chrome) observe(ctx context.Context) {
	c.mu.Lock()
	closing := c.closing
	c.mu.Unlock()
	if closing {
		return
	}
	w, h := runtime.WindowGetSize(ctx)
	x, y := runtime.WindowGetPosition(ctx)
	maximised := runtime.WindowIsMaximised(ctx)
	screens := c.screens(ctx)
	c.mu.Lock()
	c.state.Observe(w, h, x, y, maximised, screens)
	c.mu.Unlock()
}

func (c *chrome) save() {
	c.mu.Lock()
	st := c.state
	st.Language = c.lang
	changed := fmt.Sprint(st) != fmt.Sprint(c.saved)
	c.mu.Unlock()
	if !changed {
		return
	}
	if err := SaveState(c.dataDir, st); err != nil {
		c.log.Warn("cannot save the window's size and position", "err", err)
		return
	}
	c.mu.Lock()
	c.saved = st
	c.mu.Unlock()
}

// beforeClose (OnBeforeClose) saves the window's state and, while the page
// reports tasks a quit would interrupt (uploads, copies), asks first, naming
// them. It answers true to keep the window open.
func (c *chrome) beforeClose(ctx context.Context) (prevent bool) {
	c.observe(ctx)
	c.save()
	c.mu.Lock()
	tasks := append([]string(nil), c.tasks...)
	l := LabelsFor(c.lang)
	c.mu.Unlock()
	if len(tasks) > 0 {
		answer, err := runtime.MessageDialog(ctx, runtime.MessageDialogOptions{
			Type:          runtime.QuestionDialog,
			Title:         l.QuitTitle,
			Message:       QuitMessage(l, tasks),
			DefaultButton: "No",
		})
		if err != nil || !strings.EqualFold(answer, "Yes") {
			return true
		}
	}
	c.mu.Lock()
	c.closing = true
	c.mu.Unlock()
	select {
	case <-c.trackEnd:
	default:
		close(c.trackEnd)
	}
	return false
}

// QuitMessage is the question before quitting: what would be interrupted,
// one line each (at most 8, then how many more).
func QuitMessage(l Labels, tasks []string) string {
	var b strings.Builder
	b.WriteString(l.QuitMessage + "\n")
	for i, t := range tasks {
		if i == 8 {
			fmt.Fprintf(&b, "  … (+%d)\n", len(tasks)-8)
			break
		}
		b.WriteString("  • " + t + "\n")
	}
	b.WriteString("\n" + l.QuitQuestion)
	msg := b.String()
	if goruntime.GOOS == "linux" {
		// Wails passes the message to gtk_message_dialog_new as a format
		// string: a file named "100%.mp3" must not become a conversion.
		msg = strings.ReplaceAll(msg, "%", "%%")
	}
	return msg
}

// Tasks a page may report: bounded, so a page cannot grow the dialog (or
// Go's memory) without end.
const (
	maxTasks     = 50
	maxTaskChars = 200
)

// SetTasks records what the page is doing that a quit would interrupt.
func (c *chrome) SetTasks(tasks []string) {
	if c == nil {
		return
	}
	clean := make([]string, 0, min(len(tasks), maxTasks))
	for _, t := range tasks {
		t = strings.Join(strings.Fields(t), " ")
		if t == "" {
			continue
		}
		if r := []rune(t); len(r) > maxTaskChars {
			t = string(r[:maxTaskChars]) + "…"
		}
		if len(clean) < maxTasks {
			clean = append(clean, t)
		}
	}
	c.mu.Lock()
	c.tasks = clean
	c.mu.Unlock()
}

// SetLanguage puts the menu (and Go's dialogs) in the page's language.
func (c *chrome) SetLanguage(lang string) {
	if c == nil {
		return
	}
	code := SupportedLanguage(lang)
	if code == "" {
		code = "en"
	}
	c.mu.Lock()
	same := c.lang == code
	c.lang = code
	c.mu.Unlock()
	if !same {
		c.relabelMenu(code)
	}
	c.save()
}

func (c *chrome) raise() {
	ctx := c.context()
	if ctx == nil {
		return
	}
	runtime.WindowUnminimise(ctx)
	runtime.WindowShow(ctx)
	nativePresent()
}

func (c *chrome) openDataFolderFromMenu() {
	if err := c.open(c.dataDir); err != nil {
		c.log.Warn("cannot open the data folder", "dir", c.dataDir, "err", err)
		if ctx := c.context(); ctx != nil {
			c.mu.Lock()
			l := LabelsFor(c.lang)
			c.mu.Unlock()
			msg := l.OpenFailed + "\n" + c.dataDir + "\n\n" + err.Error()
			if goruntime.GOOS == "linux" {
				msg = strings.ReplaceAll(msg, "%", "%%")
			}
			runtime.MessageDialog(ctx, runtime.MessageDialogOptions{Type: runtime.ErrorDialog, Title: l.OpenDataFolder, Message: msg})
		}
	}
}

// OpenFolder shows a folder in the system's file manager (xdg-open,
// explorer, open). The path is an argument, never a shell word. It returns
// once the opener has started.
func OpenFolder(dir string) error {
	info, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is not a folder", dir)
	}
	var cmd *exec.Cmd
	switch goruntime.GOOS {
	case "windows":
		cmd = exec.Command("explorer.exe", dir)
	case "darwin":
		cmd = exec.Command("open", dir)
	default:
		path, err := exec.LookPath("xdg-open")
		if err != nil {
			return errors.New("xdg-open is not installed (the xdg-utils package provides it)")
		}
		cmd = exec.Command(path, dir)
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, nil, nil
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() // reap it; explorer.exe answers 1 even when it worked
	return nil
}

// The window door's side of ops.Desktop (api.go's windowDoor).

func (d windowDoor) SetLanguage(lang string) { d.s.chrome.SetLanguage(lang) }
func (d windowDoor) SetTasks(tasks []string) { d.s.chrome.SetTasks(tasks) }
func (d windowDoor) OpenFolder(path string) error {
	if d.s.chrome == nil {
		return errors.New("no window")
	}
	return d.s.chrome.open(path)
}

// DataDir is "" when the session has no window (tests that drive the API
// directly): the desktop operations then answer unavailable.
func (d windowDoor) DataDir() string {
	if d.s.chrome == nil {
		return ""
	}
	return d.s.chrome.dataDir
}
