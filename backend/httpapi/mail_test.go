package httpapi_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"castdesk/backend/httpapi"
	"castdesk/backend/mailer"
	"castdesk/backend/mailer/smtptest"
	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

func TestEmailRoutes(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{Mode: smtptest.STARTTLS, Username: "u@example.org", Password: "smtp-Pass-123"})
	kit := testkit.New(t)
	kit.Mailer = &mailer.Mailer{RootCAs: s.RootCAs}
	kit.Reopen(t)
	srv := httptest.NewServer(httpapi.New(kit.Panel, fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}},
		slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	e := &env{Env: kit, srv: srv}
	c := e.client(t)
	c.do("POST", "/api/v1/setup", setupBody).expect(t, 201, "")
	c.do("GET", "/api/v1/mail/status", nil).expect(t, 200, "")

	// Settings: the password is write-only; GET shows only that it is set.
	set := c.do("PATCH", "/api/v1/settings", map[string]any{"smtp_host": s.Host, "smtp_port": s.Port, "smtp_encryption": "starttls",
		"smtp_username": "u@example.org", "smtp_password": "smtp-Pass-123", "smtp_from_address": "panel@example.org",
		"smtp_from_name": "Radio Panel"}).expect(t, 200, "")
	if set.body["smtp_password_set"] != true || strings.Contains(set.raw, "smtp-Pass-123") {
		t.Fatalf("settings answer: %s", set.raw)
	}
	if got := c.do("GET", "/api/v1/settings", nil).expect(t, 200, ""); got.body["smtp_password_set"] != true || strings.Contains(got.raw, "smtp-Pass-123") {
		t.Fatalf("settings: %s", got.raw)
	}
	bad := c.do("PATCH", "/api/v1/settings", map[string]any{"smtp_encryption": "none"}).expect(t, 400, "invalid")
	if bad.field("smtp_encryption") != "insecure_auth" {
		t.Fatalf("username over none: %s", bad.raw)
	}
	if st := c.do("GET", "/api/v1/mail/status", nil).expect(t, 200, ""); st.body["configured"] != true {
		t.Fatalf("status: %s", st.raw)
	}

	// Test email: success, then a precise failure.
	c.do("POST", "/api/v1/settings/email/test", map[string]any{"to": "me@example.org"}).expect(t, 200, "")
	c.do("PATCH", "/api/v1/settings", map[string]any{"smtp_password": "wrong"}).expect(t, 200, "")
	fail := c.do("POST", "/api/v1/settings/email/test", map[string]any{"to": "me@example.org"}).expect(t, 503, "unavailable")
	if fail.field("smtp_username") != "auth_failed" || fail.field("smtp_password") != "auth_failed" || !strings.Contains(fail.body["message"].(string), "535") {
		t.Fatalf("test email failure: %s", fail.raw)
	}
	c.do("PATCH", "/api/v1/settings", map[string]any{"smtp_password": "smtp-Pass-123"}).expect(t, 200, "")

	// Email this user: preview, queue, log, send, resend.
	acc := c.do("POST", "/api/v1/customers", map[string]any{"username": "jane", "name": "Jane", "email": "jane@example.org",
		"password": "Corr3ct-Horse-Battery", "password_confirm": "Corr3ct-Horse-Battery", "send_welcome_email": true}).expect(t, 201, "")
	id := int64(acc.body["account"].(map[string]any)["id"].(float64))
	base := fmt.Sprintf("/api/v1/customers/%d", id)
	pv := c.do("POST", base+"/email/preview", map[string]any{"subject": "Hi", "message": "<p>Hello<script>x()</script></p>"}).expect(t, 200, "")
	if strings.Contains(pv.raw, "<script") || pv.body["to"] != "jane@example.org" || pv.body["text"] == "" {
		t.Fatalf("preview: %s", pv.raw)
	}
	c.do("POST", base+"/email", map[string]any{"subject": "Hi\nBcc: x@example.org", "message": "<p>x</p>"}).expect(t, 400, "invalid")
	q := c.do("POST", base+"/email", map[string]any{"subject": "Hi", "message": "<p>Hello</p>"}).expect(t, 202, "")
	if q.body["mail_id"] == nil || q.body["state"] != "queued" {
		t.Fatalf("queued: %s", q.raw)
	}
	if ov := c.do("GET", base, nil).expect(t, 200, ""); ov.body["mail"].(map[string]any)["queued"] != float64(2) {
		t.Fatalf("overview mail: %s", ov.raw)
	}
	for i := 0; i < 2; i++ {
		if _, err := e.Panel.Mail.RunOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	s.WaitFor(t, 3, 5*time.Second) // test email, welcome, message
	log := c.do("GET", base+"/mail", nil).expect(t, 200, "")
	items := log.body["items"].([]any)
	if len(items) != 2 || items[0].(map[string]any)["state"] != "sent" || items[1].(map[string]any)["kind"] != "welcome" {
		t.Fatalf("mail log: %s", log.raw)
	}
	mailID := int64(q.body["mail_id"].(float64))
	c.do("POST", fmt.Sprintf("%s/mail/%d/resend", base, mailID), nil).expect(t, 202, "")
	c.do("POST", fmt.Sprintf("%s/mail/%d/resend", base, 9999), nil).expect(t, 404, "not_found")

	// Templates.
	list := c.do("GET", "/api/v1/templates", nil).expect(t, 200, "")
	if n := len(list.body["items"].([]any)); n != len(panel.TemplateNames)*len(panel.TemplateLanguages) {
		t.Fatalf("%d templates", n)
	}
	c.do("PUT", "/api/v1/templates/welcome/es", map[string]any{"subject": "Hola {{nope}}", "html": "<p>x</p>"}).expect(t, 400, "invalid")
	c.do("PUT", "/api/v1/templates/nope/es", map[string]any{"subject": "x", "html": "<p>x</p>"}).expect(t, 404, "not_found")
	saved := c.do("PUT", "/api/v1/templates/welcome/es", map[string]any{"subject": "Hola {{name}}", "html": "<p>Hola {{name}}</p>"}).expect(t, 200, "")
	if saved.body["is_default"] != false {
		t.Fatalf("saved: %s", saved.raw)
	}
	pr := c.do("POST", "/api/v1/templates/welcome/es/preview", map[string]any{"subject": "Hola {{name}}", "html": "<p>Hola {{name}}</p>"}).expect(t, 200, "")
	if pr.body["subject"] != "Hola Jane Doe" {
		t.Fatalf("preview: %s", pr.raw)
	}
	if reset := c.do("DELETE", "/api/v1/templates/welcome/es", nil).expect(t, 200, ""); reset.body["is_default"] != true {
		t.Fatalf("reset: %s", reset.raw)
	}

	// A customer: its own log yes, emailing and templates no.
	jane := e.client(t)
	jane.do("POST", "/api/v1/auth/login", map[string]any{"username": "jane", "password": "Corr3ct-Horse-Battery"}).expect(t, 200, "")
	jane.do("GET", base+"/mail", nil).expect(t, 200, "")
	jane.do("POST", base+"/email", map[string]any{"subject": "Hi", "message": "<p>x</p>"}).expect(t, 403, "forbidden")
	jane.do("GET", "/api/v1/templates", nil).expect(t, 403, "forbidden")
	jane.do("POST", "/api/v1/settings/email/test", map[string]any{}).expect(t, 403, "forbidden")
}
