package panel_test

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"testing"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// resellerEnv: an admin, a plan with the given limits, a reseller on it and
// one of the reseller's customers.
type resellerEnv struct {
	*testkit.Env
	admin, reseller, customer context.Context
	resellerID, customerID    int64
	planID                    int64
}

func newResellerEnv(t *testing.T, plan panel.PlanInput) *resellerEnv {
	t.Helper()
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	name := "Bronze"
	plan.Name = &name
	p, err := env.Panel.Plans.Create(adminCtx, plan)
	if err != nil {
		t.Fatal(err)
	}
	reseller, err := env.Panel.Accounts.Create(adminCtx, panel.CreateAccountInput{Username: "reseller", Name: "Res", Email: "r@example.org",
		Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword, ResellerPlanID: &p.ID})
	if err != nil {
		t.Fatal(err)
	}
	resellerCtx := env.Login(t, "reseller", testkit.StrongPassword)
	cust := env.CreateAccount(t, resellerCtx, "cust", panel.LevelCustomer)
	return &resellerEnv{Env: env, admin: adminCtx, reseller: resellerCtx, customer: env.Login(t, "cust", testkit.StrongPassword),
		resellerID: reseller.ID, customerID: cust.ID, planID: p.ID}
}

func service(owner int64, mutate ...func(*panel.ServiceInput)) panel.ServiceInput {
	name, typ := "Radio", "icecast"
	in := panel.ServiceInput{OwnerID: &owner, Name: &name, Type: &typ, MaxConnections: ptr(10), BitrateKbps: ptr(128), DataTransferMB: ptr(100)}
	for _, m := range mutate {
		m(&in)
	}
	return in
}

func TestEveryPlanLimitAtBelowAndAbove(t *testing.T) {
	plan := panel.PlanInput{ServerLimit: panel.Some(3), MaxConnections: panel.Some(30), DataTransferMB: panel.Some(300),
		MaxBitrateKbps: panel.Some(128), AutoDJ: ptr(true), AutoDJQuota: panel.Some(2), Proxy: ptr(false)}
	// A refusal names the service field it concerns, over_plan_limit (or
	// not_in_plan for a feature) and the numbers: the plan's limit, what the
	// reseller's other services use (0 for a per-service limit), the plan's value.
	type refusal struct {
		field         string
		reason        panel.Reason
		limit         string
		used, allowed int
		inText        string
	}
	cases := []struct {
		name  string
		first []func(*panel.ServiceInput) // services created before, all must succeed
		probe func(*panel.ServiceInput)
		want  *refusal // nil = allowed
	}{
		{"bitrate below", nil, func(s *panel.ServiceInput) { s.BitrateKbps = ptr(96) }, nil},
		{"bitrate at", nil, func(s *panel.ServiceInput) { s.BitrateKbps = ptr(128) }, nil},
		{"bitrate above", nil, func(s *panel.ServiceInput) { s.BitrateKbps = ptr(192) },
			&refusal{"bitrate_kbps", panel.ReasonOverPlanLimit, "max_bitrate_kbps", 0, 128, "128 kbps"}},
		{"connections at", []func(*panel.ServiceInput){func(s *panel.ServiceInput) { s.MaxConnections = ptr(20) }}, func(s *panel.ServiceInput) { s.MaxConnections = ptr(10) }, nil},
		{"connections above", []func(*panel.ServiceInput){func(s *panel.ServiceInput) { s.MaxConnections = ptr(20) }}, func(s *panel.ServiceInput) { s.MaxConnections = ptr(11) },
			&refusal{"max_connections", panel.ReasonOverPlanLimit, "max_connections", 20, 30, "20 are in use"}},
		{"transfer at", []func(*panel.ServiceInput){func(s *panel.ServiceInput) { s.DataTransferMB = ptr(200) }}, func(s *panel.ServiceInput) { s.DataTransferMB = ptr(100) }, nil},
		{"transfer above", []func(*panel.ServiceInput){func(s *panel.ServiceInput) { s.DataTransferMB = ptr(200) }}, func(s *panel.ServiceInput) { s.DataTransferMB = ptr(101) },
			&refusal{"data_transfer_mb", panel.ReasonOverPlanLimit, "data_transfer_mb", 200, 300, "300 MB"}},
		{"servers at", []func(*panel.ServiceInput){nil, nil}, nil, nil},
		{"servers above", []func(*panel.ServiceInput){nil, nil, nil}, nil,
			&refusal{"owner_id", panel.ReasonOverPlanLimit, "server_limit", 3, 3, "server limit of 3"}},
		{"autodj quota at", nil, func(s *panel.ServiceInput) { s.AutoDJ, s.AutoDJQuota = ptr(true), ptr(2) }, nil},
		{"autodj quota above", nil, func(s *panel.ServiceInput) { s.AutoDJ, s.AutoDJQuota = ptr(true), ptr(3) },
			&refusal{"autodj_quota", panel.ReasonOverPlanLimit, "autodj_quota", 0, 2, "AutoDJ quota of 2"}},
		{"proxy not allowed", nil, func(s *panel.ServiceInput) { s.Proxy = ptr(true) },
			&refusal{"proxy", panel.ReasonNotInPlan, "proxy", -1, -1, "proxy"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newResellerEnv(t, plan)
			for _, m := range c.first {
				muts := []func(*panel.ServiceInput){}
				if m != nil {
					muts = append(muts, m)
				}
				if _, err := e.Panel.Services.Create(e.reseller, service(e.customerID, muts...)); err != nil {
					t.Fatalf("setup service: %v", err)
				}
			}
			muts := []func(*panel.ServiceInput){}
			if c.probe != nil {
				muts = append(muts, c.probe)
			}
			_, err := e.Panel.Services.Create(e.reseller, service(e.customerID, muts...))
			if c.want == nil {
				if err != nil {
					t.Fatalf("refused within the allowance: %v", err)
				}
				return
			}
			w := c.want
			pe := panel.AsError(err)
			if pe == nil || pe.Code != panel.CodeLimitExceeded || len(pe.Fields) != 1 || pe.Fields[w.field] != w.reason || !strings.Contains(pe.Message, w.inText) {
				t.Fatalf("got %+v, want %s=%s mentioning %q", pe, w.field, w.reason, w.inText)
			}
			wantParams := panel.Params{"limit": w.limit}
			if w.reason == panel.ReasonOverPlanLimit {
				wantParams = panel.Params{"limit": w.limit, "used": w.used, "allowed": w.allowed}
			}
			if len(pe.Params) != 1 || !reflect.DeepEqual(pe.Params[w.field], wantParams) {
				t.Fatalf("params: got %v, want %s: %v", pe.Params, w.field, wantParams)
			}
		})
	}
}

