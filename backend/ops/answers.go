package ops

import "castdesk/backend/panel"

// The small answers and inputs shared by several operations. Both doors
// send exactly these: an answer's JSON never depends on the door.

// NoInput is the input of operations that take none.
type NoInput struct{}

// ByID names the object of the path's {id}.
type ByID struct {
	ID int64 `json:"id" path:"id"`
}

// AccountBody is {account}: setup, login, create, update.
type AccountBody struct {
	Account panel.Account `json:"account"`
}

// accountBody wraps a service's answer.
func accountBody(acc *panel.Account, err error) (AccountBody, error) {
	if err != nil {
		return AccountBody{}, err
	}
	return AccountBody{*acc}, nil
}

// LogoutBody is {account}: inside "log in as", the administrator the
// session returned to; else null.
type LogoutBody struct {
	Account *panel.Account `json:"account"`
}

// Deleted answers a delete.
type Deleted struct {
	Deleted bool `json:"deleted"`
}

// Updated answers a change that returns nothing else.
type Updated struct {
	Updated bool `json:"updated"`
}

// Accepted answers a request whose work continues after the answer.
type Accepted struct {
	Accepted bool `json:"accepted"`
}

// Revoked answers an API key's revocation.
type Revoked struct {
	Revoked bool `json:"revoked"`
}
