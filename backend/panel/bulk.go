package panel

import (
	"context"
	"fmt"
	"strconv"
)

// Bulk actions on the customers and services lists: enable, disable, email
// or delete accounts; suspend or unsuspend services. One call handles one
// batch: the rows named by ids, or the next rows of a filter ("all N
// matching"), up to bulkBatchMax.
//
// Each row goes through the same service method as a one-row action, with
// its authorization, rules, audit entry and webhook event: a row outside
// the caller's scope is refused (not_found, as it would be alone) and
// reported, never skipped in silence, and each refusal is audited too
// (account.bulk_refused, service.bulk_refused). The answer has one result
// per row.

const (
	// bulkBatchMax is the most rows one call handles.
	bulkBatchMax = 200
	// bulkDefaultBatch is the batch of a filter when the call names none.
	bulkDefaultBatch = 100
	// BulkDeleteMax is the most accounts one bulk delete (its preview and
	// its typed count) may cover: more is a filter to narrow.
	BulkDeleteMax = 1000
)

// Bulk actions.
const (
	BulkEnable    = "enable"
	BulkDisable   = "disable"
	BulkEmail     = "email"
	BulkDelete    = "delete"
	BulkSuspend   = "suspend"
	BulkUnsuspend = "unsuspend"
)

// CustomerFilter selects accounts as the customers list does.
type CustomerFilter struct {
	Q          string `json:"q"`
	Level      string `json:"level"`
	Status     string `json:"status"`
	ResellerID int64  `json:"reseller_id"`
}

// CustomersBulkInput is one batch of a bulk action on accounts.
type CustomersBulkInput struct {
	// Action: enable, disable, email or delete.
	Action string `json:"action"`
	// IDs names the accounts (at most 200); or Filter selects them, Cursor
	// (next_cursor of the previous batch) and Limit naming the batch.
	IDs    []int64         `json:"ids"`
	Filter *CustomerFilter `json:"filter"`
	Cursor string          `json:"cursor"`
	Limit  int             `json:"limit"`
	// Email: the message sent to each account (through the outbox).
	Subject string `json:"subject"`
	Message string `json:"message"`
	// Delete: Total is how many accounts the user chose to delete and
	// Confirm that number as the user typed it; with a filter, the first
	// batch is refused when the filter no longer matches Total accounts.
	Total   int    `json:"total"`
	Confirm string `json:"confirm"`
}

// ServiceFilter selects services as the services list does.
type ServiceFilter struct {
	OwnerID int64  `json:"owner_id"`
	Status  string `json:"status"`
	Type    string `json:"type"`
}

// ServicesBulkInput is one batch of a bulk action on services.
type ServicesBulkInput struct {
	// Action: suspend or unsuspend.
	Action string         `json:"action"`
	IDs    []int64        `json:"ids"`
	Filter *ServiceFilter `json:"filter"`
	Cursor string         `json:"cursor"`
	Limit  int            `json:"limit"`
	// Reason of a suspension: one for every service.
	Reason string `json:"reason"`
}

// BulkRowResult is what happened to one row.
type BulkRowResult struct {
	ID int64 `json:"id"`
	// Name is the account's username or the service's name ("" when the
	// row is not the caller's to see).
	Name  string `json:"name"`
	OK    bool   `json:"ok"`
	Error *Error `json:"error"`
}

// BulkResult answers one batch.
type BulkResult struct {
	Action  string          `json:"action"`
	Done    int             `json:"done"`
	Refused int             `json:"refused"`
	Results []BulkRowResult `json:"results"`
	// NextCursor: with a filter, the next batch's cursor ("" when done).
	NextCursor string `json:"next_cursor"`
	// Matching: with a filter, how many rows it matched when this batch
	// began (0 with ids).
	Matching int `json:"matching"`
}

