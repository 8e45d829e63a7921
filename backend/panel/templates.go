package panel

import (
	"context"
	"html"
	"regexp"
	"sort"
	"strings"
)

// Email templates (docs/spec.md §6): editable per language, with placeholders
// written {{name}}. Values are HTML-escaped where they land in HTML; the
// plain-text alternative is made from the rendered HTML. Admin edits are
// kept in the settings table under mail_template.<name>.<lang>.{subject,html};
// an empty value means the built-in default.

const (
	TemplateWelcome      = "welcome"
	TemplateResetCode    = "reset_code"
	TemplateTempPassword = "temporary_password"
	TemplateCustom       = "custom"
	// TemplatePasswordChanged tells the owner that the password changed.
	TemplatePasswordChanged = "password_changed"
)

var (
	TemplateNames     = []string{TemplateWelcome, TemplateResetCode, TemplateTempPassword, TemplatePasswordChanged, TemplateAPIKeyExpiring, TemplateCustom}
	TemplateLanguages = []string{"en", "es"}
	// TemplatePlaceholders are the placeholders each template may use.
	TemplatePlaceholders = map[string][]string{
		TemplateWelcome:         {"name", "username", "login_url", "panel_name"},
		TemplateResetCode:       {"name", "username", "login_url", "panel_name", "code"},
		TemplateTempPassword:    {"name", "username", "login_url", "panel_name", "password"},
		TemplatePasswordChanged: {"name", "username", "login_url", "panel_name"},
		TemplateAPIKeyExpiring:  {"name", "username", "login_url", "panel_name", "key_name", "key_prefix", "expires_at"},
		TemplateCustom:          {"name", "username", "login_url", "panel_name", "subject", "message"},
	}
)

type templateText struct{ Subject, HTML string }

var defaultTemplates = map[string]templateText{
	"welcome.en": {"Welcome to {{panel_name}}",
		`<p>Hello {{name}},</p>
<p>Your {{panel_name}} account is ready. Your username is <strong>{{username}}</strong>.</p>
<p>Log in with the password you were given at:</p>
<p><a href="{{login_url}}">{{login_url}}</a></p>
<p>— {{panel_name}}</p>`},
	"welcome.es": {"Bienvenido a {{panel_name}}",
		`<p>Hola {{name}}:</p>
<p>Tu cuenta de {{panel_name}} está lista. Tu nombre de usuario es <strong>{{username}}</strong>.</p>
<p>Inicia sesión con la contraseña que te dieron en:</p>
<p><a href="{{login_url}}">{{login_url}}</a></p>
<p>— {{panel_name}}</p>`},
	"reset_code.en": {"Your {{panel_name}} password reset code",
		`<p>Hello {{name}},</p>
<p>Someone asked to reset the password of <strong>{{username}}</strong>. Your code is:</p>
<p style="font-size:1.4em"><strong>{{code}}</strong></p>
<p>Enter it on the “Set a new password” screen, or open this link, which fills it in for you:</p>
<p><a href="{{login_url}}">{{login_url}}</a></p>
<p>If it was not you, ignore this email.</p>`},
	"reset_code.es": {"Tu código para restablecer la contraseña de {{panel_name}}",
		`<p>Hola {{name}}:</p>
<p>Alguien pidió restablecer la contraseña de <strong>{{username}}</strong>. Tu código es:</p>
<p style="font-size:1.4em"><strong>{{code}}</strong></p>
<p>Introdúcelo en la pantalla «Elegir una contraseña nueva», o abre este enlace, que lo rellena por ti:</p>
<p><a href="{{login_url}}">{{login_url}}</a></p>
<p>Si no fuiste tú, ignora este correo.</p>`},
	"temporary_password.en": {"Your new {{panel_name}} password",
		`<p>Hello {{name}},</p>
<p>An administrator reset the password of <strong>{{username}}</strong>. Your temporary password is:</p>
<p style="font-size:1.4em"><strong>{{password}}</strong></p>
<p>Log in here; you will be asked to choose a new password:</p>
<p><a href="{{login_url}}">{{login_url}}</a></p>`},
	"temporary_password.es": {"Tu nueva contraseña de {{panel_name}}",
		`<p>Hola {{name}}:</p>
<p>Un administrador restableció la contraseña de <strong>{{username}}</strong>. Tu contraseña temporal es:</p>
<p style="font-size:1.4em"><strong>{{password}}</strong></p>
<p>Inicia sesión aquí; se te pedirá elegir una contraseña nueva:</p>
<p><a href="{{login_url}}">{{login_url}}</a></p>`},
	"password_changed.en": {"Your {{panel_name}} password was changed",
		`<p>Hello {{name}},</p>
<p>The password of <strong>{{username}}</strong> was just changed, and every session of the account was ended.</p>
<p>If it was not you, contact your administrator at once.</p>`},
	"password_changed.es": {"Se cambió tu contraseña de {{panel_name}}",
		`<p>Hola {{name}}:</p>
<p>Se acaba de cambiar la contraseña de <strong>{{username}}</strong> y se cerraron todas las sesiones de la cuenta.</p>
<p>Si no fuiste tú, avisa a tu administrador de inmediato.</p>`},
	"api_key_expiring.en": {"Your {{panel_name}} API key \"{{key_name}}\" expires soon",
		`<p>Hello {{name}},</p>
<p>The API key <strong>{{key_name}}</strong> (<code>{{key_prefix}}…</code>) of <strong>{{username}}</strong> expires on {{expires_at}}. After that, every call made with it is refused.</p>
<p>To keep it working, extend its expiry on the API keys page at <a href="{{login_url}}">{{login_url}}</a>.</p>
<p>— {{panel_name}}</p>`},
	"api_key_expiring.es": {"Tu clave de API \"{{key_name}}\" de {{panel_name}} caduca pronto",
		`<p>Hola {{name}}:</p>
<p>La clave de API <strong>{{key_name}}</strong> (<code>{{key_prefix}}…</code>) de <strong>{{username}}</strong> caduca el {{expires_at}}. Después, se rechazará toda llamada hecha con ella.</p>
<p>Para que siga funcionando, amplía su caducidad en la página de claves de API en <a href="{{login_url}}">{{login_url}}</a>.</p>
<p>— {{panel_name}}</p>`},
	"custom.en": {"{{subject}}",
		`<p>Hello {{name}},</p>
{{message}}
<p>— {{panel_name}}</p>`},
	"custom.es": {"{{subject}}",
		`<p>Hola {{name}}:</p>
{{message}}
<p>— {{panel_name}}</p>`},
}

