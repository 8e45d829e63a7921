package panel_test

import (
	"testing"
	"time"

	"castdesk/backend/panel"
	"castdesk/backend/testkit"
)

// The daily backup: due at its time in the system timezone, made once per
// day (a missed one as soon as Castdesk runs), not for times before it was
// switched on; the oldest scheduled backups beyond "keep" are deleted, never
// one made by hand.
func TestBackupSchedule(t *testing.T) {
	env := testkit.New(t)
	admin, _ := env.Setup(t)
	if _, err := env.Panel.Settings.Update(admin, panel.SettingsPatch{DefaultTimezone: ptr("Europe/Madrid")}); err != nil {
		t.Fatal(err)
	}
	// The clock is 09:00 UTC = 10:00 in Madrid (November).
	s, err := env.Panel.Backups.UpdateSchedule(admin, panel.BackupScheduleInput{Enabled: ptr(true), Time: ptr("03:30"), Keep: ptr(2)})
	if err != nil {
		t.Fatal(err)
	}
	if s.Timezone != "Europe/Madrid" || s.NextRunAt == nil || !s.NextRunAt.Equal(time.Date(2026, 11, 25, 2, 30, 0, 0, time.UTC)) {
		t.Fatalf("schedule: %+v (next %v)", s, s.NextRunAt)
	}
	if _, err := env.Panel.Backups.UpdateSchedule(admin, panel.BackupScheduleInput{Time: ptr("3:30")}); panel.AsError(err).Fields["time"] != panel.ReasonInvalid {
		t.Errorf("a bad time: %v", err)
	}
	// Today's 03:30 was before the schedule was switched on: nothing due.
	if b, err := env.Panel.Backups.Tick(admin); err != nil || b != nil {
		t.Fatalf("tick right away: %+v %v", b, err)
	}
	manual, err := env.Panel.Backups.Create(admin)
	if err != nil {
		t.Fatal(err)
	}
	env.Panel.Backups.Wait()
	var made []string
	for day := 1; day <= 3; day++ {
		env.Clock.Advance(24 * time.Hour)
		b, err := env.Panel.Backups.Tick(admin)
		if err != nil || b == nil || !b.Scheduled {
			t.Fatalf("day %d: %+v %v", day, b, err)
		}
		env.Panel.Backups.Wait()
		made = append(made, b.ID)
		// Once per slot.
		if again, err := env.Panel.Backups.Tick(admin); err != nil || again != nil {
			t.Fatalf("day %d, second tick: %+v %v", day, again, err)
		}
	}
	list, err := env.Panel.Backups.List(admin)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, b := range list.Items {
		have[b.ID] = b.Status == panel.BackupDone
	}
	if !have[manual.ID] || have[made[0]] || !have[made[1]] || !have[made[2]] || len(list.Items) != 3 {
		t.Errorf("after three days with keep=2: %+v (made %v, manual %s)", list.Items, made, manual.ID)
	}
	// Off: nothing more.
	env.Panel.Backups.UpdateSchedule(admin, panel.BackupScheduleInput{Enabled: ptr(false)})
	env.Clock.Advance(24 * time.Hour)
	if b, _ := env.Panel.Backups.Tick(admin); b != nil {
		t.Errorf("a backup while the schedule is off: %+v", b)
	}
	// Customers and resellers see nothing of it.
	cust := env.CreateAccount(t, admin, "cust", panel.LevelCustomer)
	_ = cust
	cctx := env.Login(t, "cust", testkit.StrongPassword)
	if _, err := env.Panel.Backups.List(cctx); testkit.Code(err) != panel.CodeForbidden {
		t.Errorf("a customer lists backups: %v", err)
	}
}
