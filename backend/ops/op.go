// Package ops declares every operation of Castdesk once: its name, HTTP
// method and path, input and output types, who may call it, its body limit
// and its documentation. The HTTP door mounts these declarations, the window
// door dispatches to them by name, the OpenAPI document and the TypeScript
// operation table and types are generated from them. Adding an operation
// means: the panel method, one declaration here, and the view that uses it.
package ops

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"castdesk/backend/panel"
)

// Access says who may call an operation. Authorization itself happens in
// the panel services on every call; Access documents it (OpenAPI security)
// and lets the doors skip authentication work for public calls.
type Access int

const (
	// Public operations need no login.
	Public Access = iota
	// AnyAccount: any logged-in account, by cookie session, window login or
	// API key; the services narrow what each one sees.
	AnyAccount
	// AdminOnly: administrators.
	AdminOnly
	// SessionOnly: a cookie session or the window; an API key is refused.
	SessionOnly
)

func (a Access) String() string {
	return [...]string{"public", "any account", "administrators", "cookie session only"}[a]
}

// Doors says which front doors offer an operation.
type Doors int

const (
	// BothDoors: the JSON API and the window.
	BothDoors Doors = iota
	// HTTPOnly: a route that streams or reads multipart (the door writes its
	// own handler for it, see Op.Raw).
	HTTPOnly
	// WindowOnly: needs the desktop (system file picker, dropped files).
	WindowOnly
)

// DefaultBodyLimit is the largest request body an operation accepts unless
// its declaration says otherwise.
const DefaultBodyLimit = 1 << 20

// DefaultTimeout bounds a call from the window, so a stuck dependency
// cannot freeze it; the HTTP door has its server timeouts instead.
const DefaultTimeout = 30 * time.Second

// Door is what an operation may ask of the door it was called through.
type Door interface {
	// ClientID is who the call is throttled against (an IP address, or
	// "desktop" for the window).
	ClientID() string
	// SetSession makes token the caller's session from now on; "" ends it.
	SetSession(token string)
	// Client is where the call comes from: sessions and sign-ins record it.
	Client() panel.ClientInfo
	// PendingLogin is the token of a login awaiting its second factor ("":
	// none); SetPendingLogin keeps one ("" forgets it).
	PendingLogin() string
	SetPendingLogin(token string)
}

// LocalFiles is what the window door adds for the window-only operations:
// the system file picker and the files dropped on the window.
type LocalFiles interface {
	PickFiles(title string) ([]string, error)
	// TakeDrop returns the paths of one drop; a token is good once.
	TakeDrop(token string) ([]string, bool)
}

// Env is what an operation's function receives besides its input.
type Env struct {
	Ctx   context.Context
	Panel *panel.Panel
	Door  Door
}

// Op is one declared operation.
type Op struct {
	// Name is the operation's name in the SPA and the window door.
	Name string
	// Method and Path are the HTTP route; Path is under /api/v1 and its
	// {name} segments fill the input fields tagged path:"name".
	Method, Path string
	Tag          string
	Summary      string
	Description  string
	Access       Access
	Doors        Doors
	// Status of success; 200 when 0.
	Status int
	// AlsoStatus are other statuses of success with the same answer (a
	// dry run's 200 beside the import's 201).
	AlsoStatus []int
	// BodyLimit of the request; DefaultBodyLimit when 0.
	BodyLimit int64
	// Timeout of a window call; DefaultTimeout when 0.
	Timeout time.Duration
	// ParamDocs describes query parameters by name (the input's json names).
	ParamDocs map[string]string
	// Errors lists error statuses beyond those implied by the declaration.
	Errors []int
	// Stream: the answer is text/event-stream; Out is each event's data.
	Stream bool
	// Raw: the HTTP door writes this operation's handler itself (multipart,
	// event streams, the OpenAPI document); In documents its query and path.
	Raw bool
	// NoBody: the HTTP request has no JSON body even if the method is
	// unsafe (every input comes from the path).
	NoBody bool
	// Produces is the answer's media type when it is not JSON (a raw
	// operation's file: application/zip, text/csv); Consumes the request
	// body's when a raw operation reads one that is not JSON (text/csv).
	Produces, Consumes string
	// Scope is the area of API key scopes that covers the operation
	// (panel.AreaCustomers, ...; panel.AreaAnyKey: every key may call it;
	// panel.AreaFullKey: only a key without scopes). A key whose scopes do
	// not cover it is refused before it runs (CheckScope). A non-public
	// operation that names none is for keys without scopes only.
	Scope panel.Area
	// ReadOnly: the operation changes nothing although its method is not
	// GET (previews): a key's `<area>:read` scope covers it.
	ReadOnly bool

	In, Out reflect.Type
	call    func(Env, any) (any, error)
}

// Call runs the operation with in, a pointer to a value of In.
func (o *Op) Call(env Env, in any) (any, error) {
	if o.call == nil {
		return nil, panel.Internal(fmt.Errorf("operation %s has no function", o.Name))
	}
	if env.Door != nil {
		env.Ctx = panel.WithClient(env.Ctx, env.Door.Client())
	}
	return o.call(env, in)
}

// Answer is the type of a successful answer: Out without a pointer (an
// operation never succeeds with nothing).
func (o *Op) Answer() reflect.Type {
	if o.Out.Kind() == reflect.Pointer {
		return o.Out.Elem()
	}
	return o.Out
}

// NewInput is a pointer to a zero input, for a door to decode into.
func (o *Op) NewInput() any { return reflect.New(o.In).Interface() }

