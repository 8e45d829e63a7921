package panel_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"castdesk/backend/media"
	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

const mib = 1 << 20

// refusal is err as a panel error, failing the test if it is not one with
// that code, field and reason.
func refusal(t *testing.T, err error, code panel.Code, field string, reason panel.Reason) *panel.Error {
	t.Helper()
	pe := panel.AsError(err)
	if err == nil || pe.Code != code || pe.Fields[field] != reason {
		t.Fatalf("want %s with %s=%s, got %v (%+v)", code, field, reason, err, pe)
	}
	return pe
}

func upload(ctx context.Context, env *testkit.Env, id int64, name string, size int) (panel.MediaFile, error) {
	return env.Panel.Media.Upload(ctx, id, panel.MediaUploadInput{Name: name}, bytes.NewReader(make([]byte, size)))
}

// unread fails the test if a byte of it is read.
type unread struct{ t *testing.T }

func (u unread) Read([]byte) (int, error) {
	u.t.Error("the body was read although the declared size could not fit")
	return 0, io.EOF
}

// An account's uploads stop at its quota: the System Settings default, or
// its own (set by an admin); a declared size past it is refused before a
// byte is read; the refusal names use and allowance.
func TestUploadsStopAtTheStorageQuota(t *testing.T) {
	env := testkit.New(t)
	admin, _ := env.Setup(t)
	cust := env.CreateAccount(t, admin, "dora", panel.LevelCustomer)
	dora := env.Login(t, "dora", testkit.StrongPassword)

	// No quota by default: unlimited.
	if ov, _ := env.Panel.Accounts.Overview(dora, cust.ID); ov.Media.QuotaBytes != nil || ov.Media.OverQuota {
		t.Fatalf("quota without any setting: %+v", ov.Media)
	}
	if _, err := env.Panel.Settings.Update(admin, panel.SettingsPatch{DefaultStorageQuotaMB: panel.Some(1)}); err != nil {
		t.Fatal(err)
	}
	if _, err := upload(dora, env, cust.ID, "a.mp3", 600*1024); err != nil {
		t.Fatal(err)
	}
	_, err := upload(dora, env, cust.ID, "b.mp3", 600*1024)
	pe := refusal(t, err, panel.CodeLimitExceeded, "file", panel.ReasonOverQuota)
	if p := pe.Params["file"]; p["used"] != int64(600*1024) || p["allowed"] != int64(mib) {
		t.Fatalf("params: %+v", pe.Params)
	}
	if _, err := os.Stat(filepath.Join(env.Dir, "content", "user_"+itoa(cust.ID), "b.mp3")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the refused file is on disk: %v", err)
	}
	// A declared size that cannot fit: refused before reading.
	_, err = env.Panel.Media.Upload(dora, cust.ID, panel.MediaUploadInput{Name: "c.mp3", Size: 500 * 1024}, unread{t})
	pe = refusal(t, err, panel.CodeLimitExceeded, "file", panel.ReasonOverQuota)
	if pe.Params["file"]["size"] != int64(500*1024) {
		t.Fatalf("params: %+v", pe.Params)
	}
	if err := env.Panel.Media.CheckUpload(dora, cust.ID, 500*1024); !panel.IsCode(err, panel.CodeLimitExceeded) {
		t.Fatalf("CheckUpload: %v", err)
	}
	// Replacing a file counts the new size instead of the old.
	if _, err := env.Panel.Media.Upload(dora, cust.ID, panel.MediaUploadInput{Name: "a.mp3", Overwrite: true},
		bytes.NewReader(make([]byte, 900*1024))); err != nil {
		t.Fatalf("overwrite within the quota: %v", err)
	}

	// The customer cannot raise its own quota; an admin can.
	if _, err := env.Panel.Accounts.Update(dora, cust.ID, panel.UpdateAccountInput{StorageQuotaMB: panel.Some(100)}); !panel.IsCode(err, panel.CodeForbidden) {
		t.Fatalf("customer raised its own quota: %v", err)
	}
	acc, err := env.Panel.Accounts.Update(admin, cust.ID, panel.UpdateAccountInput{StorageQuotaMB: panel.Some(2)})
	if err != nil || acc.StorageQuotaMB == nil || *acc.StorageQuotaMB != 2 {
		t.Fatalf("admin sets the quota: %+v %v", acc, err)
	}
	if _, err := upload(dora, env, cust.ID, "b.mp3", 600*1024); err != nil {
		t.Fatalf("within the account's own quota: %v", err)
	}
	lib, err := env.Panel.Media.List(dora, cust.ID, panel.MediaListInput{})
	if err != nil || lib.QuotaBytes == nil || *lib.QuotaBytes != 2*mib {
		t.Fatalf("library quota: %+v %v", lib.QuotaBytes, err)
	}
	// Back to the default (null), and the default to unlimited.
	if _, err := env.Panel.Accounts.Update(admin, cust.ID, panel.UpdateAccountInput{StorageQuotaMB: panel.Unlimited()}); err != nil {
		t.Fatal(err)
	}
	ov, _ := env.Panel.Accounts.Overview(admin, cust.ID)
	if ov.Media.QuotaBytes == nil || *ov.Media.QuotaBytes != mib || !ov.Media.OverQuota || ov.Account.StorageQuotaMB != nil {
		t.Fatalf("overview after the quota went back to the 1 MB default: %+v", ov.Media)
	}
	if _, err := env.Panel.Settings.Update(admin, panel.SettingsPatch{DefaultStorageQuotaMB: panel.Unlimited()}); err != nil {
		t.Fatal(err)
	}
	if _, err := upload(dora, env, cust.ID, "c.mp3", 600*1024); err != nil {
		t.Fatalf("unlimited: %v", err)
	}
}

