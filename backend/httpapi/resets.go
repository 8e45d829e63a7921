package httpapi

import (
	"net/http"

	"castdesk/backend/panel"
)

type accepted struct {
	Accepted bool `json:"accepted"`
}

func (s *Server) resetRoutes() {
	auth := s.panel.Auth
	s.handle("POST /api/v1/auth/forgot", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		var in panel.ForgotInput
		if err := decode(r, &in); err != nil {
			return 0, nil, err
		}
		// 202 whether or not the account exists.
		return http.StatusAccepted, accepted{true}, auth.Forgot(r.Context(), in, clientID(r))
	})
	s.handle("POST /api/v1/auth/reset", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		var in panel.ResetInput
		if err := decode(r, &in); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, updated{true}, auth.Reset(r.Context(), in, clientID(r))
	})
	s.handle("POST /api/v1/customers/{id}/reset-password", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathID(r)
		if err != nil {
			return 0, nil, err
		}
		q, err := s.panel.Accounts.ResetAndEmail(r.Context(), id)
		return http.StatusAccepted, q, err
	})
}