// batchLimit checks a batch's ids or limit.
func batchLimit(ids []int64, filter bool, limit int, fields *Problems) int {
	switch {
	case filter && len(ids) > 0:
		fields.Add("ids", ReasonInvalid)
	case !filter && len(ids) == 0:
		fields.Add("ids", ReasonRequired)
	case len(ids) > bulkBatchMax:
		fields.TooBig("ids", bulkBatchMax)
	}
	switch {
	case limit == 0:
		return bulkDefaultBatch
	case limit < 0:
		fields.TooSmall("limit", 1)
	case limit > bulkBatchMax:
		fields.TooBig("limit", bulkBatchMax)
	}
	return limit
}

// rowResult turns one row's outcome into its result.
func rowResult(id int64, name string, err error) BulkRowResult {
	if err == nil {
		return BulkRowResult{ID: id, Name: name, OK: true}
	}
	return BulkRowResult{ID: id, Name: name, Error: AsError(err)}
}

// auditRefusals records each refused row of a batch.
func auditRefusals(ctx context.Context, d *Deps, c *Caller, subject, action string, rows []BulkRowResult) error {
	var refused []BulkRowResult
	for _, r := range rows {
		if !r.OK {
			refused = append(refused, r)
		}
	}
	if len(refused) == 0 {
		return nil
	}
	return wrapErr(d.Store.Write(ctx, func(tx Tx) error {
		now := d.now()
		for _, r := range refused {
			if err := tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: subject + ".bulk_refused", SubjectType: subject,
				SubjectID: fmt.Sprint(r.ID), Details: fmt.Sprintf("action=%s code=%s", action, r.Error.Code)})); err != nil {
				return err
			}
		}
		return nil
	}))
}

func summarize(out *BulkResult) {
	for _, r := range out.Results {
		if r.OK {
			out.Done++
		} else {
			out.Refused++
		}
	}
	if out.Results == nil {
		out.Results = []BulkRowResult{}
	}
}

// customerBatch is the accounts of one batch: ids as given, or the next
// page of the filter in the caller's scope (by id).
func (s *Accounts) customerBatch(ctx context.Context, in CustomersBulkInput, limit int) (ids []int64, next string, matching int, err error) {
	if in.Filter == nil {
		return in.IDs, "", 0, nil
	}
	page, err := s.List(ctx, ListAccountsInput{Q: in.Filter.Q, Level: in.Filter.Level, Status: in.Filter.Status,
		ResellerID: in.Filter.ResellerID, Sort: "id", Cursor: in.Cursor, Limit: limit})
	if err != nil {
		return nil, "", 0, err
	}
	for _, a := range page.Items {
		ids = append(ids, a.ID)
	}
	return ids, page.NextCursor, page.Total, nil
}

// Bulk runs one batch of a bulk action on accounts.
func (s *Accounts) Bulk(ctx context.Context, in CustomersBulkInput) (BulkResult, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return BulkResult{}, err
	}
	if !c.Account.IsAdmin() && !c.Account.IsReseller() {
		return BulkResult{}, Forbidden("Only administrators and resellers can act on several accounts.")
	}
	fields := &Problems{}
	switch in.Action {
	case BulkEnable, BulkDisable, BulkEmail, BulkDelete:
	case "":
		fields.Add("action", ReasonRequired)
	default:
		fields.Add("action", ReasonInvalid)
	}
	limit := batchLimit(in.IDs, in.Filter != nil, in.Limit, fields)
	if in.Action == BulkDelete {
		switch {
		case in.Total <= 0:
			fields.Add("total", ReasonRequired)
		case in.Total > BulkDeleteMax:
			fields.TooBig("total", BulkDeleteMax)
		case in.Confirm != strconv.Itoa(in.Total):
			fields.Add("confirm", ReasonMismatch)
		case in.Filter == nil && len(in.IDs) > in.Total:
			fields.Add("ids", ReasonTooBig, Params{"max": in.Total})
		}
	}
	if !fields.Empty() {
		return BulkResult{}, fields.Err()
	}
	ids, next, matching, err := s.customerBatch(ctx, in, limit)
	if err != nil {
		return BulkResult{}, err
	}
	if in.Action == BulkDelete && in.Filter != nil && in.Cursor == "" && matching != in.Total {
		// The filter matches other accounts than those the user counted.
		return BulkResult{}, FieldError(CodeConflict, "The filter no longer matches the accounts counted: look at the preview again.",
			"total", ReasonMismatch, Params{"matching": matching})
	}
	out := BulkResult{Action: in.Action, NextCursor: next, Matching: matching}
	for i, id := range ids {
		name, err := s.bulkOne(ctx, c, in, id)
		if i == 0 && in.Action == BulkEmail && err != nil {
			// A subject or message the first row refuses, every row would.
			if pe := AsError(err); pe.Code == CodeInvalid && (pe.Fields["subject"] != "" || pe.Fields["message"] != "") {
				return BulkResult{}, err
			}
		}
		out.Results = append(out.Results, rowResult(id, name, err))
	}
	if err := auditRefusals(ctx, s.deps, c, "account", in.Action, out.Results); err != nil {
		return BulkResult{}, err
	}
	summarize(&out)
	return out, nil
}