// MailTemplate is one template in one language, as the editor shows it.
type MailTemplate struct {
	Name         string   `json:"name"`
	Language     string   `json:"language"`
	Subject      string   `json:"subject"`
	HTML         string   `json:"html"`
	IsDefault    bool     `json:"is_default"`
	Placeholders []string `json:"placeholders"`
}

type TemplateList struct {
	Items []MailTemplate `json:"items"`
}

// TemplateInput edits (or previews) one template.
type TemplateInput struct {
	Name     string `json:"name"`
	Language string `json:"language"`
	Subject  string `json:"subject"`
	HTML     string `json:"html"`
}

type RenderedMail struct {
	Subject string `json:"subject"`
	HTML    string `json:"html"`
	Text    string `json:"text"`
}

type templateSet map[string]templateText

func templateKey(name, lang, part string) string {
	return "mail_template." + name + "." + lang + "." + part
}

func (m *Mail) templatesFrom(ctx context.Context, r Reader) (templateSet, error) {
	values, err := r.Settings(ctx)
	if err != nil {
		return nil, Internal(err)
	}
	out := templateSet{}
	for k, v := range defaultTemplates {
		out[k] = v
	}
	for _, name := range TemplateNames {
		for _, lang := range TemplateLanguages {
			t := out[name+"."+lang]
			if s := values[templateKey(name, lang, "subject")]; s != "" {
				t.Subject = s
			}
			if h := values[templateKey(name, lang, "html")]; h != "" {
				t.HTML = h
			}
			out[name+"."+lang] = t
		}
	}
	return out, nil
}

func templateLanguage(lang string) string {
	for _, l := range TemplateLanguages {
		if l == lang {
			return l
		}
	}
	return "en"
}

var placeholderRE = regexp.MustCompile(`\{\{\s*([a-z_]+)\s*\}\}`)

// render fills a template. message is already-sanitised HTML for the custom
// wrapper; every other value is escaped.
func (ts templateSet) render(name, lang string, vars map[string]string, message string) RenderedMail {
	t := ts[name+"."+templateLanguage(lang)]
	subject := placeholderRE.ReplaceAllStringFunc(t.Subject, func(tok string) string {
		return vars[placeholderRE.FindStringSubmatch(tok)[1]]
	})
	// A subject is one header line, whatever a value held.
	subject = strings.Join(strings.Fields(subject), " ")
	body := placeholderRE.ReplaceAllStringFunc(t.HTML, func(tok string) string {
		key := placeholderRE.FindStringSubmatch(tok)[1]
		if key == "message" {
			return message
		}
		return html.EscapeString(vars[key])
	})
	body = SanitizeHTML(body)
	return RenderedMail{Subject: subject, HTML: body, Text: HTMLToText(body)}
}

func validTemplate(name, lang string) bool {
	_, ok := TemplatePlaceholders[name]
	return ok && templateLanguage(lang) == lang
}

// Templates lists every template in every language (admin).
func (m *Mail) Templates(ctx context.Context) (TemplateList, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return TemplateList{}, err
	}
	ts, err := m.templatesFrom(ctx, m.deps.Store)
	if err != nil {
		return TemplateList{}, err
	}
	out := TemplateList{Items: []MailTemplate{}}
	for _, name := range TemplateNames {
		for _, lang := range TemplateLanguages {
			t, def := ts[name+"."+lang], defaultTemplates[name+"."+lang]
			out.Items = append(out.Items, MailTemplate{Name: name, Language: lang, Subject: t.Subject, HTML: t.HTML,
				IsDefault: t == def, Placeholders: TemplatePlaceholders[name]})
		}
	}
	return out, nil
}

