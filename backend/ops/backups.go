package ops

import (
	"net/http"

	"castdesk/backend/panel"
)

// BackupByID names backup {id} (castdesk-YYYYMMDD-HHMMSS[-auto]).
type BackupByID struct {
	ID string `json:"id" path:"id"`
}

// BackupBody is {backup}.
type BackupBody struct {
	Backup panel.Backup `json:"backup"`
}

func init() {
	TagDescriptions["Backups"] = "Whole-desk backups (the database and every media folder in one archive with checksums) and their daily schedule. " +
		"Restoring is done from the console: castdesk admin restore FILE."
}

var backupOps = []*Op{
	declare(Op{Name: "backupsList", Scope: panel.AreaFullKey, Method: "GET", Path: "/backups", Tag: "Backups", Access: AdminOnly,
		Summary: "Backups, newest first, with the progress of a running one",
		Description: "status is running, done or failed (failure: interrupted when the process writing it stopped, error " +
			"otherwise; the log has the details). dir is the folder they are kept in; schema_version is this Castdesk's " +
			"database schema (a backup of a newer schema cannot be restored here)."},
		func(e Env, _ NoInput) (panel.BackupList, error) { return e.Panel.Backups.List(e.Ctx) }),

	declare(Op{Name: "backupCreate", Scope: panel.AreaFullKey, Method: "POST", Path: "/backups", Tag: "Backups", Access: AdminOnly,
		Status: http.StatusCreated, NoBody: true, Errors: []int{409, 503},
		Summary: "Start a backup now",
		Description: "Answers at once with the backup running; poll GET /backups/{id} for bytes_done of bytes_total. " +
			"One backup runs at a time (409 with fields.backup = busy). The SMTP password is never in a backup: it lives " +
			"in the OS keyring."},
		func(e Env, _ NoInput) (BackupBody, error) {
			b, err := e.Panel.Backups.Create(e.Ctx)
			return BackupBody{b}, err
		}),

	declare(Op{Name: "backupGet", Scope: panel.AreaFullKey, Method: "GET", Path: "/backups/{id}", Tag: "Backups", Access: AdminOnly,
		Summary: "One backup (poll it for progress)"},
		func(e Env, in BackupByID) (BackupBody, error) {
			b, err := e.Panel.Backups.Get(e.Ctx, in.ID)
			return BackupBody{b}, err
		}),

	raw[BackupByID, string](Op{Name: "backupDownload", Scope: panel.AreaFullKey, Method: "GET", Path: "/backups/{id}/download", Tag: "Backups", Produces: "application/zip",
		Access: AdminOnly, Errors: []int{409},
		Summary:     "Download a finished backup (application/zip)",
		Description: "Range requests are answered. 409 with fields.status = not_ready while it is being written."}),

	declare(Op{Name: "backupDelete", Scope: panel.AreaFullKey, Method: "DELETE", Path: "/backups/{id}", Tag: "Backups", Access: AdminOnly,
		Errors: []int{409}, Summary: "Delete a backup for good",
		Description: "409 with fields.status = busy while it is being written."},
		func(e Env, in BackupByID) (Deleted, error) {
			return Deleted{true}, e.Panel.Backups.Delete(e.Ctx, in.ID)
		}),

	declare(Op{Name: "backupScheduleGet", Scope: panel.AreaFullKey, Method: "GET", Path: "/backups/schedule", Tag: "Backups", Access: AdminOnly,
		Summary:     "The daily backup",
		Description: "time is HH:MM in timezone (the system's default timezone); keep is how many scheduled backups are kept."},
		func(e Env, _ NoInput) (panel.BackupSchedule, error) { return e.Panel.Backups.Schedule(e.Ctx) }),

	declare(Op{Name: "backupScheduleUpdate", Scope: panel.AreaFullKey, Method: "PATCH", Path: "/backups/schedule", Tag: "Backups", Access: AdminOnly,
		Summary: "Change the daily backup (only the fields sent)"},
		func(e Env, in panel.BackupScheduleInput) (panel.BackupSchedule, error) {
			return e.Panel.Backups.UpdateSchedule(e.Ctx, in)
		}),
}
