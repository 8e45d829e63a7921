package panel_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

func importCSV(t *testing.T, env *testkit.Env, ctx context.Context, body string, in panel.ImportCSVInput) panel.ImportResult {
	t.Helper()
	res, err := env.Panel.Accounts.ImportCSV(ctx, strings.NewReader(body), in)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}

func countAccounts(t *testing.T, env *testkit.Env) int {
	t.Helper()
	n, err := env.Store.CountAccounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportCSV(t *testing.T) {
	env := testkit.New(t)
	admin, _ := env.Setup(t)
	gold, err := env.Panel.Plans.Create(admin, panel.PlanInput{Name: ptr("Gold")})
	if err != nil {
		t.Fatal(err)
	}
	_ = gold
	// A hash as another Castdesk keeps it.
	hash, err := panel.HashPassword("Moved-Passw0rd-1")
	if err != nil {
		t.Fatal(err)
	}
	body := "\ufeffUsername,email,name,contact_number,level,status,timezone,language,reseller_plan,password,password_hash,api_access,accessibility\n" +
		"radio1,r1@example.org,Radio One,'+34 600,customer,enabled,Europe/Madrid,es,,,,yes,no\n" +
		"radio2,r2@example.org,Radio Two,,,,,,Gold,Chosen-Passw0rd-7,,,\n" +
		"\n" +
		"radio3,r3@example.org,Radio Three,,admin,disabled,,,,,\"" + hash + "\",1,1\n"
	// Dry run: every row checked, nothing written.
	before := countAccounts(t, env)
	res := importCSV(t, env, admin, body, panel.ImportCSVInput{DryRun: true})
	if res.Total != 3 || res.Valid != 3 || res.Created != 0 || countAccounts(t, env) != before {
		t.Fatalf("dry run: %+v", res)
	}
	if res.Rows[0].Line != 2 || res.Rows[2].Line != 5 || !res.Rows[0].TemporaryPassword || res.Rows[1].TemporaryPassword {
		t.Errorf("rows: %+v", res.Rows)
	}
	res = importCSV(t, env, admin, body, panel.ImportCSVInput{})
	if res.Created != 3 || countAccounts(t, env) != before+3 {
		t.Fatalf("import: %+v", res)
	}
	r1, err := env.Panel.Accounts.Overview(admin, res.Rows[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if a := r1.Account; a.ContactNumber != "+34 600" || a.Language != "es" || a.Timezone != "Europe/Madrid" || !a.APIAccess ||
		a.Accessibility || !a.MustChangePassword {
		t.Errorf("radio1: %+v", a)
	}
	r2, _ := env.Panel.Accounts.Overview(admin, res.Rows[1].ID)
	if r2.Account.ResellerPlanName != "Gold" || r2.Account.MustChangePassword {
		t.Errorf("radio2: %+v", r2.Account)
	}
	env.Login(t, "radio2", "Chosen-Passw0rd-7")
	// The temporary password went to the outbox, sensitive.
	log, err := env.Panel.Mail.MailLog(admin, res.Rows[0].ID, panel.MailLogInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(log.Items) != 1 || log.Items[0].Kind != panel.TemplateTempPassword {
		t.Errorf("radio1's mail: %+v", log.Items)
	}
}

func TestImportCSVRefusesBadRowsUnlessOnlyValid(t *testing.T) {
	env := testkit.New(t)
	admin, _ := env.Setup(t)
	env.CreateAccount(t, admin, "taken", panel.LevelCustomer)
	body := "username,email,name,level,password,api_access\n" +
		"good1,g1@example.org,Good One,,,\n" +
		"taken,t@example.org,Taken,,,\n" +
		"good1,g2@example.org,Twice,,,\n" +
		"bad email,not-an-email,,boss,short,maybe\n" +
		"good2,g3@example.org,Good Two,,,\n"
	before := countAccounts(t, env)
	res := importCSV(t, env, admin, body, panel.ImportCSVInput{})
	if res.Created != 0 || res.Valid != 2 || res.Invalid != 3 || countAccounts(t, env) != before {
		t.Fatalf("a file with bad rows wrote something: %+v", res)
	}
	want := map[int]map[string]panel.Reason{
		3: {"username": panel.ReasonTaken},
		4: {"username": panel.ReasonTaken},
		5: {"username": panel.ReasonInvalid, "email": panel.ReasonInvalidEmail, "name": panel.ReasonRequired,
			"level": panel.ReasonInvalid, "password": panel.ReasonTooShort, "api_access": panel.ReasonInvalid},
	}
	for _, row := range res.Rows {
		w := want[row.Line]
		if len(w) != len(row.Fields) {
			t.Errorf("line %d: %v, want %v", row.Line, row.Fields, w)
		}
		for f, r := range w {
			if row.Fields[f] != r {
				t.Errorf("line %d %s: %s, want %s", row.Line, f, row.Fields[f], r)
			}
		}
	}
	if got := res.Rows[2].Params["username"]["line"]; got != 2 {
		t.Errorf("the duplicate names the first line: %v", res.Rows[2].Params)
	}
	if got := res.Rows[3].Params["password"]["min"]; got != 8 {
		t.Errorf("too short says the minimum: %v", res.Rows[3].Params)
	}
	res = importCSV(t, env, admin, body, panel.ImportCSVInput{OnlyValid: true})
	if res.Created != 2 || countAccounts(t, env) != before+2 {
		t.Fatalf("only valid rows: %+v", res)
	}
}

func TestImportCSVFileRefusals(t *testing.T) {
	env := testkit.New(t)
	admin, _ := env.Setup(t)
	for _, c := range []struct {
		body, field string
		reason      panel.Reason
	}{
		{"", "csv", panel.ReasonRequired},
		{"username,email,name\n", "csv", panel.ReasonRequired},
		{"username,email\nx,y\n", "columns", panel.ReasonRequired},
		{"username,email,name,shoe_size\n", "columns", panel.ReasonInvalid},
		{"username,email,name\n\"broken,a,b\n", "csv", panel.ReasonInvalid},
		{"username,email,name\n\xff\xfe,a,b\n", "csv", panel.ReasonInvalid},
	} {
		_, err := env.Panel.Accounts.ImportCSV(admin, strings.NewReader(c.body), panel.ImportCSVInput{DryRun: true})
		pe := panel.AsError(err)
		if err == nil || pe.Fields[c.field] != c.reason {
			t.Errorf("%q: %v, want %s=%s", c.body, err, c.field, c.reason)
		}
	}
}

// A reseller imports its own customers only; a customer imports nothing.
func TestImportCSVRights(t *testing.T) {
	env := testkit.New(t)
	admin, _ := env.Setup(t)
	plan, err := env.Panel.Plans.Create(admin, panel.PlanInput{Name: ptr("Bronze")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Panel.Accounts.Create(admin, panel.CreateAccountInput{Username: "resel", Name: "R", Email: "r@example.org",
		Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword, ResellerPlanID: &plan.ID}); err != nil {
		t.Fatal(err)
	}
	rctx := env.Login(t, "resel", testkit.StrongPassword)
	res := importCSV(t, env, rctx, "username,email,name,level,reseller_plan\nmine,m@example.org,Mine,,\nboss,b@example.org,Boss,admin,Bronze\n", panel.ImportCSVInput{OnlyValid: true})
	if res.Created != 1 || res.Rows[1].Fields["level"] != panel.ReasonForbidden || res.Rows[1].Fields["reseller_plan"] != panel.ReasonForbidden {
		t.Fatalf("reseller import: %+v", res)
	}
	page, err := env.Panel.Accounts.List(rctx, panel.ListAccountsInput{Q: "mine"})
	if err != nil || page.Total != 1 {
		t.Errorf("the reseller sees its imported customer: %+v %v", page, err)
	}
	cust := env.CreateAccount(t, admin, "cust", panel.LevelCustomer)
	_ = cust
	cctx := env.Login(t, "cust", testkit.StrongPassword)
	if _, err := env.Panel.Accounts.ImportCSV(cctx, strings.NewReader("username,email,name\na,b,c\n"), panel.ImportCSVInput{}); testkit.Code(err) != panel.CodeForbidden {
		t.Errorf("a customer imports: %v", err)
	}
}

// Export then import into another desk: the same accounts come back.
func TestExportCSVRoundTrip(t *testing.T) {
	env := testkit.New(t)
	admin, _ := env.Setup(t)
	for i := range 450 { // more than two pages of the list
		if _, err := env.Panel.Accounts.ImportCSV(admin, strings.NewReader(fmt.Sprintf(
			"username,email,name,contact_number,password_hash\nuser%03d,u%d@example.org,\"Name, %d\",=1+2,\"%s\"\n", i, i, i, sampleHash)),
			panel.ImportCSVInput{}); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := env.Panel.Accounts.ExportCSV(admin, panel.ListAccountsInput{Q: "user", Sort: "-username"}, &buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\ufeffid,username,email")) {
		t.Errorf("header: %q", buf.String()[:40])
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 451 || recs[1][1] != "user449" || recs[450][1] != "user000" || recs[1][4] != "'=1+2" {
		t.Fatalf("export: %d rows, first %v, last %v", len(recs), recs[1], recs[len(recs)-1])
	}
	// Filters are the list's: a refused one writes nothing.
	buf.Reset()
	if err := env.Panel.Accounts.ExportCSV(admin, panel.ListAccountsInput{Sort: "shoe"}, &buf); testkit.Code(err) != panel.CodeInvalid || buf.Len() != 0 {
		t.Errorf("a bad sort: %v, %d bytes", err, buf.Len())
	}
	other := testkit.New(t)
	oadmin, _ := other.Setup(t)
	buf.Reset()
	env.Panel.Accounts.ExportCSV(admin, panel.ListAccountsInput{Q: "user"}, &buf)
	res, err := other.Panel.Accounts.ImportCSV(oadmin, &buf, panel.ImportCSVInput{})
	if err != nil || res.Created != 450 {
		t.Fatalf("re-import: %v %+v", err, res.Invalid)
	}
	acc, err := other.Panel.Accounts.Overview(oadmin, res.Rows[0].ID)
	if err != nil || acc.Account.ContactNumber != "=1+2" || !strings.HasPrefix(acc.Account.Name, "Name, ") {
		t.Errorf("round trip: %+v %v", acc.Account, err)
	}
}

// 10,000 rows without passwords are previewed in seconds; writing them
// does not hash 10,000 passwords at full cost (temporary passwords get the
// cheap hash). The suite writes 2,000 of them; CASTDESK_CSV_ROWS=10000 writes
// them all (measured: see README, "CSV import").
func TestImportCSVManyRows(t *testing.T) {
	env := testkit.New(t)
	admin, _ := env.Setup(t)
	rows := func(n int) string {
		var b strings.Builder
		b.WriteString("username,email,name\n")
		for i := range n {
			fmt.Fprintf(&b, "bulk%05d,bulk%d@example.org,Bulk %d\n", i, i, i)
		}
		return b.String()
	}
	all := rows(panel.CSVMaxRows)
	started := time.Now()
	res := importCSV(t, env, admin, all, panel.ImportCSVInput{DryRun: true})
	dry := time.Since(started)
	if res.Valid != panel.CSVMaxRows {
		t.Fatalf("dry run: %d valid", res.Valid)
	}
	// One more row is refused as a whole.
	if _, err := env.Panel.Accounts.ImportCSV(admin, strings.NewReader(all+"onemore,x@example.org,X\n"), panel.ImportCSVInput{DryRun: true}); panel.AsError(err).Fields["csv"] != panel.ReasonTooBig {
		t.Errorf("10,001 rows: %v", err)
	}
	n := 2000
	if v, _ := strconv.Atoi(os.Getenv("CASTDESK_CSV_ROWS")); v > 0 {
		n = v
	}
	started = time.Now()
	res = importCSV(t, env, admin, rows(n), panel.ImportCSVInput{})
	took := time.Since(started)
	if res.Created != n {
		t.Fatalf("import: %+v", res.Created)
	}
	t.Logf("dry run of 10,000 rows %s; import of %d rows %s (each with a temporary-password email queued)",
		dry.Round(time.Millisecond), n, took.Round(time.Millisecond))
	// A temporary password is a real one: it logs in (and must be changed).
	log, err := env.Panel.Mail.MailLog(admin, res.Rows[0].ID, panel.MailLogInput{})
	if err != nil || len(log.Items) != 1 {
		t.Fatalf("mail log: %+v %v", log, err)
	}
}

// A password_hash must be one a login can afford to check: a hash asking
// for 4 GiB of memory is refused, as is anything but argon2id.
func TestImportCSVPasswordHashBounds(t *testing.T) {
	env := testkit.New(t)
	admin, _ := env.Setup(t)
	for _, h := range []string{"$argon2id$v=19$m=4194304,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$HPz8RxfQ8cGWk3QYuV6Nd6d9xnKh3pvqb7cF0Eys2kA",
		"$2y$10$abcdefghijklmnopqrstuv", "plain"} {
		res := importCSV(t, env, admin, "username,email,name,password_hash\nx1,x@example.org,X,\""+h+"\"\n", panel.ImportCSVInput{DryRun: true})
		if res.Rows[0].Fields["password_hash"] != panel.ReasonInvalid {
			t.Errorf("%s: %+v", h, res.Rows[0])
		}
	}
}

const sampleHash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$HPz8RxfQ8cGWk3QYuV6Nd6d9xnKh3pvqb7cF0Eys2kA"
