package desktop

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

var (
	laptop  = ScreenSize{Width: 1366, Height: 768, Current: true, Primary: true}
	monitor = ScreenSize{Width: 2560, Height: 1440}
	big     = ScreenSize{Width: 1920, Height: 1080, Current: true, Primary: true}
)

func TestPlace(t *testing.T) {
	for _, tc := range []struct {
		name    string
		st      WindowState
		screens []ScreenSize
		want    Placement
	}{
		{"nothing remembered: defaults, centred", WindowState{}, []ScreenSize{big},
			Placement{Width: DefaultWidth, Height: DefaultHeight}},
		{"nothing remembered, small screen: the default shrinks to fit", WindowState{}, []ScreenSize{laptop},
			Placement{Width: DefaultWidth, Height: 768}},
		{"remembered on the same screen: as it was", WindowState{Width: 1000, Height: 700, X: 40, Y: 30, Screens: []ScreenSize{big}},
			[]ScreenSize{big}, Placement{Width: 1000, Height: 700, X: 40, Y: 30, Position: true}},
		{"maximised: remembered", WindowState{Width: 1000, Height: 700, X: 40, Y: 30, Maximised: true, Screens: []ScreenSize{big}},
			[]ScreenSize{big}, Placement{Width: 1000, Height: 700, X: 40, Y: 30, Position: true, Maximised: true}},
		{"on a second monitor that is still there: kept", WindowState{Width: 1200, Height: 800, X: 2200, Y: 100, Screens: []ScreenSize{big, monitor}},
			[]ScreenSize{monitor, big}, Placement{Width: 1200, Height: 800, X: 2200, Y: 100, Position: true}},
		{"on a second monitor that is gone: back on this screen", WindowState{Width: 1200, Height: 800, X: 2200, Y: 100, Screens: []ScreenSize{big, monitor}},
			[]ScreenSize{big}, Placement{Width: 1200, Height: 800, X: 1920 - 1200, Y: 100, Position: true}},
		{"bigger than the screen now: shrunk and on screen", WindowState{Width: 2400, Height: 1300, X: 50, Y: 50, Screens: []ScreenSize{monitor}},
			[]ScreenSize{laptop}, Placement{Width: 1366, Height: 768, X: 0, Y: 0, Position: true}},
		{"above and left of the screen: pulled in", WindowState{Width: 1000, Height: 700, X: -500, Y: -300, Screens: []ScreenSize{monitor}},
			[]ScreenSize{big}, Placement{Width: 1000, Height: 700, X: 0, Y: 0, Position: true}},
		{"same screens, title bar above the top: pulled down", WindowState{Width: 1000, Height: 700, X: 10, Y: -40, Screens: []ScreenSize{big}},
			[]ScreenSize{big}, Placement{Width: 1000, Height: 700, X: 10, Y: 0, Position: true}},
		{"same screens, almost all off to the left: a strip stays", WindowState{Width: 1000, Height: 700, X: -5000, Y: 10, Screens: []ScreenSize{big}},
			[]ScreenSize{big}, Placement{Width: 1000, Height: 700, X: -1000 + minVisible, Y: 10, Position: true}},
		{"below the minimum: raised to it", WindowState{Width: 300, Height: 200, X: 0, Y: 0, Screens: []ScreenSize{big}},
			[]ScreenSize{big}, Placement{Width: MinWidth, Height: MinHeight, Position: true}},
		{"a screen smaller than the minimum: the minimum, at the origin", WindowState{Width: 1000, Height: 700, X: 300, Y: 300},
			[]ScreenSize{{Width: 800, Height: 500, Current: true}}, Placement{Width: MinWidth, Height: MinHeight, Position: true}},
		{"saved before screens were recorded: clamped", WindowState{Width: 1000, Height: 700, X: 3000, Y: 2000},
			[]ScreenSize{big}, Placement{Width: 1000, Height: 700, X: 920, Y: 380, Position: true}},
		{"no screen information: size only, centred", WindowState{Width: 1000, Height: 700, X: 3000, Y: 2000},
			nil, Placement{Width: 1000, Height: 700}},
		{"the current screen wins over the primary", WindowState{Width: 1000, Height: 700, X: 2000, Y: 900},
			[]ScreenSize{{Width: 1920, Height: 1080, Primary: true}, {Width: 1280, Height: 1024, Current: true}},
			Placement{Width: 1000, Height: 700, X: 280, Y: 324, Position: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Place(tc.st, tc.screens); got != tc.want {
				t.Errorf("Place(%+v, %v)\n  = %+v\n want %+v", tc.st, tc.screens, got, tc.want)
			}
		})
	}
}

func TestObserveKeepsTheNormalGeometryWhileMaximised(t *testing.T) {
	var st WindowState
	st.Observe(1000, 700, 40, 30, false, []ScreenSize{big})
	st.Observe(1920, 1050, 0, 0, true, []ScreenSize{big})
	want := WindowState{Width: 1000, Height: 700, X: 40, Y: 30, Maximised: true, Screens: []ScreenSize{big}}
	if !reflect.DeepEqual(st, want) {
		t.Errorf("got %+v, want %+v", st, want)
	}
	// Unmaximised and moved: the new normal geometry.
	st.Observe(1100, 720, 60, 50, false, nil)
	if st.Width != 1100 || st.X != 60 || st.Maximised || len(st.Screens) != 1 {
		t.Errorf("after unmaximising: %+v", st)
	}
}

func TestStateFileRoundTrip(t *testing.T) {
	dir := t.TempDir()
	if got := LoadState(dir); !reflect.DeepEqual(got, WindowState{}) {
		t.Errorf("no file: %+v, want the zero state", got)
	}
	st := WindowState{Width: 1000, Height: 700, X: 40, Y: 30, Maximised: true, Language: "es",
		Screens: []ScreenSize{{Width: 1920, Height: 1080}}}
	if err := SaveState(dir, st); err != nil {
		t.Fatal(err)
	}
	if got := LoadState(dir); !reflect.DeepEqual(got, st) {
		t.Errorf("loaded %+v, want %+v", got, st)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != StateFile {
		t.Errorf("the data dir holds %v, want only %s (no temp files left)", entries, StateFile)
	}
	// A broken file is the zero state, not an error that keeps the window shut.
	os.WriteFile(filepath.Join(dir, StateFile), []byte("{not json"), 0o600)
	if got := LoadState(dir); !reflect.DeepEqual(got, WindowState{}) {
		t.Errorf("broken file: %+v, want the zero state", got)
	}
}

func TestLabelsAreCompleteInEveryLanguage(t *testing.T) {
	for _, lang := range Languages() {
		l := reflect.ValueOf(labels[lang])
		for i := 0; i < l.NumField(); i++ {
			if l.Field(i).String() == "" {
				t.Errorf("%s: label %s is empty", lang, l.Type().Field(i).Name)
			}
		}
	}
	if LabelsFor("es_ES.UTF-8").File != "Archivo" || LabelsFor("de").File != "File" {
		t.Error("LabelsFor does not find the base language or fall back to English")
	}
}

func TestSystemLanguage(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"LANG": "es_ES.UTF-8"}, "es"},
		{map[string]string{"LANGUAGE": "de:es", "LANG": "en_US.UTF-8"}, "es"},
		{map[string]string{"LANG": "C"}, "en"},
		{map[string]string{}, "en"},
	} {
		if got := SystemLanguage(env(tc.env)); got != tc.want {
			t.Errorf("SystemLanguage(%v) = %q, want %q", tc.env, got, tc.want)
		}
	}
}
