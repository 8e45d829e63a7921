// Command gen writes backend/notices/THIRD_PARTY_NOTICES.txt and
// notices.json from what is really compiled into Castdesk (`make notices`,
// run from the repository root after `npm run build`):
//
//   - Go: `go list -deps` of the main package with the release build tags,
//     for each release target (linux, windows). Every module that provides
//     a compiled package is listed, with the licence files found in the
//     compiled packages' directories and their parents up to the module root
//     (so a vendored directory with its own licence inside a module is
//     found too, and one in a directory that is not compiled in is not).
//   - The Go standard library and runtime (GOROOT/LICENSE and PATENTS), and
//     SQLite, which mattn/go-sqlite3 compiles in from its amalgamation.
//   - JavaScript: the packages with code in the production bundle, as the
//     bundler reported them (frontend/bundled-packages.mjs writes
//     frontend/node_modules/.castdesk/bundled-packages.json during
//     `npm run build`), each checked against frontend/package-lock.json.
//   - Data and artwork listed below (extras), with their licence texts in
//     backend/notices/texts/.
//
// It refuses to write anything when a licence is unknown or not allowed by
// the policy in backend/notices/licenses.go.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"castdesk/backend/notices"
)

const (
	outText  = "backend/notices/THIRD_PARTY_NOTICES.txt"
	outIndex = "backend/notices/notices.json"
	manifest = "frontend/node_modules/.castdesk/bundled-packages.json"
	texts    = "backend/notices/texts"
)

type extra struct {
	notices.Component
	text string // file under texts/
}

// extras are the parts that are neither Go modules nor npm packages.
var extras = []extra{
	{notices.Component{Name: "zxcvbn password frequency list", Version: "-", Kind: "data",
		Source: "https://github.com/dropbox/zxcvbn",
		Note: "backend/panel/common_passwords.txt: the 10,000 most frequent passwords of zxcvbn's \"passwords\" " +
			"frequency list, lower-cased, refused as passwords. zxcvbn built that list from Mark Burnett's published " +
			"10-million-password corpus."}, "zxcvbn.LICENSE"},
	{notices.Component{Name: "Feather icons", Version: "-", Kind: "artwork",
		Source: "https://github.com/feathericons/feather",
		Note: "Several of the inline SVG icons in frontend/src/components/AppIcon.vue (log out, mail, send, user, " +
			"settings, edit, check, info and others) reproduce Feather's shapes."}, "feather-icons.LICENSE"},
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "notices:", err)
		os.Exit(1)
	}
}

