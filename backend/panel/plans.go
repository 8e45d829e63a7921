package panel

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Plan is a reseller plan (docs/spec.md §3). A nil limit is unlimited.
type Plan struct {
	ID             int64     `json:"id"`
	Name           string    `json:"name"`
	AutoDJ         bool      `json:"autodj"`
	AutoDJQuota    *int      `json:"autodj_quota"`
	Proxy          bool      `json:"proxy"`
	MaxConnections *int      `json:"max_connections"`
	DataTransferMB *int      `json:"data_transfer_mb"`
	MaxBitrateKbps *int      `json:"max_bitrate_kbps"`
	ServerLimit    *int      `json:"server_limit"`
	StorageMB      *int      `json:"storage_mb"` // the total of its customers' storage quotas
	Resellers      int       `json:"resellers"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// PlanInput creates a plan (absent limits are unlimited) or, as a patch,
// changes only the fields present.
type PlanInput struct {
	Name           *string     `json:"name"`
	AutoDJ         *bool       `json:"autodj"`
	AutoDJQuota    OptionalInt `json:"autodj_quota"`
	Proxy          *bool       `json:"proxy"`
	MaxConnections OptionalInt `json:"max_connections"`
	DataTransferMB OptionalInt `json:"data_transfer_mb"`
	MaxBitrateKbps OptionalInt `json:"max_bitrate_kbps"`
	ServerLimit    OptionalInt `json:"server_limit"`
	StorageMB      OptionalInt `json:"storage_mb"`
}

type Plans struct{ deps *Deps }

func (s *Plans) List(ctx context.Context) ([]Plan, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	plans, err := s.deps.Store.ListPlans(ctx)
	return plans, wrapErr(err)
}

func (s *Plans) Get(ctx context.Context, id int64) (*Plan, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return nil, err
	}
	// A reseller may read its own plan; everything else is the admin's.
	if !c.Account.IsAdmin() && (c.Account.ResellerPlanID == nil || *c.Account.ResellerPlanID != id) {
		return nil, NotFound("Plan")
	}
	p, err := s.deps.Store.PlanByID(ctx, id)
	return p, wrapErr(err)
}

// planNameMax is in characters.
const planNameMax = 100

// apply validates in and applies it to p.
func (in PlanInput) apply(p *Plan) error {
	fields := &Problems{}
	if in.Name != nil {
		p.Name = strings.TrimSpace(*in.Name)
	}
	switch n := utf8.RuneCountInString(p.Name); {
	case n == 0:
		fields.Add("name", ReasonRequired)
	case n > planNameMax:
		fields.TooLong("name", planNameMax)
	}
	if in.AutoDJ != nil {
		p.AutoDJ = *in.AutoDJ
	}
	if in.Proxy != nil {
		p.Proxy = *in.Proxy
	}
	limit := func(field string, o OptionalInt, dst **int, min int) {
		if !o.Set {
			return
		}
		if o.Value != nil && *o.Value < min {
			fields.TooSmall(field, min)
		}
		*dst = o.Value
	}
	limit("autodj_quota", in.AutoDJQuota, &p.AutoDJQuota, 0)
	limit("max_connections", in.MaxConnections, &p.MaxConnections, 1)
	limit("data_transfer_mb", in.DataTransferMB, &p.DataTransferMB, 1)
	limit("max_bitrate_kbps", in.MaxBitrateKbps, &p.MaxBitrateKbps, 8)
	limit("server_limit", in.ServerLimit, &p.ServerLimit, 0)
	limit("storage_mb", in.StorageMB, &p.StorageMB, 0)
	if p.StorageMB != nil && *p.StorageMB > StorageMBMax {
		fields.TooBig("storage_mb", StorageMBMax)
	}
	if !fields.Empty() {
		return fields.Err()
	}
	return nil
}

func (s *Plans) Create(ctx context.Context, in PlanInput) (*Plan, error) {
	c, err := requireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	p := &Plan{}
	if err := in.apply(p); err != nil {
		return nil, err
	}
	p.CreatedAt = s.deps.now()
	p.UpdatedAt = p.CreatedAt
	err = s.deps.Store.Write(ctx, func(tx Tx) error {
		if p.ID, err = tx.InsertPlan(ctx, p); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: p.CreatedAt, Event: "plan.create", SubjectType: "plan",
			SubjectID: fmt.Sprint(p.ID), Details: "name=" + p.Name}))
	})
	if err != nil {
		return nil, wrapErr(err)
	}
	return p, nil
}

func (s *Plans) Update(ctx context.Context, id int64, in PlanInput) (*Plan, error) {
	c, err := requireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	var out *Plan
	err = s.deps.Store.Write(ctx, func(tx Tx) error {
		p, err := tx.PlanByID(ctx, id)
		if err != nil {
			return err
		}
		if err := in.apply(p); err != nil {
			return err
		}
		p.UpdatedAt = s.deps.now()
		if err := tx.UpdatePlan(ctx, p); err != nil {
			return err
		}
		out = p
		// Lowering a limit below current use is allowed: existing services
		// stay, new ones are refused (the overview shows the overrun).
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: p.UpdatedAt, Event: "plan.update", SubjectType: "plan",
			SubjectID: fmt.Sprint(p.ID), Details: "name=" + p.Name}))
	})
	if err != nil {
		return nil, wrapErr(err)
	}
	return out, nil
}

func (s *Plans) Delete(ctx context.Context, id int64) error {
	c, err := requireAdmin(ctx)
	if err != nil {
		return err
	}
	return wrapErr(s.deps.Store.Write(ctx, func(tx Tx) error {
		p, err := tx.PlanByID(ctx, id)
		if err != nil {
			return err
		}
		if p.Resellers > 0 {
			return FieldError(CodeConflict, fmt.Sprintf("The plan %q is assigned to %d reseller(s): assign them another plan first.", p.Name, p.Resellers),
				"plan", ReasonInUse, Params{"count": p.Resellers})
		}
		if err := tx.DeletePlan(ctx, id); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: s.deps.now(), Event: "plan.delete", SubjectType: "plan",
			SubjectID: fmt.Sprint(id), Details: "name=" + p.Name}))
	}))
}
