package panel

import (
	"bytes"
	"encoding/json"
	"time"
)

// OptionalInt is a nullable number in a PATCH body, where three cases
// differ: absent (leave it), null (unlimited) and a value.
type OptionalInt struct {
	Set   bool
	Value *int
}

func (o *OptionalInt) UnmarshalJSON(b []byte) error {
	o.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		o.Value = nil
		return nil
	}
	var v int
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	o.Value = &v
	return nil
}

func (o OptionalInt) MarshalJSON() ([]byte, error) {
	if o.Value == nil {
		return []byte("null"), nil
	}
	return json.Marshal(*o.Value)
}

// Some sets a value (for Go callers and tests).
func Some(v int) OptionalInt { return OptionalInt{Set: true, Value: &v} }

// Unlimited sets null.
func Unlimited() OptionalInt { return OptionalInt{Set: true} }

// OptionalTime is a nullable time in a PATCH body: absent (leave it), null
// (none, e.g. a key that never expires) or an RFC 3339 time.
type OptionalTime struct {
	Set   bool
	Value *time.Time
}

func (o *OptionalTime) UnmarshalJSON(b []byte) error {
	o.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		o.Value = nil
		return nil
	}
	var v time.Time
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	o.Value = &v
	return nil
}

func (o OptionalTime) MarshalJSON() ([]byte, error) {
	if o.Value == nil {
		return []byte("null"), nil
	}
	return json.Marshal(*o.Value)
}

// SomeTime sets a time (for Go callers and tests).
func SomeTime(t time.Time) OptionalTime { return OptionalTime{Set: true, Value: &t} }
