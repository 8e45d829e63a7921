package notices

import (
	_ "embed"
	"encoding/json"
	"strings"
)

// Text is THIRD_PARTY_NOTICES.txt: what `castdesk --licenses` prints and
// Help → Third-party licences shows. Packages install it beside the binary.
//
//go:embed THIRD_PARTY_NOTICES.txt
var Text string

//go:embed notices.json
var indexJSON []byte

// Index is notices.json: the list behind THIRD_PARTY_NOTICES.txt, for tests
// and tools.
type Index struct {
	// Inputs are the files the list was generated from, with their SHA-256:
	// a test fails when one changed without `make notices`.
	Inputs     []Input     `json:"inputs"`
	Components []Component `json:"components"`
}

// Input is one file the notices depend on.
type Input struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// Component is one third-party part of Castdesk.
type Component struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	// Kind: "go" (a Go module), "go-std" (the Go standard library and
	// runtime), "c" (C code compiled in through cgo), "npm" (a package with
	// code in the SPA bundle), "data", "artwork" or "font".
	Kind string `json:"kind"`
	// License is the SPDX expression shipped under ("MIT", "MIT AND
	// Apache-2.0" when parts differ).
	License string `json:"license"`
	// Licenses are the licences of the reproduced files, one per file in
	// Files (notice and patents files included).
	Licenses []string `json:"licenses"`
	// Files are the reproduced licence files, relative to the component.
	Files []string `json:"files"`
	// Targets are the builds containing it ("linux", "windows"; "all").
	Targets []string `json:"targets"`
	Source  string   `json:"source,omitempty"`
	Note    string   `json:"note,omitempty"`
}

// Load parses the embedded index.
func Load() (Index, error) {
	var ix Index
	err := json.Unmarshal(indexJSON, &ix)
	return ix, err
}

// Summary is the header and list of THIRD_PARTY_NOTICES.txt, without the
// licence texts.
func Summary() string {
	if i := strings.Index(Text, "\n"+strings.Repeat("=", 78)+"\n"); i >= 0 {
		return Text[:i+1]
	}
	return Text
}
