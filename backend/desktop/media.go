package desktop

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"castdesk/backend/panel"
)

// Events the window emits (runtime.EventsOn in the SPA):
const (
	// EventMediaChanged carries panel.MediaChanged after an account's index
	// changed, for accounts the window's login may see.
	EventMediaChanged = "media:changed"
	// EventMediaDropped carries MediaDrop after files were dropped on the
	// window; the SPA answers with Media.AddDropped and the token.
	EventMediaDropped = "media:dropped"
)

// copyTimeout bounds one add of files: big files take longer than a call.
const copyTimeout = 2 * time.Hour

// windowUI is the window's runtime state: the Wails context (known from
// OnStartup) and the files dropped on it, waiting for the SPA to place them.
type windowUI struct {
	mu    sync.Mutex
	ctx   context.Context
	drops map[string][]string

	pending map[int64]panel.MediaChanged
	wake    chan struct{}
}

// MediaDrop tells the SPA what was dropped; only the Go side knows the
// paths, so a script can add only what the user really dropped.
type MediaDrop struct {
	Token string   `json:"token"`
	Names []string `json:"names"`
}

// startup runs in OnStartup: it keeps the Wails context, forwards media
// changes to the page and receives dropped files.
func (s *Session) startup(ctx context.Context, log *slog.Logger) {
	ui := &s.ui
	ui.mu.Lock()
	ui.ctx = ctx
	ui.drops = map[string][]string{}
	ui.pending = map[int64]panel.MediaChanged{}
	ui.wake = make(chan struct{}, 1)
	ui.mu.Unlock()
	s.panel.Media.Relay.Attach(s)
	go s.emitLoop(ctx)
	runtime.OnFileDrop(ctx, func(_, _ int, paths []string) {
		var rnd [12]byte
		rand.Read(rnd[:])
		token := hex.EncodeToString(rnd[:])
		names := make([]string, len(paths))
		for i, p := range paths {
			names[i] = filepath.Base(p)
		}
		ui.mu.Lock()
		if len(ui.drops) > 16 { // unclaimed drops do not pile up
			clear(ui.drops)
		}
		ui.drops[token] = paths
		ui.mu.Unlock()
		runtime.EventsEmit(ctx, EventMediaDropped, MediaDrop{Token: token, Names: names})
	})
}

// Publish implements panel.Notifier. It never blocks the watcher: the
// latest change per account waits for emitLoop.
func (s *Session) Publish(ev panel.MediaChanged) {
	ui := &s.ui
	ui.mu.Lock()
	if ui.pending == nil {
		ui.mu.Unlock()
		return
	}
	ui.pending[ev.AccountID] = ev
	ui.mu.Unlock()
	select {
	case ui.wake <- struct{}{}:
	default:
	}
}

// emitLoop sends pending changes to the page, each only if the window's
// login may see that account (any script in the page receives events).
func (s *Session) emitLoop(ctx context.Context) {
	ui := &s.ui
	for {
		select {
		case <-ctx.Done():
			return
		case <-ui.wake:
		}
		ui.mu.Lock()
		batch := ui.pending
		ui.pending = map[int64]panel.MediaChanged{}
		ui.mu.Unlock()
		callCtx, cancel, err := s.caller()
		if err != nil {
			continue // nobody logged in: nothing to show
		}
		for id, ev := range batch {
			if s.panel.Media.CanSee(callCtx, id) {
				runtime.EventsEmit(ctx, EventMediaChanged, ev)
			}
		}
		cancel()
	}
}

func (s *Session) wailsContext() context.Context {
	s.ui.mu.Lock()
	defer s.ui.mu.Unlock()
	return s.ui.ctx
}

// Media is the media library screen.
type Media struct{ s *Session }

type MediaListInput struct {
	ID int64 `json:"id"`
	panel.MediaListInput
}

type MediaDeleteInput struct {
	ID   int64  `json:"id"`
	Path string `json:"path"`
}

// MediaAddInput says where added files go: Dir is a folder inside the
// account's folder ("" = its top).
type MediaAddInput struct {
	ID        int64  `json:"id"`
	Dir       string `json:"dir"`
	Overwrite bool   `json:"overwrite"`
}

