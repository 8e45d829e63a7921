package httpapi

import (
	"net/http"
	"reflect"
	"strconv"

	"castdesk/backend/ops"
	"castdesk/backend/panel"
)

// mount registers every operation declared in backend/ops that the HTTP
// door offers. Operations marked Raw (multipart uploads, event streams, this
// document) have handlers written here, in raw; every other one is the same
// generic handler: decode the input from path, query or JSON body, call,
// answer the output as JSON.
func (s *Server) mount() {
	raw := map[string]http.HandlerFunc{
		"openapi":              s.openAPIDocument,
		"mediaUpload":          s.jsonHandler(s.upload),
		"mediaEvents":          s.mediaEvents,
		"customerImportBundle": s.jsonHandler(s.customerImportBundle),
		"customerExportBundle": s.customerExportBundle,
		"customersImportCSV":   s.jsonHandler(s.customersImportCSV),
		"customersExportCSV":   s.customersExportCSV,
		"backupDownload":       s.backupDownload,
	}
	for _, o := range ops.All() {
		if !o.OnHTTP() {
			continue
		}
		h := s.serveOp(o)
		if o.Raw {
			if h = raw[o.Name]; h == nil {
				panic("httpapi: no handler for the raw operation " + o.Name)
			}
		}
		limit := o.Limit()
		s.patterns = append(s.patterns, o.HTTPPattern())
		s.mux.Handle(o.HTTPPattern(), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// An API key's scopes are checked here, once for every route (raw
			// ones too), before the input is read; the services then
			// authorize the account behind the key as always.
			if err := o.CheckScope(r.Context()); err != nil {
				s.writeError(w, r, err)
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			h(w, r)
		}))
	}
}

// httpDoor is what an operation may ask of the HTTP door.
type httpDoor struct {
	w http.ResponseWriter
	r *http.Request
}

func (d httpDoor) ClientID() string { return clientID(d.r) }

func (d httpDoor) SetSession(token string) {
	if token == "" {
		clearSessionCookie(d.w, d.r)
		return
	}
	setSessionCookie(d.w, d.r, token)
}

// serveOp is the handler of a declared operation.
func (s *Server) serveOp(o *ops.Op) http.HandlerFunc {
	return s.jsonHandler(func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		in := o.NewInput()
		if err := decodeInput(r, o, in); err != nil {
			return 0, nil, err
		}
		out, err := o.Call(ops.Env{Ctx: r.Context(), Panel: s.panel, Door: httpDoor{w, r}}, in)
		return o.SuccessStatus(), out, err
	})
}

// handlerFunc returns the status and body to send, or an error that becomes
// the JSON error shape.
type handlerFunc func(w http.ResponseWriter, r *http.Request) (int, any, error)

func (s *Server) jsonHandler(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		status, body, err := h(w, r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		writeJSON(w, status, body)
	}
}

// decodeInput fills in (a pointer to the operation's input) from the JSON
// body or the query, then from the path: a path value always wins.
func decodeInput(r *http.Request, o *ops.Op, in any) error {
	v := reflect.ValueOf(in).Elem()
	if v.Kind() != reflect.Struct {
		return nil
	}
	if o.HasBody() {
		if err := decode(r, in); err != nil {
			return err
		}
	} else if err := decodeQuery(r, v); err != nil {
		return err
	}
	for _, f := range ops.Fields(v.Type()) {
		if f.Path == "" {
			continue
		}
		fv := v.FieldByIndex(f.Index)
		raw := r.PathValue(f.Path)
		switch fv.Kind() {
		case reflect.Int64, reflect.Int:
			n, err := strconv.ParseInt(raw, 10, 64)
			if err != nil || n <= 0 {
				return panel.NotFound("Object")
			}
			fv.SetInt(n)
		default:
			fv.SetString(raw)
		}
	}
	return nil
}

// decodeQuery sets the input's fields from the query string by their json
// names; a value that does not parse is a field error.
func decodeQuery(r *http.Request, v reflect.Value) error {
	q := r.URL.Query()
	fields := map[string]panel.Reason{}
	for _, f := range ops.Fields(v.Type()) {
		raw := q.Get(f.Name)
		if f.Path != "" || raw == "" {
			continue
		}
		fv := v.FieldByIndex(f.Index)
		switch fv.Kind() {
		case reflect.String:
			fv.SetString(raw)
		case reflect.Int, reflect.Int64:
			n, err := strconv.ParseInt(raw, 10, 64)
			if err != nil || n < 0 {
				fields[f.Name] = panel.ReasonInvalid
				continue
			}
			fv.SetInt(n)
		case reflect.Bool:
			b, err := strconv.ParseBool(raw)
			if err != nil {
				fields[f.Name] = panel.ReasonInvalid
				continue
			}
			fv.SetBool(b)
		default:
			panic("httpapi: no query decoding for " + f.Name + " of " + v.Type().String())
		}
	}
	if len(fields) > 0 {
		return panel.Invalid(fields)
	}
	return nil
}
