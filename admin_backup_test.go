package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"castdesk/backend/datalock"
)

// castdesk admin backup --out, then admin restore into a fresh dir and over
// a desk (with --force), and the refusals: a damaged archive, a data dir in
// use, a desk without --force.
func TestAdminBackupAndRestore(t *testing.T) {
	t.Setenv("CASTDESK_KEYRING_SERVICE", "castdesk-test-"+t.Name())
	dir := filepath.Join(t.TempDir(), "data")
	code, _, errOut := runCLI(t, "Corr3ct-Horse-Battery\n", "admin", "create", "--data", dir, "--username", "root.admin",
		"--name", "Root", "--email", "root@example.org", "--password-stdin")
	if code != 0 {
		t.Fatalf("create: %d %s", code, errOut)
	}
	archive := filepath.Join(t.TempDir(), "desk.zip")
	code, out, errOut := runCLI(t, "", "admin", "backup", "--data", dir, "--out", archive)
	if code != 0 || !strings.Contains(out, "Backup written: "+archive) || !strings.Contains(out, "SMTP password is not in it") {
		t.Fatalf("backup: %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "Backing up 100%") {
		t.Errorf("no progress shown: %q", errOut)
	}
	if code, _, errOut := runCLI(t, "", "admin", "backup", "--data", dir, "--out", archive); code == 0 || !strings.Contains(errOut, "exists already") {
		t.Errorf("a backup over an existing file: %d %s", code, errOut)
	}

	fresh := filepath.Join(t.TempDir(), "fresh")
	code, out, errOut = runCLI(t, "", "admin", "restore", archive, "--data", fresh)
	if code != 0 || !strings.Contains(out, "1 accounts") || !strings.Contains(out, "enter it again under Settings → Email") {
		t.Fatalf("restore: %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "Checking 100%") || !strings.Contains(errOut, "Restoring 100%") {
		t.Errorf("no progress shown: %q", errOut)
	}

	// Refusals, each leaving things as they were.
	if code, _, errOut := runCLI(t, "", "admin", "restore", archive, "--data", fresh); code == 0 || !strings.Contains(errOut, "--force") {
		t.Errorf("over a desk without --force: %d %s", code, errOut)
	}
	body, _ := os.ReadFile(archive)
	body[len(body)/2] ^= 0xff
	damaged := filepath.Join(t.TempDir(), "damaged.zip")
	os.WriteFile(damaged, body, 0o600)
	if code, _, errOut := runCLI(t, "", "admin", "restore", damaged, "--data", fresh, "--force"); code == 0 || !strings.Contains(errOut, "Nothing was changed") {
		t.Errorf("a damaged archive: %d %s", code, errOut)
	}
	held, err := datalock.TryShared(filepath.Join(fresh, datalock.DataDirFile))
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI(t, "", "admin", "restore", archive, "--data", fresh, "--force"); code == 0 || !strings.Contains(errOut, "Castdesk is running on") {
		t.Errorf("a data dir in use: %d %s", code, errOut)
	}
	held.Close()
	code, out, errOut = runCLI(t, "", "admin", "restore", archive, "--data", fresh, "--force")
	if code != 0 || !strings.Contains(out, "previous data directory is kept at") {
		t.Fatalf("restore --force: %d\n%s\n%s", code, out, errOut)
	}
	// The restored desk opens: the admin commands work on it.
	if code, _, errOut := runCLI(t, "Another-Passw0rd-9\n", "admin", "reset-password", "root.admin", "--data", fresh, "--password-stdin"); code != 0 {
		t.Errorf("reset-password on the restored desk: %d %s", code, errOut)
	}
}
