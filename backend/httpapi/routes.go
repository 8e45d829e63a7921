package httpapi

import (
	"net/http"

	"castdesk/backend/panel"
)

type updated struct {
	Updated bool `json:"updated"`
}

// accountBody is the {account} response of login, setup and create.
type accountBody struct {
	Account *panel.Account `json:"account"`
}

func (s *Server) routes() {
	p := s.panel
	s.handle("GET /api/v1/health", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		h, err := p.Health(r.Context())
		return http.StatusOK, h, err
	})
	s.handle("POST /api/v1/setup", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		var in panel.SetupInput
		if err := decode(r, &in); err != nil {
			return 0, nil, err
		}
		res, err := p.Auth.Setup(r.Context(), in)
		if err != nil {
			return 0, nil, err
		}
		setSessionCookie(w, r, res.Token)
		return http.StatusCreated, accountBody{res.Account}, nil
	})

	// Sessions
	s.handle("POST /api/v1/auth/login", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		var in panel.LoginInput
		if err := decode(r, &in); err != nil {
			return 0, nil, err
		}
		res, err := p.Auth.Login(r.Context(), in)
		if err != nil {
			return 0, nil, err
		}
		setSessionCookie(w, r, res.Token)
		return http.StatusOK, accountBody{res.Account}, nil
	})
	s.handle("POST /api/v1/auth/logout", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		res, err := p.Auth.Logout(r.Context())
		if err != nil {
			return 0, nil, err
		}
		if res.Token != "" { // back from "log in as" to the admin's own session
			setSessionCookie(w, r, res.Token)
		} else {
			clearSessionCookie(w, r)
		}
		return http.StatusOK, accountBody{res.Account}, nil
	})
	s.handle("PUT /api/v1/auth/password", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		var in panel.ChangePasswordInput
		if err := decode(r, &in); err != nil {
			return 0, nil, err
		}
		return http.StatusOK, updated{true}, p.Auth.ChangePassword(r.Context(), in)
	})
	s.handle("GET /api/v1/audit", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		q := r.URL.Query()
		fields := map[string]string{}
		in := panel.AuditQuery{Actor: q.Get("actor"), Subject: q.Get("subject"), Event: q.Get("event"),
			Cursor: queryInt(r, "cursor", fields), Limit: int(queryInt(r, "limit", fields))}
		if len(fields) > 0 {
			return 0, nil, panel.Invalid(fields)
		}
		page, err := p.Audit.List(r.Context(), in)
		return http.StatusOK, page, err
	})
	s.handle("GET /api/v1/auth/me", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		me, err := p.Auth.Me(r.Context())
		return http.StatusOK, me, err
	})

	// Settings
	s.handle("GET /api/v1/settings", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		set, err := p.Settings.Get(r.Context())
		return http.StatusOK, set, err
	})
	s.handle("PATCH /api/v1/settings", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		var in panel.SettingsPatch
		if err := decode(r, &in); err != nil {
			return 0, nil, err
		}
		set, err := p.Settings.Update(r.Context(), in)
		return http.StatusOK, set, err
	})

	s.customerRoutes()
	s.planRoutes()
	s.serviceRoutes()
	s.resetRoutes()
	s.mailRoutes()
	s.mediaRoutes()
	s.apiKeyRoutes()
	s.openAPIRoutes()
}

func (s *Server) customerRoutes() {
	a := s.panel.Accounts
	s.handle("GET /api/v1/customers", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		q := r.URL.Query()
		fields := map[string]string{}
		in := panel.ListAccountsInput{Q: q.Get("q"), Level: q.Get("level"), Status: q.Get("status"),
			Sort: q.Get("sort"), Cursor: q.Get("cursor"),
			ResellerID: queryInt(r, "reseller_id", fields), Limit: int(queryInt(r, "limit", fields))}
		if len(fields) > 0 {
			return 0, nil, panel.Invalid(fields)
		}
		page, err := a.List(r.Context(), in)
		return http.StatusOK, page, err
	})
	s.handle("POST /api/v1/customers", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		var in panel.CreateAccountInput
		if err := decode(r, &in); err != nil {
			return 0, nil, err
		}
		acc, err := a.Create(r.Context(), in)
		return http.StatusCreated, accountBody{acc}, err
	})
	s.handle("GET /api/v1/customers/{id}", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathID(r)
		if err != nil {
			return 0, nil, err
		}
		ov, err := a.Overview(r.Context(), id)
		return http.StatusOK, ov, err
	})
	s.handle("PATCH /api/v1/customers/{id}", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathID(r)
		if err != nil {
			return 0, nil, err
		}
		var in panel.UpdateAccountInput
		if err := decode(r, &in); err != nil {
			return 0, nil, err
		}
		acc, err := a.Update(r.Context(), id, in)
		return http.StatusOK, accountBody{acc}, err
	})
	s.handle("GET /api/v1/customers/{id}/delete-preview", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathID(r)
		if err != nil {
			return 0, nil, err
		}
		pv, err := a.DeletePreview(r.Context(), id)
		return http.StatusOK, pv, err
	})
	s.handle("DELETE /api/v1/customers/{id}", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathID(r)
		if err != nil {
			return 0, nil, err
		}
		err = a.Delete(r.Context(), id, r.URL.Query().Get("confirm"))
		return http.StatusOK, deleted{err == nil}, err
	})
	s.handle("POST /api/v1/customers/{id}/login-as", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathID(r)
		if err != nil {
			return 0, nil, err
		}
		res, admin, err := s.panel.Auth.LoginAs(r.Context(), id)
		if err != nil {
			return 0, nil, err
		}
		setSessionCookie(w, r, res.Token)
		return http.StatusOK, panel.Me{Account: res.Account, Impersonator: admin}, nil
	})
	s.handle("PUT /api/v1/customers/{id}/password", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathID(r)
		if err != nil {
			return 0, nil, err
		}
		var in panel.SetPasswordInput
		if err := decode(r, &in); err != nil {
			return 0, nil, err
		}
		err = a.SetPassword(r.Context(), id, in)
		return http.StatusOK, updated{err == nil}, err
	})
}