// bulkOne is one account of a batch, through the one-row method.
func (s *Accounts) bulkOne(ctx context.Context, c *Caller, in CustomersBulkInput, id int64) (string, error) {
	acc, err := s.get(ctx, s.deps.Store, c, id)
	if err != nil {
		return "", err
	}
	switch in.Action {
	case BulkEnable, BulkDisable:
		status := StatusEnabled
		if in.Action == BulkDisable {
			status = StatusDisabled
		}
		_, err = s.Update(ctx, id, UpdateAccountInput{Status: &status})
	case BulkEmail:
		_, err = s.mail.EmailUser(ctx, id, EmailUserInput{Subject: in.Subject, Message: in.Message})
	case BulkDelete:
		err = s.Delete(ctx, id, acc.Username)
	}
	return acc.Username, err
}

// BulkSelection names the accounts of a bulk delete's preview: ids, or a
// filter.
type BulkSelection struct {
	IDs    []int64         `json:"ids"`
	Filter *CustomerFilter `json:"filter"`
}

// BulkDeletePreview is what deleting several accounts takes away, in one.
type BulkDeletePreview struct {
	// Count is how many accounts would go (the number to type).
	Count    int          `json:"count"`
	Accounts []AccountRef `json:"accounts"`
	// Services by type, and in all.
	ServiceTypes []TypeCount     `json:"service_types"`
	Services     int             `json:"services"`
	Files        int             `json:"files"`
	Bytes        int64           `json:"bytes"`
	Reassigned   int             `json:"customers_reassigned"`
	Refused      []BulkRowResult `json:"refused"`
}

// TypeCount is how many services of one type.
type TypeCount struct {
	Type  string `json:"type"`
	Count int    `json:"count"`
}

