package panel

import "context"

// usernameFree adds username: taken to fields when another account (not
// selfID) has that username, so a form hears of it together with its other
// problems. A username already refused for its shape is not looked up.
func usernameFree(ctx context.Context, r Reader, username string, selfID int64, fields *Problems) error {
	if username == "" || fields.Has("username") {
		return nil
	}
	other, err := r.AccountByUsernameKey(ctx, UsernameKey(username))
	switch {
	case IsCode(err, CodeNotFound):
		return nil
	case err != nil:
		return wrapErr(err)
	case other.ID != selfID:
		fields.Add("username", ReasonTaken)
	}
	return nil
}
