package httpapi_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"testing/fstest"

	"castdesk/backend/httpapi"
	"castdesk/backend/testkit"
)

// Behind a trusted proxy, the forwarded client is the one the session list
// records, and X-Forwarded-Proto: https makes cookies Secure and adds HSTS;
// from an untrusted peer the same headers change nothing.
func TestForwardedClientReachesSessionsAndCookies(t *testing.T) {
	for _, tc := range []struct {
		name      string
		trusted   []netip.Prefix
		wantAddr  string
		wantHTTPS bool
	}{
		{name: "trusted proxy", trusted: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128")},
			wantAddr: "203.0.113.7", wantHTTPS: true},
		{name: "no trusted proxy", wantAddr: "127.0.0.1", wantHTTPS: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kit := testkit.New(t)
			srv := httptest.NewServer(httpapi.NewWithOptions(kit.Panel, fstest.MapFS{}, slog.New(slog.NewTextHandler(io.Discard, nil)),
				httpapi.Options{TrustedProxies: tc.trusted}))
			t.Cleanup(srv.Close)
			send := func(method, path, body, cookie string) *http.Response {
				t.Helper()
				req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
				req.Header.Set("X-Requested-With", "castdesk")
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Forwarded-For", "198.51.100.1, 203.0.113.7")
				req.Header.Set("X-Forwarded-Proto", "https")
				if cookie != "" {
					req.Header.Set("Cookie", cookie)
				}
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { res.Body.Close() })
				return res
			}
			pw := "Forwarded-Passw0rd!"
			res := send("POST", "/api/v1/setup", `{"username":"admin","password":"`+pw+`","password_confirm":"`+pw+`","name":"Admin","email":"admin@example.org"}`, "")
			if res.StatusCode != http.StatusCreated {
				b, _ := io.ReadAll(res.Body)
				t.Fatalf("setup: %d %s", res.StatusCode, b)
			}
			var session *http.Cookie
			for _, c := range res.Cookies() {
				if c.Secure != tc.wantHTTPS {
					t.Errorf("cookie %s: Secure=%v, want %v", c.Name, c.Secure, tc.wantHTTPS)
				}
				if c.Name == "castdesk_session" {
					session = c
				}
			}
			if session == nil {
				t.Fatal("setup set no session cookie")
			}
			if got := res.Header.Get("Strict-Transport-Security") != ""; got != tc.wantHTTPS {
				t.Errorf("HSTS sent: %v, want %v", got, tc.wantHTTPS)
			}
			res = send("GET", "/api/v1/auth/sessions", "", "castdesk_session="+session.Value)
			var list struct {
				Items []struct {
					Address string `json:"address"`
				} `json:"items"`
			}
			if err := json.NewDecoder(res.Body).Decode(&list); err != nil || res.StatusCode != http.StatusOK {
				t.Fatalf("sessions: %d %v", res.StatusCode, err)
			}
			if len(list.Items) != 1 || list.Items[0].Address != tc.wantAddr {
				t.Errorf("session list %+v, want one session from %s", list.Items, tc.wantAddr)
			}
		})
	}
}
