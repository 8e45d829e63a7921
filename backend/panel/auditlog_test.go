package panel_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

func auditRows(t *testing.T, env *testkit.Env, ctx context.Context, event string) []panel.AuditEntry {
	t.Helper()
	var out []panel.AuditEntry
	cursor := int64(0)
	for {
		page, err := env.Panel.Audit.List(ctx, panel.AuditQuery{Event: event, Limit: 200, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
		if page.NextCursor == "" {
			return out
		}
		fmt.Sscan(page.NextCursor, &cursor)
	}
}

// TestFailedLoginsAreCountedNotListed: failed and throttled logins of one
// account (and of unknown usernames) from one client share one audit row
// per hour whose count grows; another client or another hour is another row.
func TestFailedLoginsAreCountedNotListed(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	dora := env.CreateAccount(t, adminCtx, "dora", panel.LevelCustomer)
	ctx := context.Background()
	login := func(user, client string) {
		env.Panel.Auth.Login(ctx, panel.LoginInput{Username: user, Password: "wrong-password-1", Client: client})
	}
	for range 300 {
		login("dora", "198.51.100.1")
	}
	for i := range 3 { // unknown usernames: one row for all of them
		login(fmt.Sprintf("ghost%d", i), "198.51.100.1")
	}
	for range 8 {
		login("dora", "198.51.100.2")
	}
	env.Clock.Advance(time.Hour)
	for range 3 {
		login("dora", "198.51.100.1")
	}
	rows := auditRows(t, env, adminCtx, "login")
	type key struct{ event, subject, details string }
	got := map[key]int{}
	total := 0
	for _, r := range rows {
		got[key{r.Event, r.SubjectType + ":" + r.SubjectID, r.Details}] += r.Count
		total += r.Count
		if r.Count > 1 && (r.LastAt == nil || r.LastAt.Before(r.At)) {
			t.Fatalf("counted row without a last time: %+v", r)
		}
	}
	if total != 300+3+8+3 {
		t.Fatalf("counts add up to %d, want %d: %+v", total, 314, rows)
	}
	acct := fmt.Sprintf("account:%d", dora.ID)
	if got[key{"login.failure", acct, "reason=bad_password client=198.51.100.1"}] != 5+1 ||
		got[key{"login.throttled", acct, "client=198.51.100.1"}] != 295+2 ||
		got[key{"login.failure", "login:", "reason=unknown_user client=198.51.100.1"}] != 3 {
		t.Fatalf("rows: %v", got)
	}
	if len(rows) > 8 {
		t.Fatalf("%d rows for 314 attempts from 2 clients over 2 hours: %+v", len(rows), rows)
	}
}

// TestAuditRetentionPrunesThroughOneAuditedPath: entries older than
// audit_retention_days go, in one transaction that records how many; the
// table refuses every other update or delete.
func TestAuditRetentionPrunesThroughOneAuditedPath(t *testing.T) {
	env := testkit.New(t)
	adminCtx, _ := env.Setup(t)
	ctx := context.Background()
	if s, _ := env.Panel.Settings.Get(adminCtx); s.AuditRetentionDays != panel.AuditRetentionDefault || panel.AuditRetentionDefault != 365 {
		t.Fatalf("default retention: %d", s.AuditRetentionDays)
	}
	for _, bad := range []struct {
		days   int
		reason panel.Reason
	}{{29, panel.ReasonTooSmall}, {3651, panel.ReasonTooBig}} {
		_, err := env.Panel.Settings.Update(adminCtx, panel.SettingsPatch{AuditPatch: panel.AuditPatch{AuditRetentionDays: &bad.days}})
		if panel.AsError(err).Fields["audit_retention_days"] != bad.reason {
			t.Fatalf("%d days: %v", bad.days, err)
		}
	}
	old := len(auditRows(t, env, adminCtx, ""))
	env.Clock.Advance(200 * 24 * time.Hour)
	env.CreateAccount(t, adminCtx, "dora", panel.LevelCustomer) // a newer entry
	if n, err := env.Panel.Audit.Prune(ctx); err != nil || n != 0 {
		t.Fatalf("nothing is a year old yet: %d %v", n, err)
	}
	env.Clock.Advance(200 * 24 * time.Hour)
	n, err := env.Panel.Audit.Prune(ctx)
	if err != nil || int(n) != old {
		t.Fatalf("pruned %d of %d old entries: %v", n, old, err)
	}
	rows := auditRows(t, env, adminCtx, "")
	if len(rows) != 2 || rows[0].Event != "audit.prune" || rows[1].Event != "account.create" ||
		!strings.HasPrefix(rows[0].Details, fmt.Sprintf("removed=%d ", old)) || !strings.Contains(rows[0].Details, "retention_days=365") {
		t.Fatalf("after the prune: %+v", rows)
	}
	// A shorter retention takes effect at the next prune.
	days := 30
	if _, err := env.Panel.Settings.Update(adminCtx, panel.SettingsPatch{AuditPatch: panel.AuditPatch{AuditRetentionDays: &days}}); err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(31 * 24 * time.Hour)
	if n, err := env.Panel.Audit.Prune(ctx); err != nil || n != 3 {
		t.Fatalf("30-day retention pruned %d: %v", n, err)
	}

	// Outside the prune the table stays append-only, even to SQL.
	db, err := sql.Open("sqlite3", env.DBPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	env.Panel.Auth.Login(ctx, panel.LoginInput{Username: "nobody", Password: "wrong-password-1", Client: "203.0.113.5"})
	var permits int
	db.QueryRow(`SELECT count(*) FROM audit_prune_permit`).Scan(&permits)
	if permits != 0 {
		t.Fatal("a prune permit outlived its transaction")
	}
	for _, stmt := range []string{
		`DELETE FROM audit`,
		`UPDATE audit SET details = 'edited'`,
		`UPDATE audit SET count = count - 1 WHERE window_key IS NOT NULL`,
		`UPDATE audit SET count = count + 1, details = 'edited' WHERE window_key IS NOT NULL`,
		`UPDATE audit SET count = count + 1, last_at = NULL WHERE window_key IS NOT NULL`,
		`UPDATE audit SET count = 5, window_key = 'x' WHERE window_key IS NULL`,
	} {
		if _, err := db.Exec(stmt); err == nil || !strings.Contains(err.Error(), "audit entries cannot be") {
			t.Errorf("%s: %v", stmt, err)
		}
	}
	// A permit only covers what is older than its cutoff.
	tx, _ := db.Begin()
	tx.Exec(`INSERT INTO audit_prune_permit (id, cutoff) VALUES (1, 0)`)
	if _, err := tx.Exec(`DELETE FROM audit`); err == nil {
		t.Error("a permit with an old cutoff deleted newer entries")
	}
	tx.Rollback()
}
