package ops

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"castdesk/backend/panel"
)

// GeneratedTSPath is where `make bindings` writes TypeScript(), relative to
// the repository root; a test fails when the committed file is stale.
const GeneratedTSPath = "frontend/src/api/generated.ts"

// Types the SPA receives outside an operation's answer: the error body and
// the window's event payloads.
var extraOutputTypes = []reflect.Type{
	reflect.TypeFor[panel.Error](),
	reflect.TypeFor[panel.MediaChanged](),
	reflect.TypeFor[MediaDrop](),
}

// Closed lists the SPA needs as values (menus, filters, translations).
func constants() []tsConst {
	return []tsConst{
		{"ERROR_CODES", "ErrorCode", strs(panel.ErrorCodes)},
		{"FIELD_REASONS", "FieldReason", strs(panel.FieldReasons)},
		{"LEVELS", "Level", TypeEnums[reflect.TypeFor[panel.Level]()]},
		{"STATUSES", "Status", TypeEnums[reflect.TypeFor[panel.Status]()]},
		{"LANGUAGES", "Language", panel.Languages},
		{"SERVICE_TYPES", "ServiceType", panel.ServiceTypes},
		{"SERVICE_STATUSES", "ServiceStatus", []string{panel.ServiceActive, panel.ServiceSuspended}},
		{"TEMPLATE_NAMES", "TemplateName", panel.TemplateNames},
		{"API_KEY_SCOPES", "APIKeyScope", panel.AllScopes()},
		{"SCOPE_AREAS", "ScopeArea", strs(panel.ScopeAreas)},
		{"WEBHOOK_EVENTS", "WebhookEvent", panel.WebhookEvents},
		{"DELIVERY_STATES", "DeliveryState", TypeEnums[reflect.TypeFor[panel.DeliveryState]()]},
		{"WEBHOOK_ERROR_KINDS", "WebhookErrorKind", strs(panel.WebhookErrorKinds)},
		{"MEDIA_KINDS", "MediaKind", strs([]panel.MediaKind{panel.KindAudio, panel.KindVideo, panel.KindImage, panel.KindPlaylist, panel.KindOther})},
		{"MAIL_STATES", "MailState", TypeEnums[reflect.TypeFor[panel.MailState]()]},
		{"ACCOUNT_SORTS", "AccountSortColumn", panel.AccountSorts},
		{"MEDIA_SORTS", "MediaSortColumn", panel.MediaSorts},
	}
}

// namedTypes are Go string types written as the union type of a constant.
var namedTypes = map[reflect.Type]string{
	reflect.TypeFor[panel.Code]():             "ErrorCode",
	reflect.TypeFor[panel.Reason]():           "FieldReason",
	reflect.TypeFor[panel.Level]():            "Level",
	reflect.TypeFor[panel.Status]():           "Status",
	reflect.TypeFor[panel.MailState]():        "MailState",
	reflect.TypeFor[panel.MediaKind]():        "MediaKind",
	reflect.TypeFor[panel.DeliveryState]():    "DeliveryState",
	reflect.TypeFor[panel.WebhookErrorKind](): "WebhookErrorKind",
}

// tsNames rename Go types whose name means something else in TypeScript.
var tsNames = map[reflect.Type]string{
	reflect.TypeFor[panel.Error](): "ErrorBody",
}

// namedFields are plain string fields written as such a union type.
var namedFields = map[FieldKey]string{
	{reflect.TypeFor[panel.Service](), "status"}:        "ServiceStatus",
	{reflect.TypeFor[panel.Service](), "type"}:          "ServiceType",
	{reflect.TypeFor[panel.ServiceSummary](), "status"}: "ServiceStatus",
	{reflect.TypeFor[panel.ServiceSummary](), "type"}:   "ServiceType",
	{reflect.TypeFor[panel.Account](), "language"}:      "Language",
}

type tsConst struct {
	name, typeName string
	values         []string
}

func strs[S ~string](in []S) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = string(s)
	}
	return out
}

// A struct is written once per mode: as an answer (fields as Go sends
// them) and as an input (every field optional but those filled from the
// path, as the doors decode absent fields as "not given").
type tsMode int

const (
	outputMode tsMode = iota
	inputMode
)

type tsKey struct {
	t    reflect.Type
	mode tsMode
}

type tsGen struct {
	names map[tsKey]string
	taken map[string]tsKey
	decls map[string]string
	// queue holds the structs named but not yet written.
	queue []tsKey
}

