package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"reflect"
	"sort"
	"strings"
	"time"

	"castdesk/backend/ops"
	"castdesk/backend/panel"
)

// The OpenAPI document cannot drift from the code: it is generated from the
// operations declared in backend/ops, whose input and output are Go types
// turned into JSON Schemas by reflection over their json tags. A test
// validates real responses against the schemas served.

// openAPIDocument serves the document, built once at the first request.
func (s *Server) openAPIDocument(w http.ResponseWriter, r *http.Request) {
	s.openAPIOnce.Do(func() { s.openAPIJSON, s.openAPIErr = json.Marshal(OpenAPI()) })
	if s.openAPIErr != nil {
		s.writeError(w, r, panel.Internal(s.openAPIErr))
		return
	}
	writeJSON(w, http.StatusOK, json.RawMessage(s.openAPIJSON))
}

// typeSchemas are types whose JSON is not their Go shape.
var typeSchemas = map[reflect.Type]map[string]any{
	reflect.TypeOf(time.Time{}):          {"type": "string", "format": "date-time"},
	reflect.TypeOf(panel.OptionalInt{}):  {"type": "integer", "nullable": true},
	reflect.TypeOf(panel.OptionalTime{}): {"type": "string", "format": "date-time", "nullable": true},
	reflect.TypeOf(json.RawMessage(nil)): {},
}

// schemaGen turns Go types into JSON Schemas (the OpenAPI 3.0 dialect):
// named structs become components, referenced with $ref.
//
// In request mode no property is required: the API decodes absent fields as
// "not given" and the services say, per field, what is missing.
type schemaGen struct {
	components map[string]any
	names      map[genKey]string
	taken      map[string]genKey
	request    bool
}

type genKey struct {
	t       reflect.Type
	request bool
}

func newSchemaGen() *schemaGen {
	return &schemaGen{components: map[string]any{}, names: map[genKey]string{}, taken: map[string]genKey{}}
}

// requestSchema is schema in request mode.
func (g *schemaGen) requestSchema(t reflect.Type) map[string]any {
	g.request = true
	defer func() { g.request = false }()
	return g.schema(t)
}

var marshalerType = reflect.TypeOf((*json.Marshaler)(nil)).Elem()

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	if s, ok := typeSchemas[t]; ok {
		return copySchema(s)
	}
	if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface &&
		(t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType)) {
		// A type that writes its own JSON must say here what it writes.
		panic(fmt.Sprintf("openapi: %v marshals itself: add it to typeSchemas", t))
	}
	var s map[string]any
	switch t.Kind() {
	case reflect.Pointer:
		s = g.schema(t.Elem())
		if _, ref := s["$ref"]; ref {
			// OpenAPI 3.0 wants a type beside nullable; allOf keeps the $ref.
			return map[string]any{"type": "object", "allOf": []any{s}, "nullable": true}
		}
		s["nullable"] = true
		return s
	case reflect.Interface:
		return map[string]any{}
	case reflect.Bool:
		s = map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32:
		s = map[string]any{"type": "integer", "format": "int32"}
	case reflect.Int64:
		s = map[string]any{"type": "integer", "format": "int64"}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		s = map[string]any{"type": "integer", "minimum": 0}
	case reflect.Float32, reflect.Float64:
		s = map[string]any{"type": "number"}
	case reflect.String:
		s = map[string]any{"type": "string"}
		if enum, ok := ops.TypeEnums[t]; ok {
			s["enum"] = toAny(enum)
		}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": "string", "format": "byte"}
		}
		// A nil slice would be null: every list the API answers is made non-nil.
		s = map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			panic(fmt.Sprintf("openapi: map key of %v is not a string", t))
		}
		s = map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Struct:
		if t.Name() == "" {
			return g.structSchema(t)
		}
		return g.ref(t)
	default:
		panic(fmt.Sprintf("openapi: no JSON schema for %v", t))
	}
	return s
}

// ref names a struct type as a component, generating it the first time.
func (g *schemaGen) ref(t reflect.Type) map[string]any {
	key := genKey{t, g.request}
	name, ok := g.names[key]
	if !ok {
		name = componentName(t)
		if other, clash := g.taken[name]; clash && other.t != t {
			name = path.Base(t.PkgPath()) + "." + name
		}
		if other, clash := g.taken[name]; clash && other != key {
			name += "Request" // the same type in a request: nothing required
		}
		g.names[key], g.taken[name] = name, key
		g.components[name] = map[string]any{} // placeholder: recursion ends here
		g.components[name] = g.structSchema(t)
	}
	return map[string]any{"$ref": "#/components/schemas/" + name}
}

