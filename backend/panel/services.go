package panel

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ServiceTypes are the streaming servers a media service can run.
var ServiceTypes = []string{"shoutcast2", "shoutcast198", "icecast", "icecast_kh", "wowza", "flussonic", "nginx_rtmp"}

const (
	ServiceActive    = "active"
	ServiceSuspended = "suspended"

	portMin = 1024
	// serviceNameMax and suspendReasonMax are in characters.
	serviceNameMax   = 100
	suspendReasonMax = 500
	portMax          = 65534
	portFirst        = 8000 // where proposals start: the usual streaming range
)

// Service is a media service (docs/spec.md §3).
type Service struct {
	ID             int64  `json:"id"`
	OwnerID        int64  `json:"owner_id"`
	OwnerUsername  string `json:"owner_username"`
	Name           string `json:"name"`
	Type           string `json:"type"`
	Port           int    `json:"port"`
	MaxConnections int    `json:"max_connections"`
	BitrateKbps    int    `json:"bitrate_kbps"`
	DataTransferMB int    `json:"data_transfer_mb"`
	AutoDJ         bool   `json:"autodj"`
	AutoDJQuota    int    `json:"autodj_quota"`
	Proxy          bool   `json:"proxy"`
	Status         string `json:"status"`
	SuspendReason  string `json:"suspend_reason"`
	// SuspendedByLevel is the level that suspended the service (null while
	// active): only it or a higher level lifts the suspension.
	SuspendedByLevel *Authority `json:"suspended_by_level"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
}

// ServiceInput creates a service or, as a patch, changes the fields present.
type ServiceInput struct {
	OwnerID        *int64  `json:"owner_id"`
	Name           *string `json:"name"`
	Type           *string `json:"type"`
	Port           *int    `json:"port"`
	MaxConnections *int    `json:"max_connections"`
	BitrateKbps    *int    `json:"bitrate_kbps"`
	DataTransferMB *int    `json:"data_transfer_mb"`
	AutoDJ         *bool   `json:"autodj"`
	AutoDJQuota    *int    `json:"autodj_quota"`
	Proxy          *bool   `json:"proxy"`
}

type ListServicesInput struct {
	OwnerID int64  `json:"owner_id"`
	Status  string `json:"status"`
	Type    string `json:"type"`
	Cursor  int64  `json:"cursor"`
	Limit   int    `json:"limit"`
}

// ServiceQuery is a page of services, scoped by the service.
type ServiceQuery struct {
	ListServicesInput
	ScopeResellerID int64 // >0: services of this reseller and of the accounts it owns
	ScopeOwnerID    int64 // >0: only this owner's services
}

type ServicePage struct {
	Items      []Service `json:"items"`
	NextCursor string    `json:"next_cursor"`
	Total      int       `json:"total"`
}

// Usage is what a reseller's services use of its plan.
type Usage struct {
	Services       int
	MaxConnections int
	DataTransferMB int
	MaxBitrateKbps int
	MaxAutoDJQuota int
}

type Services struct{ deps *Deps }

// serviceVisible tells whether the caller may see services of owner.
func serviceVisible(c *Caller, owner *Account) bool {
	return visible(c, owner)
}

func (s *Services) List(ctx context.Context, in ListServicesInput) (ServicePage, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return ServicePage{}, err
	}
	fields := &Problems{}
	if in.Status != "" && in.Status != ServiceActive && in.Status != ServiceSuspended {
		fields.Add("status", ReasonInvalid)
	}
	if in.Type != "" && !slices.Contains(ServiceTypes, in.Type) {
		fields.Add("type", ReasonInvalid)
	}
	in.Limit = pageLimit(in.Limit, fields)
	if !fields.Empty() {
		return ServicePage{}, fields.Err()
	}
	q := ServiceQuery{ListServicesInput: in}
	switch {
	case c.Account.IsAdmin():
	case c.Account.IsReseller():
		q.ScopeResellerID = c.Account.ID
	default:
		q.ScopeOwnerID = c.Account.ID
	}
	page, err := s.deps.Store.ListServices(ctx, q)
	return page, wrapErr(err)
}

// get loads a service the caller may see; others are not found.
func (s *Services) get(ctx context.Context, r Reader, c *Caller, id int64) (*Service, *Account, error) {
	svc, err := r.ServiceByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	owner, err := r.AccountByID(ctx, svc.OwnerID)
	if err != nil {
		return nil, nil, err
	}
	if !serviceVisible(c, owner) {
		return nil, nil, NotFound("Service")
	}
	return svc, owner, nil
}

func (s *Services) Get(ctx context.Context, id int64) (*Service, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return nil, err
	}
	svc, _, err := s.get(ctx, s.deps.Store, c, id)
	return svc, wrapErr(err)
}

// mayManage: admins manage every service, resellers their own and their
// customers'; customers only look.
func mayManage(c *Caller) error {
	if c.Account.IsAdmin() || c.Account.IsReseller() {
		return nil
	}
	return Forbidden("Only administrators and resellers can change media services.")
}

func (in ServiceInput) apply(svc *Service) *Problems {
	fields := &Problems{}
	if in.Name != nil {
		svc.Name = strings.TrimSpace(*in.Name)
	}
	switch n := utf8.RuneCountInString(svc.Name); {
	case n == 0:
		fields.Add("name", ReasonRequired)
	case n > serviceNameMax:
		fields.TooLong("name", serviceNameMax)
	}
	if in.Type != nil {
		svc.Type = *in.Type
	}
	if !slices.Contains(ServiceTypes, svc.Type) {
		fields.Add("type", ReasonInvalid)
		if svc.Type == "" {
			fields.Add("type", ReasonRequired)
		}
	}
	if in.Port != nil {
		svc.Port = *in.Port
	}
	switch {
	case svc.Port != 0 && svc.Port < portMin:
		fields.TooSmall("port", portMin)
	case svc.Port > portMax:
		fields.TooBig("port", portMax)
	}
	set := func(field string, src *int, dst *int, min int) {
		if src != nil {
			*dst = *src
		}
		if *dst < min {
			fields.TooSmall(field, min)
		}
	}
	set("max_connections", in.MaxConnections, &svc.MaxConnections, 1)
	set("bitrate_kbps", in.BitrateKbps, &svc.BitrateKbps, 8)
	set("data_transfer_mb", in.DataTransferMB, &svc.DataTransferMB, 1)
	set("autodj_quota", in.AutoDJQuota, &svc.AutoDJQuota, 0)
	if in.AutoDJ != nil {
		svc.AutoDJ = *in.AutoDJ
	}
	if !svc.AutoDJ {
		svc.AutoDJQuota = 0
	}
	if in.Proxy != nil {
		svc.Proxy = *in.Proxy
	}
	return fields
}

// Defaults of a new service when the form leaves them out.
const (
	defaultMaxConnections = 100
	defaultBitrateKbps    = 128
	defaultDataTransferMB = 10240
)

func (s *Services) Create(ctx context.Context, in ServiceInput) (*Service, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return nil, err
	}
	if err := mayManage(c); err != nil {
		return nil, err
	}
	if in.OwnerID == nil || *in.OwnerID <= 0 {
		return nil, InvalidField("owner_id", ReasonRequired)
	}
	svc := &Service{OwnerID: *in.OwnerID, Status: ServiceActive, MaxConnections: defaultMaxConnections,
		BitrateKbps: defaultBitrateKbps, DataTransferMB: defaultDataTransferMB}
	if fields := in.apply(svc); !fields.Empty() {
		return nil, fields.Err()
	}
	err = s.deps.Store.Write(ctx, func(tx Tx) error {
		owner, err := tx.AccountByID(ctx, svc.OwnerID)
		if err != nil || !visible(c, owner) {
			return InvalidField("owner_id", ReasonInvalid)
		}
		if err := s.assignPort(ctx, tx, svc, 0); err != nil {
			return err
		}
		if err := s.checkPlan(ctx, tx, owner, svc, nil); err != nil {
			return err
		}
		svc.CreatedAt = s.deps.now()
		svc.UpdatedAt = svc.CreatedAt
		svc.OwnerUsername = owner.Username
		if svc.ID, err = tx.InsertService(ctx, svc); err != nil {
			return err
		}
		if err := s.deps.webhooks.serviceEvent(ctx, tx, EventServiceCreated, svc, owner); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: svc.CreatedAt, Event: "service.create", SubjectType: "service",
			SubjectID: fmt.Sprint(svc.ID), Details: fmt.Sprintf("owner=%d type=%s port=%d", svc.OwnerID, svc.Type, svc.Port)}))
	})
	if err != nil {
		return nil, wrapErr(err)
	}
	s.deps.webhooks.wake()
	return svc, nil
}

// assignPort proposes the next free port when none was given, and refuses a
// taken one. Ports are unique across all services; a proposal keeps port+1
// free too, as SHOUTcast uses it.
func (s *Services) assignPort(ctx context.Context, tx Tx, svc *Service, selfID int64) error {
	used, err := tx.UsedPorts(ctx, selfID)
	if err != nil {
		return err
	}
	if svc.Port != 0 {
		if used[svc.Port] {
			return InvalidField("port", ReasonTaken)
		}
		return nil
	}
	svc.Port = nextFreePort(used)
	if svc.Port == 0 {
		return InvalidField("port", ReasonInvalid)
	}
	return nil
}

func nextFreePort(used map[int]bool) int {
	for p := portFirst; p+1 <= portMax; p += 2 {
		if !used[p] && !used[p+1] {
			return p
		}
	}
	return 0
}

// NextPort is the port the create form proposes.
func (s *Services) NextPort(ctx context.Context) (int, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return 0, err
	}
	if err := mayManage(c); err != nil {
		return 0, err
	}
	used, err := s.deps.Store.UsedPorts(ctx, 0)
	if err != nil {
		return 0, Internal(err)
	}
	return nextFreePort(used), nil
}

// governingPlan finds the reseller whose plan limits services of owner: the
// owner itself when it is a reseller, else the reseller that owns it.
func governingPlan(ctx context.Context, r Reader, owner *Account) (*Account, *Plan, error) {
	reseller := owner
	if !owner.IsReseller() {
		if owner.OwnerID == nil {
			return nil, nil, nil
		}
		parent, err := r.AccountByID(ctx, *owner.OwnerID)
		if err != nil {
			if IsCode(err, CodeNotFound) {
				return nil, nil, nil
			}
			return nil, nil, err
		}
		if !parent.IsReseller() {
			return nil, nil, nil
		}
		reseller = parent
	}
	plan, err := r.PlanByID(ctx, *reseller.ResellerPlanID)
	if err != nil {
		return nil, nil, err
	}
	return reseller, plan, nil
}

// checkPlan refuses svc when it would take the reseller's services over a
// limit of the plan. before is the service's previous state when it is being
// changed under the same reseller: then a limit is only checked when the
// change grows its use, so services over a lowered limit stay editable. It
// runs inside the write transaction, so concurrent creates cannot both pass.
func (s *Services) checkPlan(ctx context.Context, tx Tx, owner *Account, svc, before *Service) error {
	reseller, plan, err := governingPlan(ctx, tx, owner)
	if err != nil || plan == nil {
		return err
	}
	exceptID := int64(0)
	if svc.ID != 0 {
		exceptID = svc.ID
	}
	u, err := tx.ResellerUsage(ctx, reseller.ID, exceptID)
	if err != nil {
		return err
	}
	old := before
	if old == nil {
		old = &Service{} // a new service grows every use from zero
	}
	total := func(field, limit string, allowed *int, use, value, was int, unit string) error {
		if allowed == nil || use+value <= *allowed || value <= was {
			return nil
		}
		return overPlanLimit(field, limit, use, *allowed, fmt.Sprintf("The plan %q allows %s of %d%s; %d%s are in use and this service needs %d%s.",
			plan.Name, limitNames[limit], *allowed, unit, use, unit, value, unit))
	}
	perService := func(field, limit string, allowed *int, value, was int, unit string) error {
		if allowed == nil || value <= *allowed || value <= was {
			return nil
		}
		return overPlanLimit(field, limit, 0, *allowed, fmt.Sprintf("The plan %q allows %s of %d%s per service; this service asks for %d%s.",
			plan.Name, limitNames[limit], *allowed, unit, value, unit))
	}
	servers := 1
	if before != nil {
		servers = 0 // an edit adds no service
	}
	if plan.ServerLimit != nil && servers > 0 && u.Services+1 > *plan.ServerLimit {
		return overPlanLimit("owner_id", "server_limit", u.Services, *plan.ServerLimit, fmt.Sprintf("The plan %q allows a server limit of %d; %d are in use.",
			plan.Name, *plan.ServerLimit, u.Services))
	}
	if err := total("max_connections", "max_connections", plan.MaxConnections, u.MaxConnections, svc.MaxConnections, old.MaxConnections, ""); err != nil {
		return err
	}
	if err := total("data_transfer_mb", "data_transfer_mb", plan.DataTransferMB, u.DataTransferMB, svc.DataTransferMB, old.DataTransferMB, " MB"); err != nil {
		return err
	}
	if err := perService("bitrate_kbps", "max_bitrate_kbps", plan.MaxBitrateKbps, svc.BitrateKbps, old.BitrateKbps, " kbps"); err != nil {
		return err
	}
	if svc.AutoDJ && !old.AutoDJ && !plan.AutoDJ {
		return notInPlan("autodj", fmt.Sprintf("The plan %q does not include AutoDJ.", plan.Name))
	}
	if svc.AutoDJ {
		if err := perService("autodj_quota", "autodj_quota", plan.AutoDJQuota, svc.AutoDJQuota, old.AutoDJQuota, ""); err != nil {
			return err
		}
	}
	if svc.Proxy && !old.Proxy && !plan.Proxy {
		return notInPlan("proxy", fmt.Sprintf("The plan %q does not include the port 80/443 proxy.", plan.Name))
	}
	return nil
}

func resellerID(a *Account) int64 {
	if a == nil {
		return 0
	}
	return a.ID
}

// overPlanLimit refuses a service over its reseller plan's limit: keyed by
// the service field concerned, with the plan's limit, what the reseller's
// other services use and what the plan allows.
func overPlanLimit(field, limit string, used, allowed int, message string) *Error {
	return FieldError(CodeLimitExceeded, message, field, ReasonOverPlanLimit,
		Params{"limit": limit, "used": used, "allowed": allowed})
}

// notInPlan refuses a feature (autodj, proxy) the plan does not include.
func notInPlan(feature, message string) *Error {
	return FieldError(CodeLimitExceeded, message, feature, ReasonNotInPlan, Params{"limit": feature})
}

var limitNames = map[string]string{
	"server_limit":     "a server limit",
	"max_connections":  "a total of max connections",
	"data_transfer_mb": "a total data transfer",
	"max_bitrate_kbps": "a max bitrate",
	"autodj_quota":     "an AutoDJ quota",
}

func (s *Services) Update(ctx context.Context, id int64, in ServiceInput) (*Service, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return nil, err
	}
	if err := mayManage(c); err != nil {
		return nil, err
	}
	var out *Service
	err = s.deps.Store.Write(ctx, func(tx Tx) error {
		svc, owner, err := s.get(ctx, tx, c, id)
		if err != nil {
			return err
		}
		before := *svc
		oldReseller, _, err := governingPlan(ctx, tx, owner)
		if err != nil {
			return err
		}
		if in.OwnerID != nil && *in.OwnerID != svc.OwnerID {
			newOwner, err := tx.AccountByID(ctx, *in.OwnerID)
			if err != nil || !visible(c, newOwner) {
				return InvalidField("owner_id", ReasonInvalid)
			}
			svc.OwnerID, owner = newOwner.ID, newOwner
		}
		if fields := in.apply(svc); !fields.Empty() {
			return fields.Err()
		}
		if svc.Port == 0 {
			return InvalidField("port", ReasonRequired)
		}
		if err := s.assignPort(ctx, tx, svc, svc.ID); err != nil {
			return err
		}
		newReseller, _, err := governingPlan(ctx, tx, owner)
		if err != nil {
			return err
		}
		previous := &before
		if resellerID(oldReseller) != resellerID(newReseller) {
			previous = nil // moved under another plan: counts as new there
		}
		if err := s.checkPlan(ctx, tx, owner, svc, previous); err != nil {
			return err
		}
		svc.UpdatedAt = s.deps.now()
		svc.OwnerUsername = owner.Username
		if err := tx.UpdateService(ctx, svc); err != nil {
			return err
		}
		out = svc
		if err := s.deps.webhooks.serviceEvent(ctx, tx, EventServiceUpdated, svc, owner); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: svc.UpdatedAt, Event: "service.update", SubjectType: "service",
			SubjectID: fmt.Sprint(svc.ID), Details: fmt.Sprintf("owner=%d type=%s port=%d", svc.OwnerID, svc.Type, svc.Port)}))
	})
	if err != nil {
		return nil, wrapErr(err)
	}
	s.deps.webhooks.wake()
	return out, nil
}

func (s *Services) Delete(ctx context.Context, id int64) error {
	c, err := requireCaller(ctx)
	if err != nil {
		return err
	}
	if err := mayManage(c); err != nil {
		return err
	}
	return wrapErr(s.deps.webhooks.after(s.deps.Store.Write(ctx, func(tx Tx) error {
		svc, owner, err := s.get(ctx, tx, c, id)
		if err != nil {
			return err
		}
		if err := outranked(c, svc.SuspendedByLevel, "status", msgServiceOutranked); err != nil {
			return err
		}
		if err := tx.DeleteService(ctx, id); err != nil {
			return err
		}
		if err := s.deps.webhooks.serviceEvent(ctx, tx, EventServiceDeleted, svc, owner); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: s.deps.now(), Event: "service.delete", SubjectType: "service",
			SubjectID: fmt.Sprint(id), Details: fmt.Sprintf("owner=%d name=%s port=%d", svc.OwnerID, svc.Name, svc.Port)}))
	})))
}

// SetSuspended suspends (with a reason) or unsuspends a service.
func (s *Services) SetSuspended(ctx context.Context, id int64, suspend bool, reason string) (*Service, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return nil, err
	}
	if err := mayManage(c); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	if suspend && reason == "" {
		return nil, InvalidField("reason", ReasonRequired)
	}
	if utf8.RuneCountInString(reason) > suspendReasonMax {
		return nil, InvalidField("reason", ReasonTooLong, Params{"max": suspendReasonMax})
	}
	var out *Service
	err = s.deps.Store.Write(ctx, func(tx Tx) error {
		svc, owner, err := s.get(ctx, tx, c, id)
		if err != nil {
			return err
		}
		// Changing a suspension (lifting it, or suspending anew with another
		// reason) is for the level that imposed it, or a higher one.
		if svc.Status == ServiceSuspended {
			if err := outranked(c, svc.SuspendedByLevel, "status", msgServiceOutranked); err != nil {
				return err
			}
		}
		event := "service.unsuspend"
		svc.Status, svc.SuspendReason, svc.SuspendedByLevel = ServiceActive, "", nil
		if suspend {
			event = "service.suspend"
			svc.Status, svc.SuspendReason, svc.SuspendedByLevel = ServiceSuspended, reason, imposedBy(c)
		}
		svc.UpdatedAt = s.deps.now()
		if err := tx.UpdateService(ctx, svc); err != nil {
			return err
		}
		out = svc
		hook := EventServiceUnsuspended
		if suspend {
			hook = EventServiceSuspended
		}
		if err := s.deps.webhooks.serviceEvent(ctx, tx, hook, svc, owner); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: svc.UpdatedAt, Event: event, SubjectType: "service",
			SubjectID: fmt.Sprint(id), Details: fmt.Sprintf("by=%s reason=%s", authorityOf(c), reason)}))
	})
	if err != nil {
		return nil, wrapErr(err)
	}
	s.deps.webhooks.wake()
	return out, nil
}

// LimitUsage is one limit of the overview's reseller-usage block.
type LimitUsage struct {
	Allowed *int `json:"allowed"`
	Used    int  `json:"used"`
}

// FeatureUsage is a yes/no allowance of the plan.
type FeatureUsage struct {
	Allowed bool `json:"allowed"`
	Used    bool `json:"used"`
}
