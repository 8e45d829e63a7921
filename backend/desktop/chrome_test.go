package desktop

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	goruntime "runtime"
	"slices"
	"strings"
	"testing"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// A session with the window's chrome but no window (no Wails context): the
// window-only operations run against it as the SPA calls them.
func windowAPI(t *testing.T, env *testkit.Env) (*API, *chrome, *[]string) {
	t.Helper()
	s := NewSession(env.Panel)
	s.chrome = newChrome(env.Dir, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var opened []string
	s.chrome.open = func(dir string) error {
		if _, err := os.Stat(dir); err != nil {
			return err
		}
		opened = append(opened, dir)
		return nil
	}
	return &API{s}, s.chrome, &opened
}

func TestWindowOnlyOperations(t *testing.T) {
	env := testkit.New(t)
	api, c, opened := windowAPI(t, env)
	none := map[string]any{}

	// Before any login: the language, the tasks, the data folder.
	if err := call(t, api, "windowSetLanguage", map[string]any{"language": "es"}, nil); err != nil {
		t.Fatal(err)
	}
	if st := LoadState(env.Dir); st.Language != "es" || c.lang != "es" {
		t.Errorf("after windowSetLanguage es: state %+v, chrome %q", st, c.lang)
	}
	if err := call(t, api, "windowSetLanguage", map[string]any{"language": "fr"}, nil); panel.AsError(err).Fields["language"] != panel.ReasonInvalid {
		t.Errorf("an unknown language: %v", err)
	}
	if err := call(t, api, "windowSetTasks", map[string]any{"tasks": []string{"Subiendo 100%.mp3 a radio1", "  ", strings.Repeat("x", 500)}}, nil); err != nil {
		t.Fatal(err)
	}
	if len(c.tasks) != 2 || len([]rune(c.tasks[1])) != maxTaskChars+1 {
		t.Errorf("tasks kept: %q", c.tasks)
	}
	msg := QuitMessage(LabelsFor(c.lang), c.tasks)
	if !strings.Contains(msg, "Salir ahora interrumpiría:") || !strings.Contains(msg, "Subiendo 100") {
		t.Errorf("quit question: %q", msg)
	}
	var info struct {
		DataDir string `json:"data_dir"`
	}
	if err := call(t, api, "windowInfo", none, &info); err != nil || info.DataDir != env.Dir {
		t.Errorf("windowInfo: %+v %v", info, err)
	}
	if err := call(t, api, "windowOpenDataFolder", none, nil); err != nil || !slices.Equal(*opened, []string{env.Dir}) {
		t.Errorf("windowOpenDataFolder: %v, opened %v", err, *opened)
	}

	// mediaShowFolder is authorized as mediaList.
	if err := call(t, api, "mediaShowFolder", map[string]any{"id": 1}, nil); code(err) != panel.CodeUnauthorized {
		t.Errorf("mediaShowFolder before login: %v", err)
	}
	pw := testkit.StrongPassword
	if err := call(t, api, "setup", map[string]any{"username": "owner", "name": "Owner", "email": "owner@example.org",
		"password": pw, "password_confirm": pw}, nil); err != nil {
		t.Fatal(err)
	}
	var created accountBody
	if err := call(t, api, "customersCreate", map[string]any{"username": "dora", "name": "Dora", "email": "dora@example.org",
		"password": pw, "password_confirm": pw}, &created); err != nil {
		t.Fatal(err)
	}
	var shown struct {
		Opened bool   `json:"opened"`
		Path   string `json:"path"`
	}
	if err := call(t, api, "mediaShowFolder", map[string]any{"id": created.Account.ID}, &shown); err != nil || !shown.Opened {
		t.Fatalf("mediaShowFolder as the admin: %+v %v", shown, err)
	}
	if want := filepath.Join(env.Dir, "content", "user_2"); shown.Path != want || (*opened)[1] != want {
		t.Errorf("opened %q (%v), want %q", shown.Path, *opened, want)
	}
	// Dora may open her own folder, not the owner's.
	if err := call(t, api, "logout", none, nil); err != nil {
		t.Fatal(err)
	}
	if err := call(t, api, "login", map[string]any{"username": "dora", "password": pw}, nil); err != nil {
		t.Fatal(err)
	}
	if err := call(t, api, "mediaShowFolder", map[string]any{"id": 1}, nil); code(err) != panel.CodeNotFound {
		t.Errorf("another account's folder: %v, want not_found", err)
	}
	if err := call(t, api, "mediaShowFolder", map[string]any{"id": created.Account.ID}, nil); err != nil {
		t.Errorf("her own folder: %v", err)
	}
	if len(*opened) != 3 {
		t.Errorf("opened %v", *opened)
	}
}

// Without a window (the API driven directly) the window-only operations
// answer unavailable instead of acting on nothing.
func TestWindowOnlyOperationsNeedAWindow(t *testing.T) {
	env := testkit.New(t)
	api := &API{NewSession(env.Panel)}
	for _, name := range []string{"windowSetLanguage", "windowSetTasks", "windowInfo", "windowOpenDataFolder", "mediaShowFolder"} {
		if _, err := api.Call(name, []byte(`{"language":"en","id":1}`)); code(err) != panel.CodeUnavailable {
			t.Errorf("%s without a window: %v, want unavailable", name, err)
		}
	}
}

func TestInstanceIDPerDataDirectory(t *testing.T) {
	a, b := InstanceID("/home/ana/.config/castdesk"), InstanceID("/srv/castdesk")
	if a == b || a != InstanceID("/home/ana/.config/castdesk/") {
		t.Errorf("InstanceID: %q %q", a, b)
	}
	// Wails turns it into a D-Bus name element: letters, digits, underscores.
	for _, r := range a {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			t.Fatalf("InstanceID %q has %q", a, r)
		}
	}
}

func TestQuitMessageEscapesPercentForGTK(t *testing.T) {
	msg := QuitMessage(LabelsFor("en"), []string{"Uploading 100%.mp3"})
	if !strings.Contains(msg, "Quitting now would interrupt:") || !strings.Contains(msg, "Quit anyway?") {
		t.Errorf("%q", msg)
	}
	if goruntime.GOOS == "linux" && strings.Contains(strings.ReplaceAll(msg, "%%", ""), "%") {
		t.Errorf("a lone %% reaches GTK's format string: %q", msg)
	}
}