// componentName is the type's name; a generic instance names its arguments
// (Items[castdesk/backend/panel.Plan] -> Items_Plan).
func componentName(t reflect.Type) string {
	name := t.Name()
	i := strings.IndexByte(name, '[')
	if i < 0 {
		return name
	}
	var args []string
	for _, a := range strings.Split(name[i+1:len(name)-1], ",") {
		a = strings.TrimLeft(strings.TrimSpace(a), "*[]")
		args = append(args, a[strings.LastIndexByte(a, '.')+1:])
	}
	return name[:i] + "_" + strings.Join(args, "_")
}

func (g *schemaGen) structSchema(t reflect.Type) map[string]any {
	props := map[string]any{}
	var required []string
	g.fields(t, props, &required)
	s := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 && !g.request {
		sort.Strings(required)
		s["required"] = toAny(required)
	}
	return s
}

// fields adds the JSON fields of struct t, as encoding/json writes them.
// In request mode, fields filled from the path are not part of the body.
func (g *schemaGen) fields(t reflect.Type, props map[string]any, required *[]string) {
	for _, f := range ops.Fields(t) {
		if g.request && f.Path != "" {
			continue
		}
		var s map[string]any
		if f.AsString {
			s = map[string]any{"type": "string"}
		} else {
			s = g.schema(f.Type)
		}
		if enum, ok := ops.FieldEnums[ops.FieldKey{Owner: f.Owner, Name: f.Name}]; ok {
			s["enum"] = toAny(enum)
		}
		props[f.Name] = s
		if !f.OmitEmpty {
			*required = append(*required, f.Name)
		}
	}
}

func copySchema(s map[string]any) map[string]any {
	out := make(map[string]any, len(s))
	for k, v := range s {
		out[k] = v
	}
	return out
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

var errorDescriptions = map[int]string{
	400: "`invalid`: bad input; `fields` maps each field to a reason code",
	401: "`unauthorized`: no valid session or API key (unknown or revoked key)",
	403: "`forbidden`: not allowed, API access off, account disabled, or a missing X-Requested-With header on a cookie request",
	404: "`not_found`: no such object, or outside the caller's scope",
	409: "`conflict`",
	413: "`too_large`: the body is over 1 MiB",
	422: "`limit_exceeded`: the message names the limit, the use and the allowance",
	429: "`rate_limited`: too many failed attempts (logins, codes, API keys); `fields.retry` = `too_many_attempts` with `params.retry.seconds`, also sent as the Retry-After header",
	503: "`unavailable`",
}

// OpenAPI builds the document of every operation the HTTP door offers.
func OpenAPI() map[string]any {
	g := newSchemaGen()
	errorRef := g.ref(reflect.TypeOf(panel.Error{}))
	paths := map[string]any{}
	tags := map[string]bool{}
	for _, o := range ops.All() {
		if !o.OnHTTP() {
			continue
		}
		op := map[string]any{"operationId": o.Name, "summary": o.Summary}
		if o.Description != "" {
			op["description"] = o.Description
		}
		if o.Tag != "" {
			op["tags"] = []any{o.Tag}
			tags[o.Tag] = true
		}
		params := g.parameters(o)
		if len(params) > 0 {
			op["parameters"] = params
		}
		if o.HasBody() {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": g.requestSchema(o.In)}}}
		}
		status := o.SuccessStatus()
		success := map[string]any{"description": http.StatusText(status)}
		ct := "application/json"
		if o.Stream {
			ct = "text/event-stream"
		}
		success["content"] = map[string]any{ct: map[string]any{"schema": g.schema(o.Answer())}}
		if o.Produces != "" {
			success["content"] = map[string]any{o.Produces: map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}
		}
		if o.Consumes != "" {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				o.Consumes: map[string]any{"schema": map[string]any{"type": "string"}}}}
		}
		responses := map[string]any{fmt.Sprint(status): success}
		for _, also := range o.AlsoStatus {
			responses[fmt.Sprint(also)] = map[string]any{"description": http.StatusText(also), "content": success["content"]}
		}
		errorContent := map[string]any{"application/json": map[string]any{"schema": errorRef}}
		for _, e := range errorStatuses(o, len(params) > 0) {
			responses[fmt.Sprint(e)] = map[string]any{"description": errorDescriptions[e], "content": errorContent}
		}
		responses["default"] = map[string]any{"description": "Any other error, in the same {code,message,fields,params} shape",
			"content": errorContent}
		op["responses"] = responses
		switch o.Access {
		case ops.Public:
			op["security"] = []any{}
		case ops.SessionOnly:
			op["security"] = []any{map[string]any{"cookieSession": []any{}}}
		default:
			op["security"] = []any{map[string]any{"bearerKey": []any{}}, map[string]any{"cookieSession": []any{}}}
		}
		op["x-castdesk-access"] = o.Access.String()
		// The API key scope the operation needs (docs/api.md, "Scopes").
		switch area := o.KeyScope(); area {
		case "":
		case panel.AreaAnyKey:
			op["x-castdesk-scope"] = "any"
		case panel.AreaFullKey:
			op["x-castdesk-scope"] = "none (a key without scopes)"
		default:
			op["x-castdesk-scope"] = panel.ScopeName(area, o.Writes())
		}
		path := "/api/v1" + o.Path
		item, _ := paths[path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[path] = item
		}
		item[strings.ToLower(o.Method)] = op
	}
	var tagList []any
	for t := range tags {
		tagList = append(tagList, map[string]any{"name": t, "description": ops.TagDescriptions[t]})
	}
	sort.Slice(tagList, func(i, j int) bool {
		return tagList[i].(map[string]any)["name"].(string) < tagList[j].(map[string]any)["name"].(string)
	})
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":   "Castdesk API",
			"license": map[string]any{"name": "MIT", "url": "https://opensource.org/licenses/MIT"},
			"version": panel.Version,
			"description": "The JSON API of `castdesk serve`. API clients send `Authorization: Bearer <api key>`; " +
				"the web panel uses a session cookie and must send `X-Requested-With: castdesk` on unsafe methods. " +
				"Errors are `{code, message, fields, params}`. Times are RFC 3339 UTC.",
		},
		"servers": []any{map[string]any{"url": "/"}},
		"tags":    tagList,
		"paths":   paths,
		"components": map[string]any{
			"schemas": g.components,
			"securitySchemes": map[string]any{
				"bearerKey":     map[string]any{"type": "http", "scheme": "bearer", "description": "An API key: cdk_<prefix>_<secret>"},
				"cookieSession": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie},
			},
		},
		"security": []any{map[string]any{"bearerKey": []any{}}, map[string]any{"cookieSession": []any{}}},
	}
}