func TestPlanWithoutAutoDJRefusesIt(t *testing.T) {
	e := newResellerEnv(t, panel.PlanInput{AutoDJ: ptr(false)})
	_, err := e.Panel.Services.Create(e.reseller, service(e.resellerID, func(s *panel.ServiceInput) { s.AutoDJ = ptr(true) }))
	if pe := panel.AsError(err); pe == nil || pe.Code != panel.CodeLimitExceeded || pe.Fields["autodj"] != panel.ReasonNotInPlan {
		t.Fatalf("autodj: %v", err)
	}
}

func TestConcurrentCreatesAtTheServerLimit(t *testing.T) {
	e := newResellerEnv(t, panel.PlanInput{ServerLimit: panel.Some(5)})
	const tries = 12
	var wg sync.WaitGroup
	errs := make([]error, tries)
	for i := 0; i < tries; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, errs[i] = e.Panel.Services.Create(e.reseller, service(e.customerID))
		}(i)
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch testkit.Code(err) {
		case "":
			ok++
		case panel.CodeLimitExceeded:
		default:
			t.Errorf("unexpected: %v", err)
		}
	}
	if ok != 5 {
		t.Fatalf("%d creates succeeded, want exactly 5", ok)
	}
	ov, _ := e.Panel.Accounts.Overview(e.admin, e.resellerID)
	if ov.ResellerUsage == nil || ov.ResellerUsage.ServerLimit.Used != 5 || *ov.ResellerUsage.ServerLimit.Allowed != 5 {
		t.Fatalf("usage: %+v", ov.ResellerUsage)
	}
}

