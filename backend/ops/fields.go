package ops

import (
	"encoding/json"
	"reflect"
	"strings"
	"time"

	"castdesk/backend/panel"
)

// Field is one JSON field of a struct, as encoding/json sees it: embedded
// structs are flattened, "-" and unexported fields are left out.
type Field struct {
	Name  string // the json name
	Type  reflect.Type
	Index []int // for reflect.Value.FieldByIndex
	// Path is the {name} of the route segment that fills the field (tag
	// path:"name"); such a field is never part of a request body.
	Path      string
	OmitEmpty bool
	AsString  bool // json:",string"
	// Owner is the named struct the field is declared in (for FieldEnums).
	Owner reflect.Type
}

// Fields lists the JSON fields of struct type t.
func Fields(t reflect.Type) []Field {
	var out []Field
	collectFields(t, nil, &out)
	return out
}

func collectFields(t reflect.Type, index []int, out *[]Field) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		idx := append(append([]int(nil), index...), i)
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			collectFields(f.Type, idx, out)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		*out = append(*out, Field{Name: name, Type: f.Type, Index: idx, Path: f.Tag.Get("path"),
			OmitEmpty: strings.Contains(","+opts+",", ",omitempty,"), AsString: strings.Contains(","+opts+",", ",string,"),
			Owner: t})
	}
}

func fieldByPath(t reflect.Type, param string) (Field, bool) {
	if t.Kind() != reflect.Struct {
		return Field{}, false
	}
	for _, f := range Fields(t) {
		if f.Path == param {
			return f, true
		}
	}
	return Field{}, false
}

// What reflection cannot find in the types, shared by the OpenAPI document
// and the TypeScript generator so the two never disagree.
var (
	// TimeType and the other special types: their JSON is not their Go shape.
	timeType        = reflect.TypeFor[time.Time]()
	optionalIntType = reflect.TypeFor[panel.OptionalInt]()
	rawJSONType     = reflect.TypeFor[json.RawMessage]()
	// optionalTimeType: absent, null or a time (a PATCH's expiry).
	optionalTimeType = reflect.TypeFor[panel.OptionalTime]()

	// TypeEnums are named string types with a closed set of values.
	TypeEnums = map[reflect.Type][]string{
		reflect.TypeFor[panel.Level]():     {string(panel.LevelCustomer), string(panel.LevelAdmin)},
		reflect.TypeFor[panel.Status]():    {string(panel.StatusEnabled), string(panel.StatusDisabled)},
		reflect.TypeFor[panel.Code]():      codeStrings(),
		reflect.TypeFor[panel.Reason]():    reasonStrings(),
		reflect.TypeFor[panel.MailState](): mailStates(),
		reflect.TypeFor[panel.DeliveryState](): {string(panel.DeliveryQueued), string(panel.DeliverySending),
			string(panel.DeliveryDelivered), string(panel.DeliveryFailed)},
		reflect.TypeFor[panel.Authority](): {string(panel.AuthorityAdmin), string(panel.AuthorityReseller)},
		// "" first: the delivery has not failed.
		reflect.TypeFor[panel.WebhookErrorKind](): strs(panel.WebhookErrorKinds),
	}
	// FieldEnums are plain string fields with a closed set of values, keyed
	// by the struct that declares them and the json name.
	FieldEnums = map[FieldKey][]string{
		{reflect.TypeFor[panel.Service](), "status"}:        {panel.ServiceActive, panel.ServiceSuspended},
		{reflect.TypeFor[panel.Service](), "type"}:          panel.ServiceTypes,
		{reflect.TypeFor[panel.ServiceSummary](), "status"}: {panel.ServiceActive, panel.ServiceSuspended},
		{reflect.TypeFor[panel.ServiceSummary](), "type"}:   panel.ServiceTypes,
		{reflect.TypeFor[panel.Account](), "language"}:      panel.Languages,
		{reflect.TypeFor[panel.WebhookDelivery](), "event"}: append([]string{panel.EventPing}, panel.WebhookEvents...),
	}
)

// FieldKey names one field of one struct.
type FieldKey struct {
	Owner reflect.Type
	Name  string
}

func codeStrings() []string {
	out := make([]string, len(panel.ErrorCodes))
	for i, c := range panel.ErrorCodes {
		out[i] = string(c)
	}
	return out
}

func reasonStrings() []string {
	out := make([]string, len(panel.FieldReasons))
	for i, r := range panel.FieldReasons {
		out[i] = string(r)
	}
	return out
}

func mailStates() []string {
	return []string{string(panel.MailQueued), string(panel.MailSending), string(panel.MailSent), string(panel.MailFailed)}
}