// parameters are the path parameters of the route and, for an operation
// without a body, the query parameters: the input's other fields.
func (g *schemaGen) parameters(o *ops.Op) []any {
	var params []any
	if o.In.Kind() != reflect.Struct {
		return nil
	}
	fields := ops.Fields(o.In)
	for _, name := range ops.PathParams(o.Path) {
		for _, f := range fields {
			if f.Path != name {
				continue
			}
			s := map[string]any{"type": "string"}
			if f.Type.Kind() == reflect.Int64 {
				s = map[string]any{"type": "integer", "format": "int64", "minimum": 1}
			}
			params = append(params, map[string]any{"name": name, "in": "path", "required": true, "schema": s})
		}
	}
	if o.HasBody() {
		return params
	}
	for _, f := range fields {
		if f.Path != "" {
			continue
		}
		s := g.schema(f.Type)
		if enum, ok := ops.FieldEnums[ops.FieldKey{Owner: f.Owner, Name: f.Name}]; ok {
			s["enum"] = toAny(enum)
		}
		p := map[string]any{"name": f.Name, "in": "query", "schema": s}
		if d := o.ParamDocs[f.Name]; d != "" {
			p["description"] = d
		}
		params = append(params, p)
	}
	return params
}

// errorStatuses are the error answers an operation can give besides the
// ones it declares: a login brings 401/403/429, a path 404, input 400.
func errorStatuses(o *ops.Op, hasParams bool) []int {
	errs := map[int]bool{}
	for _, e := range o.Errors {
		errs[e] = true
	}
	// Any route refuses a malformed or unknown API key, public ones too.
	errs[401] = true
	if o.Access != ops.Public {
		errs[403], errs[429] = true, true
	}
	if len(ops.PathParams(o.Path)) > 0 {
		errs[404] = true
	}
	if o.HasBody() || hasParams {
		errs[400] = true
	}
	if o.HasBody() {
		errs[413] = true
	}
	out := make([]int, 0, len(errs))
	for e := range errs {
		out = append(out, e)
	}
	sort.Ints(out)
	return out
}
