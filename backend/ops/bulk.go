package ops

import "castdesk/backend/panel"

// Bulk actions on the customers and services lists: one call per batch,
// each row authorised, audited and answered on its own.
var bulkOps = []*Op{
	declare(Op{Name: "customersBulk", Scope: panel.AreaCustomers, Method: "POST", Path: "/customers/bulk", Tag: "Customers",
		Access: AnyAccount, Summary: "Enable, disable, email or delete several accounts (one batch)",
		Description: "The accounts are `ids` (at most 200), or the next batch of `filter` (as the list's q, level, status, " +
			"reseller_id; `cursor` from the previous batch's `next_cursor`, `limit` up to 200). Each row is done as its " +
			"one-row operation would be, with its authorization and audit entry; a row outside the caller's scope is " +
			"refused (not_found) and reported in `results`, as is any other refusal. `email` sends `subject` and `message` " +
			"to each account through the outbox. `delete` needs `total` (at most 1000) and `confirm`, that number as the " +
			"user typed it; with a filter, a first batch whose filter no longer matches `total` accounts is refused " +
			"(409, total: mismatch)."},
		func(e Env, in panel.CustomersBulkInput) (panel.BulkResult, error) {
			return e.Panel.Accounts.Bulk(e.Ctx, in)
		}),

	declare(Op{Name: "customersBulkDeletePreview", Scope: panel.AreaCustomers, ReadOnly: true, Method: "POST",
		Path: "/customers/bulk/delete-preview", Tag: "Customers", Access: AnyAccount,
		Summary:     "What deleting several accounts would take away, in one",
		Description: "`ids` or `filter` (at most 1000 accounts). Accounts the caller may not delete are listed in `refused`."},
		func(e Env, in panel.BulkSelection) (panel.BulkDeletePreview, error) {
			return e.Panel.Accounts.BulkDeletePreview(e.Ctx, in)
		}),

	declare(Op{Name: "servicesBulk", Scope: panel.AreaServices, Method: "POST", Path: "/services/bulk", Tag: "Services",
		Access: AnyAccount, Summary: "Suspend (one reason) or unsuspend several services (one batch)",
		Description: "The services are `ids` (at most 200), or the next batch of `filter` (owner_id, status, type; " +
			"`cursor`, `limit`). Each is suspended or unsuspended as on its own, with its authorization and audit entry; " +
			"refusals (outside the caller's scope, suspended by a higher level) are reported per row."},
		func(e Env, in panel.ServicesBulkInput) (panel.BulkResult, error) {
			return e.Panel.Services.Bulk(e.Ctx, in)
		}),
}
