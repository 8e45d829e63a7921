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

// HTMLToText makes the plain-text alternative of an HTML body. A link's
// address stands alone on its line (after the link's words when they are
// not the address itself): nothing a mail program could take as part of it,
// like the "." ending the sentence, is written right after it.
func HTMLToText(s string) string {
	doc, err := xhtml.Parse(strings.NewReader(s))
	if err != nil {
		return s
	}
	var b strings.Builder
	// spaceAfter: the previous text ended in whitespace, which Fields drops;
	// "Your <strong>stream</strong>" must keep its space.
	spaceAfter := false
	// breakBefore: an address was just written; what follows starts a new line.
	breakBefore := false
	var walk func(n *xhtml.Node, inPre bool)
	newline := func(n int) {
		breakBefore = false
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
				if breakBefore {
					newline(1)
					spaceAfter = false
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
				newline(0)
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
		start := b.Len()
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inPre || (n.Type == xhtml.ElementNode && n.Data == "pre"))
		}
		if n.Type == xhtml.ElementNode {
			switch n.Data {
			case "a":
				if href := linkAddress(n); href != "" {
					words := strings.TrimSpace(b.String()[start:])
					switch {
					case words == href:
						// The address is the link's text: move it to a line of its own.
						cur := b.String()
						b.Reset()
						b.WriteString(strings.TrimRight(cur[:start], " "))
						newline(1)
						b.WriteString(href)
					case strings.Contains(words, href):
						// The words already hold the address: nothing more to write.
					default:
						newline(1)
						b.WriteString(href)
					}
					breakBefore = true
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

// linkAddress is the href of an <a> worth writing out ("" for none or an
// anchor in the page).
func linkAddress(n *xhtml.Node) string {
	for _, a := range n.Attr {
		if a.Key == "href" && a.Val != "" && !strings.HasPrefix(a.Val, "#") {
			return a.Val
		}
	}
	return ""
}

func htmlEscape(s string) string { return html.EscapeString(s) }
