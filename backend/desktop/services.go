package desktop

import (
	"context"

	"castdesk/backend/panel"
)

// Plans is the reseller plans screen.
type Plans struct{ s *Session }

// PlanList is {items}, as the HTTP door answers.
type PlanList struct {
	Items []panel.Plan `json:"items"`
}

type UpdatePlanInput struct {
	ID int64 `json:"id"`
	panel.PlanInput
}

func (x *Plans) List(_ Empty) (PlanList, error) {
	return withCaller(x.s, func(ctx context.Context) (PlanList, error) {
		items, err := x.s.panel.Plans.List(ctx)
		return PlanList{items}, err
	})
}

func (x *Plans) Get(in IDInput) (*panel.Plan, error) {
	return withCaller(x.s, func(ctx context.Context) (*panel.Plan, error) {
		return x.s.panel.Plans.Get(ctx, in.ID)
	})
}

func (x *Plans) Create(in panel.PlanInput) (*panel.Plan, error) {
	return withCaller(x.s, func(ctx context.Context) (*panel.Plan, error) {
		return x.s.panel.Plans.Create(ctx, in)
	})
}

func (x *Plans) Update(in UpdatePlanInput) (*panel.Plan, error) {
	return withCaller(x.s, func(ctx context.Context) (*panel.Plan, error) {
		return x.s.panel.Plans.Update(ctx, in.ID, in.PlanInput)
	})
}

func (x *Plans) Delete(in IDInput) (Done, error) {
	return withCaller(x.s, func(ctx context.Context) (Done, error) {
		return done(x.s.panel.Plans.Delete(ctx, in.ID))
	})
}

// Services is the media services screen.
type Services struct{ s *Session }

type UpdateServiceInput struct {
	ID int64 `json:"id"`
	panel.ServiceInput
}

type SuspendInput struct {
	ID     int64  `json:"id"`
	Reason string `json:"reason"`
}

type NextPort struct {
	Port int `json:"port"`
}

func (x *Services) List(in panel.ListServicesInput) (panel.ServicePage, error) {
	return withCaller(x.s, func(ctx context.Context) (panel.ServicePage, error) {
		return x.s.panel.Services.List(ctx, in)
	})
}

func (x *Services) NextPort(_ Empty) (NextPort, error) {
	return withCaller(x.s, func(ctx context.Context) (NextPort, error) {
		port, err := x.s.panel.Services.NextPort(ctx)
		return NextPort{port}, err
	})
}

func (x *Services) Get(in IDInput) (*panel.Service, error) {
	return withCaller(x.s, func(ctx context.Context) (*panel.Service, error) {
		return x.s.panel.Services.Get(ctx, in.ID)
	})
}

func (x *Services) Create(in panel.ServiceInput) (*panel.Service, error) {
	return withCaller(x.s, func(ctx context.Context) (*panel.Service, error) {
		return x.s.panel.Services.Create(ctx, in)
	})
}

func (x *Services) Update(in UpdateServiceInput) (*panel.Service, error) {
	return withCaller(x.s, func(ctx context.Context) (*panel.Service, error) {
		return x.s.panel.Services.Update(ctx, in.ID, in.ServiceInput)
	})
}

func (x *Services) Delete(in IDInput) (Done, error) {
	return withCaller(x.s, func(ctx context.Context) (Done, error) {
		return done(x.s.panel.Services.Delete(ctx, in.ID))
	})
}

func (x *Services) Suspend(in SuspendInput) (*panel.Service, error) {
	return withCaller(x.s, func(ctx context.Context) (*panel.Service, error) {
		return x.s.panel.Services.SetSuspended(ctx, in.ID, true, in.Reason)
	})
}

func (x *Services) Unsuspend(in IDInput) (*panel.Service, error) {
	return withCaller(x.s, func(ctx context.Context) (*panel.Service, error) {
		return x.s.panel.Services.SetSuspended(ctx, in.ID, false, "")
	})
}