type MediaAddDroppedInput struct {
	MediaAddInput
	Token string `json:"token"`
}

// MediaAddResult lists the files added; Skipped names what was not (folders,
// unreadable files); Canceled is true when the user closed the picker.
type MediaAddResult struct {
	Items    []panel.MediaFile `json:"items"`
	Skipped  []string          `json:"skipped"`
	Canceled bool              `json:"canceled"`
}

func (x *Media) List(in MediaListInput) (panel.MediaLibrary, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.MediaLibrary, error) {
		return x.s.panel.Media.List(ctx, in.ID, in.MediaListInput)
	})
}

// Summary is the account's folder totals (what media:changed carries).
func (x *Media) Summary(in IDInput) (panel.MediaChanged, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.MediaChanged, error) {
		return x.s.panel.Media.Summary(ctx, in.ID)
	})
}

func (x *Media) Delete(in MediaDeleteInput) (Done, error) {
	return withCaller(x.s, func(ctx context.Context) (Done, error) {
		return done(x.s.panel.Media.Delete(ctx, in.ID, in.Path))
	})
}

// Status is the folder watcher's state (administrators).
func (x *Media) Status(_ Empty) (panel.MediaWatchStatus, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.MediaWatchStatus, error) {
		return x.s.panel.Media.Status(ctx)
	})
}

// PickFiles opens the system file picker and copies the chosen files into
// the account's folder.
func (x *Media) PickFiles(in MediaAddInput) (MediaAddResult, error) {
	// Check the right first, so the picker never opens for nothing.
	if _, err := withCaller(x.s, func(ctx context.Context) (panel.MediaChanged, error) {
		return x.s.panel.Media.Summary(ctx, in.ID)
	}); err != nil {
		return MediaAddResult{}, err
	}
	wctx := x.s.wailsContext()
	if wctx == nil {
		return MediaAddResult{}, panel.Unavailable("The window is not ready.", nil)
	}
	paths, err := runtime.OpenMultipleFilesDialog(wctx, runtime.OpenDialogOptions{Title: "Add media files"})
	if err != nil {
		return MediaAddResult{}, panel.Internal(err)
	}
	if len(paths) == 0 {
		return MediaAddResult{Items: []panel.MediaFile{}, Canceled: true}, nil
	}
	return x.add(in, paths)
}

// AddDropped copies the files of one drop (EventMediaDropped) into the
// account's folder. A token is good once.
func (x *Media) AddDropped(in MediaAddDroppedInput) (MediaAddResult, error) {
	ui := &x.s.ui
	ui.mu.Lock()
	paths, ok := ui.drops[in.Token]
	delete(ui.drops, in.Token)
	ui.mu.Unlock()
	if !ok {
		return MediaAddResult{}, panel.InvalidField("token", panel.ReasonInvalid)
	}
	return x.add(in.MediaAddInput, paths)
}

func (x *Media) add(in MediaAddInput, paths []string) (MediaAddResult, error) {
	token := x.s.get()
	if token == "" {
		return MediaAddResult{}, panel.Unauthorized()
	}
	ctx, cancel := context.WithTimeout(context.Background(), copyTimeout)
	defer cancel()
	c, err := x.s.panel.Auth.Authenticate(ctx, token)
	if err != nil {
		return MediaAddResult{}, err
	}
	ctx = panel.WithCaller(ctx, c)
	out := MediaAddResult{Items: []panel.MediaFile{}, Skipped: []string{}}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			out.Skipped = append(out.Skipped, filepath.Base(p))
			continue
		}
		info, err := f.Stat()
		if err != nil || !info.Mode().IsRegular() {
			f.Close()
			out.Skipped = append(out.Skipped, filepath.Base(p))
			continue
		}
		m, err := x.s.panel.Media.Upload(ctx, in.ID, panel.MediaUploadInput{Dir: in.Dir, Name: filepath.Base(p), Overwrite: in.Overwrite}, f)
		f.Close()
		if err != nil {
			if len(out.Items) == 0 {
				return MediaAddResult{}, err
			}
			out.Skipped = append(out.Skipped, filepath.Base(p))
			continue
		}
		out.Items = append(out.Items, m)
	}
	return out, nil
}
