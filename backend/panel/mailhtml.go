package panel

import (
	"html"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	xhtml "golang.org/x/net/html"
)

// The HTML of an email: what survives of an admin's HTML (SanitizeHTML) and
// the plain-text alternative made from it (HTMLToText).
//
// These stay in panel, not next to the SMTP adapter, because the panel
// needs them before anything is sent: previews (Email this user, template
// previews) show the sanitised HTML and its text, "Email this user" refuses
// a message whose text is empty, and the outbox row stores both parts when
// it is queued, so the mail log shows exactly what goes out and the mailer
// sends the row as it is.

var htmlPolicy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowAttrs("style").OnElements("p", "span", "div")
	p.AllowStyles("font-size", "font-weight", "color", "text-align").Globally()
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return p
}()

// SanitizeHTML keeps formatting, links and images and drops scripts, event
// handlers, forms, frames and anything that could run or phone home on open.
func SanitizeHTML(s string) string {
	return strings.TrimSpace(htmlPolicy.Sanitize(s))
}

// HTMLToText makes the plain-text alternative of an HTML body.
func HTMLToText(s string) string {
	doc, err := xhtml.Parse(strings.NewReader(s))
	if err != nil {
		return s
	}
	var b strings.Builder
	// spaceAfter: the previous text ended in whitespace, which Fields drops;
	// "Your <strong>stream</strong>" must keep its space.
	spaceAfter := false
	var walk func(n *xhtml.Node, inPre bool)
	newline := func(n int) {
		cur := b.String()
		trail := len(cur) - len(strings.TrimRight(cur, "\n"))
		for i := trail; i < n && len(cur) > 0; i++ {
			b.WriteByte('\n')
		}
	}
	walk = func(n *xhtml.Node, inPre bool) {
		switch n.Type {
		case xhtml.TextNode:
			t := n.Data
			if !inPre {
				t = strings.Join(strings.Fields(t), " ")
				if t == "" {
					spaceAfter = spaceAfter || n.Data != ""
					return
				}
				cur := b.String()
				leading := n.Data[0] == ' ' || n.Data[0] == '\n' || n.Data[0] == '\t'
				if len(cur) > 0 && !strings.HasSuffix(cur, "\n") && !strings.HasSuffix(cur, " ") && (leading || spaceAfter) {
					b.WriteByte(' ')
				}
				last := n.Data[len(n.Data)-1]
				spaceAfter = last == ' ' || last == '\n' || last == '\t'
			}
			b.WriteString(t)
			return
		case xhtml.ElementNode:
			switch n.Data {
			case "script", "style", "head", "title":
				return
			case "br":
				b.WriteByte('\n')
				return
			case "li":
				newline(1)
				b.WriteString("- ")
			case "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre", "hr":
				newline(2)
			case "tr":
				newline(1)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inPre || (n.Type == xhtml.ElementNode && n.Data == "pre"))
		}
		if n.Type == xhtml.ElementNode {
			switch n.Data {
			case "a":
				for _, a := range n.Attr {
					if a.Key == "href" && a.Val != "" && !strings.HasPrefix(a.Val, "#") {
						text := lastLine(b.String())
						if !strings.Contains(text, a.Val) {
							b.WriteString(" (" + a.Val + ")")
						}
					}
				}
			case "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre":
				newline(2)
			case "td", "th":
				b.WriteByte('\t')
			}
		}
	}
	walk(doc, false)
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	out := strings.TrimSpace(strings.Join(lines, "\n"))
	for strings.Contains(out, "\n\n\n") {
		out = strings.ReplaceAll(out, "\n\n\n", "\n\n")
	}
	return out
}

func lastLine(s string) string {
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

func htmlEscape(s string) string { return html.EscapeString(s) }
