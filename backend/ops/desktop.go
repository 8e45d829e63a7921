package ops

import (
	"runtime"
	"strings"

	"castdesk/backend/notices"
	"castdesk/backend/panel"
)

// BuildInfo is what the binary knows about itself (main sets it from the
// -ldflags of the build).
type BuildInfo struct {
	Version string
	Commit  string
	// Date is the build's date: the commit's time, so rebuilds are identical.
	Date string
	// LicenseText is Castdesk's own LICENSE.
	LicenseText string
}

// Build is set by main before a door starts.
var Build = BuildInfo{Version: "dev"}

// About answers Help → About Castdesk.
type About struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	BuildDate string `json:"build_date"`
	GoVersion string `json:"go_version"`
	// License is the SPDX name of Castdesk's licence.
	License string `json:"license"`
}

// Licenses is Castdesk's licence and the third-party notices.
type Licenses struct {
	License        string `json:"license"`
	LicenseText    string `json:"license_text"`
	ThirdParty     string `json:"third_party"`
	ThirdPartyPath string `json:"third_party_path"`
}

// WindowLanguage is the interface language the page shows.
type WindowLanguage struct {
	Language string `json:"language"`
}

// WindowTasks lists, in the interface language, what the page is doing
// that quitting would interrupt ("Uploading song.mp3 to radio1"); empty
// when nothing is.
type WindowTasks struct {
	Tasks []string `json:"tasks"`
}

// WindowInfo is what the window tells about where it keeps its data.
type WindowInfo struct {
	DataDir string `json:"data_dir"`
}

// Opened says a folder was handed to the file manager.
type Opened struct {
	Opened bool   `json:"opened"`
	Path   string `json:"path"`
}

// Desktop is what the window door adds for the desktop conventions: the
// menu's language, the tasks a quit would interrupt, the data directory and
// the file manager. The HTTP door has none of it: a browser never gets a
// local path to open.
type Desktop interface {
	SetLanguage(lang string)
	SetTasks(tasks []string)
	DataDir() string
	OpenFolder(path string) error
}

func desktopDoor(e Env) (Desktop, error) {
	d, ok := e.Door.(Desktop)
	if !ok || d.DataDir() == "" {
		return nil, panel.Unavailable("Only the desktop window can do this.", nil)
	}
	return d, nil
}

// ThirdPartyNoticesPath is where the notices live in the source tree (and
// where packages take them from).
const ThirdPartyNoticesPath = "backend/notices/THIRD_PARTY_NOTICES.txt"

var desktopOps = []*Op{
	declare(Op{Name: "about", Method: "GET", Path: "/about", Tag: "System", Access: Public,
		Summary:     "Version, commit, build date and licence of this Castdesk",
		Description: "build_date is the time of the commit built (builds are reproducible); commit is empty for a build outside git."},
		func(e Env, _ NoInput) (About, error) {
			return About{Version: Build.Version, Commit: Build.Commit, BuildDate: Build.Date,
				GoVersion: runtime.Version(), License: "MIT"}, nil
		}),

	declare(Op{Name: "licenses", Method: "GET", Path: "/licenses", Tag: "System", Access: Public,
		Summary: "Castdesk's licence and the notices of the third-party software it contains",
		Description: "third_party is the text of THIRD_PARTY_NOTICES.txt: every Go module compiled in, every npm package " +
			"in the interface bundle, and the data and artwork shipped, each with its licence (`castdesk --licenses` prints the same)."},
		func(e Env, _ NoInput) (Licenses, error) {
			return Licenses{License: "MIT", LicenseText: strings.TrimSpace(Build.LicenseText) + "\n",
				ThirdParty: notices.Text, ThirdPartyPath: ThirdPartyNoticesPath}, nil
		}),

	declare(Op{Name: "windowSetLanguage", Doors: WindowOnly, Access: Public,
		Summary: "Tell the window the interface language: its menu and dialogs follow"},
		func(e Env, in WindowLanguage) (Updated, error) {
			d, err := desktopDoor(e)
			if err != nil {
				return Updated{}, err
			}
			if !validLanguage(in.Language) {
				return Updated{}, panel.InvalidField("language", panel.ReasonInvalid)
			}
			d.SetLanguage(in.Language)
			return Updated{true}, nil
		}),

	declare(Op{Name: "windowSetTasks", Doors: WindowOnly, Access: Public,
		Summary: "Tell the window what quitting would interrupt (it asks before quitting while the list is not empty)"},
		func(e Env, in WindowTasks) (Updated, error) {
			d, err := desktopDoor(e)
			if err != nil {
				return Updated{}, err
			}
			d.SetTasks(in.Tasks)
			return Updated{true}, nil
		}),

	declare(Op{Name: "windowInfo", Doors: WindowOnly, Access: Public,
		Summary: "The window's data directory (for Help → About)"},
		func(e Env, _ NoInput) (WindowInfo, error) {
			d, err := desktopDoor(e)
			if err != nil {
				return WindowInfo{}, err
			}
			return WindowInfo{DataDir: d.DataDir()}, nil
		}),

	declare(Op{Name: "windowOpenDataFolder", Doors: WindowOnly, Access: Public,
		Summary: "Show the data directory in the file manager"},
		func(e Env, _ NoInput) (Opened, error) {
			d, err := desktopDoor(e)
			if err != nil {
				return Opened{}, err
			}
			return openFolder(d, d.DataDir())
		}),

	declare(Op{Name: "mediaShowFolder", Doors: WindowOnly, Access: AnyAccount,
		Summary: "Show account {id}'s media folder in the file manager",
		Description: "Authorized as mediaList: the caller must be allowed to see the account's library " +
			"(others answer not_found); the folder is the one the library lists."},
		func(e Env, in ByID) (Opened, error) {
			d, err := desktopDoor(e)
			if err != nil {
				return Opened{}, err
			}
			lib, err := e.Panel.Media.List(e.Ctx, in.ID, panel.MediaListInput{Limit: 1})
			if err != nil {
				return Opened{}, err
			}
			return openFolder(d, lib.Path)
		}),
}

func openFolder(d Desktop, path string) (Opened, error) {
	if err := d.OpenFolder(path); err != nil {
		return Opened{}, panel.Unavailable("The folder could not be opened in the file manager: "+err.Error(), err)
	}
	return Opened{Opened: true, Path: path}, nil
}

func validLanguage(lang string) bool {
	for _, l := range []string{"en", "es"} {
		if lang == l {
			return true
		}
	}
	return false
}
