package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"castdesk/backend/httpapi"
	"castdesk/backend/mailer/smtptest"
	"castdesk/backend/testkit"
	"castdesk/backend/webhook/webhooktest"
)

// patternsOf reads the routes a server registered.
func patternsOf(t *testing.T, h http.Handler) []string {
	t.Helper()
	p, ok := h.(interface{ Patterns() []string })
	if !ok {
		t.Fatal("the handler does not list its patterns")
	}
	return p.Patterns()
}

// TestOpenAPIDocumentsEveryRoute: the served document lists exactly the
// operations the server mounted, each documented.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	e := newServer(t)
	h := httpapi.New(e.Panel, fstest.MapFS{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	registered := patternsOf(t, h)
	seen := map[string]bool{}
	for _, p := range registered {
		if seen[p] {
			t.Errorf("registered twice: %s", p)
		}
		seen[p] = true
	}

	doc := fetchDoc(t, e)
	if doc.raw["openapi"] != "3.0.3" {
		t.Fatalf("openapi version: %v", doc.raw["openapi"])
	}
	ops := 0
	for path, item := range doc.raw["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			ops++
			o := op.(map[string]any)
			if o["summary"] == "" {
				t.Errorf("%s %s: undocumented in the served document", method, path)
			}
			if _, ok := o["responses"].(map[string]any)["default"]; !ok {
				t.Errorf("%s %s: no error response", method, path)
			}
			// Every path parameter of the template is declared.
			for _, seg := range strings.Split(path, "/") {
				if strings.HasPrefix(seg, "{") {
					found := false
					for _, p := range asSlice(o["parameters"]) {
						pm := p.(map[string]any)
						found = found || (pm["in"] == "path" && "{"+pm["name"].(string)+"}" == seg)
					}
					if !found {
						t.Errorf("%s %s: path parameter %s not declared", method, path, seg)
					}
				}
			}
		}
	}
	if ops != len(registered) {
		t.Errorf("document has %d operations, server %d routes", ops, len(registered))
	}
	// Every $ref resolves.
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				doc.resolve(x)
				_ = ref
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(doc.raw)
	// The error shape is the documented {code,message,fields}.
	errSchema := doc.raw["components"].(map[string]any)["schemas"].(map[string]any)["Error"].(map[string]any)
	props := errSchema["properties"].(map[string]any)
	for _, f := range []string{"code", "message", "fields"} {
		if props[f] == nil {
			t.Errorf("Error schema lacks %s", f)
		}
	}
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

func fetchDoc(t *testing.T, e *env) *openapiDoc {
	t.Helper()
	res, err := http.Get(e.srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("openapi.json: %d", res.StatusCode)
	}
	raw, _ := io.ReadAll(res.Body)
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	return &openapiDoc{raw: doc}
}

// openapiDoc validates JSON values against the document's schemas, for the
// subset of JSON Schema the generator writes: $ref, allOf, type, properties,
// required, additionalProperties, items, nullable, enum, format date-time.
// It is stricter than OpenAPI: a property the schema does not name fails, so
// a handler answering another type than documented is caught.
type openapiDoc struct {
	raw map[string]any
}

func (d *openapiDoc) resolve(s map[string]any) map[string]any {
	for {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s
		}
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		next, ok := d.raw["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any)
		if !ok {
			panic("unresolved $ref " + ref)
		}
		s = next
	}
}

func (d *openapiDoc) validate(s map[string]any, v any, at string) []string {
	s = d.resolve(s)
	if v == nil {
		if s["nullable"] == true || len(s) == 0 {
			return nil
		}
		if all, ok := s["allOf"].([]any); ok && len(all) == 1 {
			if d.resolve(all[0].(map[string]any))["nullable"] == true {
				return nil
			}
		}
		return []string{at + ": null where the schema does not allow it"}
	}
	var errs []string
	for _, sub := range asSlice(s["allOf"]) {
		errs = append(errs, d.validate(sub.(map[string]any), v, at)...)
	}
	if enum, ok := s["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			found = found || e == v
		}
		if !found {
			errs = append(errs, fmt.Sprintf("%s: %v is not one of %v", at, v, enum))
		}
	}
	switch s["type"] {
	case nil:
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			return append(errs, fmt.Sprintf("%s: %T, want an object", at, v))
		}
		props, _ := s["properties"].(map[string]any)
		for _, r := range asSlice(s["required"]) {
			if _, ok := obj[r.(string)]; !ok {
				errs = append(errs, fmt.Sprintf("%s: required property %q missing", at, r))
			}
		}
		extra, _ := s["additionalProperties"].(map[string]any)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, d.validate(ps, obj[k], at+"."+k)...)
			} else if extra != nil {
				errs = append(errs, d.validate(extra, obj[k], at+"."+k)...)
			} else if props != nil { // an object that only wraps allOf lists no properties
				errs = append(errs, fmt.Sprintf("%s: property %q is not in the schema", at, k))
			}
		}
	case "array":
		arr, ok := v.([]any)
		if !ok {
			return append(errs, fmt.Sprintf("%s: %T, want an array", at, v))
		}
		items, _ := s["items"].(map[string]any)
		for i, item := range arr {
			errs = append(errs, d.validate(items, item, fmt.Sprintf("%s[%d]", at, i))...)
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			return append(errs, fmt.Sprintf("%s: %T, want a string", at, v))
		}
		if s["format"] == "date-time" {
			if _, err := time.Parse(time.RFC3339Nano, str); err != nil {
				errs = append(errs, fmt.Sprintf("%s: %q is not an RFC 3339 time", at, str))
			}
		}
	case "integer":
		n, ok := v.(json.Number)
		if !ok || strings.ContainsAny(n.String(), ".eE") {
			return append(errs, fmt.Sprintf("%s: %v, want an integer", at, v))
		}
	case "number":
		if _, ok := v.(json.Number); !ok {
			return append(errs, fmt.Sprintf("%s: %T, want a number", at, v))
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return append(errs, fmt.Sprintf("%s: %T, want a boolean", at, v))
		}
	default:
		errs = append(errs, fmt.Sprintf("%s: unknown schema type %v", at, s["type"]))
	}
	return errs
}

