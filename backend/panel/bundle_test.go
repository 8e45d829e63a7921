package panel_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

func exportBundle(t *testing.T, env *testkit.Env, ctx context.Context, in panel.ExportBundleInput) []byte {
	t.Helper()
	exp, err := env.Panel.Accounts.ExportBundle(ctx, in)
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	var buf bytes.Buffer
	if err := exp.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func importBundle(env *testkit.Env, ctx context.Context, b []byte, in panel.ImportBundleInput) (panel.BundlePreview, *panel.Account, error) {
	return env.Panel.Accounts.ImportBundle(ctx, bytes.NewReader(b), int64(len(b)), in)
}

// One customer moves between desks: its password, services, mail log and
// media come along with new IDs; a taken username and a taken port are
// shown first and resolved as proposed.
func TestMoveCustomerBetweenDesks(t *testing.T) {
	from := testkit.New(t)
	fadmin, _ := from.Setup(t)
	from.CreateAccount(t, fadmin, "filler", panel.LevelCustomer) // so IDs differ between desks
	from.CreateAccount(t, fadmin, "filler2", panel.LevelCustomer)
	radio := from.CreateAccount(t, fadmin, "radio", panel.LevelCustomer)
	if _, err := from.Panel.Services.Create(fadmin, panel.ServiceInput{OwnerID: &radio.ID, Name: ptr("Radio FM"), Type: ptr("icecast"), Port: ptr(8000)}); err != nil {
		t.Fatal(err)
	}
	song := bytes.Repeat([]byte("ID3 song "), 5000)
	if _, err := from.Panel.Media.Upload(fadmin, radio.ID, panel.MediaUploadInput{Dir: "shows", Name: "monday.mp3"}, bytes.NewReader(song)); err != nil {
		t.Fatal(err)
	}
	if _, err := from.Panel.Mail.EmailUser(fadmin, radio.ID, panel.EmailUserInput{Subject: "Hello", Message: "<p>Welcome</p>"}); err != nil {
		t.Fatal(err)
	}
	bundle := exportBundle(t, from, fadmin, panel.ExportBundleInput{ByAccount: panel.ByAccount{ID: radio.ID}})

	to := testkit.New(t)
	tadmin, _ := to.Setup(t)
	other := to.CreateAccount(t, tadmin, "radio", panel.LevelCustomer) // the username is taken here
	if _, err := to.Panel.Services.Create(tadmin, panel.ServiceInput{OwnerID: &other.ID, Name: ptr("Other"), Type: ptr("icecast"), Port: ptr(8000)}); err != nil {
		t.Fatal(err)
	}
	before, _ := to.Store.CountAccounts(context.Background())

	// The preview: both conflicts, with what would be used instead.
	preview, acc, err := importBundle(to, tadmin, bundle, panel.ImportBundleInput{DryRun: true})
	if err != nil || acc != nil {
		t.Fatalf("dry run: %v %v", err, acc)
	}
	if preview.CanImport || len(preview.Accounts) != 1 || preview.Accounts[0].Files != 1 || preview.Accounts[0].Services != 1 {
		t.Errorf("preview: %+v", preview)
	}
	conflicts := map[string]panel.BundleConflict{}
	for _, c := range preview.Conflicts {
		conflicts[c.Field] = c
	}
	if c := conflicts["username"]; !c.Blocking || c.Proposal != "radio-2" {
		t.Errorf("username conflict: %+v", c)
	}
	if c := conflicts["port"]; c.Blocking || c.Value != "8000" || c.Proposal != "8002" || c.Resolution != "new_port" {
		t.Errorf("port conflict: %+v", c)
	}
	if c := conflicts["email"]; c.Resolution != "kept" {
		t.Errorf("email conflict: %+v", c)
	}
	// Importing without resolving the username: refused, nothing written.
	if _, _, err := importBundle(to, tadmin, bundle, panel.ImportBundleInput{}); testkit.Code(err) != panel.CodeConflict {
		t.Fatalf("import with a taken username: %v", err)
	}
	if n, _ := to.Store.CountAccounts(context.Background()); n != before {
		t.Fatalf("a refused import wrote %d accounts", n-before)
	}

	preview, acc, err = importBundle(to, tadmin, bundle, panel.ImportBundleInput{Usernames: "rename"})
	if err != nil {
		t.Fatal(err)
	}
	if acc.Username != "radio-2" || acc.ID == radio.ID || preview.Accounts[0].ID != acc.ID {
		t.Fatalf("moved: %+v", acc)
	}
	// It logs in with its old password; its service has the new port.
	cctx := to.Login(t, "radio-2", testkit.StrongPassword)
	page, err := to.Panel.Services.List(cctx, panel.ListServicesInput{})
	if err != nil || len(page.Items) != 1 || page.Items[0].Port != 8002 || page.Items[0].Name != "Radio FM" {
		t.Errorf("services: %+v %v", page.Items, err)
	}
	// The media, byte for byte, in the new user_{ID} folder.
	got, err := os.ReadFile(filepath.Join(to.ContentRoot(), "user_"+strconv.FormatInt(acc.ID, 10), "shows", "monday.mp3"))
	if err != nil || !bytes.Equal(got, song) {
		t.Errorf("media: %v (%d bytes)", err, len(got))
	}
	// The mail log came along; what was still queued is not sent from here.
	log, err := to.Panel.Mail.MailLog(tadmin, acc.ID, panel.MailLogInput{})
	if err != nil || len(log.Items) != 1 || log.Items[0].Subject != "Hello" || log.Items[0].State != panel.MailFailed {
		t.Errorf("mail log: %+v %v", log.Items, err)
	}
	// Audited.
	audit, err := to.Panel.Audit.List(tadmin, panel.AuditQuery{Event: "account.import"})
	if err != nil || len(audit.Items) != 1 {
		t.Errorf("audit: %+v %v", audit.Items, err)
	}
}

// A reseller moves with its customers; its plan's name is taken here and is
// reused, or created under a new name.
func TestMoveResellerWithCustomers(t *testing.T) {
	from := testkit.New(t)
	fadmin, _ := from.Setup(t)
	// A plan with a storage total needs every customer under it to have a
	// quota: here the desk's default, 2 MB.
	if _, err := from.Panel.Settings.Update(fadmin, panel.SettingsPatch{DefaultStorageQuotaMB: panel.Some(2)}); err != nil {
		t.Fatal(err)
	}
	gold, err := from.Panel.Plans.Create(fadmin, panel.PlanInput{Name: ptr("Gold"), StorageMB: panel.Some(10)})
	if err != nil {
		t.Fatal(err)
	}
	resel, err := from.Panel.Accounts.Create(fadmin, panel.CreateAccountInput{Username: "resel", Name: "Resel", Email: "resel@example.org",
		Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword, ResellerPlanID: &gold.ID})
	if err != nil {
		t.Fatal(err)
	}
	rctx := from.Login(t, "resel", testkit.StrongPassword)
	mine := from.CreateAccount(t, rctx, "mine", panel.LevelCustomer)
	from.CreateAccount(t, rctx, "mine2", panel.LevelCustomer)
	// Storage quotas travel: the plan's total and a customer's own quota.
	if _, err := from.Panel.Accounts.Update(fadmin, mine.ID, panel.UpdateAccountInput{StorageQuotaMB: panel.Some(3)}); err != nil {
		t.Fatal(err)
	}
	bundle := exportBundle(t, from, fadmin, panel.ExportBundleInput{ByAccount: panel.ByAccount{ID: resel.ID}, Customers: true})

	// A reseller exports its own customers only, never with customers.
	exportBundle(t, from, rctx, panel.ExportBundleInput{ByAccount: panel.ByAccount{ID: mine.ID}})
	if _, err := from.Panel.Accounts.ExportBundle(rctx, panel.ExportBundleInput{ByAccount: panel.ByAccount{ID: resel.ID}}); testkit.Code(err) != panel.CodeForbidden {
		t.Errorf("a reseller exports itself: %v", err)
	}

	to := testkit.New(t)
	tadmin, _ := to.Setup(t)
	if _, err := to.Panel.Settings.Update(tadmin, panel.SettingsPatch{DefaultStorageQuotaMB: panel.Some(2)}); err != nil {
		t.Fatal(err)
	}
	small, err := to.Panel.Plans.Create(tadmin, panel.PlanInput{Name: ptr("Gold"), StorageMB: panel.Some(2)})
	if err != nil {
		t.Fatal(err)
	}
	// Reusing a plan whose storage total the customers' quotas do not fit
	// in is refused, and nothing is written.
	before, _ := to.Store.CountAccounts(context.Background())
	if _, _, err := importBundle(to, tadmin, bundle, panel.ImportBundleInput{Plan: "reuse"}); testkit.Code(err) != panel.CodeLimitExceeded {
		t.Fatalf("import onto a plan too small for the quotas: %v", err)
	}
	if n, _ := to.Store.CountAccounts(context.Background()); n != before {
		t.Fatalf("a refused import wrote %d accounts", n-before)
	}
	preview, acc, err := importBundle(to, tadmin, bundle, panel.ImportBundleInput{Plan: "rename"})
	if err != nil {
		t.Fatal(err)
	}
	if len(preview.Accounts) != 3 || acc.ResellerPlanName != "Gold (2)" {
		t.Fatalf("imported: %+v, plan %q", preview.Accounts, acc.ResellerPlanName)
	}
	plan, err := to.Panel.Plans.Get(tadmin, *acc.ResellerPlanID)
	if err != nil || plan.StorageMB == nil || *plan.StorageMB != 10 {
		t.Errorf("the moved plan's storage total: %+v %v", plan, err)
	}
	quotas := map[string]*int{}
	for _, p := range preview.Accounts {
		a, err := to.Store.AccountByID(context.Background(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		quotas[a.Username] = a.StorageQuotaMB
	}
	if q := quotas["mine"]; q == nil || *q != 3 || quotas["mine2"] != nil {
		t.Errorf("quotas after the move: mine %v, mine2 %v", q, quotas["mine2"])
	}
	// The customers belong to the moved reseller.
	nrctx := to.Login(t, "resel", testkit.StrongPassword)
	page, err := to.Panel.Accounts.List(nrctx, panel.ListAccountsInput{})
	if err != nil || page.Total != 3 {
		t.Errorf("the reseller sees %d accounts: %v", page.Total, err)
	}
	// A reseller cannot take in a reseller.
	if _, _, err := importBundle(to, nrctx, bundle, panel.ImportBundleInput{DryRun: true}); testkit.Code(err) != panel.CodeForbidden {
		t.Errorf("a reseller imports a reseller: %v", err)
	}
	// Reuse: a second copy under new names, on the existing plan, once its
	// total has room for the customers' quotas.
	if _, err := to.Panel.Plans.Update(tadmin, small.ID, panel.PlanInput{Name: ptr("Gold"), StorageMB: panel.Some(20)}); err != nil {
		t.Fatal(err)
	}
	_, acc, err = importBundle(to, tadmin, bundle, panel.ImportBundleInput{Usernames: "rename", Plan: "reuse"})
	if err != nil || acc.ResellerPlanName != "Gold" || acc.Username != "resel-2" {
		t.Errorf("reuse: %+v %v", acc, err)
	}
}

// A bundle with one byte changed, or cut short, is refused before anything
// is written.
func TestDamagedBundleIsRefused(t *testing.T) {
	from := testkit.New(t)
	fadmin, _ := from.Setup(t)
	radio := from.CreateAccount(t, fadmin, "radio", panel.LevelCustomer)
	from.Panel.Media.Upload(fadmin, radio.ID, panel.MediaUploadInput{Name: "a.mp3"}, bytes.NewReader(bytes.Repeat([]byte{1}, 4096)))
	bundle := exportBundle(t, from, fadmin, panel.ExportBundleInput{ByAccount: panel.ByAccount{ID: radio.ID}})
	to := testkit.New(t)
	tadmin, _ := to.Setup(t)
	for _, bad := range [][]byte{flip(bundle, 200), bundle[:len(bundle)/2]} {
		if _, _, err := importBundle(to, tadmin, bad, panel.ImportBundleInput{}); panel.AsError(err).Fields["bundle"] != panel.ReasonInvalid {
			t.Errorf("a damaged bundle: %v", err)
		}
	}
	if n, _ := to.Store.CountAccounts(context.Background()); n != 1 {
		t.Errorf("%d accounts after refused imports", n)
	}
}

func flip(b []byte, at int) []byte {
	c := bytes.Clone(b)
	c[at] ^= 0x40
	return c
}