// Files written into the folder from outside count once the watcher has
// indexed them: the account is flagged on its overview and in the admin's
// storage status, and its uploads are refused.
func TestFilesFromOutsideCountAndFlagTheAccount(t *testing.T) {
	env := testkit.New(t)
	admin, _ := env.Setup(t)
	p, _ := env.StartMedia(t)
	cust := env.CreateAccount(t, admin, "ftp", panel.LevelCustomer)
	other := env.CreateAccount(t, admin, "calm", panel.LevelCustomer)
	if _, err := p.Accounts.Update(admin, cust.ID, panel.UpdateAccountInput{StorageQuotaMB: panel.Some(1)}); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(env.ContentRoot(), "user_"+itoa(cust.ID), "big.flac"), 3*mib/2)
	writeFile(t, filepath.Join(env.ContentRoot(), "user_"+itoa(other.ID), "small.mp3"), 1000)
	// The index (what the admin's storage status reads) catches up with
	// the watcher; the overview reads the same index.
	var st panel.StorageStatus
	deadline := time.Now().Add(10 * time.Second)
	for {
		var err error
		if st, err = p.Media.Storage(admin); err != nil {
			t.Fatal(err)
		}
		if st.OverQuotaTotal > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("never listed over quota: %+v", st)
		}
		time.Sleep(20 * time.Millisecond)
	}
	ov, err := p.Accounts.Overview(admin, cust.ID)
	if err != nil || !ov.Media.OverQuota || ov.Media.Bytes != 3*mib/2 || *ov.Media.QuotaBytes != mib {
		t.Fatalf("overview: %+v %v", ov.Media, err)
	}
	if ov, _ := p.Accounts.Overview(admin, other.ID); ov.Media.OverQuota || ov.Media.QuotaBytes != nil {
		t.Fatalf("the other account (no quota): %+v", ov.Media)
	}
	if st.OverQuotaTotal != 1 || len(st.OverQuota) != 1 || st.OverQuota[0].ID != cust.ID || st.OverQuota[0].Bytes != 3*mib/2 ||
		st.OverQuota[0].QuotaBytes != mib || st.OverQuota[0].Username != "ftp" {
		t.Fatalf("storage status: %+v", st)
	}
	if len(st.Volumes) != 1 || st.Volumes[0].TotalBytes <= 0 || st.Volumes[0].ReserveBytes != panel.DefaultReserve(st.Volumes[0].TotalBytes) {
		t.Fatalf("volumes (content root and data dir on one volume): %+v", st.Volumes)
	}
	ftp := env.Login(t, "ftp", testkit.StrongPassword)
	if _, err := upload(ftp, env, cust.ID, "x.mp3", 10); !panel.IsCode(err, panel.CodeLimitExceeded) {
		t.Fatalf("upload over quota: %v", err)
	}
	if _, err := p.Media.Storage(ftp); !panel.IsCode(err, panel.CodeForbidden) {
		t.Fatalf("a customer read the storage status: %v", err)
	}
}

