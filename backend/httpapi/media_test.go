package httpapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"castdesk/backend/httpapi"
	"castdesk/backend/testkit"
)

// newMediaServer is newServer with the live media index and its watcher.
func newMediaServer(t *testing.T) *env {
	t.Helper()
	kit := testkit.New(t)
	p, _ := kit.StartMedia(t)
	srv := httptest.NewServer(httpapi.New(p, fstest.MapFS{}, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	return &env{Env: kit, srv: srv}
}

func (c *client) upload(path string, dir string, files map[string]string) response {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if dir != "" {
		mw.WriteField("dir", dir)
	}
	for name, content := range files {
		fw, _ := mw.CreateFormFile("file", name)
		io.WriteString(fw, content)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := response{status: res.StatusCode, header: res.Header, raw: string(raw)}
	json.Unmarshal(raw, &out.body)
	return out
}

func paths(r response) []string {
	var out []string
	items, _ := r.body["items"].([]any)
	for _, it := range items {
		out = append(out, it.(map[string]any)["path"].(string))
	}
	return out
}

// eventually retries a GET until check passes or the deadline.
func eventually(t *testing.T, c *client, path string, check func(response) bool) response {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r := c.do("GET", path, nil)
		if r.status == 200 && check(r) {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s never matched: %s", path, r.raw)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestMediaLibraryRoutes(t *testing.T) {
	e := newMediaServer(t)
	admin := e.client(t)
	admin.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")
	alice := accountID(admin.do("POST", "/api/v1/customers", newCustomer("alice")).expect(t, 201, ""))
	bob := accountID(admin.do("POST", "/api/v1/customers", newCustomer("bob")).expect(t, 201, ""))
	folder := filepath.Join(e.ContentRoot(), fmt.Sprintf("user_%d", alice))
	lib := fmt.Sprintf("/api/v1/customers/%d/media", alice)

	// Files written into the folder from outside appear in the library.
	for i, name := range []string{"b.mp3", "a.flac", "sub/c.mp4", "sub/d.jpg", "list.m3u"} {
		p := filepath.Join(folder, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, make([]byte, 100*(i+1)), 0o644)
	}
	r := eventually(t, admin, lib, func(r response) bool { return r.body["total"] == float64(5) })
	if got := strings.Join(paths(r), ","); got != "a.flac,b.mp3,list.m3u,sub/c.mp4,sub/d.jpg" || r.body["files"] != float64(5) ||
		r.body["bytes"] != float64(1500) || r.body["path"] != folder || r.body["max_upload_bytes"] == nil {
		t.Fatalf("library: %s", r.raw)
	}
	// The overview reads the same index.
	ov := admin.do("GET", fmt.Sprintf("/api/v1/customers/%d", alice), nil).expect(t, 200, "")
	if m := ov.body["media"].(map[string]any); m["files"] != float64(5) || m["bytes"] != float64(1500) {
		t.Fatalf("overview media: %s", ov.raw)
	}

	// Sorts, search, kind and keyset pages.
	if got := strings.Join(paths(admin.do("GET", lib+"?sort=-size", nil).expect(t, 200, "")), ","); got != "list.m3u,sub/d.jpg,sub/c.mp4,a.flac,b.mp3" {
		t.Fatalf("sort -size: %s", got)
	}
	if r := admin.do("GET", lib+"?q=SUB/&kind=image", nil).expect(t, 200, ""); strings.Join(paths(r), ",") != "sub/d.jpg" || r.body["total"] != float64(1) {
		t.Fatalf("search: %s", r.raw)
	}
	for _, sort := range []string{"path", "-path", "size", "-size", "modified_at", "-modified_at", "kind", "-kind"} {
		var all []string
		cursor := ""
		for page := 0; ; page++ {
			r := admin.do("GET", lib+"?limit=2&sort="+sort+"&cursor="+url.QueryEscape(cursor), nil).expect(t, 200, "")
			all = append(all, paths(r)...)
			cursor, _ = r.body["next_cursor"].(string)
			if cursor == "" || page > 5 {
				break
			}
		}
		if len(all) != 5 {
			t.Fatalf("sort %s paged: %v", sort, all)
		}
	}
	admin.do("GET", lib+"?sort=secret", nil).expect(t, 400, "invalid")
	admin.do("GET", lib+"?kind=exe", nil).expect(t, 400, "invalid")
	admin.do("GET", lib+"?cursor=garbage", nil).expect(t, 400, "invalid")

	// Scope: a customer sees its own library only; anonymous nobody's.
	aliceC := e.client(t)
	aliceC.do("POST", "/api/v1/auth/login", map[string]any{"username": "alice", "password": "Another-Str0ng-Pass"}).expect(t, 200, "")
	aliceC.do("GET", lib, nil).expect(t, 200, "")
	aliceC.do("GET", fmt.Sprintf("/api/v1/customers/%d/media", bob), nil).expect(t, 404, "not_found")
	aliceC.do("GET", fmt.Sprintf("/api/v1/customers/%d/media/events", bob), nil).expect(t, 404, "not_found")
	aliceC.do("GET", "/api/v1/media/status", nil).expect(t, 403, "forbidden")
	e.client(t).do("GET", lib, nil).expect(t, 401, "unauthorized")
	st := admin.do("GET", "/api/v1/media/status", nil).expect(t, 200, "")
	if st.body["running"] != true || st.body["watches"].(float64) < 3 {
		t.Fatalf("status: %s", st.raw)
	}

	// Upload: streamed into the folder, listed at once.
	up := aliceC.upload(lib, "new/dir", map[string]string{"song.mp3": "0123456789"}).expect(t, 201, "")
	if got := strings.Join(paths(up), ","); got != "new/dir/song.mp3" {
		t.Fatalf("upload: %s", up.raw)
	}
	if b, err := os.ReadFile(filepath.Join(folder, "new", "dir", "song.mp3")); err != nil || string(b) != "0123456789" {
		t.Fatalf("uploaded file: %q %v", b, err)
	}
	if r := aliceC.do("GET", lib+"?q=song", nil).expect(t, 200, ""); r.body["total"] != float64(1) {
		t.Fatalf("after upload: %s", r.raw)
	}
	if r := aliceC.upload(lib, "new/dir", map[string]string{"song.mp3": "x"}).expect(t, 400, "invalid"); r.field("name") != "taken" {
		t.Fatalf("upload over an existing file: %s", r.raw)
	}
	aliceC.upload(lib+"?overwrite=true", "new/dir", map[string]string{"song.mp3": "xy"}).expect(t, 201, "")
	// Multipart strips directories from file names; dir is checked.
	if r := aliceC.upload(lib, "", map[string]string{"../../escape.mp3": "x"}).expect(t, 201, ""); strings.Join(paths(r), ",") != "escape.mp3" {
		t.Fatalf("file name with a path: %s", r.raw)
	}
	for _, dir := range []string{"../x", "a/../../x", "sub/./x", ".hidden"} {
		if r := aliceC.upload(lib, dir, map[string]string{"x.mp3": "x"}).expect(t, 400, "invalid"); r.field("dir") != "invalid" {
			t.Fatalf("dir %q: %s", dir, r.raw)
		}
	}
	// A symlink pointing out of the folder leads nowhere.
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret.mp3"), []byte("secret"), 0o644)
	if err := os.Symlink(outside, filepath.Join(folder, "link")); err != nil {
		t.Fatal(err)
	}
	aliceC.upload(lib, "link", map[string]string{"x.mp3": "x"}).expect(t, 400, "invalid")
	if _, err := os.Stat(filepath.Join(outside, "x.mp3")); err == nil {
		t.Fatal("upload escaped through a symlink")
	}
	aliceC.do("DELETE", lib+"?path=link/secret.mp3", nil).expect(t, 400, "invalid")
	aliceC.do("DELETE", lib+"?path=link", nil).expect(t, 400, "invalid")
	aliceC.do("DELETE", lib+"?path="+url.QueryEscape("../../castdesk.db"), nil).expect(t, 400, "invalid")
	aliceC.do("DELETE", lib+"?path="+url.QueryEscape("/etc/passwd"), nil).expect(t, 400, "invalid")
	if _, err := os.Stat(filepath.Join(outside, "secret.mp3")); err != nil {
		t.Fatal("a file outside the folder was deleted")
	}
	// Delete.
	aliceC.do("DELETE", lib+"?path=b.mp3", nil).expect(t, 200, "")
	aliceC.do("DELETE", lib+"?path=b.mp3", nil).expect(t, 404, "not_found")
	aliceC.do("DELETE", lib+"?path=sub", nil).expect(t, 400, "invalid")
	if _, err := os.Stat(filepath.Join(folder, "b.mp3")); err == nil {
		t.Fatal("b.mp3 still there")
	}
	aliceC.do("DELETE", fmt.Sprintf("/api/v1/customers/%d/media?path=x.mp3", bob), nil).expect(t, 404, "not_found")
	// Unsafe methods need the SPA's header.
	aliceC.header = map[string]string{}
	aliceC.do("DELETE", lib+"?path=a.flac", nil).expect(t, 403, "forbidden")
}

func TestMediaEventStream(t *testing.T) {
	e := newMediaServer(t)
	admin := e.client(t)
	admin.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")
	alice := accountID(admin.do("POST", "/api/v1/customers", newCustomer("alice")).expect(t, 201, ""))
	folder := filepath.Join(e.ContentRoot(), fmt.Sprintf("user_%d", alice))

	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/customers/%d/media/events", e.srv.URL, alice), nil)
	res, err := admin.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	events := make(chan map[string]any, 16)
	go func() {
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var ev map[string]any
				json.Unmarshal([]byte(data), &ev)
				events <- ev
			}
		}
		close(events)
	}()
	next := func(want float64) {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for {
			select {
			case ev, ok := <-events:
				if !ok {
					t.Fatal("stream ended")
				}
				if ev["account_id"] != float64(alice) {
					t.Fatalf("event of another account: %v", ev)
				}
				if ev["files"] == want {
					return
				}
			case <-deadline:
				t.Fatalf("no event with files=%v", want)
			}
		}
	}
	next(0) // the current totals, at once
	os.WriteFile(filepath.Join(folder, "live.mp3"), []byte("abc"), 0o644)
	next(1)
	for i := range 50 { // a burst
		os.WriteFile(filepath.Join(folder, fmt.Sprintf("burst%02d.mp3", i)), []byte("abc"), 0o644)
	}
	next(51)
	os.Remove(filepath.Join(folder, "live.mp3"))
	next(50)
}

// firstEvent opens an event stream, reads its first event and hangs up.
func firstEvent(t *testing.T, c *client, path string) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", c.base+path, nil)
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d", path, res.StatusCode)
	}
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			var ev map[string]any
			json.Unmarshal([]byte(data), &ev)
			return ev
		}
	}
	t.Fatalf("GET %s: no event", path)
	return nil
}
