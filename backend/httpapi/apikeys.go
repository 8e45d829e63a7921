package httpapi

import (
	"net/http"

	"castdesk/backend/panel"
)

type revoked struct {
	Revoked bool `json:"revoked"`
}

// apiKeyRoutes are the "API keys" section of every account's own settings.
func (s *Server) apiKeyRoutes() {
	keys := s.panel.APIKeys()
	s.handle("GET /api/v1/api-keys", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		fields := map[string]string{}
		in := panel.ListAPIKeysInput{AccountID: queryInt(r, "account_id", fields)}
		if len(fields) > 0 {
			return 0, nil, panel.Invalid(fields)
		}
		list, err := keys.List(r.Context(), in)
		return http.StatusOK, list, err
	})
	s.handle("POST /api/v1/api-keys", withBody(http.StatusCreated, func(r *http.Request, in panel.CreateAPIKeyInput) (any, error) {
		return keys.Create(r.Context(), in)
	}))
	s.handle("DELETE /api/v1/api-keys/{id}", byID(http.StatusOK, func(r *http.Request, id int64) (any, error) {
		err := keys.Revoke(r.Context(), id)
		return revoked{err == nil}, err
	}))
}
