package ops

import (
	"strings"
	"time"

	"castdesk/backend/panel"
)

// Moving accounts in and out of a desk: the customers list as CSV.

// CSVImportText is an import from the window, which reads the file itself
// and sends its text.
type CSVImportText struct {
	panel.ImportCSVInput
	CSV string `json:"csv"`
}

const csvTimeout = 10 * time.Minute

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
}
