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
	s.handle("PUT /api/v1/auth/password", withBody(http.StatusOK, func(r *http.Request, in panel.ChangePasswordInput) (any, error) {
		return updated{true}, p.Auth.ChangePassword(r.Context(), in)
	}))
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
	s.handle("PATCH /api/v1/settings", withBody(http.StatusOK, func(r *http.Request, in panel.SettingsPatch) (any, error) {
		return p.Settings.Update(r.Context(), in)
	}))

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
	s.handle("POST /api/v1/customers", withBody(http.StatusCreated, func(r *http.Request, in panel.CreateAccountInput) (any, error) {
		acc, err := a.Create(r.Context(), in)
		return accountBody{acc}, err
	}))
	s.handle("GET /api/v1/customers/{id}", byID(http.StatusOK, func(r *http.Request, id int64) (any, error) {
		return a.Overview(r.Context(), id)
	}))
	s.handle("PATCH /api/v1/customers/{id}", byIDWithBody(http.StatusOK, func(r *http.Request, id int64, in panel.UpdateAccountInput) (any, error) {
		acc, err := a.Update(r.Context(), id, in)
		return accountBody{acc}, err
	}))
	s.handle("GET /api/v1/customers/{id}/delete-preview", byID(http.StatusOK, func(r *http.Request, id int64) (any, error) {
		return a.DeletePreview(r.Context(), id)
	}))
	s.handle("DELETE /api/v1/customers/{id}", byID(http.StatusOK, func(r *http.Request, id int64) (any, error) {
		err := a.Delete(r.Context(), id, r.URL.Query().Get("confirm"))
		return deleted{err == nil}, err
	}))
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
	s.handle("PUT /api/v1/customers/{id}/password", byIDWithBody(http.StatusOK, func(r *http.Request, id int64, in panel.SetPasswordInput) (any, error) {
		err := a.SetPassword(r.Context(), id, in)
		return updated{err == nil}, err
	}))
}
