package panel

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Text that reaches email headers, the audit log and other people's screens
// must not carry invisible controls: a line break in a name makes every
// message to it fail as header injection, and a bidi override makes a name
// display as something else.

// unsafeRune is a control character: C0 (NUL, tab, CR, LF...), DEL and C1;
// the line and paragraph separators; and Unicode's Bidi_Control set — the
// embeddings and overrides U+202A–U+202E, the isolates U+2066–U+2069, the
// marks U+200E, U+200F and U+061C. The marks are refused too: they are
// invisible, names and phone numbers read fine without them, and they can
// reorder how neighbouring text displays.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029'
}

// hasUnsafeRune tells whether s holds a control character (see unsafeRune).
func hasUnsafeRune(s string) bool { return strings.IndexFunc(s, unsafeRune) >= 0 }

// checkText records ReasonControlCharacter for field when s holds one, and
// tells whether it did.
func checkText(field, s string, fields *Problems) bool {
	if hasUnsafeRune(s) {
		fields.Add(field, ReasonControlCharacter)
		return true
	}
	return false
}

// SafeDisplayName is s with every control character replaced by a space,
// for names stored before they were refused (an email header's display name).
func SafeDisplayName(s string) string {
	if !hasUnsafeRune(s) {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, unsafeRune), " ")
}

// NormalizeUsername is a typed username as it is stored: trimmed, in NFKC,
// so the compatibility forms of ASCII letters (fullwidth "ａｄｍｉｎ", the
// Kelvin sign, ligatures) become those letters.
func NormalizeUsername(u string) string { return norm.NFKC.String(strings.TrimSpace(u)) }

// UsernameKey is the form uniqueness is checked and logins are looked up
// on (docs/spec.md §1): NFKC, case folded, NFKC again (Unicode's
// NFKC_Casefold, near enough), so look-alikes that only differ by letter
// case or compatibility form are the same username.
func UsernameKey(username string) string {
	return norm.NFKC.String(cases.Fold().String(NormalizeUsername(username)))
}