// A reseller plan's storage_mb is a total its customers' quotas must fit
// in, refused like the other plan limits (over_plan_limit, {limit, used,
// allowed}) when a quota grows.
func TestResellerPlanStorageTotal(t *testing.T) {
	env := testkit.New(t)
	admin, _ := env.Setup(t)
	plan, err := env.Panel.Plans.Create(admin, panel.PlanInput{Name: ptr("Disk"), StorageMB: panel.Some(100)})
	if err != nil || plan.StorageMB == nil || *plan.StorageMB != 100 {
		t.Fatalf("plan: %+v %v", plan, err)
	}
	if _, err := env.Panel.Plans.Create(admin, panel.PlanInput{Name: ptr("Bad"), StorageMB: panel.Some(-1)}); !panel.IsCode(err, panel.CodeInvalid) {
		t.Fatalf("negative storage_mb: %v", err)
	}
	res := env.CreateAccount(t, admin, "reseller", panel.LevelCustomer)
	if _, err := env.Panel.Accounts.Update(admin, res.ID, panel.UpdateAccountInput{ResellerPlanID: &plan.ID}); err != nil {
		t.Fatal(err)
	}
	rctx := env.Login(t, "reseller", testkit.StrongPassword)
	create := func(name string, quota *int) (*panel.Account, error) {
		return env.Panel.Accounts.Create(rctx, panel.CreateAccountInput{Username: name, Name: name, Email: name + "@example.org",
			Password: testkit.StrongPassword, PasswordConfirm: testkit.StrongPassword, StorageQuotaMB: quota})
	}
	a, err := create("alpha", ptr(60))
	if err != nil {
		t.Fatal(err)
	}
	_, err = create("beta", ptr(50))
	pe := refusal(t, err, panel.CodeLimitExceeded, "storage_quota_mb", panel.ReasonOverPlanLimit)
	if p := pe.Params["storage_quota_mb"]; p["limit"] != "storage_mb" || p["used"] != 60 || p["allowed"] != 100 {
		t.Fatalf("params: %+v", pe.Params)
	}
	// No quota and no default: unlimited, which no limited plan holds.
	_, err = create("gamma", nil)
	refusal(t, err, panel.CodeLimitExceeded, "storage_quota_mb", panel.ReasonOverPlanLimit)
	// With a default of 30 MB, an account without its own quota takes 30.
	if _, err := env.Panel.Settings.Update(admin, panel.SettingsPatch{DefaultStorageQuotaMB: panel.Some(30)}); err != nil {
		t.Fatal(err)
	}
	if _, err := create("gamma", nil); err != nil {
		t.Fatalf("60 + 30 (default) of 100: %v", err)
	}
	// Growing alpha past the total is refused; shrinking is not.
	_, err = env.Panel.Accounts.Update(rctx, a.ID, panel.UpdateAccountInput{StorageQuotaMB: panel.Some(71)})
	pe = refusal(t, err, panel.CodeLimitExceeded, "storage_quota_mb", panel.ReasonOverPlanLimit)
	if pe.Params["storage_quota_mb"]["used"] != 30 {
		t.Fatalf("used leaves out the account changed: %+v", pe.Params)
	}
	if _, err := env.Panel.Accounts.Update(rctx, a.ID, panel.UpdateAccountInput{StorageQuotaMB: panel.Some(70)}); err != nil {
		t.Fatalf("exactly the total: %v", err)
	}
	// The admin is held to the plan too (as for services).
	if _, err := env.Panel.Accounts.Update(admin, a.ID, panel.UpdateAccountInput{StorageQuotaMB: panel.Some(80)}); !panel.IsCode(err, panel.CodeLimitExceeded) {
		t.Fatalf("admin over the plan: %v", err)
	}
	// A lowered plan leaves the quotas as they are; shrinking still works.
	if _, err := env.Panel.Plans.Update(admin, plan.ID, panel.PlanInput{StorageMB: panel.Some(50)}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Panel.Accounts.Update(rctx, a.ID, panel.UpdateAccountInput{StorageQuotaMB: panel.Some(65)}); err != nil {
		t.Fatalf("shrinking under a lowered plan: %v", err)
	}
	// A reseller cannot set its own quota.
	if _, err := env.Panel.Accounts.Update(rctx, res.ID, panel.UpdateAccountInput{StorageQuotaMB: panel.Some(1)}); !panel.IsCode(err, panel.CodeForbidden) {
		t.Fatalf("reseller set its own quota: %v", err)
	}
	ov, err := env.Panel.Accounts.Overview(admin, res.ID)
	if err != nil || ov.ResellerUsage == nil || ov.ResellerUsage.StorageMB.Used != 95 || *ov.ResellerUsage.StorageMB.Allowed != 50 {
		t.Fatalf("reseller usage: %+v %v", ov.ResellerUsage, err)
	}
	// Audited with what changed.
	page, err := env.Panel.Audit.List(admin, panel.AuditQuery{Event: "account.update"})
	if err != nil || len(page.Items) == 0 || !strings.Contains(page.Items[0].Details, "storage_quota_mb") {
		t.Fatalf("audit: %+v %v", page.Items, err)
	}
}

func TestStorageSettings(t *testing.T) {
	env := testkit.New(t)
	admin, _ := env.Setup(t)
	set, err := env.Panel.Settings.Get(admin)
	if err != nil || set.DefaultStorageQuotaMB != nil || set.MinFreeSpaceMB != nil {
		t.Fatalf("defaults: %+v %v", set, err)
	}
	_, err = env.Panel.Settings.Update(admin, panel.SettingsPatch{DefaultStorageQuotaMB: panel.Some(-1), MinFreeSpaceMB: panel.Some(panel.StorageMBMax + 1)})
	pe := refusal(t, err, panel.CodeInvalid, "default_storage_quota_mb", panel.ReasonTooSmall)
	if pe.Fields["min_free_space_mb"] != panel.ReasonTooBig {
		t.Fatalf("fields: %+v", pe.Fields)
	}
	set, err = env.Panel.Settings.Update(admin, panel.SettingsPatch{DefaultStorageQuotaMB: panel.Some(500), MinFreeSpaceMB: panel.Some(0)})
	if err != nil || *set.DefaultStorageQuotaMB != 500 || *set.MinFreeSpaceMB != 0 {
		t.Fatalf("set: %+v %v", set, err)
	}
	// Absent leaves them; null clears them.
	set, err = env.Panel.Settings.Update(admin, panel.SettingsPatch{MinFreeSpaceMB: panel.Unlimited()})
	if err != nil || *set.DefaultStorageQuotaMB != 500 || set.MinFreeSpaceMB != nil {
		t.Fatalf("cleared: %+v %v", set, err)
	}
	if got := panel.DefaultReserve(24 * mib); got != 24*mib/20 {
		t.Errorf("reserve of a 24 MiB volume: %d", got)
	}
	if got := panel.DefaultReserve(1 << 40); got != 1<<30 {
		t.Errorf("reserve of a 1 TiB volume: %d", got)
	}
}

// spaceFolders reports a volume whose free space the test sets, and can
// fail writes with ENOSPC as a full disk does.
type spaceFolders struct {
	*media.Folders
	free     atomic.Int64
	total    int64
	noSpace  atomic.Bool
	measured atomic.Int64
}

func (s *spaceFolders) Space(string) (panel.DiskSpace, error) {
	s.measured.Add(1)
	return panel.DiskSpace{Free: s.free.Load(), Total: s.total, Volume: "test"}, nil
}

func (s *spaceFolders) Save(root string, id int64, rel string, r io.Reader, limit int64, overwrite bool) (panel.MediaFile, error) {
	if s.noSpace.Load() {
		io.Copy(io.Discard, io.LimitReader(r, 4096))
		return panel.MediaFile{}, &os.PathError{Op: "write", Path: rel, Err: syscall.ENOSPC}
	}
	return s.Folders.Save(root, id, rel, r, limit, overwrite)
}

// shrinking lowers the reported free space as the upload is read, as a disk
// filling up would.
type shrinking struct {
	r io.Reader
	s *spaceFolders
}

func (sh shrinking) Read(p []byte) (int, error) {
	n, err := sh.r.Read(p)
	sh.s.free.Add(-int64(n))
	return n, err
}

// Uploads leave the reserve free on the volume (default 5 % of a small
// one): refused up front when below it, cut off when a stream crosses it; a
// write that finds the disk full is unavailable/disk_full, never internal.
func TestUploadsKeepTheDiskReserve(t *testing.T) {
	env := testkit.New(t)
	folders := &spaceFolders{Folders: &media.Folders{}, total: 100 * mib}
	folders.free.Store(50 * mib)
	env.Folders = folders
	env.Reopen(t)
	admin, acc := env.Setup(t)
	reserve := panel.DefaultReserve(100 * mib) // 5 MiB

	if _, err := upload(admin, env, acc.ID, "fits.mp3", mib); err != nil {
		t.Fatal(err)
	}
	// A declared size that would take the volume below the reserve.
	_, err := env.Panel.Media.Upload(admin, acc.ID, panel.MediaUploadInput{Name: "big.mp3", Size: 50*mib - reserve + 1}, unread{t})
	refusal(t, err, panel.CodeUnavailable, "disk", panel.ReasonDiskFull)
	// An undeclared stream is cut off when it crosses the reserve.
	body := shrinking{r: bytes.NewReader(make([]byte, 48*mib)), s: folders}
	_, err = env.Panel.Media.Upload(admin, acc.ID, panel.MediaUploadInput{Name: "stream.mp3"}, body)
	refusal(t, err, panel.CodeUnavailable, "disk", panel.ReasonDiskFull)
	if folders.free.Load() < reserve-8*mib || folders.free.Load() > 50*mib {
		t.Fatalf("the stream went on far below the reserve: %d free", folders.free.Load())
	}
	if _, err := os.Stat(filepath.Join(env.ContentRoot(), "user_"+itoa(acc.ID), "stream.mp3")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a cut-off upload was kept: %v", err)
	}
	// Below the reserve: nothing is admitted; the setting can lower it.
	folders.free.Store(reserve)
	_, err = upload(admin, env, acc.ID, "small.mp3", 10)
	pe := refusal(t, err, panel.CodeUnavailable, "disk", panel.ReasonDiskFull)
	if strings.Contains(pe.Message, "bytes") {
		t.Errorf("the message tells customers the server's numbers: %q", pe.Message)
	}
	st, _ := env.Panel.Media.Storage(admin)
	if !st.DiskLow || len(st.Volumes) != 1 || !st.Volumes[0].Low || st.Volumes[0].ReserveBytes != reserve {
		t.Fatalf("storage status: %+v", st)
	}
	if _, err := env.Panel.Settings.Update(admin, panel.SettingsPatch{MinFreeSpaceMB: panel.Some(1)}); err != nil {
		t.Fatal(err)
	}
	if _, err := upload(admin, env, acc.ID, "small.mp3", 10); err != nil {
		t.Fatalf("with a 1 MB reserve: %v", err)
	}
	// The disk is full after all (written from outside): unavailable.
	folders.noSpace.Store(true)
	_, err = upload(admin, env, acc.ID, "full.mp3", 10)
	refusal(t, err, panel.CodeUnavailable, "disk", panel.ReasonDiskFull)
	if folders.measured.Load() == 0 {
		t.Error("the free space was never measured")
	}
}

func TestNoSpaceIsUnavailable(t *testing.T) {
	for _, err := range []error{
		&os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC},
		fmt.Errorf("commit: %w", syscall.EDQUOT),
		panel.ErrNoSpace,
		errors.New("sqlite: database or disk is full"),
	} {
		if pe := panel.AsError(err); pe.Code != panel.CodeUnavailable || pe.Fields["disk"] != panel.ReasonDiskFull {
			t.Errorf("%v: %+v", err, pe)
		}
		if pe := panel.Internal(err); pe.Code != panel.CodeUnavailable {
			t.Errorf("Internal(%v): %+v", err, pe)
		}
	}
	if pe := panel.AsError(errors.New("boom")); pe.Code != panel.CodeInternal {
		t.Errorf("other errors stay internal: %+v", pe)
	}
}

// A file name with a control character (C0, DEL, C1) or a bidi override is
// refused on name; a folder with one on dir.
func TestUploadNamesRefuseControlCharacters(t *testing.T) {
	env := testkit.New(t)
	admin, acc := env.Setup(t)
	for _, name := range []string{"a\x00b.mp3", "a\nb.mp3", "a\x7fb.mp3", "a\u0085b.mp3", "evil\u202egnp.mp3", "x\u2066y.mp3"} {
		_, err := upload(admin, env, acc.ID, name, 10)
		refusal(t, err, panel.CodeInvalid, "name", panel.ReasonInvalid)
	}
	_, err := env.Panel.Media.Upload(admin, acc.ID, panel.MediaUploadInput{Dir: "m\u202eusic", Name: "a.mp3"}, bytes.NewReader(nil))
	refusal(t, err, panel.CodeInvalid, "dir", panel.ReasonInvalid)
	if _, err := upload(admin, env, acc.ID, "Canción – ñ.mp3", 10); err != nil {
		t.Fatalf("a plain accented name: %v", err)
	}
}