// TypeScript is the SPA's generated API module: the operation table, the
// input and output type of every operation, the error vocabulary and the
// closed lists.
func TypeScript() string {
	g := &tsGen{names: map[tsKey]string{}, taken: map[string]tsKey{}, decls: map[string]string{}}
	// Answers first, so a type used both ways keeps its Go name as an answer.
	for _, o := range catalog {
		g.ts(o.Answer(), outputMode)
	}
	for _, t := range extraOutputTypes {
		g.ts(t, outputMode)
	}
	var table, types strings.Builder
	for _, o := range catalog {
		in := "Record<string, never>"
		if o.In.Kind() == reflect.Struct && len(Fields(o.In)) > 0 {
			in = g.ts(o.In, inputMode)
		}
		fmt.Fprintf(&types, "  %s: [%s, %s]\n", o.Name, in, g.ts(o.Answer(), outputMode))
		method, path := "null", "null"
		if o.OnHTTP() {
			method, path = quote(o.Method), quote(o.Path)
		}
		fmt.Fprintf(&table, "  %s: { name: %s, method: %s, path: %s, window: %t },\n", o.Name, quote(o.Name), method, path, o.OnWindow())
	}
	g.drain()

	var b strings.Builder
	b.WriteString("// Generated from the Go declarations in backend/ops by `make bindings`. Do not edit:\n")
	b.WriteString("// a Go test fails when this file differs from what the declarations generate.\n\n")
	for _, c := range constants() {
		fmt.Fprintf(&b, "export const %s = [%s] as const\n", c.name, quoteAll(c.values))
		fmt.Fprintf(&b, "export type %s = (typeof %s)[number]\n\n", c.typeName, c.name)
	}
	names := make([]string, 0, len(g.decls))
	for n := range g.decls {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		b.WriteString(g.decls[n])
		b.WriteString("\n")
	}
	b.WriteString("export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'\n\n")
	b.WriteString("/** One declared operation: its HTTP route (null: window only) and whether the window offers it. */\n")
	b.WriteString("export interface Operation {\n  name: string\n  method: Method | null\n  path: string | null\n  window: boolean\n}\n\n")
	b.WriteString("export const operations = {\n")
	b.WriteString(table.String())
	b.WriteString("} as const satisfies Record<string, Operation>\n\n")
	b.WriteString("export type OperationName = keyof typeof operations\n\n")
	b.WriteString("/** The input and output type of every operation. */\n")
	b.WriteString("export interface OperationTypes {\n")
	b.WriteString(types.String())
	b.WriteString("}\n")
	return b.String()
}

func (g *tsGen) drain() {
	for len(g.queue) > 0 {
		k := g.queue[0]
		g.queue = g.queue[1:]
		g.decls[g.names[k]] = g.structDecl(k)
	}
}

// ts is the TypeScript type of t.
func (g *tsGen) ts(t reflect.Type, mode tsMode) string {
	switch t {
	case timeType:
		return "string"
	case optionalIntType:
		return "number | null"
	case optionalTimeType:
		return "string | null"
	case rawJSONType:
		return "unknown"
	}
	if n, ok := namedTypes[t]; ok {
		return n
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.ts(t.Elem(), mode) + " | null"
	case reflect.Interface:
		return "unknown"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	case reflect.String:
		if enum, ok := TypeEnums[t]; ok {
			return strings.Join(quoteList(enum), " | ")
		}
		return "string"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "string"
		}
		el := g.ts(t.Elem(), mode)
		if strings.Contains(el, " ") {
			return "(" + el + ")[]"
		}
		return el + "[]"
	case reflect.Map:
		return "Record<string, " + g.ts(t.Elem(), mode) + ">"
	case reflect.Struct:
		if t.Name() == "" {
			return g.inlineStruct(t, mode)
		}
		return g.name(t, mode)
	}
	panic(fmt.Sprintf("ops: no TypeScript type for %v", t))
}

func (g *tsGen) name(t reflect.Type, mode tsMode) string {
	k := tsKey{t, mode}
	if n, ok := g.names[k]; ok {
		return n
	}
	n := t.Name()
	if renamed, ok := tsNames[t]; ok {
		n = renamed
	}
	if other, clash := g.taken[n]; clash && other.t != t {
		panic(fmt.Sprintf("ops: two Go types are both named %s (%v, %v): rename one", n, other.t, t))
	}
	if _, clash := g.taken[n]; clash { // the same type as an answer
		n += "Input"
	}
	g.names[k], g.taken[n] = n, k
	g.queue = append(g.queue, k)
	return n
}

func (g *tsGen) structDecl(k tsKey) string {
	return fmt.Sprintf("export interface %s %s\n", g.names[k], g.body(k.t, k.mode, ""))
}

func (g *tsGen) inlineStruct(t reflect.Type, mode tsMode) string {
	return g.body(t, mode, "  ")
}

func (g *tsGen) body(t reflect.Type, mode tsMode, indent string) string {
	var b strings.Builder
	b.WriteString("{\n")
	for _, f := range Fields(t) {
		typ := g.fieldType(f, mode)
		optional := f.OmitEmpty || (mode == inputMode && f.Path == "")
		q := ""
		if optional {
			q = "?"
		}
		fmt.Fprintf(&b, "%s  %s%s: %s\n", indent, f.Name, q, typ)
	}
	b.WriteString(indent + "}")
	return b.String()
}

func (g *tsGen) fieldType(f Field, mode tsMode) string {
	if f.AsString {
		return "string"
	}
	key := FieldKey{f.Owner, f.Name}
	if n, ok := namedFields[key]; ok {
		if f.Type.Kind() == reflect.Pointer {
			return n + " | null"
		}
		return n
	}
	if enum, ok := FieldEnums[key]; ok {
		return strings.Join(quoteList(enum), " | ")
	}
	return g.ts(f.Type, mode)
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

func quoteList(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = quote(s)
	}
	return out
}

func quoteAll(ss []string) string { return strings.Join(quoteList(ss), ", ") }
