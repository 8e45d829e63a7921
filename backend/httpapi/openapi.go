package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"

	"castdesk/backend/panel"
)

// The OpenAPI document cannot drift from the code: it is generated at run
// time from the routes actually registered (s.patterns) and a table of route
// docs keyed by the exact mux pattern, whose request and response shapes are
// Go types turned into JSON Schemas by reflection over their json tags. A
// test fails when a registered route has no doc or a doc has no route, and
// validates real responses against the schemas served.

// access says who may call a route; it becomes the operation's security.
type access int

const (
	// public routes need no login.
	public access = iota
	// anyAccount: any logged-in account, by cookie session or API key; the
	// services narrow what each one sees (admin, reseller, customer).
	anyAccount
	// adminOnly: administrators, by cookie session or API key.
	adminOnly
	// sessionOnly: a cookie session; an API key is refused (403).
	sessionOnly
)

// routeDoc describes one route. Request and Response are zero values of the
// Go types the handler decodes and answers; nil means no body.
type routeDoc struct {
	Summary     string
	Description string
	Tag         string
	Access      access
	Query       []param
	Request     any
	Status      int // of success; 200 when 0
	Response    any
	// Stream: the success answer is text/event-stream; Response is the
	// schema of each event's data.
	Stream bool
	// Errors lists error statuses beyond those implied by the route
	// (401/403 with a login, 404 with a path id, 400 with input).
	Errors []int
}

// param is a query parameter (path parameters come from the pattern).
type param struct {
	Name        string
	Type        string // string, integer or boolean
	Description string
	Enum        []string
}

var (
	docsMu    sync.Mutex
	routeDocs = map[string]routeDoc{}
)

// documentRoutes adds route docs. Each route file documents its routes with
// it (from init), next to the handlers; a pattern documented twice panics.
func documentRoutes(docs map[string]routeDoc) {
	docsMu.Lock()
	defer docsMu.Unlock()
	for pattern, d := range docs {
		if _, dup := routeDocs[pattern]; dup {
			panic("openapi: route documented twice: " + pattern)
		}
		routeDocs[pattern] = d
	}
}