func TestPlanDowngradeKeepsServicesRefusesNewOnes(t *testing.T) {
	e := newResellerEnv(t, panel.PlanInput{ServerLimit: panel.Some(3)})
	var ids []int64
	for i := 0; i < 3; i++ {
		svc, err := e.Panel.Services.Create(e.reseller, service(e.customerID))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, svc.ID)
	}
	if _, err := e.Panel.Plans.Update(e.admin, e.planID, panel.PlanInput{ServerLimit: panel.Some(1)}); err != nil {
		t.Fatal(err)
	}
	page, _ := e.Panel.Services.List(e.admin, panel.ListServicesInput{})
	if page.Total != 3 {
		t.Fatalf("existing services changed: %d", page.Total)
	}
	if _, err := e.Panel.Services.Create(e.reseller, service(e.customerID)); testkit.Code(err) != panel.CodeLimitExceeded {
		t.Fatalf("new service above a lowered limit: %v", err)
	}
	// Editing an existing one that does not grow use is still fine.
	if _, err := e.Panel.Services.Update(e.reseller, ids[0], panel.ServiceInput{Name: ptr("Renamed")}); err != nil {
		t.Fatalf("rename over the limit: %v", err)
	}
	ov, _ := e.Panel.Accounts.Overview(e.reseller, e.resellerID)
	if u := ov.ResellerUsage.ServerLimit; u.Used != 3 || *u.Allowed != 1 {
		t.Fatalf("overview shows %+v", u)
	}
	// Back to unlimited.
	if _, err := e.Panel.Plans.Update(e.admin, e.planID, panel.PlanInput{ServerLimit: panel.Unlimited()}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Panel.Services.Create(e.reseller, service(e.customerID)); err != nil {
		t.Fatalf("unlimited: %v", err)
	}
}

func TestUpdateIsCheckedAgainstThePlan(t *testing.T) {
	e := newResellerEnv(t, panel.PlanInput{MaxConnections: panel.Some(30)})
	a, _ := e.Panel.Services.Create(e.reseller, service(e.customerID, func(s *panel.ServiceInput) { s.MaxConnections = ptr(15) }))
	e.Panel.Services.Create(e.reseller, service(e.customerID, func(s *panel.ServiceInput) { s.MaxConnections = ptr(10) }))
	if _, err := e.Panel.Services.Update(e.reseller, a.ID, panel.ServiceInput{MaxConnections: ptr(20)}); err != nil {
		t.Fatalf("20+10 = 30 is at the limit: %v", err)
	}
	if _, err := e.Panel.Services.Update(e.reseller, a.ID, panel.ServiceInput{MaxConnections: ptr(21)}); testkit.Code(err) != panel.CodeLimitExceeded {
		t.Fatalf("21+10 > 30: %v", err)
	}
}

