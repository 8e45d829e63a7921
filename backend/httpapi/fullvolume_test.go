//go:build linux

package httpapi_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"castdesk/backend/httpapi"
	"castdesk/backend/mailer"
	"castdesk/backend/panel"
	"castdesk/backend/secrets"
	"castdesk/backend/testkit"
)

// mountSmallVolume mounts a 24 MiB tmpfs on a temp dir, or skips the test
// where mounting is impossible (not root, no CAP_SYS_ADMIN, no tmpfs).
func mountSmallVolume(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a 24 MiB tmpfs (%v: %s): the full-volume case needs root or CAP_SYS_ADMIN", err, bytes.TrimSpace(out))
	}
	// Registered after TempDir's removal, so it runs before it; the store
	// and the watcher, registered later still, stop before it.
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
			exec.Command("umount", "-l", dir).Run()
		}
	})
	return dir
}

func freeBytes(t *testing.T, dir string) int64 {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	return int64(st.Bavail) * int64(st.Bsize)
}

// fillFrom writes into path until the volume is full (ENOSPC), as a program
// other than Castdesk would, and answers how much it wrote.
func fillFrom(t *testing.T, path string, leave int64) int64 {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 64<<10)
	var n int64
	for {
		free := freeBytes(t, filepath.Dir(path))
		if free <= leave {
			return n
		}
		c := chunk
		if free-leave < int64(len(c)) {
			c = c[:free-leave]
		}
		w, err := f.Write(c)
		n += int64(w)
		if errors.Is(err, syscall.ENOSPC) {
			return n
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// The case of the review: on a 24 MiB volume holding the data dir and the
// content root, a customer filled the disk through uploads (23 × 201, then
// 500) and from then on every login answered 500. Now the uploads stop at
// the free-space reserve with 503 disk_full, logins, reads and small writes
// keep working; when the disk is filled to the last byte from outside,
// uploads and writes answer 503 disk_full, reads and existing sessions keep
// answering, and no request answers 500.
func TestFullVolume(t *testing.T) {
	dir := mountSmallVolume(t)
	kit := &testkit.Env{Dir: dir, DBPath: filepath.Join(dir, "castdesk.db"), Clock: testkit.NewClock(),
		Mailer: &mailer.Mailer{}, Secrets: secrets.NewMemory()}
	kit.Reopen(t)
	p, _ := kit.StartMedia(t)
	srv := httptest.NewServer(httpapi.New(p, fstest.MapFS{}, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	e := &env{Env: kit, srv: srv}

	statuses := map[int]int{}
	seen := func(r response) response {
		statuses[r.status]++
		if r.status >= 500 && r.status != 503 {
			t.Errorf("a %d: %s", r.status, r.raw)
		}
		return r
	}
	admin := e.client(t)
	seen(admin.do("POST", "/api/v1/setup", setupBody)).expect(t, 201, "")
	id := accountID(seen(admin.do("POST", "/api/v1/customers", newCustomer("filler"))).expect(t, 201, ""))
	cust := e.client(t)
	login := map[string]any{"username": "filler", "password": "Another-Str0ng-Pass"}
	seen(cust.do("POST", "/api/v1/auth/login", login)).expect(t, 200, "")
	lib := fmt.Sprintf("/api/v1/customers/%d/media", id)
	one := strings.Repeat("m", 1<<20)

	// 1. Fill through uploads, 1 MiB each, until refused.
	uploaded := 0
	var refused response
	for i := 0; i < 40; i++ {
		r := seen(cust.upload(lib, "", map[string]string{fmt.Sprintf("f%02d.mp3", i): one}))
		if r.status != 201 {
			refused = r
			break
		}
		uploaded++
	}
	reserve := panel.DefaultReserve(24 << 20)
	free := freeBytes(t, dir)
	t.Logf("uploads: %d × 201, then %d %s; %d bytes free (reserve %d)", uploaded, refused.status, refused.raw, free, reserve)
	if refused.status != 503 || refused.body["code"] != "unavailable" || refused.field("disk") != "disk_full" {
		t.Fatalf("the upload past the reserve: %d %s", refused.status, refused.raw)
	}
	if uploaded < 10 || free < reserve/2 {
		t.Fatalf("%d uploads, %d bytes left: the reserve did not hold", uploaded, free)
	}

	// 2. Logins, reads and small writes keep working; the admin sees it.
	again := e.client(t)
	seen(again.do("POST", "/api/v1/auth/login", login)).expect(t, 200, "")
	seen(again.do("GET", lib, nil)).expect(t, 200, "")
	seen(admin.do("GET", fmt.Sprintf("/api/v1/customers/%d", id), nil)).expect(t, 200, "")
	seen(admin.do("POST", "/api/v1/customers", newCustomer("later"))).expect(t, 201, "")
	st := seen(admin.do("GET", "/api/v1/storage", nil)).expect(t, 200, "")
	if vols, _ := st.body["volumes"].([]any); len(vols) != 1 {
		t.Fatalf("storage status (the data dir and the content root on one volume): %s", st.raw)
	}

	// 3. Another program fills the volume to the last byte.
	outside := filepath.Join(dir, "outside.bin")
	wrote := fillFrom(t, outside, 0)
	t.Logf("filled from outside: %d bytes; %d free", wrote, freeBytes(t, dir))

	// Media temp files: the folder writer meets ENOSPC and says so.
	_, err := kit.Folders.(panel.MediaStorage).Save(e.ContentRoot(), id, "direct.mp3", bytes.NewReader([]byte(one)), 2<<20, false)
	if !panel.IsNoSpace(err) {
		t.Fatalf("Save on a full disk: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Join(e.ContentRoot(), fmt.Sprintf("user_%d", id))); len(entries) != uploaded {
		t.Fatalf("a temp file was left: %d entries for %d uploads", len(entries), uploaded)
	}
	// Uploads: 503 disk_full, declared or not.
	r := seen(cust.upload(lib, "", map[string]string{"late.mp3": "tiny"}))
	if r.status != 503 || r.field("disk") != "disk_full" {
		t.Fatalf("upload on a full disk: %d %s", r.status, r.raw)
	}
	// Reads with an existing session, also once the session is due for its
	// renewal (a write, best effort).
	kit.Clock.Advance(2 * time.Hour)
	for _, path := range []string{lib, fmt.Sprintf("/api/v1/customers/%d", id), "/api/v1/auth/me"} {
		seen(cust.do("GET", path, nil)).expect(t, 200, "")
	}
	seen(admin.do("GET", "/api/v1/customers?limit=5", nil)).expect(t, 200, "")
	seen(admin.do("GET", "/api/v1/audit?limit=5", nil)).expect(t, 200, "")
	if st := seen(admin.do("GET", "/api/v1/storage", nil)).expect(t, 200, ""); st.body["disk_low"] != true {
		t.Fatalf("storage status of a full disk: %s", st.raw)
	}
	// A login writes a session: 200 while SQLite still finds room in its
	// files, else 503 disk_full. Never 500.
	l := seen(e.client(t).do("POST", "/api/v1/auth/login", login))
	if l.status != 200 && !(l.status == 503 && l.field("disk") == "disk_full") {
		t.Fatalf("login on a full disk: %d %s", l.status, l.raw)
	}
	// Writes go on until SQLite finds no room (SQLITE_FULL): that one is
	// 503 disk_full, and so is every write after it.
	var full response
	for i := 0; i < 300; i++ {
		r := seen(admin.do("POST", "/api/v1/customers", newCustomer(fmt.Sprintf("w%03d", i))))
		if r.status != 201 {
			full = r
			break
		}
	}
	if full.status != 503 || full.body["code"] != "unavailable" || full.field("disk") != "disk_full" {
		t.Fatalf("a write on a full disk: %d %s", full.status, full.raw)
	}
	l = seen(e.client(t).do("POST", "/api/v1/auth/login", login))
	if l.status != 200 && !(l.status == 503 && l.field("disk") == "disk_full") {
		t.Fatalf("login once SQLite is full: %d %s", l.status, l.raw)
	}
	t.Logf("login once SQLite is full: %d", l.status)
	seen(admin.do("GET", "/api/v1/customers?limit=5", nil)).expect(t, 200, "")
	seen(cust.do("GET", lib, nil)).expect(t, 200, "")

	// 4. Space freed: everything works again.
	if err := os.Remove(outside); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		seen(cust.do("DELETE", lib+fmt.Sprintf("?path=f%02d.mp3", i), nil)).expect(t, 200, "")
	}
	seen(e.client(t).do("POST", "/api/v1/auth/login", login)).expect(t, 200, "")
	seen(cust.upload(lib, "", map[string]string{"back.mp3": one})).expect(t, 201, "")
	seen(admin.do("POST", "/api/v1/customers", newCustomer("after"))).expect(t, 201, "")
	t.Logf("statuses seen: %v", statuses)
}