// DocumentedPatterns lists every pattern that has a route doc, sorted.
func DocumentedPatterns() []string {
	docsMu.Lock()
	defer docsMu.Unlock()
	out := make([]string, 0, len(routeDocs))
	for p := range routeDocs {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func (s *Server) openAPIRoutes() {
	var once sync.Once
	var doc []byte
	var err error
	s.handle("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		// Built at the first request, when every route is registered.
		once.Do(func() { doc, err = json.Marshal(OpenAPI(s.patterns)) })
		if err != nil {
			return 0, nil, panel.Internal(err)
		}
		return http.StatusOK, json.RawMessage(doc), nil
	})
}

// Extra schema knowledge reflection cannot find in the types.
var (
	// typeSchemas are types whose JSON is not their Go shape.
	typeSchemas = map[reflect.Type]map[string]any{
		reflect.TypeOf(time.Time{}):          {"type": "string", "format": "date-time"},
		reflect.TypeOf(panel.OptionalInt{}):  {"type": "integer", "nullable": true},
		reflect.TypeOf(json.RawMessage(nil)): {},
	}
	// typeEnums are string types with a closed set of values.
	typeEnums = map[reflect.Type][]string{
		reflect.TypeOf(panel.Level("")):  {string(panel.LevelCustomer), string(panel.LevelAdmin)},
		reflect.TypeOf(panel.Status("")): {string(panel.StatusEnabled), string(panel.StatusDisabled)},
		reflect.TypeOf(panel.Code("")): {string(panel.CodeInvalid), string(panel.CodeNotFound), string(panel.CodeConflict),
			string(panel.CodeUnauthorized), string(panel.CodeForbidden), string(panel.CodeLimitExceeded),
			string(panel.CodeRateLimited), string(panel.CodeUnavailable), string(panel.CodeInternal),
			"method_not_allowed", "too_large"},
	}
	// fieldEnums are plain string fields with a closed set of values.
	fieldEnums = map[fieldKey][]string{
		{reflect.TypeOf(panel.Service{}), "status"}:        {panel.ServiceActive, panel.ServiceSuspended},
		{reflect.TypeOf(panel.Service{}), "type"}:          panel.ServiceTypes,
		{reflect.TypeOf(panel.ServiceSummary{}), "status"}: {panel.ServiceActive, panel.ServiceSuspended},
		{reflect.TypeOf(panel.ServiceSummary{}), "type"}:   panel.ServiceTypes,
	}
)

type fieldKey struct {
	t    reflect.Type
	name string
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
			return map[string]any{"allOf": []any{s}, "nullable": true}
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
		if enum, ok := typeEnums[t]; ok {
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
	g.fields(t, t, props, &required)
	s := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 && !g.request {
		sort.Strings(required)
		s["required"] = toAny(required)
	}
	return s
}

// fields adds the JSON fields of struct t (owner is the struct named in
// fieldEnums), following encoding/json: embedded structs are flattened,
// "-" and unexported fields skipped, omitempty fields are not required.
func (g *schemaGen) fields(owner, t reflect.Type, props map[string]any, required *[]string) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			et := ft
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				g.fields(et, et, props, required)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		var s map[string]any
		if strings.Contains(","+opts+",", ",string,") {
			s = map[string]any{"type": "string"}
		} else {
			s = g.schema(ft)
		}
		if enum, ok := fieldEnums[fieldKey{owner, name}]; ok {
			s["enum"] = toAny(enum)
		}
		props[name] = s
		if !strings.Contains(","+opts+",", ",omitempty,") {
			*required = append(*required, name)
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
	429: "`rate_limited`: too many failed attempts (logins, API keys)",
	503: "`unavailable`",
}

// OpenAPI builds the document of the given registered patterns. A pattern
// without a doc is still listed, flagged x-undocumented (the test fails on it).
func OpenAPI(patterns []string) map[string]any {
	g := newSchemaGen()
	errorRef := g.ref(reflect.TypeOf(panel.Error{}))
	paths := map[string]any{}
	tags := map[string]bool{}
	for _, pattern := range patterns {
		method, route, ok := strings.Cut(pattern, " ")
		if !ok {
			method, route = "GET", pattern
		}
		d, documented := lookupDoc(pattern)
		op := map[string]any{"operationId": operationID(method, route), "summary": d.Summary}
		if !documented {
			op["x-undocumented"] = true
		}
		if d.Description != "" {
			op["description"] = d.Description
		}
		if d.Tag != "" {
			op["tags"] = []any{d.Tag}
			tags[d.Tag] = true
		}
		var params []any
		openapiPath, pathParams := pathTemplate(route)
		for _, name := range pathParams {
			s := map[string]any{"type": "string"}
			if name == "id" || strings.HasSuffix(name, "_id") {
				s = map[string]any{"type": "integer", "format": "int64", "minimum": 1}
			}
			params = append(params, map[string]any{"name": name, "in": "path", "required": true, "schema": s})
		}
		for _, q := range d.Query {
			s := map[string]any{"type": q.Type}
			if len(q.Enum) > 0 {
				s["enum"] = toAny(q.Enum)
			}
			p := map[string]any{"name": q.Name, "in": "query", "schema": s}
			if q.Description != "" {
				p["description"] = q.Description
			}
			params = append(params, p)
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if d.Request != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": g.requestSchema(reflect.TypeOf(d.Request))}}}
		}
		status := d.Status
		if status == 0 {
			status = http.StatusOK
		}
		success := map[string]any{"description": http.StatusText(status)}
		if d.Response != nil {
			ct := "application/json"
			if d.Stream {
				ct = "text/event-stream"
			}
			success["content"] = map[string]any{ct: map[string]any{"schema": g.schema(reflect.TypeOf(d.Response))}}
		}
		responses := map[string]any{fmt.Sprint(status): success}
		errs := map[int]bool{}
		for _, e := range d.Errors {
			errs[e] = true
		}
		if d.Access != public {
			errs[401], errs[403], errs[429] = true, true, true
		}
		if len(pathParams) > 0 {
			errs[404] = true
		}
		if d.Request != nil || len(d.Query) > 0 {
			errs[400] = true
		}
		if d.Request != nil {
			errs[413] = true
		}
		errorContent := map[string]any{"application/json": map[string]any{"schema": errorRef}}
		for e := range errs {
			responses[fmt.Sprint(e)] = map[string]any{"description": errorDescriptions[e], "content": errorContent}
		}
		responses["default"] = map[string]any{"description": "Any other error, in the same {code,message,fields} shape", "content": errorContent}
		op["responses"] = responses
		switch d.Access {
		case public:
			op["security"] = []any{}
		case sessionOnly:
			op["security"] = []any{map[string]any{"cookieSession": []any{}}}
		default:
			op["security"] = []any{map[string]any{"bearerKey": []any{}}, map[string]any{"cookieSession": []any{}}}
		}
		op["x-castdesk-access"] = [...]string{"public", "any account", "administrators", "cookie session only"}[d.Access]
		item, _ := paths[openapiPath].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[openapiPath] = item
		}
		item[strings.ToLower(method)] = op
	}
	var tagList []any
	for t := range tags {
		tagList = append(tagList, map[string]any{"name": t})
	}
	sort.Slice(tagList, func(i, j int) bool {
		return tagList[i].(map[string]any)["name"].(string) < tagList[j].(map[string]any)["name"].(string)
	})
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":   "Castdesk API",
			"version": panel.Version,
			"description": "The JSON API of `castdesk serve`. API clients send `Authorization: Bearer <api key>`; " +
				"the web panel uses a session cookie and must send `X-Requested-With: castdesk` on unsafe methods. " +
				"Errors are `{code, message, fields}`. Times are RFC 3339 UTC.",
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

func lookupDoc(pattern string) (routeDoc, bool) {
	docsMu.Lock()
	defer docsMu.Unlock()
	d, ok := routeDocs[pattern]
	return d, ok
}

// pathTemplate turns a mux path into an OpenAPI one: {name...} -> {name}.
func pathTemplate(route string) (string, []string) {
	segs := strings.Split(route, "/")
	var names []string
	for i, s := range segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			name := strings.TrimSuffix(strings.Trim(s, "{}"), "...")
			if name == "$" {
				continue
			}
			names = append(names, name)
			segs[i] = "{" + name + "}"
		}
	}
	return strings.Join(segs, "/"), names
}

// operationID: "GET /api/v1/customers/{id}/delete-preview" -> getCustomersIdDeletePreview.
func operationID(method, route string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	upper := true
	for _, r := range strings.TrimPrefix(route, "/api/v1") {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			upper = true
			continue
		}
		if upper {
			r = unicode.ToUpper(r)
			upper = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