// operation finds the documented operation of a request: the path template
// that matches with the most literal segments (next-port before {id}).
func (d *openapiDoc) operation(method, path string) (string, map[string]any) {
	segs := strings.Split(path, "/")
	best, bestScore := "", -1
	var bestOp map[string]any
	for tmpl, item := range d.raw["paths"].(map[string]any) {
		op, ok := item.(map[string]any)[strings.ToLower(method)].(map[string]any)
		if !ok {
			continue
		}
		ts := strings.Split(tmpl, "/")
		if len(ts) != len(segs) {
			continue
		}
		score := 0
		for i := range ts {
			switch {
			case strings.HasPrefix(ts[i], "{"):
			case ts[i] == segs[i]:
				score++
			default:
				score = -1
			}
			if score < 0 {
				break
			}
		}
		if score > bestScore {
			best, bestScore, bestOp = tmpl, score, op
		}
	}
	return best, bestOp
}

// exchange is one request and its answer, as the recorder saw them.
type exchange struct {
	method, path, contentType string
	status                    int
	body                      []byte
}

// recorder wraps the API handler and keeps every exchange.
type recorder struct {
	next     http.Handler
	mu       sync.Mutex
	log      []exchange
	inFlight sync.WaitGroup // event streams end after their client hangs up
}

type capture struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (c *capture) WriteHeader(status int) { c.status = status; c.ResponseWriter.WriteHeader(status) }
func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = 200
	}
	c.buf.Write(b)
	return c.ResponseWriter.Write(b)
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec.inFlight.Add(1)
	defer rec.inFlight.Done()
	c := &capture{ResponseWriter: w}
	rec.next.ServeHTTP(c, r)
	rec.mu.Lock()
	rec.log = append(rec.log, exchange{r.Method, r.URL.Path, w.Header().Get("Content-Type"), c.status, c.buf.Bytes()})
	rec.mu.Unlock()
}

func newRecordingServer(t *testing.T) (*env, *recorder) {
	t.Helper()
	kit := testkit.New(t)
	p, _ := kit.StartMedia(t)
	assets := fstest.MapFS{"index.html": {Data: []byte("<!doctype html><title>Castdesk</title>")}}
	rec := &recorder{next: httpapi.New(p, assets, slog.New(slog.NewTextHandler(io.Discard, nil)))}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return &env{Env: kit, srv: srv}, rec
}