func (m *Mail) checkTemplate(in TemplateInput) error {
	if !validTemplate(in.Name, in.Language) {
		return NotFound("Template")
	}
	fields := &Problems{}
	allowed := map[string]bool{}
	for _, p := range TemplatePlaceholders[in.Name] {
		allowed[p] = true
	}
	check := func(field, text string) {
		for _, mt := range placeholderRE.FindAllStringSubmatch(text, -1) {
			if !allowed[mt[1]] || (field == "subject" && mt[1] == "message") {
				fields.Add(field, ReasonUnknownPlaceholder)
			}
		}
	}
	switch {
	case strings.TrimSpace(in.Subject) == "":
		fields.Add("subject", ReasonRequired)
	case len(in.Subject) > maxSubjectLen:
		fields.TooLong("subject", maxSubjectLen)
	case strings.ContainsAny(in.Subject, "\r\n\x00"):
		fields.Add("subject", ReasonInvalid)
	default:
		check("subject", in.Subject)
	}
	switch {
	case strings.TrimSpace(in.HTML) == "":
		fields.Add("html", ReasonRequired)
	case len(in.HTML) > maxMessageLen:
		fields.TooLong("html", maxMessageLen)
	default:
		check("html", in.HTML)
		if in.Name == TemplateCustom && !strings.Contains(placeholderRE.ReplaceAllString(in.HTML, "{{$1}}"), "{{message}}") {
			fields.Add("html", ReasonMissingMessage)
		}
	}
	if !fields.Empty() {
		return fields.Err()
	}
	return nil
}

// UpdateTemplate saves an edited template (admin).
func (m *Mail) UpdateTemplate(ctx context.Context, in TemplateInput) (MailTemplate, error) {
	c, err := requireAdmin(ctx)
	if err != nil {
		return MailTemplate{}, err
	}
	in.Subject = strings.TrimSpace(in.Subject)
	if err := m.checkTemplate(in); err != nil {
		return MailTemplate{}, err
	}
	return m.saveTemplate(ctx, c, in.Name, in.Language, in.Subject, in.HTML)
}

// ResetTemplate goes back to the built-in text (admin).
func (m *Mail) ResetTemplate(ctx context.Context, name, lang string) (MailTemplate, error) {
	c, err := requireAdmin(ctx)
	if err != nil {
		return MailTemplate{}, err
	}
	if !validTemplate(name, lang) {
		return MailTemplate{}, NotFound("Template")
	}
	return m.saveTemplate(ctx, c, name, lang, "", "")
}

func (m *Mail) saveTemplate(ctx context.Context, c *Caller, name, lang, subject, body string) (MailTemplate, error) {
	var out MailTemplate
	err := m.deps.Store.Write(ctx, func(tx Tx) error {
		if err := tx.SaveSettings(ctx, map[string]string{templateKey(name, lang, "subject"): subject,
			templateKey(name, lang, "html"): body}); err != nil {
			return err
		}
		ts, err := m.templatesFrom(ctx, tx)
		if err != nil {
			return err
		}
		t := ts[name+"."+lang]
		out = MailTemplate{Name: name, Language: lang, Subject: t.Subject, HTML: t.HTML,
			IsDefault: t == defaultTemplates[name+"."+lang], Placeholders: TemplatePlaceholders[name]}
		event := "mail_template.update"
		if subject == "" {
			event = "mail_template.reset"
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: m.deps.now(), Event: event, SubjectType: "mail_template",
			SubjectID: name + "." + lang}))
	})
	if err != nil {
		return MailTemplate{}, wrapErr(err)
	}
	return out, nil
}

// PreviewTemplate renders a (possibly unsaved) template with sample values.
func (m *Mail) PreviewTemplate(ctx context.Context, in TemplateInput) (RenderedMail, error) {
	c, err := requireAdmin(ctx)
	if err != nil {
		return RenderedMail{}, err
	}
	if err := m.checkTemplate(in); err != nil {
		return RenderedMail{}, err
	}
	set, err := m.settings.current(ctx, m.deps.Store)
	if err != nil {
		return RenderedMail{}, err
	}
	sample := &Account{Name: "Jane Doe", Username: "jane", Language: in.Language}
	vars := m.placeholders(set, sample)
	vars["code"], vars["password"], vars["subject"] = "483920", "temporary-Password-42", "A message from "+panelNameOf(set.smtpConfig())
	vars["key_name"], vars["key_prefix"], vars["expires_at"] = "Billing", "cdk_k3yprefx", "2026-12-31 23:59 UTC"
	_ = c
	ts := templateSet{in.Name + "." + in.Language: {Subject: in.Subject, HTML: in.HTML}}
	message := "<p>This is where the message you write goes.</p>"
	if in.Language == "es" {
		message = "<p>Aquí va el mensaje que escribas.</p>"
	}
	return ts.render(in.Name, in.Language, vars, message), nil
}

// sortedKeys is for stable messages.
func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
