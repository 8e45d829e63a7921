package desktop

import (
	"context"

	"castdesk/backend/panel"
)

// APIKeys is the "API keys" section of the account's own settings.
type APIKeys struct{ s *Session }

// List shows the caller's keys (administrators: anyone's, by account_id).
func (x *APIKeys) List(in panel.ListAPIKeysInput) (panel.APIKeyList, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.APIKeyList, error) {
		return x.s.panel.APIKeys().List(ctx, in)
	})
}

// Create answers the new key: the only time it is shown.
func (x *APIKeys) Create(in panel.CreateAPIKeyInput) (panel.CreatedAPIKey, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.CreatedAPIKey, error) {
		return x.s.panel.APIKeys().Create(ctx, in)
	})
}

func (x *APIKeys) Revoke(in IDInput) (Done, error) {
	return withCaller(x.s, func(ctx context.Context) (Done, error) {
		return done(x.s.panel.APIKeys().Revoke(ctx, in.ID))
	})
}