// keyClient is an API client: a key and nothing else (no cookies, no CSRF header).
func (e *env) keyClient(t *testing.T, key string) *client {
	return &client{t: t, base: e.srv.URL, http: &http.Client{}, header: map[string]string{"Authorization": "Bearer " + key}}
}

func id(r response) int64 { return int64(r.body["id"].(float64)) }

// TestOpenAPIValidatesRealResponses drives every route through a scenario,
// with a cookie session and with an API key, and validates each answer —
// successes and errors — against the schema the document gives for its
// route and status.
func TestOpenAPIValidatesRealResponses(t *testing.T) {
	e, rec := newRecordingServer(t)
	admin := e.client(t)
	anon := e.client(t)
	p := fmt.Sprintf

	anon.do("GET", "/api/v1/health", nil).expect(t, 200, "")
	anon.do("GET", "/api/v1/openapi.json", nil).expect(t, 200, "")
	anon.do("GET", "/api/v1/about", nil).expect(t, 200, "")
	anon.do("GET", "/api/v1/licenses", nil).expect(t, 200, "")
	anon.do("GET", "/api/v1/auth/me", nil).expect(t, 401, "unauthorized")
	anon.do("POST", "/api/v1/setup", map[string]any{"username": "x"}).expect(t, 400, "invalid")
	adminID := accountID(admin.do("POST", "/api/v1/setup", setupBody).expect(t, 201, ""))
	admin.do("GET", "/api/v1/auth/me", nil).expect(t, 200, "")
	admin.do("GET", "/api/v1/settings", nil).expect(t, 200, "")
	admin.do("PATCH", "/api/v1/settings", map[string]any{"password_min_length": 10}).expect(t, 200, "")

	// API access for the admin, then a key that does the rest of the work.
	admin.do("POST", "/api/v1/api-keys", map[string]any{"name": "ci"}).expect(t, 403, "forbidden")
	admin.do("PATCH", p("/api/v1/customers/%d", adminID), map[string]any{"api_access": true}).expect(t, 200, "")
	created := admin.do("POST", "/api/v1/api-keys", map[string]any{"name": "ci"}).expect(t, 201, "")
	api := e.keyClient(t, created.body["key"].(string))
	api.do("GET", "/api/v1/api-keys", nil).expect(t, 200, "")
	api.do("GET", p("/api/v1/api-keys?account_id=%d", adminID), nil).expect(t, 200, "")
	api.do("GET", "/api/v1/auth/me", nil).expect(t, 200, "")

	plan := api.do("POST", "/api/v1/plans", map[string]any{"name": "Gold", "server_limit": 5, "max_connections": nil}).expect(t, 201, "")
	planID := id(plan)
	api.do("GET", "/api/v1/plans", nil).expect(t, 200, "")
	api.do("GET", p("/api/v1/plans/%d", planID), nil).expect(t, 200, "")
	api.do("PATCH", p("/api/v1/plans/%d", planID), map[string]any{"max_bitrate_kbps": 320}).expect(t, 200, "")
	reseller := newCustomer("reseller")
	reseller["reseller_plan_id"], reseller["api_access"] = planID, true
	resellerID := accountID(api.do("POST", "/api/v1/customers", reseller).expect(t, 201, ""))
	custID := accountID(api.do("POST", "/api/v1/customers", newCustomer("cust")).expect(t, 201, ""))
	api.do("POST", "/api/v1/customers", newCustomer("cust")).expect(t, 400, "invalid")
	api.do("GET", "/api/v1/customers?sort=-created_at&limit=2", nil).expect(t, 200, "")
	api.do("GET", "/api/v1/customers?q=cust", nil).expect(t, 200, "")
	api.do("GET", "/api/v1/customers/username-check?username=cust", nil).expect(t, 200, "")
	api.do("GET", "/api/v1/customers/username-check?username=x", nil).expect(t, 200, "")
	api.do("GET", p("/api/v1/customers/%d", resellerID), nil).expect(t, 200, "")
	api.do("GET", p("/api/v1/customers/%d", custID), nil).expect(t, 200, "")
	api.do("GET", "/api/v1/customers/999999", nil).expect(t, 404, "not_found")
	api.do("PATCH", p("/api/v1/customers/%d", custID), map[string]any{"contact_number": "+34 600"}).expect(t, 200, "")
	api.do("PUT", p("/api/v1/customers/%d/password", custID), map[string]any{"password": "New-Passw0rd-77", "password_confirm": "New-Passw0rd-77"}).expect(t, 200, "")

	svc := api.do("POST", "/api/v1/services", map[string]any{"owner_id": resellerID, "name": "Radio", "type": "icecast"}).expect(t, 201, "")
	svcID := id(svc)
	api.do("POST", "/api/v1/services", map[string]any{"name": "Radio"}).expect(t, 400, "invalid")
	api.do("GET", "/api/v1/services", nil).expect(t, 200, "")
	api.do("GET", "/api/v1/services/next-port", nil).expect(t, 200, "")
	api.do("GET", p("/api/v1/services/%d", svcID), nil).expect(t, 200, "")
	api.do("PATCH", p("/api/v1/services/%d", svcID), map[string]any{"name": "Radio 2"}).expect(t, 200, "")
	api.do("POST", p("/api/v1/services/%d/suspend", svcID), map[string]any{"reason": "unpaid"}).expect(t, 200, "")
	api.do("POST", p("/api/v1/services/%d/unsuspend", svcID), nil).expect(t, 200, "")
	api.do("GET", p("/api/v1/customers/%d/delete-preview", resellerID), nil).expect(t, 200, "")
	api.do("POST", "/api/v1/services/bulk", map[string]any{"action": "suspend", "ids": []int64{svcID, 999}, "reason": "bulk"}).expect(t, 200, "")
	api.do("POST", "/api/v1/services/bulk", map[string]any{"action": "unsuspend", "filter": map[string]any{"status": "suspended"}}).expect(t, 200, "")
	api.do("POST", "/api/v1/customers/bulk", map[string]any{"action": "enable", "ids": []int64{resellerID, 999}}).expect(t, 200, "")
	api.do("POST", "/api/v1/customers/bulk/delete-preview", map[string]any{"ids": []int64{resellerID}}).expect(t, 200, "")
	api.do("DELETE", p("/api/v1/plans/%d", planID), nil).expect(t, 409, "conflict")

	// Media: upload, list, the event stream, the watcher's status, delete.
	lib := p("/api/v1/customers/%d/media", custID)
	api.upload(lib, "sub", map[string]string{"a.mp3": "abc"}).expect(t, 201, "")
	api.do("GET", lib+"?sort=-size&limit=1", nil).expect(t, 200, "")
	firstEvent(t, api, lib+"/events")
	api.do("GET", "/api/v1/media/status", nil).expect(t, 200, "")
	api.do("PATCH", p("/api/v1/customers/%d", custID), map[string]any{"storage_quota_mb": 0}).expect(t, 200, "")
	api.do("GET", "/api/v1/storage", nil).expect(t, 200, "") // the customer over its quota of 0
	api.do("GET", p("/api/v1/customers/%d", custID), nil).expect(t, 200, "")
	api.do("PATCH", p("/api/v1/customers/%d", custID), map[string]any{"storage_quota_mb": nil}).expect(t, 200, "")
	api.do("DELETE", lib+"?path=sub/a.mp3", nil).expect(t, 200, "")

	// Email: settings, the test email, "email this user", the log, resend, templates.
	smtpSrv := smtptest.Start(t, smtptest.Options{Mode: smtptest.Plain})
	api.do("PATCH", "/api/v1/settings", map[string]any{"smtp_host": smtpSrv.Host, "smtp_port": smtpSrv.Port,
		"smtp_encryption": "none", "smtp_from_address": "panel@example.org"}).expect(t, 200, "")
	api.do("GET", "/api/v1/mail/status", nil).expect(t, 200, "")
	api.do("POST", "/api/v1/settings/email/test", map[string]any{"to": "ops@example.org"}).expect(t, 200, "")
	api.do("GET", "/api/v1/mail/outbox?state=failed", nil).expect(t, 200, "")
	api.do("POST", "/api/v1/mail/retry-failed", map[string]any{"reason": "settings"}).expect(t, 202, "")
	api.do("GET", "/api/v1/home/checklist", nil).expect(t, 200, "")
	mailBody := map[string]any{"subject": "Hello", "message": "<p>Hi</p>"}
	api.do("POST", p("/api/v1/customers/%d/email/preview", custID), mailBody).expect(t, 200, "")
	queued := api.do("POST", p("/api/v1/customers/%d/email", custID), mailBody).expect(t, 202, "")
	if _, err := e.Panel.Mail.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	api.do("GET", p("/api/v1/customers/%d/mail", custID), nil).expect(t, 200, "")
	api.do("POST", p("/api/v1/customers/%d/mail/%d/resend", custID, int64(queued.body["mail_id"].(float64))), nil).expect(t, 202, "")
	api.do("GET", "/api/v1/templates", nil).expect(t, 200, "")
	tpl := map[string]any{"subject": "Hi {{name}}", "html": "<p>Hello {{name}}</p>"}
	api.do("POST", "/api/v1/templates/welcome/en/preview", tpl).expect(t, 200, "")
	api.do("PUT", "/api/v1/templates/welcome/en", tpl).expect(t, 200, "")
	api.do("DELETE", "/api/v1/templates/welcome/en", nil).expect(t, 200, "")

	// Password resets: reset & email by the admin's key, then forgot and reset with the emailed code.
	api.do("POST", p("/api/v1/customers/%d/reset-password", custID), nil).expect(t, 202, "")
	anon.do("POST", "/api/v1/auth/forgot", map[string]any{"login": "cust"}).expect(t, 202, "")
	if _, err := e.Panel.Mail.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	var code string
	for deadline := time.Now().Add(10 * time.Second); code == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		e.Panel.Mail.RunOnce(t.Context())
		for _, m := range smtpSrv.Messages() {
			if c := regexp.MustCompile(`\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{5}\b`).FindString(m.Text + m.HTML); c != "" {
				code = c
			}
		}
	}
	if code == "" {
		for _, m := range smtpSrv.Messages() {
			t.Logf("mail %q to %v: %s", m.Subject, m.To, m.Text)
		}
		t.Fatal("no reset code was emailed")
	}
	newPw := map[string]any{"code": "AAAA-BBBB-CCCCC", "password": "Reset-Passw0rd-42", "password_confirm": "Reset-Passw0rd-42"}
	if r := anon.do("POST", "/api/v1/auth/reset", newPw); r.status < 400 {
		t.Fatalf("a wrong code was taken: %s", r.raw)
	}
	newPw["code"] = code
	anon.do("POST", "/api/v1/auth/reset", newPw).expect(t, 200, "")

	// A reseller's key: its scope, and a plan limit.
	rc := e.client(t)
	rc.do("POST", "/api/v1/auth/login", map[string]any{"username": "reseller", "password": "Another-Str0ng-Pass"}).expect(t, 200, "")
	rkey := rc.do("POST", "/api/v1/api-keys", map[string]any{"name": "billing"}).expect(t, 201, "")
	rapi := e.keyClient(t, rkey.body["key"].(string))
	rapi.do("GET", "/api/v1/customers", nil).expect(t, 200, "")
	rapi.do("GET", p("/api/v1/customers/%d", custID), nil).expect(t, 404, "not_found")
	rapi.do("GET", "/api/v1/plans", nil).expect(t, 403, "forbidden")
	rapi.do("POST", p("/api/v1/customers/%d/login-as", custID), nil).expect(t, 403, "forbidden")
	rapi.do("PUT", "/api/v1/auth/password", map[string]any{"current_password": "x", "password": "y", "password_confirm": "y"}).expect(t, 403, "forbidden")
	rapi.do("POST", "/api/v1/auth/logout", nil).expect(t, 403, "forbidden")
	rc.do("DELETE", p("/api/v1/api-keys/%d", id(rkey)), nil).expect(t, 200, "")
	rapi.do("GET", "/api/v1/customers", nil).expect(t, 401, "unauthorized")

	// Session-only routes, with the cookie.
	admin.do("POST", p("/api/v1/customers/%d/login-as", custID), nil).expect(t, 200, "")
	admin.do("POST", "/api/v1/auth/logout", nil).expect(t, 200, "")
	admin.do("PUT", "/api/v1/auth/password", map[string]any{"current_password": testkit.StrongPassword,
		"password": "Brand-New-Passw0rd", "password_confirm": "Brand-New-Passw0rd"}).expect(t, 200, "")
	anon.do("POST", "/api/v1/auth/login", map[string]any{"username": "admin", "password": "wrong-password"}).expect(t, 401, "unauthorized")
	anon.do("POST", "/api/v1/auth/login", map[string]any{"username": "admin", "password": "Brand-New-Passw0rd"}).expect(t, 200, "")
	admin.do("GET", "/api/v1/audit?limit=5", nil).expect(t, 200, "")
	api.do("GET", "/api/v1/audit?event=api_key", nil).expect(t, 200, "")

	// Backups: the schedule, one written, polled, downloaded and deleted.
	api.do("GET", "/api/v1/backups/schedule", nil).expect(t, 200, "")
	api.do("PATCH", "/api/v1/backups/schedule", map[string]any{"enabled": true, "time": "04:30", "keep": 3}).expect(t, 200, "")
	api.do("PATCH", "/api/v1/backups/schedule", map[string]any{"time": "25:00"}).expect(t, 400, "invalid")
	backup := api.do("POST", "/api/v1/backups", nil).expect(t, 201, "")
	backupID := backup.body["backup"].(map[string]any)["id"].(string)
	e.Panel.Backups.Wait()
	api.do("GET", "/api/v1/backups", nil).expect(t, 200, "")
	api.do("GET", "/api/v1/backups/"+backupID, nil).expect(t, 200, "")
	api.do("GET", "/api/v1/backups/"+backupID+"/download", nil).expect(t, 200, "")
	api.do("DELETE", "/api/v1/backups/"+backupID, nil).expect(t, 200, "")
	api.do("GET", "/api/v1/backups/"+backupID, nil).expect(t, 404, "not_found")
	// Two-factor sign-in, sessions and the sign-in history: the admin's
	// cookie, a second session, and a customer's second factor removed by key.
	admin.do("GET", "/api/v1/auth/sessions", nil).expect(t, 200, "")
	admin.do("POST", "/api/v1/auth/sessions/revoke-others", nil).expect(t, 200, "")
	admin.do("POST", "/api/v1/auth/2fa/setup", nil).expect(t, 200, "")
	admin.do("POST", "/api/v1/auth/2fa/enable", map[string]any{"code": e.Code(t, adminID, 0)}).expect(t, 200, "")
	admin.do("POST", "/api/v1/auth/2fa/recovery-codes", map[string]any{"password": "Brand-New-Passw0rd"}).expect(t, 200, "")
	second := e.client(t)
	second.do("POST", "/api/v1/auth/login", map[string]any{"username": "admin", "password": "Brand-New-Passw0rd"}).expect(t, 200, "")
	second.do("POST", "/api/v1/auth/login/2fa", map[string]any{"code": e.Code(t, adminID, 1)}).expect(t, 200, "")
	api.do("GET", p("/api/v1/customers/%d/sessions", adminID), nil).expect(t, 200, "")
	api.do("GET", p("/api/v1/customers/%d/logins", adminID), nil).expect(t, 200, "")
	for _, s := range admin.do("GET", "/api/v1/auth/sessions", nil).expect(t, 200, "").body["items"].([]any) {
		if s := s.(map[string]any); s["current"] == false {
			admin.do("DELETE", "/api/v1/auth/sessions/"+s["id"].(string), nil).expect(t, 200, "")
		}
	}
	second.do("GET", "/api/v1/auth/me", nil).expect(t, 401, "unauthorized")
	admin.do("POST", "/api/v1/auth/2fa/disable", map[string]any{"password": "Brand-New-Passw0rd"}).expect(t, 200, "")
	cc := e.client(t)
	cc.do("POST", "/api/v1/auth/login", map[string]any{"username": "cust", "password": "Reset-Passw0rd-42"}).expect(t, 200, "")
	cc.do("POST", "/api/v1/auth/2fa/setup", nil).expect(t, 200, "")
	cc.do("POST", "/api/v1/auth/2fa/enable", map[string]any{"code": e.Code(t, custID, 0)}).expect(t, 200, "")
	api.do("DELETE", p("/api/v1/customers/%d/2fa", custID), nil).expect(t, 200, "")

	// The customers list as CSV: export, a preview of an import, the import.
	api.do("GET", "/api/v1/customers/export.csv?sort=-username", nil).expect(t, 200, "")
	csvBody := []byte("username,email,name\nbulk1,b1@example.org,Bulk One\n")
	api.rawDo("POST", "/api/v1/customers/import.csv?dry_run=true", "text/csv", csvBody).expect(t, 200, "")
	api.rawDo("POST", "/api/v1/customers/import.csv", "text/csv", csvBody).expect(t, 200, "")
	api.rawDo("POST", "/api/v1/customers/import.csv", "application/json", []byte("{}")).expect(t, 400, "invalid")

	// Moving a customer: its bundle, a preview of the import, the import.
	bundle := api.rawDo("GET", p("/api/v1/customers/%d/export", custID), "", nil).expect(t, 200, "")
	api.rawDo("POST", "/api/v1/customers/import?dry_run=true", "application/zip", []byte(bundle.raw)).expect(t, 200, "")
	api.rawDo("POST", "/api/v1/customers/import", "application/zip", []byte(bundle.raw)).expect(t, 409, "conflict")
	api.rawDo("POST", "/api/v1/customers/import?usernames=rename", "application/zip", []byte(bundle.raw)).expect(t, 201, "")
	api.rawDo("POST", "/api/v1/customers/import", "application/zip", []byte("not a zip")).expect(t, 400, "invalid")

	// A scoped, expiring key limited to this address; webhooks to a real receiver.
	scoped := api.do("POST", "/api/v1/api-keys", map[string]any{"name": "scoped", "scopes": []string{"customers:read"},
		"expires_at": e.Clock.Now().Add(48 * time.Hour).Format(time.RFC3339), "allowed_ips": []string{"127.0.0.0/8", "::1"}}).expect(t, 201, "")
	api.do("PATCH", p("/api/v1/api-keys/%d", id(scoped)), map[string]any{"scopes": []string{"read"}}).expect(t, 200, "")
	sapi := e.keyClient(t, scoped.body["key"].(string))
	sapi.do("GET", "/api/v1/customers", nil).expect(t, 200, "")
	sapi.do("POST", "/api/v1/customers", newCustomer("nope")).expect(t, 403, "forbidden")
	recv := webhooktest.Start(t)
	api.do("PATCH", "/api/v1/settings", map[string]any{"webhook_allow_private_targets": true}).expect(t, 200, "")
	hook := api.do("POST", "/api/v1/webhooks", map[string]any{"url": recv.URL(), "events": []string{"service.deleted"}}).expect(t, 201, "")
	hookID := id(hook)
	recv.SetSecret(hook.body["secret"].(string))
	recv.SetClock(e.Clock.Now)
	api.do("GET", "/api/v1/webhooks", nil).expect(t, 200, "")
	api.do("GET", p("/api/v1/webhooks/%d", hookID), nil).expect(t, 200, "")
	api.do("PATCH", p("/api/v1/webhooks/%d", hookID), map[string]any{"events": []string{"service.deleted", "account.deleted"}}).expect(t, 200, "")
	ping := api.do("POST", p("/api/v1/webhooks/%d/test", hookID), nil).expect(t, 202, "")
	if n, err := e.Panel.Webhooks.RunOnce(t.Context()); n != 1 || err != nil || recv.Received() != 1 || !recv.Deliveries()[0].ValidSignature {
		t.Fatalf("test event: %d %v, received %d", n, err, recv.Received())
	}
	api.do("GET", p("/api/v1/webhooks/%d/deliveries", hookID), nil).expect(t, 200, "")
	api.do("POST", p("/api/v1/webhooks/%d/deliveries/%d/redeliver", hookID, id(ping)), nil).expect(t, 202, "")

	// Deletes, by key.
	api.do("DELETE", p("/api/v1/services/%d", svcID), nil).expect(t, 200, "")
	api.do("DELETE", p("/api/v1/customers/%d?confirm=wrong", custID), nil).expect(t, 400, "invalid")
	api.do("DELETE", p("/api/v1/customers/%d?confirm=cust", custID), nil).expect(t, 200, "")
	api.do("DELETE", p("/api/v1/customers/%d?confirm=reseller", resellerID), nil).expect(t, 200, "")
	api.do("DELETE", p("/api/v1/plans/%d", planID), nil).expect(t, 200, "")
	api.do("DELETE", p("/api/v1/webhooks/%d", hookID), nil).expect(t, 200, "")
	api.do("DELETE", p("/api/v1/api-keys/%d", id(created)), nil).expect(t, 200, "")
	api.do("GET", "/api/v1/health", nil).expect(t, 401, "unauthorized")
	e.keyClient(t, "cdk_nothing_here").do("GET", "/api/v1/auth/me", nil).expect(t, 401, "unauthorized")

	exercise(t, e, rec)
}

