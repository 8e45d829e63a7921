package httpapi_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"castdesk/backend/httpapi"
	"castdesk/backend/ops"
	"castdesk/backend/panel"
)

// rawRequest sends head (request line and headers, without the blank line)
// and then body over a fresh connection, and reads the answer. It never
// sends more than body, so a server that waited for the declared length
// would not answer: the read gives up after 30 s and the test fails.
func rawRequest(t *testing.T, e *env, head string, body string) (int, map[string]any, string) {
	t.Helper()
	conn, err := net.Dial("tcp", e.srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, head+"\r\n\r\n"+body); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer before the body was sent (did the server wait for it?): %v", err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	json.Unmarshal(raw, &out)
	return res.StatusCode, out, string(raw)
}

func sessionCookie(t *testing.T, e *env, c *client) string {
	u, _ := url.Parse(e.srv.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "castdesk_session" {
			return ck.String()
		}
	}
	t.Fatal("no session cookie")
	return ""
}

func uploadHead(e *env, cookie, path string, length int64) string {
	return strings.Join([]string{
		"POST " + path + " HTTP/1.1",
		"Host: " + e.srv.Listener.Addr().String(),
		"Cookie: " + cookie,
		"X-Requested-With: castdesk",
		"Content-Type: multipart/form-data; boundary=XX",
		fmt.Sprintf("Content-Length: %d", length),
	}, "\r\n")
}

func params(body map[string]any, field string) map[string]any {
	p, _ := body["params"].(map[string]any)
	f, _ := p[field].(map[string]any)
	return f
}