// BulkDeletePreview previews deleting the selected accounts: each one's
// preview, with its authorization, summed; the ones that may not be deleted
// are listed as refused.
func (s *Accounts) BulkDeletePreview(ctx context.Context, in BulkSelection) (BulkDeletePreview, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return BulkDeletePreview{}, err
	}
	if !c.Account.IsAdmin() && !c.Account.IsReseller() {
		return BulkDeletePreview{}, Forbidden("Only administrators and resellers can delete accounts.")
	}
	fields := &Problems{}
	switch {
	case in.Filter != nil && len(in.IDs) > 0:
		fields.Add("ids", ReasonInvalid)
	case in.Filter == nil && len(in.IDs) == 0:
		fields.Add("ids", ReasonRequired)
	case len(in.IDs) > BulkDeleteMax:
		fields.TooBig("ids", BulkDeleteMax)
	}
	if !fields.Empty() {
		return BulkDeletePreview{}, fields.Err()
	}
	ids := in.IDs
	if in.Filter != nil {
		cursor := ""
		for {
			page, err := s.List(ctx, ListAccountsInput{Q: in.Filter.Q, Level: in.Filter.Level, Status: in.Filter.Status,
				ResellerID: in.Filter.ResellerID, Sort: "id", Cursor: cursor, Limit: listMaxLimit})
			if err != nil {
				return BulkDeletePreview{}, err
			}
			if page.Total > BulkDeleteMax {
				return BulkDeletePreview{}, FieldError(CodeInvalid, fmt.Sprintf("At most %d accounts can be deleted at once: narrow the filter.", BulkDeleteMax),
					"filter", ReasonTooBig, Params{"max": BulkDeleteMax})
			}
			for _, a := range page.Items {
				ids = append(ids, a.ID)
			}
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
	}
	out := BulkDeletePreview{Accounts: []AccountRef{}, ServiceTypes: []TypeCount{}, Refused: []BulkRowResult{}}
	types := map[string]int{}
	for _, id := range ids {
		pv, err := s.DeletePreview(ctx, id)
		if err != nil {
			name := ""
			if acc, gerr := s.get(ctx, s.deps.Store, c, id); gerr == nil {
				name = acc.Username
			}
			out.Refused = append(out.Refused, rowResult(id, name, err))
			continue
		}
		out.Count++
		out.Accounts = append(out.Accounts, AccountRef{ID: pv.Account.ID, Username: pv.Account.Username, Name: pv.Account.Name})
		for _, svc := range pv.Services {
			types[svc.Type]++
			out.Services++
		}
		out.Files += pv.Files
		out.Bytes += pv.Bytes
		out.Reassigned += len(pv.CustomersReassigned)
	}
	for _, t := range ServiceTypes {
		if n := types[t]; n > 0 {
			out.ServiceTypes = append(out.ServiceTypes, TypeCount{Type: t, Count: n})
		}
	}
	return out, nil
}

// Bulk runs one batch of a bulk action on services.
func (s *Services) Bulk(ctx context.Context, in ServicesBulkInput) (BulkResult, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return BulkResult{}, err
	}
	if err := mayManage(c); err != nil {
		return BulkResult{}, err
	}
	fields := &Problems{}
	switch in.Action {
	case BulkSuspend, BulkUnsuspend:
	case "":
		fields.Add("action", ReasonRequired)
	default:
		fields.Add("action", ReasonInvalid)
	}
	limit := batchLimit(in.IDs, in.Filter != nil, in.Limit, fields)
	var cursor int64
	if in.Cursor != "" {
		if cursor, err = strconv.ParseInt(in.Cursor, 10, 64); err != nil || cursor <= 0 {
			fields.Add("cursor", ReasonInvalid)
		}
	}
	if !fields.Empty() {
		return BulkResult{}, fields.Err()
	}
	out := BulkResult{Action: in.Action}
	ids := in.IDs
	if in.Filter != nil {
		page, err := s.List(ctx, ListServicesInput{OwnerID: in.Filter.OwnerID, Status: in.Filter.Status, Type: in.Filter.Type,
			Cursor: cursor, Limit: limit})
		if err != nil {
			return BulkResult{}, err
		}
		for _, svc := range page.Items {
			ids = append(ids, svc.ID)
		}
		out.NextCursor, out.Matching = page.NextCursor, page.Total
	}
	for i, id := range ids {
		svc, err := s.SetSuspended(ctx, id, in.Action == BulkSuspend, in.Reason)
		if i == 0 && err != nil {
			// A reason the first row refuses (missing, too long), every row would.
			if pe := AsError(err); pe.Code == CodeInvalid && pe.Fields["reason"] != "" {
				return BulkResult{}, err
			}
		}
		name := ""
		if svc != nil {
			name = svc.Name
		} else if got, _, gerr := s.get(ctx, s.deps.Store, c, id); gerr == nil {
			name = got.Name
		}
		out.Results = append(out.Results, rowResult(id, name, err))
	}
	if err := auditRefusals(ctx, s.deps, c, "service", in.Action, out.Results); err != nil {
		return BulkResult{}, err
	}
	summarize(&out)
	return out, nil
}