// exercise validates every recorded exchange and checks each documented
// operation answered at least one success.
func exercise(t *testing.T, e *env, rec *recorder) {
	t.Helper()
	doc := fetchDoc(t, e)
	succeeded := map[string]bool{}
	done := make(chan struct{})
	go func() { rec.inFlight.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("a request is still being answered")
	}
	rec.mu.Lock()
	log := append([]exchange(nil), rec.log...)
	rec.mu.Unlock()
	for _, x := range log {
		if !strings.HasPrefix(x.path, "/api/") {
			continue
		}
		tmpl, op := doc.operation(x.method, x.path)
		if op == nil {
			if x.status != 404 && x.status != 405 {
				t.Errorf("%s %s answered %d but is not in the document", x.method, x.path, x.status)
			}
			continue
		}
		responses := op["responses"].(map[string]any)
		resp, ok := responses[fmt.Sprint(x.status)].(map[string]any)
		if !ok {
			if x.status < 400 {
				t.Errorf("%s %s: status %d is not documented", x.method, tmpl, x.status)
				continue
			}
			resp = responses["default"].(map[string]any)
		}
		if x.status < 300 {
			succeeded[x.method+" "+tmpl] = true
		}
		content, _ := resp["content"].(map[string]any)
		if content == nil {
			continue
		}
		if mt, _, _ := strings.Cut(x.contentType, ";"); mt != "application/json" && mt != "text/event-stream" && content[mt] != nil {
			continue // a file (a backup, a CSV export), documented as one: no JSON to validate
		}
		media, ok := content["application/json"].(map[string]any)
		if strings.HasPrefix(x.contentType, "text/event-stream") {
			// Each event's data is one JSON value of the documented schema.
			if m, ok := content["text/event-stream"].(map[string]any); ok {
				media = m
			}
			for _, line := range strings.Split(string(x.body), "\n") {
				data, isData := strings.CutPrefix(line, "data: ")
				if !isData {
					continue
				}
				dec := json.NewDecoder(strings.NewReader(data))
				dec.UseNumber()
				var ev any
				if err := dec.Decode(&ev); err != nil {
					t.Errorf("%s %s: event data is not JSON: %v", x.method, x.path, err)
					continue
				}
				for _, msg := range doc.validate(media["schema"].(map[string]any), ev, "event") {
					t.Errorf("%s %s -> %d: %s", x.method, tmpl, x.status, msg)
				}
			}
			continue
		}
		if !ok {
			t.Errorf("%s %s -> %d: no application/json content documented", x.method, tmpl, x.status)
			continue
		}
		schema := media["schema"].(map[string]any)
		dec := json.NewDecoder(bytes.NewReader(x.body))
		dec.UseNumber()
		var body any
		if err := dec.Decode(&body); err != nil {
			t.Errorf("%s %s %d: body is not JSON: %v", x.method, x.path, x.status, err)
			continue
		}
		for _, msg := range doc.validate(schema, body, "body") {
			t.Errorf("%s %s -> %d: %s", x.method, tmpl, x.status, msg)
		}
	}
	for path, item := range doc.raw["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			key := strings.ToUpper(method) + " " + path
			if !succeeded[key] {
				t.Errorf("%s: no successful answer validated; add it to the scenario", key)
			}
		}
	}
}
