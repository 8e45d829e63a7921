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
	s.handle("POST /api/v1/plans", withBody(http.StatusCreated, func(r *http.Request, in panel.PlanInput) (any, error) {
		return plans.Create(r.Context(), in)
	}))
	s.handle("GET /api/v1/plans/{id}", byID(http.StatusOK, func(r *http.Request, id int64) (any, error) {
		return plans.Get(r.Context(), id)
	}))
	s.handle("PATCH /api/v1/plans/{id}", byIDWithBody(http.StatusOK, func(r *http.Request, id int64, in panel.PlanInput) (any, error) {
		return plans.Update(r.Context(), id, in)
	}))
	s.handle("DELETE /api/v1/plans/{id}", byID(http.StatusOK, func(r *http.Request, id int64) (any, error) {
		err := plans.Delete(r.Context(), id)
		return deleted{err == nil}, err
	}))
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
	s.handle("POST /api/v1/services", withBody(http.StatusCreated, func(r *http.Request, in panel.ServiceInput) (any, error) {
		return services.Create(r.Context(), in)
	}))
	s.handle("GET /api/v1/services/{id}", byID(http.StatusOK, func(r *http.Request, id int64) (any, error) {
		return services.Get(r.Context(), id)
	}))
	s.handle("PATCH /api/v1/services/{id}", byIDWithBody(http.StatusOK, func(r *http.Request, id int64, in panel.ServiceInput) (any, error) {
		return services.Update(r.Context(), id, in)
	}))
	s.handle("DELETE /api/v1/services/{id}", byID(http.StatusOK, func(r *http.Request, id int64) (any, error) {
		err := services.Delete(r.Context(), id)
		return deleted{err == nil}, err
	}))
	s.handle("POST /api/v1/services/{id}/suspend", byIDWithBody(http.StatusOK, func(r *http.Request, id int64, in suspendBody) (any, error) {
		return services.SetSuspended(r.Context(), id, true, in.Reason)
	}))
	s.handle("POST /api/v1/services/{id}/unsuspend", byID(http.StatusOK, func(r *http.Request, id int64) (any, error) {
		return services.SetSuspended(r.Context(), id, false, "")
	}))
}
