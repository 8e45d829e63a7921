package desktop

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// StateFile is the window's remembered state, in the data directory (one
// per data directory, like the window itself).
const StateFile = "window.json"

// Default and minimum window sizes (logical pixels).
const (
	DefaultWidth, DefaultHeight = 1280, 820
	MinWidth, MinHeight         = 900, 600
)

// WindowState is what the window remembers between runs: its normal
// (not maximised) size and position, whether it was maximised, the screens
// it was on, and the interface language its menu was last in.
type WindowState struct {
	Width     int  `json:"width"`
	Height    int  `json:"height"`
	X         int  `json:"x"`
	Y         int  `json:"y"`
	Maximised bool `json:"maximised"`
	// Screens are the sizes of the screens present when it was saved: the
	// saved position is trusted only on the same set of screens.
	Screens  []ScreenSize `json:"screens,omitempty"`
	Language string       `json:"language,omitempty"`
}

// ScreenSize is one screen's size in logical pixels.
type ScreenSize struct {
	Width   int  `json:"width"`
	Height  int  `json:"height"`
	Current bool `json:"-"`
	Primary bool `json:"-"`
}

// Placement is where and how the window opens.
type Placement struct {
	Width, Height int
	// X, Y are relative to the screen the window opens on; meaningful only
	// when Position is true (else the window is centred).
	X, Y      int
	Position  bool
	Maximised bool
}

// LoadState reads the state file of a data directory; no file (or a broken
// one) is the zero state, which places the window at its defaults.
func LoadState(dataDir string) WindowState {
	var st WindowState
	b, err := os.ReadFile(filepath.Join(dataDir, StateFile))
	if err != nil || json.Unmarshal(b, &st) != nil {
		return WindowState{}
	}
	return st
}

// SaveState writes the state file atomically (a temp file renamed over it),
// so a crash never leaves half a file.
func SaveState(dataDir string, st WindowState) error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dataDir, ".window-*.json")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(append(b, '\n'))
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dataDir, StateFile)); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}

// stateExists tells whether a data directory has a state file.
func stateExists(dataDir string) bool {
	_, err := os.Stat(filepath.Join(dataDir, StateFile))
	return !errors.Is(err, fs.ErrNotExist)
}

// Place decides where the window opens from what it remembers and the
// screens there are now. A size too big for the screen shrinks to fit (never
// below the minimum); a position is kept only when the screens are the same
// as when it was saved and the window fits on the screen it opens on;
// otherwise it is pulled back so the whole window shows (a monitor that is
// gone, a smaller screen). With nothing remembered, the defaults, centred.
func Place(st WindowState, screens []ScreenSize) Placement {
	p := Placement{Width: DefaultWidth, Height: DefaultHeight, Maximised: st.Maximised}
	if st.Width > 0 && st.Height > 0 {
		p.Width, p.Height = max(st.Width, MinWidth), max(st.Height, MinHeight)
	}
	scr, ok := currentScreen(screens)
	if !ok {
		return p // no screen information: Wails centres the window
	}
	p.Width = min(p.Width, max(scr.Width, MinWidth))
	p.Height = min(p.Height, max(scr.Height, MinHeight))
	if st.Width <= 0 || st.Height <= 0 {
		return p // nothing remembered: centred
	}
	p.Position = true
	p.X, p.Y = st.X, st.Y
	if !sameScreens(st.Screens, screens) {
		// The screens changed: keep the position only if it is on this one.
		p.X = clamp(p.X, 0, scr.Width-p.Width)
		p.Y = clamp(p.Y, 0, scr.Height-p.Height)
		return p
	}
	// The same screens: the position may be on another monitor, but never
	// so far up or left that the title bar is out of reach.
	p.X, p.Y = max(p.X, -p.Width+minVisible), max(p.Y, 0)
	return p
}

// minVisible is how much of the window must stay on screen horizontally.
const minVisible = 120

func clamp(v, lo, hi int) int {
	if hi < lo {
		hi = lo
	}
	return min(max(v, lo), hi)
}

// currentScreen: the one the window is on, else the primary, else the first.
func currentScreen(screens []ScreenSize) (ScreenSize, bool) {
	for _, want := range []func(ScreenSize) bool{
		func(s ScreenSize) bool { return s.Current },
		func(s ScreenSize) bool { return s.Primary },
		func(s ScreenSize) bool { return true },
	} {
		for _, s := range screens {
			if s.Width > 0 && s.Height > 0 && want(s) {
				return s, true
			}
		}
	}
	return ScreenSize{}, false
}

func sameScreens(saved, now []ScreenSize) bool {
	if len(saved) == 0 || len(saved) != len(now) {
		return false
	}
	key := func(list []ScreenSize) [][2]int {
		out := make([][2]int, len(list))
		for i, s := range list {
			out[i] = [2]int{s.Width, s.Height}
		}
		slices.SortFunc(out, func(a, b [2]int) int {
			if a[0] != b[0] {
				return a[0] - b[0]
			}
			return a[1] - b[1]
		})
		return out
	}
	return slices.Equal(key(saved), key(now))
}

// Observe records a look at the window: the normal geometry is kept only
// while it is not maximised (a maximised window's size is the screen's).
func (st *WindowState) Observe(width, height, x, y int, maximised bool, screens []ScreenSize) {
	st.Maximised = maximised
	if !maximised && width > 0 && height > 0 {
		st.Width, st.Height, st.X, st.Y = width, height, x, y
	}
	if len(screens) > 0 {
		st.Screens = slices.Clone(screens)
	}
}