func TestPortsAndPlans(t *testing.T) {
	e := newResellerEnv(t, panel.PlanInput{})
	a, err := e.Panel.Services.Create(e.admin, service(e.customerID))
	if err != nil || a.Port != 8000 {
		t.Fatalf("first proposed port: %+v %v", a, err)
	}
	b, _ := e.Panel.Services.Create(e.admin, service(e.customerID))
	if b.Port != 8002 {
		t.Fatalf("second proposed port %d, want 8002 (8001 is SHOUTcast's)", b.Port)
	}
	if _, err := e.Panel.Services.Create(e.admin, service(e.customerID, func(s *panel.ServiceInput) { s.Port = ptr(8000) })); panel.AsError(err).Fields["port"] != panel.ReasonTaken {
		t.Fatalf("taken port: %v", err)
	}
	for _, bad := range []panel.ServiceInput{
		service(e.customerID, func(s *panel.ServiceInput) { s.Port = ptr(80) }),
		service(e.customerID, func(s *panel.ServiceInput) { s.Type = ptr("winamp") }),
		service(e.customerID, func(s *panel.ServiceInput) { s.Name = ptr(" ") }),
		service(e.customerID, func(s *panel.ServiceInput) { s.BitrateKbps = ptr(0) }),
		{},
	} {
		if _, err := e.Panel.Services.Create(e.admin, bad); testkit.Code(err) != panel.CodeInvalid {
			t.Fatalf("bad service accepted: %v", err)
		}
	}
	if next, _ := e.Panel.Services.NextPort(e.admin); next != 8004 {
		t.Fatalf("next port %d", next)
	}
	// Suspend needs a reason; unsuspend clears it.
	if _, err := e.Panel.Services.SetSuspended(e.reseller, a.ID, true, " "); testkit.Code(err) != panel.CodeInvalid {
		t.Fatalf("suspend without reason: %v", err)
	}
	s, err := e.Panel.Services.SetSuspended(e.reseller, a.ID, true, "Unpaid invoice")
	if err != nil || s.Status != "suspended" || s.SuspendReason != "Unpaid invoice" {
		t.Fatalf("suspend: %+v %v", s, err)
	}
	ov, _ := e.Panel.Accounts.Overview(e.admin, e.customerID)
	if ov.Services.Active != 1 || ov.Services.Suspended != 1 {
		t.Fatalf("counts: %+v", ov.Services)
	}
	if s, _ = e.Panel.Services.SetSuspended(e.reseller, a.ID, false, ""); s.Status != "active" || s.SuspendReason != "" {
		t.Fatalf("unsuspend: %+v", s)
	}
	// A plan in use cannot be deleted; an unused one can.
	if err := e.Panel.Plans.Delete(e.admin, e.planID); testkit.Code(err) != panel.CodeConflict {
		t.Fatalf("delete assigned plan: %v", err)
	}
	free, _ := e.Panel.Plans.Create(e.admin, panel.PlanInput{Name: ptr("Free")})
	if err := e.Panel.Plans.Delete(e.admin, free.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Panel.Plans.Create(e.admin, panel.PlanInput{Name: ptr("bronze")}); panel.AsError(err).Fields["name"] != panel.ReasonTaken {
		t.Fatalf("duplicate plan name: %v", err)
	}
	if _, err := e.Panel.Plans.Create(e.admin, panel.PlanInput{Name: ptr("Neg"), ServerLimit: panel.Some(-1)}); testkit.Code(err) != panel.CodeInvalid {
		t.Fatalf("negative limit: %v", err)
	}
}

func TestServiceScope(t *testing.T) {
	e := newResellerEnv(t, panel.PlanInput{})
	mine, _ := e.Panel.Services.Create(e.reseller, service(e.customerID))
	// Another reseller and its customer, elsewhere.
	other, _ := e.Panel.Accounts.Create(e.admin, panel.CreateAccountInput{Username: "other", Name: "O", Email: "o@example.org",
		Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword, ResellerPlanID: &e.planID})
	otherCtx := e.Login(t, "other", testkit.StrongPassword)
	theirs, err := e.Panel.Services.Create(otherCtx, service(other.ID))
	if err != nil {
		t.Fatal(err)
	}
	// The reseller sees its customer's service, not the other reseller's.
	page, _ := e.Panel.Services.List(e.reseller, panel.ListServicesInput{})
	if page.Total != 1 || page.Items[0].ID != mine.ID {
		t.Fatalf("reseller sees %+v", page)
	}
	for _, call := range []func() error{
		func() error { _, err := e.Panel.Services.Get(e.reseller, theirs.ID); return err },
		func() error {
			_, err := e.Panel.Services.Update(e.reseller, theirs.ID, panel.ServiceInput{Name: ptr("x")})
			return err
		},
		func() error { return e.Panel.Services.Delete(e.reseller, theirs.ID) },
		func() error { _, err := e.Panel.Services.SetSuspended(e.reseller, theirs.ID, true, "x"); return err },
	} {
		if err := call(); testkit.Code(err) != panel.CodeNotFound {
			t.Fatalf("out of scope: %v", err)
		}
	}
	if _, err := e.Panel.Services.Create(e.reseller, service(other.ID)); panel.AsError(err).Fields["owner_id"] == "" {
		t.Fatalf("creating for another reseller's account: %v", err)
	}
	// The customer sees its own service and changes nothing.
	page, _ = e.Panel.Services.List(e.customer, panel.ListServicesInput{})
	if page.Total != 1 {
		t.Fatalf("customer sees %d", page.Total)
	}
	if _, err := e.Panel.Services.Create(e.customer, service(e.customerID)); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("customer creates: %v", err)
	}
	if _, err := e.Panel.Services.Get(e.customer, theirs.ID); testkit.Code(err) != panel.CodeNotFound {
		t.Fatalf("customer reads another's: %v", err)
	}
	// Plans are the admin's; a reseller reads only its own.
	if _, err := e.Panel.Plans.List(e.reseller); testkit.Code(err) != panel.CodeForbidden {
		t.Fatalf("reseller lists plans: %v", err)
	}
	if _, err := e.Panel.Plans.Get(e.reseller, e.planID); err != nil {
		t.Fatalf("reseller reads own plan: %v", err)
	}
	if _, err := e.Panel.Plans.Get(e.customer, e.planID); testkit.Code(err) != panel.CodeNotFound {
		t.Fatalf("customer reads plan: %v", err)
	}
}
