package panel_test

import (
	"strings"
	"testing"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

func TestWelcomeEmailInTheRecipientsLanguage(t *testing.T) {
	k := newMailKit(t, testMail)
	pub := "https://panel.example.org"
	if _, err := k.Panel.Settings.Update(k.admin, panel.SettingsPatch{PublicBaseURL: &pub}); err != nil {
		t.Fatal(err)
	}
	st, err := k.Panel.Mail.Status(k.admin)
	if err != nil || !st.Configured {
		t.Fatalf("status %+v %v", st, err)
	}
	acc, err := k.Panel.Accounts.Create(k.admin, panel.CreateAccountInput{Username: "maria", Name: "María <b>López</b>",
		Email: "maria@example.org", Language: "es", Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword,
		SendWelcomeEmail: true})
	if err != nil {
		t.Fatal(err)
	}
	// Without the box ticked, nothing is queued.
	other := k.CreateAccount(t, k.admin, "nomail", panel.LevelCustomer)
	if log := k.log(t, other.ID); len(log) != 0 {
		t.Fatalf("unticked create queued %d mails", len(log))
	}
	k.runOnce(t)
	sent := k.mailer.Messages()
	if len(sent) != 1 {
		t.Fatalf("sent %d messages", len(sent))
	}
	got := sent[0]
	if got.Subject != "Bienvenido a Radio Panel" || got.To != "maria@example.org" || got.FromAddress != "panel@example.org" {
		t.Fatalf("welcome: subject %q to %q from %q", got.Subject, got.To, got.FromAddress)
	}
	if !strings.Contains(got.Text, "maria") || !strings.Contains(got.Text, "https://panel.example.org/") ||
		!strings.Contains(got.HTML, "Hola María &lt;b&gt;López&lt;/b&gt;") {
		t.Fatalf("welcome parts:\n%s\n---\n%s", got.Text, got.HTML)
	}
	if strings.Contains(got.Subject+got.Text+got.HTML, testkit.StrongPassword) {
		t.Fatal("the welcome email carries the password")
	}
	if log := k.log(t, acc.ID); len(log) != 1 || log[0].Kind != panel.TemplateWelcome || log[0].State != panel.MailSent {
		t.Fatalf("log %+v", log)
	}
}

func TestTemplatesEditPreviewReset(t *testing.T) {
	k := newMailKit(t, testMail)
	list, err := k.Panel.Mail.Templates(k.admin)
	if err != nil || len(list.Items) != len(panel.TemplateNames)*2 {
		t.Fatalf("templates: %d %v", len(list.Items), err)
	}
	if _, err := k.Panel.Mail.UpdateTemplate(k.admin, panel.TemplateInput{Name: "welcome", Language: "es",
		Subject: "Hola {{nombre}}", HTML: "<p>x</p>"}); panel.AsError(err).Fields["subject"] != "unknown_placeholder" {
		t.Fatalf("unknown placeholder: %v", err)
	}
	if _, err := k.Panel.Mail.UpdateTemplate(k.admin, panel.TemplateInput{Name: "custom", Language: "en",
		Subject: "{{subject}}", HTML: "<p>no message</p>"}); panel.AsError(err).Fields["html"] != "missing_message" {
		t.Fatalf("custom without message: %v", err)
	}
	tpl, err := k.Panel.Mail.UpdateTemplate(k.admin, panel.TemplateInput{Name: "welcome", Language: "es",
		Subject: "¡Hola {{ name }}!", HTML: "<p>Usuario: {{username}} <script>x()</script></p>"})
	if err != nil || tpl.IsDefault {
		t.Fatalf("update: %+v %v", tpl, err)
	}
	pv, err := k.Panel.Mail.PreviewTemplate(k.admin, panel.TemplateInput{Name: "welcome", Language: "es", Subject: tpl.Subject, HTML: tpl.HTML})
	if err != nil || pv.Subject != "¡Hola Jane Doe!" || !strings.Contains(pv.Text, "Usuario: jane") || strings.Contains(pv.HTML, "script") {
		t.Fatalf("preview %+v %v", pv, err)
	}
	if _, err := k.Panel.Accounts.Create(k.admin, panel.CreateAccountInput{Username: "pepe", Name: "Pepe", Email: "pepe@example.org",
		Language: "es", Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword, SendWelcomeEmail: true}); err != nil {
		t.Fatal(err)
	}
	k.runOnce(t)
	if sent := k.mailer.Messages(); len(sent) != 1 || sent[0].Subject != "¡Hola Pepe!" {
		t.Fatalf("edited template not used: %+v", sent)
	}
	tpl, err = k.Panel.Mail.ResetTemplate(k.admin, "welcome", "es")
	if err != nil || !tpl.IsDefault || tpl.Subject != "Bienvenido a {{panel_name}}" {
		t.Fatalf("reset: %+v %v", tpl, err)
	}
}
