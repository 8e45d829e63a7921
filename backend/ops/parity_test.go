package ops_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"castdesk/backend/desktop"
	"castdesk/backend/httpapi"
	"castdesk/backend/ops"
	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// TestBothDoorsAnswerTheSame drives two identical desks, one through the
// HTTP door and one through the window door, with the same calls at the
// same (test) clock, and compares every answer's JSON — successes and
// errors alike. Every operation both doors offer must be called.
func TestBothDoorsAnswerTheSame(t *testing.T) {
	httpEnv, windowEnv := testkit.New(t), testkit.New(t)
	web := newWebClient(t, httpEnv)
	window := desktop.NewAPI(desktop.NewSession(windowEnv.Panel))

	called := map[string]bool{}
	// stepEach sends each door its own input: what differs by nature (a
	// code of each desk's own TOTP secret).
	stepEach := func(name string, in, windowIn map[string]any) {
		t.Helper()
		o, ok := ops.ByName(name)
		if !ok {
			t.Fatalf("no operation %s", name)
		}
		called[name] = true
		viaHTTP := normalize(web.call(t, o, in), httpEnv.Dir)
		raw, _ := json.Marshal(windowIn)
		out, err := window.Call(name, raw)
		var viaWindow []byte
		if err != nil {
			viaWindow, _ = json.Marshal(panel.AsError(err))
		} else {
			viaWindow, _ = json.Marshal(out)
		}
		viaWindow = normalize(viaWindow, windowEnv.Dir)
		if !bytes.Equal(viaHTTP, viaWindow) {
			t.Errorf("%s %v:\n  http:   %s\n  window: %s", name, in, viaHTTP, viaWindow)
		}
		httpEnv.Clock.Advance(time.Second)
		windowEnv.Clock.Advance(time.Second)
	}
	step := func(name string, in map[string]any) {
		t.Helper()
		stepEach(name, in, in)
	}
	// code is each desk's TOTP code of account 1 (the owner), one step ahead
	// (the accepted skew) after a step of the clock, so no code is replayed.
	code := func() (map[string]any, map[string]any) {
		httpEnv.Clock.Advance(30 * time.Second)
		windowEnv.Clock.Advance(30 * time.Second)
		return map[string]any{"code": httpEnv.Code(t, 1, 0)}, map[string]any{"code": windowEnv.Code(t, 1, 0)}
	}
	none := map[string]any{}
	pw := testkit.StrongPassword

	step("health", none)
	step("about", none)
	step("licenses", none)
	step("me", none) // before any login: the same refusal
	step("setup", map[string]any{"username": "owner", "name": "Owner", "email": "owner@example.org", "password": pw, "password_confirm": pw})
	step("me", none)
	step("settingsGet", none)
	step("settingsUpdate", map[string]any{"password_min_length": 9})
	step("settingsUpdate", map[string]any{"password_min_length": 2}) // refused: below the floor
	step("auditList", map[string]any{"limit": 5})

	step("planCreate", map[string]any{"name": "Gold", "max_bitrate_kbps": 64, "server_limit": 2})
	step("plansList", none)
	step("planGet", map[string]any{"id": 1})
	step("planUpdate", map[string]any{"id": 1, "name": "Gold+"})

	step("customersCreate", map[string]any{"username": "radio1", "name": "Radio One", "email": "r1@example.org",
		"password": pw, "password_confirm": pw, "reseller_plan_id": 1})
	step("customersCreate", map[string]any{"username": "dora", "name": "Dora", "email": "dora@example.org",
		"password": pw, "password_confirm": pw})
	step("customersCreate", map[string]any{"username": "x"}) // refused, with fields
	step("customersList", map[string]any{"q": "dora"})
	step("customersList", map[string]any{"sort": "-username", "limit": 2})
	step("customerOverview", map[string]any{"id": 2})
	step("customerUpdate", map[string]any{"id": 3, "name": "Dora D."})
	step("customersUsernameCheck", map[string]any{"username": "Dora"})          // taken (case folded)
	step("customersUsernameCheck", map[string]any{"username": "dora", "id": 3}) // its own: available
	step("customersUsernameCheck", map[string]any{"username": "x"})             // too short, with params
	step("customerDeletePreview", map[string]any{"id": 3})
	step("customerSetPassword", map[string]any{"id": 3, "password": pw + "2", "password_confirm": pw + "2"})
	step("customerResetPassword", map[string]any{"id": 3})

	step("servicesNextPort", none)
	step("serviceCreate", map[string]any{"owner_id": 2, "name": "Radio One FM", "type": "icecast", "port": 8000, "bitrate_kbps": 64})
	step("serviceCreate", map[string]any{"owner_id": 2, "name": "Too loud", "type": "icecast", "port": 8002, "bitrate_kbps": 128})
	step("serviceGet", map[string]any{"id": 1})
	step("serviceUpdate", map[string]any{"id": 1, "name": "Radio One HD"})
	step("serviceSuspend", map[string]any{"id": 1, "reason": "unpaid"})
	step("serviceUnsuspend", map[string]any{"id": 1})
	step("servicesList", map[string]any{"owner_id": 2})
	step("servicesBulk", map[string]any{"action": "suspend", "ids": []int64{1, 99}, "reason": "unpaid"})
	step("servicesBulk", map[string]any{"action": "unsuspend", "filter": map[string]any{"status": "suspended"}})
	step("customersBulk", map[string]any{"action": "disable", "ids": []int64{3, 99}})
	step("customersBulk", map[string]any{"action": "enable", "filter": map[string]any{"status": "disabled"}})
	step("customersBulkDeletePreview", map[string]any{"ids": []int64{3}})

	step("mailStatus", none)
	step("mailSendTest", map[string]any{"to": "owner@example.org"}) // not configured: the same refusal
	step("templatesList", none)
	step("templatePreview", map[string]any{"name": "welcome", "language": "en", "subject": "Hi {{name}}", "html": "<p>Hello {{name}}</p>"})
	step("templateUpdate", map[string]any{"name": "welcome", "language": "en", "subject": "Hi {{name}}", "html": "<p>Hello {{name}}</p>"})
	step("templateReset", map[string]any{"name": "welcome", "language": "en"})
	step("customerEmailPreview", map[string]any{"id": 3, "subject": "News", "message": "<p>Hello</p>"})
	step("customerEmail", map[string]any{"id": 3, "subject": "News", "message": "<p>Hello</p>"})
	step("customerMailLog", map[string]any{"id": 3})
	step("customerMailResend", map[string]any{"id": 3, "mail_id": 1}) // still queued: the same conflict
	step("outboxList", map[string]any{"state": "queued"})
	step("outboxList", map[string]any{"reason": "bogus"}) // refused, with the field
	step("mailRetryFailed", map[string]any{"reason": "settings"})
	step("setupChecklist", none)

	step("mediaList", map[string]any{"id": 3})
	step("mediaDelete", map[string]any{"id": 3, "path": "missing.mp3"})
	step("mediaStatus", none)
	step("storageStatus", none)

	step("backupsList", none)
	step("backupScheduleGet", none)
	step("backupScheduleUpdate", map[string]any{"enabled": true, "time": "02:15", "keep": 5})
	step("backupScheduleUpdate", map[string]any{"keep": 0}) // refused: too small
	backupID := "castdesk-" + httpEnv.Clock.Now().UTC().Format("20060102-150405")
	step("backupCreate", none)
	httpEnv.Panel.Backups.Wait()
	windowEnv.Panel.Backups.Wait()
	step("backupGet", map[string]any{"id": "castdesk-20200101-000000"}) // the same not_found
	step("backupDelete", map[string]any{"id": backupID})
	step("sessionsList", none)
	step("customerSessions", map[string]any{"id": 1})
	step("customerSessions", map[string]any{"id": 404})
	step("customerLogins", map[string]any{"id": 1})
	step("sessionRevoke", map[string]any{"id": "no-such-session"})
	step("sessionsRevokeOthers", none)
	step("customerTwoFactorRemove", map[string]any{"id": 2})  // none to remove: the same conflict
	step("twoFactorEnable", map[string]any{"code": "123456"}) // no set-up yet: the same conflict
	step("twoFactorSetup", none)
	step("twoFactorEnable", map[string]any{"code": "12345"}) // not a code
	viaHTTP, viaWindow := code()
	stepEach("twoFactorEnable", viaHTTP, viaWindow)
	step("twoFactorRecoveryCodes", map[string]any{"password": "wrong"})
	step("twoFactorRecoveryCodes", map[string]any{"password": pw})

	step("apiKeysList", none)
	step("customerUpdate", map[string]any{"id": 1, "api_access": true})
	step("apiKeyCreate", map[string]any{"name": "billing"})
	step("apiKeysList", none)
	step("apiKeyRevoke", map[string]any{"id": 1})
	step("apiKeyCreate", map[string]any{"name": "scoped", "scopes": []string{"customers:write", "services:read"}, "allowed_ips": []string{"192.0.2.0/24"}})
	step("apiKeyCreate", map[string]any{"name": "x", "scopes": []string{"nope"}}) // refused, naming the scope
	step("apiKeyUpdate", map[string]any{"id": 2, "scopes": []string{"read"}, "expires_at": "2027-01-01T00:00:00Z"})
	step("apiKeyUpdate", map[string]any{"id": 2, "expires_at": "2020-01-01T00:00:00Z"}) // refused: in the past
	step("apiKeysList", none)

	step("webhookCreate", map[string]any{"url": "http://127.0.0.1:9/hook", "events": []string{"account.created"}}) // private: refused
	step("webhookCreate", map[string]any{"url": "https://203.0.113.10/hook", "events": []string{"service.suspended", "account.created"},
		"secret": "a-shared-secret-of-16"})
	step("webhooksList", none)
	step("webhookGet", map[string]any{"id": 1})
	step("webhookUpdate", map[string]any{"id": 1, "active": false})
	step("webhookTest", map[string]any{"id": 1}) // off: the same conflict
	step("webhookUpdate", map[string]any{"id": 1, "active": true})
	step("webhookTest", map[string]any{"id": 1})
	step("webhookDeliveries", map[string]any{"id": 1})
	step("webhookRedeliver", map[string]any{"id": 1, "delivery_id": 1}) // still queued: the same conflict
	step("webhookDelete", map[string]any{"id": 1})

	step("customerLoginAs", map[string]any{"id": 3})
	step("me", none)
	step("logout", none) // back to the owner
	step("changePassword", map[string]any{"current_password": pw, "password": pw + "!", "password_confirm": pw + "!"})
	step("serviceDelete", map[string]any{"id": 1})
	step("customerDelete", map[string]any{"id": 3, "confirm": "wrong"})
	step("customerDelete", map[string]any{"id": 3, "confirm": "dora"})
	step("planDelete", map[string]any{"id": 1}) // still assigned: the same conflict
	step("logout", none)
	step("forgotPassword", map[string]any{"login": "radio1"})
	step("resetPassword", map[string]any{"code": "not-a-code", "password": pw, "password_confirm": pw})
	step("login", map[string]any{"username": "owner", "password": "wrong"})
	step("login2fa", map[string]any{"code": "123456"})                       // no pending login: the same refusal
	step("login", map[string]any{"username": "owner", "password": pw + "!"}) // a second factor is asked for
	step("login2fa", map[string]any{"code": "000000"})
	viaHTTP, viaWindow = code()
	stepEach("login2fa", viaHTTP, viaWindow)
	step("twoFactorDisable", map[string]any{"password": pw + "!"})
	step("me", none)

	var missing []string
	for _, o := range ops.All() {
		if o.OnHTTP() && o.OnWindow() && !called[o.Name] {
			missing = append(missing, o.Name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("operations both doors offer but this test never calls: %v (add a step)", missing)
	}
}

// normalize hides what differs between two desks by nature: their data
// directories and the random secrets an answer may carry once.
func normalize(b []byte, dir string) []byte {
	b = bytes.ReplaceAll(b, []byte(dir), []byte("<data>"))
	b = freeSpace.ReplaceAll(b, []byte(`"free_bytes":0`))
	b = eventID.ReplaceAll(b, []byte(`evt_<random>`))
	return randomValue.ReplaceAllFunc(b, func(m []byte) []byte {
		name, _, _ := bytes.Cut(m[1:], []byte(`"`))
		return []byte(`"` + string(name) + `":"<random>"`)
	})
}

// eventID: a webhook event's id, also inside a delivery's body.
var eventID = regexp.MustCompile(`evt_[0-9a-f]{24}`)

// freeSpace: two desks share a volume whose free space changes between calls.
var freeSpace = regexp.MustCompile(`"free_bytes":\d+`)

// randomValue: an API key and its prefix, a message's Message-ID, a TOTP
// secret and recovery codes, a session's id; and what tells the doors
// apart by nature: the client's address and device.
var randomValue = regexp.MustCompile(`"(key|prefix|message_id|guid|secret|otpauth_url|qr_code|id|address|user_agent|browser|os)":"[^"]*"|"(recovery_codes)":\[[^\]]*\]|"(desktop)":(true|false)`)

// webClient calls operations over HTTP as the SPA's HTTP transport does:
// path fields fill the route, the rest is the query (GET, DELETE) or the
// JSON body.
type webClient struct {
	srv    *httptest.Server
	client *http.Client
}

func newWebClient(t *testing.T, env *testkit.Env) *webClient {
	srv := httptest.NewServer(httpapi.New(env.Panel, fstest.MapFS{}, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	return &webClient{srv: srv, client: &http.Client{Jar: jar}}
}

func (c *webClient) call(t *testing.T, o *ops.Op, in map[string]any) []byte {
	t.Helper()
	rest := map[string]any{}
	for k, v := range in {
		rest[k] = v
	}
	path := o.Path
	for _, p := range ops.PathParams(o.Path) {
		path = strings.Replace(path, "{"+p+"}", url.PathEscape(toString(rest[p])), 1)
		delete(rest, p)
	}
	var body io.Reader
	if o.HasBody() {
		b, _ := json.Marshal(rest)
		body = bytes.NewReader(b)
	} else if len(rest) > 0 {
		q := url.Values{}
		for k, v := range rest {
			q.Set(k, toString(v))
		}
		path += "?" + q.Encode()
	}
	req, _ := http.NewRequest(o.Method, c.srv.URL+"/api/v1"+path, body)
	req.Header.Set("X-Requested-With", "castdesk")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode < 300 && res.StatusCode != o.SuccessStatus() {
		t.Errorf("%s: status %d, declared %d", o.Name, res.StatusCode, o.SuccessStatus())
	}
	return bytes.TrimSpace(b)
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// Every declared input decodes the same from a JSON object as from the
// query and path: the window and the HTTP door see the same field names.
func TestDeclarationsAreComplete(t *testing.T) {
	for _, o := range ops.All() {
		if o.Summary == "" || o.Tag == "" && o.OnHTTP() {
			t.Errorf("%s: no summary or tag", o.Name)
		}
		if o.OnHTTP() && ops.TagDescriptions[o.Tag] == "" {
			t.Errorf("%s: tag %q has no description in TagDescriptions", o.Name, o.Tag)
		}
		if o.In.Kind() != reflect.Struct {
			t.Errorf("%s: input %v is not a struct", o.Name, o.In)
		}
		if !o.HasBody() && o.OnHTTP() && o.In.Kind() == reflect.Struct {
			for _, f := range ops.Fields(o.In) {
				switch f.Type.Kind() {
				case reflect.String, reflect.Int, reflect.Int64, reflect.Bool:
				default:
					t.Errorf("%s: query field %s of type %v cannot come from a query string", o.Name, f.Name, f.Type)
				}
			}
		}
	}
}