// HTTPPattern is the route as net/http's mux writes it.
func (o *Op) HTTPPattern() string { return o.Method + " /api/v1" + o.Path }

// SuccessStatus is Status, or 200.
func (o *Op) SuccessStatus() int {
	if o.Status == 0 {
		return 200
	}
	return o.Status
}

// Limit is BodyLimit, or the default.
func (o *Op) Limit() int64 {
	if o.BodyLimit == 0 {
		return DefaultBodyLimit
	}
	return o.BodyLimit
}

// CallTimeout is Timeout, or the default.
func (o *Op) CallTimeout() time.Duration {
	if o.Timeout == 0 {
		return DefaultTimeout
	}
	return o.Timeout
}

// HasBody tells whether the HTTP request carries a JSON body.
func (o *Op) HasBody() bool {
	if o.NoBody || o.Raw {
		return false
	}
	switch o.Method {
	case "POST", "PUT", "PATCH":
		return true
	}
	return false
}

// Writes tells whether the operation changes something, for API key
// scopes: every method but GET does, unless declared ReadOnly.
func (o *Op) Writes() bool { return o.Method != "GET" && !o.ReadOnly }

// KeyScope is the area whose scope an API key needs for the operation: its
// Scope, or panel.AreaFullKey when it names none; "" for public operations.
func (o *Op) KeyScope() panel.Area {
	switch {
	case o.Access == Public:
		return ""
	case o.Scope == "":
		return panel.AreaFullKey
	}
	return o.Scope
}

// CheckScope refuses a caller whose API key scopes do not cover the
// operation (panel.CheckScope decides); sessions and the window pass.
func (o *Op) CheckScope(ctx context.Context) error {
	area := o.KeyScope()
	if area == "" {
		return nil
	}
	return panel.CheckScope(ctx, area, o.Writes())
}

// On the HTTP door?
func (o *Op) OnHTTP() bool { return o.Doors != WindowOnly }

// On the window door?
func (o *Op) OnWindow() bool { return o.Doors != HTTPOnly }

// declare completes a declaration with its function and its types.
func declare[In, Out any](o Op, fn func(Env, In) (Out, error)) *Op {
	o.In = reflect.TypeFor[In]()
	o.Out = reflect.TypeFor[Out]()
	if fn != nil {
		o.call = func(env Env, in any) (any, error) {
			out, err := fn(env, *in.(*In))
			if err != nil {
				return nil, err
			}
			return out, nil
		}
	}
	return &o
}

// raw declares an operation whose HTTP handler the door writes itself.
func raw[In, Out any](o Op) *Op {
	o.Raw, o.Doors = true, HTTPOnly
	return declare[In, Out](o, nil)
}

// All is every operation, in the order of the OpenAPI document.
func All() []*Op { return catalog }

var catalog = func() []*Op {
	var all []*Op
	for _, group := range [][]*Op{systemOps, sessionOps, securityOps, customerOps, usernameOps, planOps, serviceOps, mailOps, outboxOps, bulkOps, mediaOps, apiKeyOps, backupOps, transferOps, webhookOps, desktopOps} {
		all = append(all, group...)
	}
	seen := map[string]bool{}
	for _, o := range all {
		if seen[o.Name] {
			panic("ops: operation declared twice: " + o.Name)
		}
		seen[o.Name] = true
		if o.OnHTTP() && (o.Method == "" || !strings.HasPrefix(o.Path, "/")) {
			panic("ops: " + o.Name + " has no HTTP route")
		}
		for _, p := range PathParams(o.Path) {
			if _, ok := fieldByPath(o.In, p); !ok {
				panic(fmt.Sprintf("ops: %s: no input field tagged path:%q", o.Name, p))
			}
		}
	}
	return all
}()

// ByName finds an operation.
func ByName(name string) (*Op, bool) {
	for _, o := range catalog {
		if o.Name == name {
			return o, true
		}
	}
	return nil, false
}

// PathParams lists the {name} segments of a path, in order.
func PathParams(path string) []string {
	var names []string
	for _, s := range strings.Split(path, "/") {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			names = append(names, strings.Trim(s, "{}"))
		}
	}
	return names
}

// InputError turns a JSON decoding failure of an input into the error the
// caller sees: a field of the wrong type names the field.
func InputError(err error) error {
	var syntax *json.SyntaxError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return panel.InvalidField(typeErr.Field, panel.ReasonInvalid)
	case errors.As(err, &syntax), errors.Is(err, io.ErrUnexpectedEOF):
		return &panel.Error{Code: panel.CodeInvalid, Message: "The input is not valid JSON."}
	}
	return &panel.Error{Code: panel.CodeInvalid, Message: "The input could not be read as the expected JSON object."}
}

// TagDescriptions describe the groups operations are listed under.
var TagDescriptions = map[string]string{
	"System":    "Health, first-run setup, system settings, the audit log and this document.",
	"Sessions":  "Logging in and out, your own password, password resets.",
	"Customers": "Every account: customers, resellers and administrators.",
	"Plans":     "Reseller plans: the limits a reseller's services must fit in.",
	"Services":  "Media services (streaming servers) and their suspension.",
	"Email":     "The outbox, \"Email this user\", the test email and the templates.",
	"Media":     "Each account's media folder: the library, uploads and live updates.",
	"API keys":  "Keys for API clients; each acts as its account, narrowed by its scopes.",
	"Webhooks":  "Signed HTTP callbacks when accounts, services, passwords or email change.",
}
