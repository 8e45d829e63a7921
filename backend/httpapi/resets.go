package httpapi

import (
	"net/http"

	"castdesk/backend/panel"
)

type accepted struct {
	Accepted bool `json:"accepted"`
}

func init() {
	documentRoutes(map[string]routeDoc{
		"POST /api/v1/auth/forgot": {Tag: "Sessions", Access: public, Summary: "Email a password reset code (and a link in serve mode)",
			Description: "Answers 202 whether or not the account exists; 429 when this client asks too often.",
			Request:     panel.ForgotInput{}, Status: http.StatusAccepted, Response: accepted{}, Errors: []int{429}},
		"POST /api/v1/auth/reset": {Tag: "Sessions", Access: public, Summary: "Set a new password with a reset code",
			Description: "The code works once, for 30 minutes; every session of the account ends. Wrong codes are throttled (429).",
			Request:     panel.ResetInput{}, Response: updated{}, Errors: []int{429}},
		"POST /api/v1/customers/{id}/reset-password": {Tag: "Customers", Access: anyAccount,
			Summary:     "Reset & email a temporary password (administrators; resellers for their customers)",
			Description: "The account must choose a new password at its next login; its sessions end.",
			Status:      http.StatusAccepted, Response: panel.QueuedMail{}},
	})
}

func (s *Server) resetRoutes() {
	auth := s.panel.Auth
	s.handle("POST /api/v1/auth/forgot", withBody(http.StatusAccepted, func(r *http.Request, in panel.ForgotInput) (any, error) {
		// 202 whether or not the account exists.
		return accepted{true}, auth.Forgot(r.Context(), in, clientID(r))
	}))
	s.handle("POST /api/v1/auth/reset", withBody(http.StatusOK, func(r *http.Request, in panel.ResetInput) (any, error) {
		return updated{true}, auth.Reset(r.Context(), in, clientID(r))
	}))
	s.handle("POST /api/v1/customers/{id}/reset-password", byID(http.StatusAccepted, func(r *http.Request, id int64) (any, error) {
		return s.panel.Accounts.ResetAndEmail(r.Context(), id)
	}))
}