func run() error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	if err := os.Chdir(root); err != nil {
		return err
	}
	var ix notices.Index
	for _, p := range notices.Inputs {
		sum, err := notices.FileSHA256(p)
		if err != nil {
			return err
		}
		ix.Inputs = append(ix.Inputs, notices.Input{Path: p, SHA256: sum})
	}
	bodies := map[string][]section{} // component key -> licence texts

	goComps, goBodies, err := goModules()
	if err != nil {
		return err
	}
	ix.Components = append(ix.Components, goComps...)
	maps(bodies, goBodies)

	std, stdBodies, err := goStd()
	if err != nil {
		return err
	}
	ix.Components = append(ix.Components, std)
	maps(bodies, stdBodies)

	if sq, sqBody, ok, err := sqlite(goComps); err != nil {
		return err
	} else if ok {
		ix.Components = append(ix.Components, sq)
		maps(bodies, sqBody)
	}

	npm, npmBodies, err := npmPackages()
	if err != nil {
		return err
	}
	ix.Components = append(ix.Components, npm...)
	maps(bodies, npmBodies)

	for _, x := range extras {
		b, err := os.ReadFile(filepath.Join(texts, x.text))
		if err != nil {
			return err
		}
		c := x.Component
		c.Targets = []string{"all"}
		c.Files = []string{x.text}
		c.Licenses = []string{notices.Choose(notices.Classify(string(b)), c.Kind)}
		c.License = c.Licenses[0]
		ix.Components = append(ix.Components, c)
		bodies[key(c)] = []section{{x.text, string(b)}}
	}

	var refused []string
	for _, c := range ix.Components {
		for i, id := range c.Licenses {
			if id == notices.NoticeFile || id == notices.PatentsFile {
				continue
			}
			if p := notices.Check(id, c.Kind); !p.Allowed {
				refused = append(refused, fmt.Sprintf("%s %s (%s): %s", c.Name, c.Version, c.Files[i], p.Why))
			}
		}
		if len(c.Files) == 0 {
			refused = append(refused, fmt.Sprintf("%s %s: no licence file found", c.Name, c.Version))
		}
	}
	if len(refused) > 0 {
		return errors.New("licences refused:\n  " + strings.Join(refused, "\n  "))
	}

	text := render(ix, bodies)
	js, err := json.MarshalIndent(ix, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(outText, []byte(text), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(outIndex, append(js, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Printf("notices: %d components (%d Go modules, %d npm packages) -> %s, %s\n",
		len(ix.Components), len(goComps), len(npm), outText, outIndex)
	return nil
}

type section struct{ file, text string }

func key(c notices.Component) string { return c.Kind + " " + c.Name }

func maps(dst, src map[string][]section) {
	for k, v := range src {
		dst[k] = v
	}
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && bytes.HasPrefix(b, []byte("module castdesk")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run inside the castdesk repository")
		}
		dir = parent
	}
}

// --- Go -----------------------------------------------------------------------

func goModules() ([]notices.Component, map[string][]section, error) {
	type mod struct {
		c     notices.Component
		dir   string
		files map[string]bool
	}
	mods := map[string]*mod{}
	for _, t := range notices.Targets {
		pkgs, err := notices.ListDeps(t)
		if err != nil {
			return nil, nil, err
		}
		for _, p := range pkgs {
			m := mods[p.Module]
			if m == nil {
				m = &mod{c: notices.Component{Name: p.Module, Version: p.ModuleVersion, Kind: "go",
					Source: "https://pkg.go.dev/" + p.Module + "@" + p.ModuleVersion}, dir: p.ModuleDir, files: map[string]bool{}}
				mods[p.Module] = m
			}
			if !slices.Contains(m.c.Targets, t.GOOS) {
				m.c.Targets = append(m.c.Targets, t.GOOS)
			}
			// Licence files from the package's directory up to the module root.
			for dir := p.Dir; ; dir = filepath.Dir(dir) {
				entries, _ := os.ReadDir(dir)
				for _, e := range entries {
					if !e.IsDir() && notices.IsLicenceFileName(e.Name()) {
						rel, _ := filepath.Rel(p.ModuleDir, filepath.Join(dir, e.Name()))
						m.files[filepath.ToSlash(rel)] = true
					}
				}
				if dir == p.ModuleDir || len(dir) <= len(p.ModuleDir) {
					break
				}
			}
		}
	}
	var comps []notices.Component
	bodies := map[string][]section{}
	for _, m := range mods {
		files := sortedFiles(m.files)
		var secs []section
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(m.dir, f))
			if err != nil {
				return nil, nil, err
			}
			m.c.Files = append(m.c.Files, f)
			m.c.Licenses = append(m.c.Licenses, classifyFile(f, string(b), m.c.Kind))
			secs = append(secs, section{f, string(b)})
		}
		m.c.License = expression(m.c.Licenses)
		comps = append(comps, m.c)
		bodies[key(m.c)] = secs
	}
	sort.Slice(comps, func(i, j int) bool { return comps[i].Name < comps[j].Name })
	return comps, bodies, nil
}

// sortedFiles: the root licence first, then the others by path.
func sortedFiles(set map[string]bool) []string {
	var files []string
	for f := range set {
		files = append(files, f)
	}
	sort.Slice(files, func(i, j int) bool {
		di, dj := strings.Count(files[i], "/"), strings.Count(files[j], "/")
		if di != dj {
			return di < dj
		}
		return files[i] < files[j]
	})
	return files
}

func classifyFile(name, text, kind string) string {
	base := strings.ToUpper(filepath.Base(name))
	switch {
	case strings.HasPrefix(base, "NOTICE"):
		return notices.NoticeFile
	case strings.HasPrefix(base, "PATENTS"):
		return notices.PatentsFile
	}
	return notices.Choose(notices.Classify(text), kind)
}

// expression joins the distinct licences of a component's files.
func expression(ids []string) string {
	var out []string
	for _, id := range ids {
		if id == notices.NoticeFile || id == notices.PatentsFile || slices.Contains(out, id) {
			continue
		}
		out = append(out, id)
	}
	return strings.Join(out, " AND ")
}

var goDirective = regexp.MustCompile(`(?m)^go (\S+)`)

