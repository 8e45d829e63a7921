package main

import (
	_ "embed"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"castdesk/backend/notices"
	"castdesk/backend/ops"
)

// licenseText is Castdesk's own licence (MIT), shown in Help → About and
// printed by --licenses.
//
//go:embed LICENSE
var licenseText string

// setBuildInfo hands what the build stamped into the binary to the
// operations (Help → About on both doors).
func setBuildInfo() {
	ops.Build = ops.BuildInfo{Version: version, Commit: commit, Date: buildDate, LicenseText: licenseText}
}

// printLicenses is `castdesk --licenses`: Castdesk's licence, then the
// third-party notices (backend/notices/THIRD_PARTY_NOTICES.txt). It needs no
// display and opens no data directory.
func printLicenses(w io.Writer) {
	fmt.Fprintf(w, "%s — licensed under the MIT licence:\n\n%s\n%s\n\n", versionLine(), strings.TrimSpace(licenseText), strings.Repeat("=", 78))
	io.WriteString(w, notices.Text)
}

// resolveDataDir is the absolute data directory a command will use (openApp
// resolves it the same way).
func resolveDataDir(dir string) (string, error) {
	if dir == "" {
		var err error
		if dir, err = defaultDataDir(); err != nil {
			return "", err
		}
	}
	return filepath.Abs(dir)
}
