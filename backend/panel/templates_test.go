package panel_test

import (
	"testing"

	"castdesk/backend/panel"
)

func TestHTMLToTextKeepsWordsApart(t *testing.T) {
	cases := map[string]string{
		`<p>Your <strong>stream</strong> is live.</p>`:                      "Your stream is live.",
		`<p>Hello <em>Ana</em>, <a href="https://x.example">log in</a></p>`: "Hello Ana, log in\nhttps://x.example",
		`<p>one</p><p>two</p>`:          "one\n\ntwo",
		`<ul><li>a</li><li>b</li></ul>`: "- a\n- b",
		`<p>no<b>space</b>here</p>`:     "nospacehere",
		`<p>a <b> b </b> c</p>`:         "a b c",
	}
	for in, want := range cases {
		if got := panel.HTMLToText(in); got != want {
			t.Errorf("HTMLToText(%q) = %q, want %q", in, got, want)
		}
	}
}