func goStd() (notices.Component, map[string][]section, error) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return notices.Component{}, nil, fmt.Errorf("go env GOROOT: %w", err)
	}
	goroot := strings.TrimSpace(string(out))
	gomod, err := os.ReadFile("go.mod")
	if err != nil {
		return notices.Component{}, nil, err
	}
	version := "go"
	if m := goDirective.FindSubmatch(gomod); m != nil {
		version = "go" + string(m[1]) + " (go.mod minimum)"
	}
	c := notices.Component{Name: "Go standard library and runtime", Version: version, Kind: "go-std",
		Targets: []string{"all"}, Source: "https://go.dev/"}
	var secs []section
	for _, f := range []string{"LICENSE", "PATENTS"} {
		b, err := os.ReadFile(filepath.Join(goroot, f))
		if err != nil {
			return c, nil, err
		}
		c.Files = append(c.Files, f)
		c.Licenses = append(c.Licenses, classifyFile(f, string(b), c.Kind))
		secs = append(secs, section{f, string(b)})
	}
	c.License = expression(c.Licenses)
	return c, map[string][]section{key(c): secs}, nil
}

var sqliteVersion = regexp.MustCompile(`#define SQLITE_VERSION\s+"([^"]+)"`)

// sqlite: mattn/go-sqlite3 compiles the SQLite amalgamation in (unless built
// with libsqlite3, which we do not); SQLite is in the public domain.
func sqlite(goComps []notices.Component) (notices.Component, map[string][]section, bool, error) {
	i := slices.IndexFunc(goComps, func(c notices.Component) bool { return c.Name == "github.com/mattn/go-sqlite3" })
	if i < 0 {
		return notices.Component{}, nil, false, nil
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/mattn/go-sqlite3").Output()
	if err != nil {
		return notices.Component{}, nil, false, fmt.Errorf("go list -m go-sqlite3: %w", err)
	}
	dir := strings.TrimSpace(string(out))
	src, err := os.ReadFile(filepath.Join(dir, "sqlite3-binding.c"))
	if err != nil {
		return notices.Component{}, nil, false, err
	}
	hdr, err := os.ReadFile(filepath.Join(dir, "sqlite3-binding.h"))
	if err != nil {
		return notices.Component{}, nil, false, err
	}
	version := "?"
	if m := sqliteVersion.FindSubmatch(hdr); m != nil {
		version = string(m[1])
	}
	// The dedication as the source states it (the first header comment that
	// disclaims copyright).
	text := string(src)
	at := strings.Index(text, "The author disclaims copyright")
	if at < 0 {
		return notices.Component{}, nil, false, errors.New("sqlite3-binding.c: no public-domain dedication found")
	}
	start := strings.LastIndex(text[:at], "/*")
	end := strings.Index(text[at:], "*****")
	blessing := text[start : at+end]
	var lines []string
	for _, l := range strings.Split(blessing, "\n") {
		l = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(l), "/*"), "**")
		lines = append(lines, strings.TrimRight(strings.TrimPrefix(l, " "), " "))
	}
	body := strings.TrimSpace(strings.Join(lines, "\n")) + "\n"
	c := notices.Component{Name: "SQLite", Version: version, Kind: "c", Targets: goComps[i].Targets,
		Source: "https://sqlite.org/copyright.html",
		Note:   "compiled in from the amalgamation in github.com/mattn/go-sqlite3 " + goComps[i].Version + " (sqlite3-binding.c)",
		Files:  []string{"sqlite3-binding.c (header)"}, Licenses: []string{notices.Choose(notices.Classify(body), "c")}}
	c.License = c.Licenses[0]
	return c, map[string][]section{key(c): {{"sqlite3-binding.c (header)", body}}}, true, nil
}

// --- npm ----------------------------------------------------------------------

type bundled struct {
	Packages []struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		License string `json:"license"`
		Dir     string `json:"dir"`
		Modules int    `json:"modules"`
		Bytes   int    `json:"bytes"`
	} `json:"packages"`
}

// bundledDepsHeading starts the part of Vite's LICENSE.md about the
// dependencies bundled into Vite itself (its Node.js side), none of which is
// in our bundle.
const bundledDepsHeading = "# Licenses of bundled dependencies"

