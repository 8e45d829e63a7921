package ops

import (
	"net/http"
	"strings"
	"time"

	"castdesk/backend/panel"
)

// Moving accounts in and out of a desk: the customers list as CSV, and one
// account (with its services, plan, customers, mail log and media) as a
// bundle.

// CSVImportText is an import from the window, which reads the file itself
// and sends its text.
type CSVImportText struct {
	panel.ImportCSVInput
	CSV string `json:"csv"`
}

const csvTimeout = 10 * time.Minute

// BundleBodyLimit is the largest bundle an import takes (its media included).
const BundleBodyLimit = 8 << 30

// BundleImported answers an import: the account moved (null on a dry run)
// and what became of every account and conflict.
type BundleImported struct {
	Account *panel.Account      `json:"account"`
	Preview panel.BundlePreview `json:"preview"`
}

var csvColumnsDoc = "Columns (header row, any order; username, email and name required): " + strings.Join(panel.CSVColumns, ", ") +
	". level is customer or admin, status enabled or disabled, language en or es, reseller_plan a plan's name, " +
	"api_access and accessibility true/false (yes/no, 1/0). Give password (checked against the password policy) or " +
	"password_hash (an argon2id PHC string from another Castdesk) or neither: the account then gets a temporary " +
	"password, emailed through the outbox, which it must replace at its first login. At most 10,000 rows, and at most " +
	"200 rows with a password in clear (each costs a full argon2id hash). id and created_at (what an export adds) are ignored."

var transferOps = []*Op{
	raw[panel.ListAccountsInput, string](Op{Name: "customersExportCSV", Method: "GET", Path: "/customers/export.csv", Tag: "Customers",
		Access: AnyAccount, Scope: panel.AreaCustomers, Produces: "text/csv",
		Summary: "The customers list as CSV (every row)",
		Description: "The same filters and sort as GET /customers (cursor and limit are ignored: every row is written). UTF-8 " +
			"with a byte-order mark and a header: " + strings.Join(panel.CSVExportColumns, ", ") + ". A cell that starts " +
			"with = + - @ or a tab gets a leading apostrophe so spreadsheets do not run it; an import takes it off again.",
		ParamDocs: map[string]string{"q": "matches ID, username, name, email", "reseller_id": "accounts owned by this reseller",
			"sort": "id, username, name, email, created_at; '-' before for descending", "level": "customer or admin",
			"status": "enabled or disabled"}}),

	raw[panel.ImportCSVInput, panel.ImportResult](Op{Name: "customersImportCSV", Method: "POST", Path: "/customers/import.csv",
		Tag: "Customers", Access: AnyAccount, Scope: panel.AreaCustomers, Consumes: "text/csv", BodyLimit: panel.CSVMaxBytes + 1<<20, Errors: []int{409, 413},
		Summary: "Import accounts from CSV (admins; resellers their own customers)",
		Description: "The body is the file (text/csv, UTF-8). Every row is checked as a create would be; rows answers each " +
			"one's verdict with fields and params keyed by column. Nothing is written on a dry run, nor unless every row is " +
			"valid, or only_valid is set (then only the valid rows are). All rows written are one transaction. " + csvColumnsDoc,
		ParamDocs: map[string]string{"dry_run": "check only, write nothing", "only_valid": "write the valid rows even if some are not"}}),

	declare(Op{Name: "customersImportCSVText", Doors: WindowOnly, Access: AnyAccount, Timeout: csvTimeout,
		Summary: "Import accounts from the text of a CSV file (the window reads the file)"},
		func(e Env, in CSVImportText) (panel.ImportResult, error) {
			return e.Panel.Accounts.ImportCSV(e.Ctx, strings.NewReader(in.CSV), in.ImportCSVInput)
		}),

	raw[panel.ExportBundleInput, string](Op{Name: "customerExportBundle", Method: "GET", Path: "/customers/{id}/export", Tag: "Customers",
		Access: AnyAccount, Scope: panel.AreaFullKey, Produces: "application/zip", Errors: []int{403},
		Summary: "Export an account to move it to another desk (administrators; resellers their own customers)",
		Description: "A zip: media/<ref>/... (the account's media folder) and bundle.json (the account with its password hash, " +
			"its services, its plan if it is a reseller, its mail log without the bodies of codes and temporary passwords, " +
			"and the SHA-256 of every media file). Never sessions or API keys. customers=true adds a reseller's own " +
			"customers (administrators). Audited.",
		ParamDocs: map[string]string{"customers": "also the reseller's own customers", "no_mail": "leave the mail log out",
			"no_media": "leave the media folders out"}}),

	raw[panel.ImportBundleInput, BundleImported](Op{Name: "customerImportBundle", Method: "POST", Path: "/customers/import", Tag: "Customers",
		Access: AnyAccount, Scope: panel.AreaFullKey, Consumes: "application/zip", Status: http.StatusCreated, AlsoStatus: []int{http.StatusOK},
		BodyLimit: BundleBodyLimit, Errors: []int{403, 409, 413, 422},
		Summary: "Import an account exported from another desk",
		Description: "The body is the bundle (application/zip). Every checksum is checked first. dry_run=true answers 200 with the " +
			"preview: what each account becomes and every conflict — username taken (blocking unless usernames=rename, then " +
			"the proposal is used), email taken (kept: accounts may share an address), port taken (the next free port), plan " +
			"name taken (plan=reuse gives the reseller this desk's plan of that name; plan=rename creates the bundle's plan " +
			"under the proposed name). Otherwise 201 {account, preview}: everything in one transaction with new IDs, the media " +
			"copied into the new user_{ID} folders, services checked against the reseller plan, mail still queued marked " +
			"failed (the other desk may send it), audited. A blocking conflict is 409 naming the field, value and proposal. " +
			"A reseller imports its own customers only (no plan, no customers of their own).",
		ParamDocs: map[string]string{"dry_run": "preview only", "usernames": "keep (default) or rename",
			"plan": "reuse (default) or rename"}}),
}