// A declared Content-Length over the body limit (3 GiB) is refused with 413
// before a byte of the body is read; one over the quota left with 422 and
// the numbers behind it.
func TestUploadDeclaredLengthIsRefusedBeforeReading(t *testing.T) {
	e := newMediaServer(t)
	admin := e.client(t)
	admin.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")
	id := accountID(admin.do("POST", "/api/v1/customers", newCustomer("big")).expect(t, 201, ""))
	lib := fmt.Sprintf("/api/v1/customers/%d/media", id)
	cookie := sessionCookie(t, e, admin)

	status, body, raw := rawRequest(t, e, uploadHead(e, cookie, lib, 3<<30), "")
	if status != 413 || body["code"] != "too_large" || fieldOf(body, "file") != "too_large" ||
		params(body, "file")["max"] != float64(panel.MaxUploadBytes) {
		t.Fatalf("3 GiB declared: %d %s", status, raw)
	}
	if status, _, raw := rawRequest(t, e, uploadHead(e, cookie, lib, ops.UploadBodyLimit+1), ""); status != 413 {
		t.Fatalf("one byte over the limit: %d %s", status, raw)
	}

	// A quota of 1 MB; 5 MiB declared: 422 over_quota, before reading.
	admin.do("PATCH", fmt.Sprintf("/api/v1/customers/%d", id), map[string]any{"storage_quota_mb": 1}).expect(t, 200, "")
	status, body, raw = rawRequest(t, e, uploadHead(e, cookie, lib, 5<<20), "")
	p := params(body, "file")
	if status != 422 || body["code"] != "limit_exceeded" || fieldOf(body, "file") != "over_quota" ||
		p["used"] != float64(0) || p["allowed"] != float64(1<<20) || p["size"] != float64(4<<20) {
		t.Fatalf("5 MiB declared for a 1 MB quota: %d %s", status, raw)
	}
	// Nobody's folder: 404 before reading, too.
	if status, _, raw := rawRequest(t, e, uploadHead(e, cookie, "/api/v1/customers/999/media", 10), ""); status != 404 {
		t.Fatalf("unknown account: %d %s", status, raw)
	}
	// Within the quota it goes through.
	admin.upload(lib, "", map[string]string{"ok.mp3": strings.Repeat("x", 1000)}).expect(t, 201, "")
	// An undeclared (chunked) stream past the quota is cut where it crosses it.
	pr, pw := io.Pipe()
	go func() {
		fmt.Fprint(pw, "--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"stream.mp3\"\r\n\r\n")
		chunk := bytes.Repeat([]byte("y"), 64<<10)
		for i := 0; i < 40; i++ { // 2.5 MiB
			if _, err := pw.Write(chunk); err != nil {
				return
			}
		}
		fmt.Fprint(pw, "\r\n--XX--\r\n")
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", e.srv.URL+lib, pr)
	req.ContentLength = -1
	req.Header.Set("Content-Type", "multipart/form-data; boundary=XX")
	req.Header.Set("X-Requested-With", "castdesk")
	res, err := admin.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	rawb, _ := io.ReadAll(res.Body)
	res.Body.Close()
	pr.CloseWithError(io.ErrClosedPipe)
	var streamed map[string]any
	json.Unmarshal(rawb, &streamed)
	if res.StatusCode != 422 || fieldOf(streamed, "file") != "over_quota" || params(streamed, "file")["allowed"] != float64(1<<20) {
		t.Fatalf("chunked past the quota: %d %s", res.StatusCode, rawb)
	}
	entries, _ := os.ReadDir(filepath.Join(e.ContentRoot(), fmt.Sprintf("user_%d", id)))
	for _, en := range entries {
		if en.Name() != "ok.mp3" {
			t.Errorf("left in the folder: %s", en.Name())
		}
	}
}

func fieldOf(body map[string]any, name string) string {
	f, _ := body["fields"].(map[string]any)
	s, _ := f[name].(string)
	return s
}

// A NUL (or another control character) in an upload's file name is 400
// invalid on name: Go's MIME reader refuses the part header (it used to
// answer 500), and an encoded one (filename*=) reaches the name check.
func TestUploadNameWithControlCharacterIs400(t *testing.T) {
	e := newMediaServer(t)
	admin := e.client(t)
	admin.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")
	lib := "/api/v1/customers/1/media"
	for _, disposition := range []string{
		"filename=\"a\x00b.mp3\"",
		"filename=\"a\x01b.mp3\"",
		"filename=\"a\x7fb.mp3\"",
		"filename*=UTF-8''a%00b.mp3",
		"filename*=UTF-8''a%C2%85b.mp3",         // C1 (NEL)
		"filename*=UTF-8''evil%E2%80%AEgnp.mp3", // right-to-left override
	} {
		body := "--XX\r\nContent-Disposition: form-data; name=\"file\"; " + disposition + "\r\n\r\ndata\r\n--XX--\r\n"
		req, _ := http.NewRequest("POST", e.srv.URL+lib, strings.NewReader(body))
		req.Header.Set("Content-Type", "multipart/form-data; boundary=XX")
		req.Header.Set("X-Requested-With", "castdesk")
		res, err := admin.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var out map[string]any
		json.Unmarshal(raw, &out)
		if res.StatusCode != 400 || out["code"] != "invalid" || fieldOf(out, "name") != "invalid" {
			t.Errorf("%q: %d %s", disposition, res.StatusCode, raw)
		}
	}
	if r := admin.do("GET", lib, nil).expect(t, 200, ""); r.body["total"] != float64(0) {
		t.Fatalf("something was stored: %s", r.raw)
	}
}

// The read deadline fits the size: the body must keep arriving at the floor
// rate after a margin. A client that declares a length and stalls is cut
// off (here with a fast floor so the test is quick) and nothing is kept.
func TestUploadReadDeadlineFitsTheSize(t *testing.T) {
	start := time.Unix(0, 0)
	small := httpapi.UploadDeadline(start, 1<<20).Sub(start)
	whole := httpapi.UploadDeadline(start, ops.UploadBodyLimit).Sub(start)
	if small > 2*time.Minute || whole <= small || whole > 10*time.Hour {
		t.Fatalf("deadlines: 1 MiB %v, 2 GiB %v", small, whole)
	}
	t.Logf("read deadline: 1 MiB → %v, 2 GiB + framing → %v (floor 64 KiB/s, margin 1 min)", small, whole)

	restore := httpapi.SetUploadPace(1<<20, 200*time.Millisecond) // 1 MiB/s, 0.2 s margin
	defer restore()
	e := newMediaServer(t)
	admin := e.client(t)
	admin.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")
	cookie := sessionCookie(t, e, admin)
	head := "--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.mp3\"\r\n\r\n" + strings.Repeat("z", 1000)
	// 100 MiB declared, 1 kB sent, then nothing: at 1 MiB/s the deadline
	// for the first MiB passes after about 1.2 s.
	status, body, raw := rawRequest(t, e, uploadHead(e, cookie, "/api/v1/customers/1/media", 100<<20), head)
	if status != 400 || body["code"] != "invalid" {
		t.Fatalf("stalled upload: %d %s", status, raw)
	}
	entries, _ := os.ReadDir(filepath.Join(e.ContentRoot(), "user_1"))
	if len(entries) != 0 {
		t.Fatalf("a stalled upload left %v", entries)
	}
}