func npmPackages() ([]notices.Component, map[string][]section, error) {
	b, err := os.ReadFile(manifest)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: build the frontend first (make frontend; the Vite plugin in frontend/bundled-packages.mjs writes it)", err)
	}
	var m bundled
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, nil, err
	}
	lock, err := notices.LockVersions("frontend/package-lock.json")
	if err != nil {
		return nil, nil, err
	}
	var comps []notices.Component
	bodies := map[string][]section{}
	for _, p := range m.Packages {
		if lv := lock[p.Name]; lv != p.Version {
			return nil, nil, fmt.Errorf("%s: the bundle has %s, package-lock.json %q: rebuild the frontend (npm ci && npm run build)", p.Name, p.Version, lv)
		}
		c := notices.Component{Name: p.Name, Version: p.Version, Kind: "npm", Targets: []string{"all"},
			Source: "https://www.npmjs.com/package/" + p.Name + "/v/" + p.Version}
		entries, err := os.ReadDir(p.Dir)
		if err != nil {
			return nil, nil, err
		}
		var secs []section
		for _, e := range entries {
			if e.IsDir() || !notices.IsLicenceFileName(e.Name()) {
				continue
			}
			raw, err := os.ReadFile(filepath.Join(p.Dir, e.Name()))
			if err != nil {
				return nil, nil, err
			}
			text := string(raw)
			if i := strings.Index(text, bundledDepsHeading); i > 0 {
				text = strings.TrimSpace(text[:i]) + "\n\n(The rest of this file lists the licences of code bundled into " +
					p.Name + "'s own build tools; none of that code is in Castdesk's bundle.)\n"
			}
			c.Files = append(c.Files, e.Name())
			c.Licenses = append(c.Licenses, classifyFile(e.Name(), text, c.Kind))
			secs = append(secs, section{e.Name(), text})
		}
		if p.Name == "vite" || p.Name == "rolldown" || p.Name == "@vitejs/plugin-vue" {
			c.Note = "a build tool; only its small runtime helper is in the bundle"
		}
		c.License = expression(c.Licenses)
		if p.License != "" && c.License != "" && p.License != c.License {
			c.Note = strings.TrimPrefix(c.Note+"; package.json says "+p.License, "; ")
		}
		comps = append(comps, c)
		bodies[key(c)] = secs
	}
	return comps, bodies, nil
}

// --- output -------------------------------------------------------------------

func render(ix notices.Index, bodies map[string][]section) string {
	var w strings.Builder
	rule := strings.Repeat("=", 78)
	w.WriteString(`Castdesk third-party notices
============================

Castdesk is released under the MIT licence (LICENSE). The castdesk program
contains the third-party software, data and artwork listed below, each under
its own licence; their licence texts follow the list in full.

Generated by ` + "`make notices`" + ` (go run ./backend/notices/gen); do not edit by hand.
Inputs (a test fails when one changes and this file is not regenerated):
`)
	for _, in := range ix.Inputs {
		fmt.Fprintf(&w, "  %-28s sha256:%s\n", in.Path, in.SHA256)
	}
	w.WriteString(`
How the list is made:
  Go        go list -deps of the main package with the release build tags
            (linux: ` + notices.Targets[0].Tags + `;
            windows: ` + notices.Targets[1].Tags + `): every module providing a
            compiled package, with the licence files of the compiled packages'
            directories and their parents up to the module root.
  C         SQLite, compiled in from github.com/mattn/go-sqlite3.
  npm       the packages whose code the bundler (Vite/rolldown) kept in the
            production bundle of the interface, as it reports them.
  Other     the password list and icon shapes listed by hand in
            backend/notices/gen/main.go.
  Fonts     none are bundled: the interface uses the system's fonts.
Not part of the castdesk program: the system libraries the Linux build links
dynamically (GTK 3, WebKitGTK 4.1, GLib, libsoup and their dependencies, from
the distribution, not shipped with Castdesk) and, on Windows, the Microsoft
Edge WebView2 Runtime. The Windows installer carries Microsoft's WebView2
bootstrapper (MicrosoftEdgeWebview2Setup.exe, from the Wails module), which
installs that runtime when it is missing; both are Microsoft's, under
Microsoft's WebView2 distribution terms.

`)
	fmt.Fprintf(&w, "%-38s %-36s %-20s %s\n", "Component", "Version", "Licence", "Builds")
	fmt.Fprintf(&w, "%-38s %-36s %-20s %s\n", strings.Repeat("-", 38), strings.Repeat("-", 36), strings.Repeat("-", 20), "-------")
	for _, c := range ix.Components {
		fmt.Fprintf(&w, "%-38s %-36s %-20s %s\n", c.Name, c.Version, c.License, strings.Join(c.Targets, ", "))
	}
	for _, c := range ix.Components {
		w.WriteString("\n" + rule + "\n")
		fmt.Fprintf(&w, "%s %s\n", c.Name, c.Version)
		fmt.Fprintf(&w, "Licence: %s\n", c.License)
		if c.Source != "" {
			fmt.Fprintf(&w, "Source: %s\n", c.Source)
		}
		if c.Note != "" {
			fmt.Fprintf(&w, "Note: %s\n", c.Note)
		}
		for _, s := range bodies[key(c)] {
			fmt.Fprintf(&w, "\n--- %s\n\n", s.file)
			w.WriteString(strings.TrimRight(strings.ReplaceAll(s.text, "\r\n", "\n"), "\n \t") + "\n")
		}
	}
	return w.String()
}
