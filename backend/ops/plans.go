package ops

import (
	"net/http"

	"castdesk/backend/panel"
)

// PlanList is {items}: every reseller plan.
type PlanList struct {
	Items []panel.Plan `json:"items"`
}

// PlanUpdate is a PATCH of plan {id}.
type PlanUpdate struct {
	ByID
	panel.PlanInput
}

var planOps = []*Op{
	declare(Op{Name: "plansList", Scope: panel.AreaPlans, Method: "GET", Path: "/plans", Tag: "Plans", Access: AdminOnly,
		Summary: "Reseller plans"},
		func(e Env, _ NoInput) (PlanList, error) {
			items, err := e.Panel.Plans.List(e.Ctx)
			return PlanList{items}, err
		}),

	declare(Op{Name: "planGet", Scope: panel.AreaPlans, Method: "GET", Path: "/plans/{id}", Tag: "Plans", Access: AnyAccount,
		Summary: "A plan (administrators; resellers their own)"},
		func(e Env, in ByID) (*panel.Plan, error) { return e.Panel.Plans.Get(e.Ctx, in.ID) }),

	declare(Op{Name: "planCreate", Scope: panel.AreaPlans, Method: "POST", Path: "/plans", Tag: "Plans", Access: AdminOnly,
		Status: http.StatusCreated, Errors: []int{409}, Summary: "Create a reseller plan (null limits are unlimited)"},
		func(e Env, in panel.PlanInput) (*panel.Plan, error) { return e.Panel.Plans.Create(e.Ctx, in) }),

	declare(Op{Name: "planUpdate", Scope: panel.AreaPlans, Method: "PATCH", Path: "/plans/{id}", Tag: "Plans", Access: AdminOnly,
		Errors: []int{409}, Summary: "Change a plan (only the fields sent; null = unlimited)"},
		func(e Env, in PlanUpdate) (*panel.Plan, error) {
			return e.Panel.Plans.Update(e.Ctx, in.ID, in.PlanInput)
		}),

	declare(Op{Name: "planDelete", Scope: panel.AreaPlans, Method: "DELETE", Path: "/plans/{id}", Tag: "Plans", Access: AdminOnly,
		Summary: "Delete a reseller plan", Description: "Refused (409) while the plan is assigned.", Errors: []int{409}},
		func(e Env, in ByID) (Deleted, error) { return Deleted{true}, e.Panel.Plans.Delete(e.Ctx, in.ID) }),
}
