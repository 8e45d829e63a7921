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
	s.handle("POST /api/v1/api-keys", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		var in panel.CreateAPIKeyInput
		if err := decode(r, &in); err != nil {
			return 0, nil, err
		}
		k, err := keys.Create(r.Context(), in)
		return http.StatusCreated, k, err
	})
	s.handle("DELETE /api/v1/api-keys/{id}", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathID(r)
		if err != nil {
			return 0, nil, err
		}
		err = keys.Revoke(r.Context(), id)
		return http.StatusOK, revoked{err == nil}, err
	})
}
