package ops

import (
	"net/http"

	"castdesk/backend/panel"
)

// NextPort is the next free port.
type NextPort struct {
	Port int `json:"port"`
}

// ServiceUpdate is a PATCH of service {id}.
type ServiceUpdate struct {
	ByID
	panel.ServiceInput
}

// ServiceSuspend suspends service {id} with a reason shown to its owner.
type ServiceSuspend struct {
	ByID
	Reason string `json:"reason"`
}

var serviceOps = []*Op{
	declare(Op{Name: "servicesList", Scope: panel.AreaServices, Method: "GET", Path: "/services", Tag: "Services", Access: AnyAccount,
		Summary: "Media services the caller may see",
		ParamDocs: map[string]string{"owner_id": "services of this account", "cursor": "next_cursor of the previous page",
			"limit": "page size, 1-200 (default 50)"}},
		func(e Env, in panel.ListServicesInput) (panel.ServicePage, error) {
			return e.Panel.Services.List(e.Ctx, in)
		}),

	declare(Op{Name: "servicesNextPort", Scope: panel.AreaServices, Method: "GET", Path: "/services/next-port", Tag: "Services", Access: AnyAccount,
		Summary: "The next free port (administrators and resellers)"},
		func(e Env, _ NoInput) (NextPort, error) {
			port, err := e.Panel.Services.NextPort(e.Ctx)
			return NextPort{port}, err
		}),

	declare(Op{Name: "serviceCreate", Scope: panel.AreaServices, Method: "POST", Path: "/services", Tag: "Services", Access: AnyAccount,
		Status: http.StatusCreated, Errors: []int{422},
		Summary:     "Create a media service (administrators and resellers)",
		Description: "422 limit_exceeded when the owner's reseller plan forbids it."},
		func(e Env, in panel.ServiceInput) (*panel.Service, error) { return e.Panel.Services.Create(e.Ctx, in) }),

	declare(Op{Name: "serviceGet", Scope: panel.AreaServices, Method: "GET", Path: "/services/{id}", Tag: "Services", Access: AnyAccount,
		Summary: "A media service"},
		func(e Env, in ByID) (*panel.Service, error) { return e.Panel.Services.Get(e.Ctx, in.ID) }),

	declare(Op{Name: "serviceUpdate", Scope: panel.AreaServices, Method: "PATCH", Path: "/services/{id}", Tag: "Services", Access: AnyAccount,
		Errors: []int{422}, Summary: "Change a media service (only the fields sent)"},
		func(e Env, in ServiceUpdate) (*panel.Service, error) {
			return e.Panel.Services.Update(e.Ctx, in.ID, in.ServiceInput)
		}),

	declare(Op{Name: "serviceDelete", Scope: panel.AreaServices, Method: "DELETE", Path: "/services/{id}", Tag: "Services", Access: AnyAccount,
		Summary: "Delete a media service"},
		func(e Env, in ByID) (Deleted, error) { return Deleted{true}, e.Panel.Services.Delete(e.Ctx, in.ID) }),

	declare(Op{Name: "serviceSuspend", Scope: panel.AreaServices, Method: "POST", Path: "/services/{id}/suspend", Tag: "Services", Access: AnyAccount,
		Summary: "Suspend a media service"},
		func(e Env, in ServiceSuspend) (*panel.Service, error) {
			return e.Panel.Services.SetSuspended(e.Ctx, in.ID, true, in.Reason)
		}),

	declare(Op{Name: "serviceUnsuspend", Scope: panel.AreaServices, Method: "POST", Path: "/services/{id}/unsuspend", Tag: "Services",
		Access: AnyAccount, NoBody: true, Errors: []int{422}, Summary: "Unsuspend a media service"},
		func(e Env, in ByID) (*panel.Service, error) {
			return e.Panel.Services.SetSuspended(e.Ctx, in.ID, false, "")
		}),
}
