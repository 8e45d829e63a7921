package notices

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// Target is one release build.
type Target struct {
	GOOS string
	Tags string
}

// Targets are the release builds (Makefile GO_TAGS; the Windows build has no
// WebKitGTK).
var Targets = []Target{
	{"linux", "desktop,production,webkit2_41,sqlite_fts5"},
	{"windows", "desktop,production,sqlite_fts5"},
}

// Inputs are the files whose change means the notices must be regenerated.
var Inputs = []string{"go.mod", "go.sum", "frontend/package-lock.json"}

// FileSHA256 is the hex SHA-256 of a file.
func FileSHA256(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:]), nil
}

// Package is one compiled package of `go list -deps`.
type Package struct {
	ImportPath, Dir                  string
	Module, ModuleVersion, ModuleDir string
}

// ListDeps runs `go list -deps` of the main package for a target and returns
// its non-standard packages outside the main module.
func ListDeps(t Target) ([]Package, error) {
	cmd := exec.Command("go", "list", "-deps", "-tags", t.Tags, "-f",
		`{{if not .Standard}}{{with .Module}}{{if not .Main}}{{$.ImportPath}}	{{$.Dir}}	{{.Path}}	{{.Version}}	{{.Dir}}{{end}}{{end}}{{end}}`, ".")
	cmd.Env = append(os.Environ(), "GOOS="+t.GOOS, "CGO_ENABLED=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list for %s: %v\n%s", t.GOOS, err, stderr.String())
	}
	var pkgs []Package
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			continue
		}
		pkgs = append(pkgs, Package{f[0], f[1], f[2], f[3], f[4]})
	}
	return pkgs, nil
}

// LockVersions reads frontend/package-lock.json: package name -> version of
// its top-level node_modules entry.
func LockVersions(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var lock struct {
		Packages map[string]struct {
			Version string `json:"version"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(b, &lock); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k, v := range lock.Packages {
		if name, ok := strings.CutPrefix(k, "node_modules/"); ok && !strings.Contains(name, "/node_modules/") {
			out[name] = v.Version
		}
	}
	return out, nil
}
