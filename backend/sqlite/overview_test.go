package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"castdesk/backend/panel"
	"castdesk/backend/sqlite"
)

// AccountOverview and SessionWithAccount read in one statement what the
// single-purpose reads answer one by one; here both are run on the same
// rows of every kind (a reseller with a plan and customers, suspended and
// active services with AutoDJ and a proxy, queued, sending, sent and
// failed mail, an enabled second factor with recovery codes, one still
// being enrolled, indexed media, no media, an admin without a plan) and
// must agree field by field.
func TestOneReadsAgreeWithTheSingleReads(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "castdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.UnixMilli(time.Now().UnixMilli()).UTC()
	ten, hundred, fifty := 10, 100, 50
	var ids = map[string]int64{}
	port := 8000
	err = s.Write(ctx, func(tx panel.Tx) error {
		planID, err := tx.InsertPlan(ctx, &panel.Plan{Name: "Gold", AutoDJ: true, AutoDJQuota: &hundred, Proxy: false,
			MaxConnections: &hundred, ServerLimit: &ten, StorageMB: &hundred, CreatedAt: now, UpdatedAt: now})
		if err != nil {
			return err
		}
		acc := func(name string, level panel.Level, plan *int64, owner *int64, quota *int) error {
			id, err := tx.InsertAccount(ctx, &panel.Account{Username: name, Name: "Name " + name, Email: name + "@example.org",
				Level: level, Status: panel.StatusEnabled, Language: "en", PasswordHash: "x", ResellerPlanID: plan,
				OwnerID: owner, StorageQuotaMB: quota, CreatedAt: now, UpdatedAt: now})
			ids[name] = id
			return err
		}
		if err := acc("admin", panel.LevelAdmin, nil, nil, nil); err != nil {
			return err
		}
		if err := acc("rita", panel.LevelCustomer, &planID, nil, nil); err != nil {
			return err
		}
		rita := ids["rita"]
		if err := acc("cleo", panel.LevelCustomer, nil, &rita, &fifty); err != nil {
			return err
		}
		if err := acc("dan", panel.LevelCustomer, nil, &rita, nil); err != nil {
			return err
		}
		if err := acc("eve", panel.LevelCustomer, nil, nil, nil); err != nil {
			return err
		}
		svc := func(owner string, status string, autodj, proxy bool, conns int) error {
			port++
			_, err := tx.InsertService(ctx, &panel.Service{OwnerID: ids[owner], Name: fmt.Sprint("s", port), Type: "icecast",
				Port: port, MaxConnections: conns, BitrateKbps: port - 7900, DataTransferMB: 5, AutoDJ: autodj, AutoDJQuota: 7,
				Proxy: proxy, Status: status, CreatedAt: now, UpdatedAt: now})
			return err
		}
		for _, sv := range []struct {
			owner, status string
			autodj, proxy bool
		}{{"rita", "active", false, false}, {"cleo", "suspended", true, false}, {"cleo", "active", false, true},
			{"dan", "active", false, false}, {"eve", "suspended", true, true}} {
			if err := svc(sv.owner, sv.status, sv.autodj, sv.proxy, 3); err != nil {
				return err
			}
		}
		for i, st := range []panel.MailState{panel.MailQueued, panel.MailSending, panel.MailSent, panel.MailFailed, panel.MailFailed} {
			cleo := ids["cleo"]
			if _, err := tx.InsertMail(ctx, &panel.OutboxMail{AccountID: &cleo, Kind: "custom", To: "cleo@example.org",
				Subject: fmt.Sprint("m", i), MessageID: fmt.Sprint("<m", i, "@example.org>"), State: st, NextAttemptAt: now, CreatedAt: now, UpdatedAt: now}); err != nil {
				return err
			}
		}
		if err := tx.SaveTwoFactor(ctx, panel.TwoFactor{AccountID: ids["cleo"], Secret: "S", CreatedAt: now, EnabledAt: &now}); err != nil {
			return err
		}
		if err := tx.ReplaceRecoveryCodes(ctx, ids["cleo"], []string{"a", "b", "c"}, now); err != nil {
			return err
		}
		// Enrolling, not in force: no second factor, whatever codes exist.
		if err := tx.SaveTwoFactor(ctx, panel.TwoFactor{AccountID: ids["dan"], Secret: "S", CreatedAt: now}); err != nil {
			return err
		}
		return tx.ReplaceRecoveryCodes(ctx, ids["dan"], []string{"d"}, now)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyMedia(ctx, []panel.MediaChange{{AccountID: ids["cleo"], Upsert: []panel.MediaFile{
		{Path: "a.mp3", Size: 1000, Kind: "audio", ModifiedAt: now}, {Path: "b/c.mp3", Size: 234, Kind: "audio", ModifiedAt: now}}}}); err != nil {
		t.Fatal(err)
	}

	for _, def := range []*int{nil, &ten} {
		for name, id := range ids {
			got, err := s.AccountOverview(ctx, id, def)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			want := singleReads(t, s, id, def)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s (default quota %v):\none read %+v\nsingle    %+v", name, def, describe(got), describe(want))
			}
		}
	}
	// The rows above are not all zeros: a few figures by hand.
	cleo, _ := s.AccountOverview(ctx, ids["cleo"], nil)
	if cleo.ServicesSuspended != 1 || cleo.Account.ServicesCount != 2 || cleo.Mail != (panel.MailCounts{Queued: 2, Failed: 2}) ||
		cleo.TwoFactorEnabledAt == nil || cleo.RecoveryCodesLeft != 3 || !cleo.MediaIndexed ||
		cleo.Media != (panel.MediaTotals{Files: 2, Bytes: 1234}) || cleo.Reseller != nil {
		t.Errorf("cleo: %s", describe(cleo))
	}
	dan, _ := s.AccountOverview(ctx, ids["dan"], nil)
	if dan.TwoFactorEnabledAt != nil || dan.RecoveryCodesLeft != 0 || dan.MediaIndexed {
		t.Errorf("dan: %s", describe(dan))
	}
	rita, _ := s.AccountOverview(ctx, ids["rita"], &ten)
	if r := rita.Reseller; r == nil || r.Plan.Name != "Gold" || r.Usage.Services != 4 || r.Usage.MaxConnections != 12 ||
		!r.AutoDJInUse || !r.ProxyInUse || r.CustomerQuotas != 60 || *r.Plan.ServerLimit != 10 {
		t.Errorf("rita: %s", describe(rita))
	}
	if _, err := s.AccountOverview(ctx, 999, nil); !panel.IsCode(err, panel.CodeNotFound) {
		t.Errorf("absent account: %v, want not_found", err)
	}

	// A session with its account, and one whose hash is unknown.
	sess := &panel.Session{Hash: "h1", AccountID: ids["cleo"], ImpersonatorID: func() *int64 { v := ids["admin"]; return &v }(),
		CreatedAt: now, ExpiresAt: now.Add(time.Hour), LastSeenAt: now, PublicID: "p1", Address: "192.0.2.1", UserAgent: "ua"}
	if err := s.Write(ctx, func(tx panel.Tx) error { return tx.InsertSession(ctx, sess) }); err != nil {
		t.Fatal(err)
	}
	before := s.Statements()
	gotS, gotA, err := s.SessionWithAccount(ctx, "h1")
	if err != nil {
		t.Fatal(err)
	}
	if n := s.Statements() - before; n != 1 {
		t.Errorf("SessionWithAccount: %d statements, want 1", n)
	}
	wantS, _ := s.SessionByHash(ctx, "h1")
	wantA, _ := s.AccountByID(ctx, ids["cleo"])
	if !reflect.DeepEqual(gotS, wantS) || !reflect.DeepEqual(gotA, wantA) {
		t.Errorf("SessionWithAccount:\n%+v %+v\nwant\n%+v %+v", gotS, gotA, wantS, wantA)
	}
	// No impersonator, a second factor to enrol, quotes and accents.
	enrol := &panel.Session{Hash: "h2", AccountID: ids["dan"], CreatedAt: now, ExpiresAt: now.Add(time.Hour), LastSeenAt: now,
		PublicID: "p2", Address: "2001:db8::1", UserAgent: `Mozilla/5.0 "Navegador" ñ \ 😀`, MustEnrol: true}
	if err := s.Write(ctx, func(tx panel.Tx) error { return tx.InsertSession(ctx, enrol) }); err != nil {
		t.Fatal(err)
	}
	gotS, gotA, err = s.SessionWithAccount(ctx, "h2")
	wantS, _ = s.SessionByHash(ctx, "h2")
	wantA, _ = s.AccountByID(ctx, ids["dan"])
	if err != nil || !reflect.DeepEqual(gotS, wantS) || !reflect.DeepEqual(gotA, wantA) {
		t.Errorf("SessionWithAccount: %v\n%+v %+v\nwant\n%+v %+v", err, gotS, gotA, wantS, wantA)
	}
	if _, _, err := s.SessionWithAccount(ctx, "nope"); !panel.IsCode(err, panel.CodeNotFound) {
		t.Errorf("unknown session: %v, want not_found", err)
	}
	before = s.Statements()
	if _, err := s.AccountOverview(ctx, ids["rita"], nil); err != nil {
		t.Fatal(err)
	}
	if n := s.Statements() - before; n != 1 {
		t.Errorf("AccountOverview of a reseller: %d statements, want 1", n)
	}
}

// singleReads is AccountOverview put together from the one-purpose reads.
func singleReads(t *testing.T, s *sqlite.Store, id int64, defaultMB *int) *panel.OverviewFacts {
	t.Helper()
	ctx := context.Background()
	acc, err := s.AccountByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	f := &panel.OverviewFacts{Account: acc}
	svcs, err := s.ServicesOwnedBy(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, sv := range svcs {
		if sv.Status == "suspended" {
			f.ServicesSuspended++
		}
	}
	if f.Mail, err = s.MailCounts(ctx, id); err != nil {
		t.Fatal(err)
	}
	if tf, err := s.TwoFactorOf(ctx, id); err == nil && tf.EnabledAt != nil {
		f.TwoFactorEnabledAt = tf.EnabledAt
		if f.RecoveryCodesLeft, err = s.RecoveryCodesLeft(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if f.Media, f.MediaIndexed, err = s.MediaTotals(ctx, id); err != nil {
		t.Fatal(err)
	}
	if acc.IsReseller() {
		plan, err := s.PlanByID(ctx, *acc.ResellerPlanID)
		if err != nil {
			t.Fatal(err)
		}
		plan.Resellers, plan.CreatedAt, plan.UpdatedAt = 0, time.Time{}, time.Time{} // not read by the overview
		r := &panel.ResellerFacts{Plan: *plan}
		if r.Usage, err = s.ResellerUsage(ctx, id, 0); err != nil {
			t.Fatal(err)
		}
		if r.AutoDJInUse, r.ProxyInUse, err = s.ResellerFeaturesInUse(ctx, id); err != nil {
			t.Fatal(err)
		}
		if r.CustomerQuotas, err = s.CustomerQuotaTotal(ctx, id, 0, defaultMB); err != nil {
			t.Fatal(err)
		}
		f.Reseller = r
	}
	return f
}

func describe(f *panel.OverviewFacts) string {
	s := fmt.Sprintf("%+v", *f)
	if f.Account != nil {
		s += fmt.Sprintf(" account=%+v", *f.Account)
	}
	if f.Reseller != nil {
		s += fmt.Sprintf(" reseller=%+v", *f.Reseller)
	}
	return s
}
