package httpapi

import (
	"net/http"

	"castdesk/backend/panel"
)

// Items wraps a list that has no paging.
type Items[T any] struct {
	Items []T `json:"items"`
}

func (s *Server) planRoutes() {
	plans := s.panel.Plans
	s.handle("GET /api/v1/plans", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		list, err := plans.List(r.Context())
		return http.StatusOK, Items[panel.Plan]{list}, err
	})
	s.handle("POST /api/v1/plans", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		var in panel.PlanInput
		if err := decode(r, &in); err != nil {
			return 0, nil, err
		}
		p, err := plans.Create(r.Context(), in)
		return http.StatusCreated, p, err
	})
	s.handle("GET /api/v1/plans/{id}", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathID(r)
		if err != nil {
			return 0, nil, err
		}
		p, err := plans.Get(r.Context(), id)
		return http.StatusOK, p, err
	})
	s.handle("PATCH /api/v1/plans/{id}", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathID(r)
		if err != nil {
			return 0, nil, err
		}
		var in panel.PlanInput
		if err := decode(r, &in); err != nil {
			return 0, nil, err
		}
		p, err := plans.Update(r.Context(), id, in)
		return http.StatusOK, p, err
	})
	s.handle("DELETE /api/v1/plans/{id}", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		id, err := pathID(r)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, deleted{err == nil}, plans.Delete(r.Context(), id)
	})
}

type deleted struct {
	Deleted bool `json:"deleted"`
}

type suspendBody struct {
	Reason string `json:"reason"`
}

type nextPort struct {
	Port int `json:"port"`
}

func (s *Server) serviceRoutes() {
	services := s.panel.Services
	s.handle("GET /api/v1/services", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		q := r.URL.Query()
		fields := map[string]string{}
		in := panel.ListServicesInput{OwnerID: queryInt(r, "owner_id", fields), Status: q.Get("status"), Type: q.Get("type"),
			Cursor: queryInt(r, "cursor", fields), Limit: int(queryInt(r, "limit", fields))}
		if len(fields) > 0 {
			return 0, nil, panel.Invalid(fields)
		}
		page, err := services.List(r.Context(), in)
		return http.StatusOK, page, err
	})
	s.handle("GET /api/v1/services/next-port", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		port, err := services.NextPort(r.Context())
		return http.StatusOK, nextPort{port}, err
	})
	s.handle("POST /api/v1/services", func(w http.ResponseWriter, r *http.Request) (int, any, error) {
		var in panel.ServiceInput
		if err := decode(r, &in); err != nil {
			return 0, nil, err
		}
		svc, err := services.Create(r.Context(), in)
		return http.StatusCreated, svc, err
	})
	withID := func(fn func(r *http.Request, id int64) (any, error)) handlerFunc {
		return func(w http.ResponseWriter, r *http.Request) (int, any, error) {
			id, err := pathID(r)
			if err != nil {
				return 0, nil, err
			}
			body, err := fn(r, id)
			return http.StatusOK, body, err
		}
	}
	s.handle("GET /api/v1/services/{id}", withID(func(r *http.Request, id int64) (any, error) {
		return services.Get(r.Context(), id)
	}))
	s.handle("PATCH /api/v1/services/{id}", withID(func(r *http.Request, id int64) (any, error) {
		var in panel.ServiceInput
		if err := decode(r, &in); err != nil {
			return nil, err
		}
		return services.Update(r.Context(), id, in)
	}))
	s.handle("DELETE /api/v1/services/{id}", withID(func(r *http.Request, id int64) (any, error) {
		err := services.Delete(r.Context(), id)
		return deleted{err == nil}, err
	}))
	s.handle("POST /api/v1/services/{id}/suspend", withID(func(r *http.Request, id int64) (any, error) {
		var in suspendBody
		if err := decode(r, &in); err != nil {
			return nil, err
		}
		return services.SetSuspended(r.Context(), id, true, in.Reason)
	}))
	s.handle("POST /api/v1/services/{id}/unsuspend", withID(func(r *http.Request, id int64) (any, error) {
		return services.SetSuspended(r.Context(), id, false, "")
	}))
}
