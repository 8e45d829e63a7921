package panel_test

import (
	"context"
	"strings"
	"testing"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// A link's address stands alone on its line in the plain-text part: nothing
// a mail program could take as part of it (the "." ending the sentence, a
// closing parenthesis) is written right after it.
func TestHTMLToTextPutsLinksOnTheirOwnLine(t *testing.T) {
	cases := map[string]string{
		`<p>Enter it at <a href="https://x.example/#/reset?code=AB">https://x.example/#/reset?code=AB</a>. Thanks.</p>`: "Enter it at\nhttps://x.example/#/reset?code=AB\n. Thanks.",
		`<p>Hello, <a href="https://x.example">log in</a> now</p>`:                                                      "Hello, log in\nhttps://x.example\nnow",
		`<p>Open:</p><p><a href="https://x.example/a">https://x.example/a</a></p><p>Bye</p>`:                            "Open:\n\nhttps://x.example/a\n\nBye",
		`<p>See <a href="#top">above</a>.</p>`:                                                                          "See above.",
	}
	for in, want := range cases {
		if got := panel.HTMLToText(in); got != want {
			t.Errorf("HTMLToText(%q) =\n%q, want\n%q", in, got, want)
		}
	}
}

// The built-in templates with a link put it in a paragraph of its own, so
// both parts carry the bare address; a link followed with the "." or ")"
// mail programs add still resets the password.
func TestResetLinkStandsAloneAndTrailingPunctuationIsIgnored(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	if _, err := env.Panel.Settings.Update(adminCtx, panel.SettingsPatch{PublicBaseURL: ptr("https://panel.example.org")}); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "es"} {
		acc, err := env.Panel.Accounts.Create(adminCtx, panel.CreateAccountInput{Username: "link-" + lang, Name: "Link " + lang,
			Email: "link-" + lang + "@example.org", Language: lang, Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword})
		if err != nil {
			t.Fatal(err)
		}
		for i, tail := range []string{".", ")."} {
			if err := env.Panel.Auth.Forgot(t.Context(), panel.ForgotInput{Login: acc.Username}, "10.0.0.1"); err != nil {
				t.Fatal(err)
			}
			m := lastMail(t, env, acc.ID, panel.TemplateResetCode)
			code := codePattern.FindString(m.Text)
			link := "https://panel.example.org/#/reset?code=" + code
			alone := false
			for _, line := range strings.Split(m.Text, "\n") {
				if strings.Contains(line, "#/reset?code=") {
					if line != link {
						t.Fatalf("%s: the link's line is %q, want %q alone:\n%s", lang, line, link, m.Text)
					}
					alone = true
				}
			}
			if !alone {
				t.Fatalf("%s: no link line in:\n%s", lang, m.Text)
			}
			// Followed with what came after it in a careless copy: the code still counts.
			pw := "Link-Passw0rd-" + lang + string(rune('A'+i))
			if err := env.Panel.Auth.Reset(t.Context(), panel.ResetInput{Code: code + tail, Password: pw, PasswordConfirm: pw}, "10.0.0.1"); err != nil {
				t.Fatalf("%s: reset with %q after the code: %v", lang, tail, err)
			}
		}
	}
	// The welcome and temporary-password templates have their link alone too.
	for _, name := range []string{panel.TemplateWelcome, panel.TemplateTempPassword} {
		for _, lang := range []string{"en", "es"} {
			r, err := env.Panel.Mail.PreviewTemplate(adminCtx, panel.TemplateInput{Name: name, Language: lang, Subject: "x", HTML: defaultHTML(t, env, adminCtx, name, lang)})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, line := range strings.Split(r.Text, "\n") {
				if strings.Contains(line, "https://panel.example.org") {
					found = true
					if line != "https://panel.example.org/" {
						t.Errorf("%s.%s: the link's line is %q", name, lang, line)
					}
				}
			}
			if !found {
				t.Errorf("%s.%s: no link in:\n%s", name, lang, r.Text)
			}
		}
	}
}

// defaultHTML is a built-in template's HTML, from the templates list.
func defaultHTML(t *testing.T, env *testkit.Env, ctx context.Context, name, lang string) string {
	t.Helper()
	list, err := env.Panel.Mail.Templates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tpl := range list.Items {
		if tpl.Name == name && tpl.Language == lang {
			return tpl.HTML
		}
	}
	t.Fatalf("no template %s.%s", name, lang)
	return ""
}
