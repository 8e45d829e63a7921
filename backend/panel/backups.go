package panel

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Whole-desk backups (docs/spec.md §11): the database and every media folder
// in one archive with a manifest of checksums, made online while both doors
// keep writing, listed, downloaded and deleted by administrators, and made
// daily on a schedule that keeps the last N. The archive work is the
// BackupVault's (backend/backup); the rules are here.

// DataCounts are the sizes of a desk, as a backup's manifest records them.
type DataCounts struct {
	Accounts int `json:"accounts"`
	Services int `json:"services"`
	Mails    int `json:"mails"`
	Files    int `json:"files"`
}

// DataInfo describes a database file: its schema version (the number of
// migrations applied) and its counts (Files stays 0: files are on disk).
type DataInfo struct {
	Schema int
	Counts DataCounts
}

// BackupStatus is where a backup stands.
type BackupStatus string

const (
	BackupRunning BackupStatus = "running"
	BackupDone    BackupStatus = "done"
	BackupFailed  BackupStatus = "failed"
)

// BackupStatuses is the closed list, for the generated TypeScript.
var BackupStatuses = []BackupStatus{BackupRunning, BackupDone, BackupFailed}

// Backup is one archive of DATA/backups, finished or not.
type Backup struct {
	// ID names the backup in routes: castdesk-YYYYMMDD-HHMMSS, with "-auto"
	// for a scheduled one.
	ID string `json:"id"`
	// Name is the archive's file name.
	Name      string       `json:"name"`
	Size      int64        `json:"size"`
	CreatedAt time.Time    `json:"created_at"`
	Status    BackupStatus `json:"status"`
	// BytesDone of BytesTotal have been read into the archive (running).
	BytesDone  int64 `json:"bytes_done"`
	BytesTotal int64 `json:"bytes_total"`
	// Scheduled: made by the daily schedule (only these are pruned).
	Scheduled bool `json:"scheduled"`
	// Failure says why a failed backup failed: "interrupted" (the process
	// stopped while writing it) or "error" (the log has the details).
	Failure string `json:"failure,omitempty"`
}

// BackupList is the Backups screen.
type BackupList struct {
	Items []Backup `json:"items"`
	// Dir is the folder the archives are kept in (DATA/backups).
	Dir string `json:"dir"`
	// SchemaVersion is this Castdesk's schema, which restores must not exceed.
	SchemaVersion int `json:"schema_version"`
}

// BackupRequest is one backup to write.
type BackupRequest struct {
	ID string
	// Out is the archive to write; "" is DATA/backups/<ID>.zip.
	Out string
	// ContentRoot is the folder of the user_{ID} media folders.
	ContentRoot string
	// DefaultContentRoot: ContentRoot is the default, inside the data dir
	// (a restore puts the media back there).
	DefaultContentRoot bool
	Version            string
	Scheduled          bool
}

// BackupJob is a backup that holds the one-at-a-time lock and is ready to run.
type BackupJob interface {
	Backup() Backup
	// Run writes the archive; progress is called as bytes are read. It
	// releases the lock when it returns. On failure nothing that looks like
	// a finished archive is left.
	Run(ctx context.Context, progress func(done, total int64)) (Backup, error)
	// Abort releases the lock of a job that will not run.
	Abort()
}

// BackupVault keeps the archives (backend/backup).
type BackupVault interface {
	// Dir is the folder of the archives.
	Dir() string
	// Schema is the schema version this Castdesk writes (and restores up to).
	Schema() int
	// Begin takes the lock (ErrBackupBusy when another backup runs, in any
	// process) and announces the backup as running.
	Begin(ctx context.Context, req BackupRequest) (BackupJob, error)
	// List is every backup, newest first, with the progress of running ones.
	List(ctx context.Context) ([]Backup, error)
	// Open reads a finished archive.
	Open(id string) (io.ReadSeekCloser, Backup, error)
	// Remove deletes a backup that is not running.
	Remove(id string) error
}

// ErrBackupBusy: a backup is running already.
var ErrBackupBusy = errors.New("a backup is running already")

// BackupSchedule is the daily backup (settings, docs/spec.md §11.2).
type BackupSchedule struct {
	Enabled bool `json:"enabled"`
	// Time is HH:MM in Timezone, the system's default timezone.
	Time     string `json:"time"`
	Timezone string `json:"timezone"`
	// Keep is how many scheduled backups are kept (older ones are deleted).
	Keep int `json:"keep"`
	// NextRunAt is when the next scheduled backup is due (null when off).
	NextRunAt *time.Time `json:"next_run_at"`
}

// BackupScheduleInput changes only the fields that are set.
type BackupScheduleInput struct {
	Enabled *bool   `json:"enabled"`
	Time    *string `json:"time"`
	Keep    *int    `json:"keep"`
}

const (
	keyBackupEnabled = "backup_schedule_enabled"
	keyBackupTime    = "backup_schedule_time"
	keyBackupKeep    = "backup_schedule_keep"
	// keyBackupSince: slots before it are not made up for (the schedule was
	// off or at another time then).
	keyBackupSince = "backup_schedule_since"

	backupKeepDefault = 7
	backupKeepMax     = 365
	backupTimeDefault = "03:00"
)

var (
	backupIDPattern = regexp.MustCompile(`^castdesk-[0-9]{8}-[0-9]{6}(-auto)?(-[0-9]{1,3})?$`)
	clockPattern    = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
)

// ValidBackupID tells whether id can name a backup (and is safe as a file name).
func ValidBackupID(id string) bool { return backupIDPattern.MatchString(id) }

// BackupTimeOf reads the creation time written in an ID (UTC).
func BackupTimeOf(id string) (time.Time, bool) {
	if !ValidBackupID(id) {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102-150405", id[len("castdesk-"):len("castdesk-")+15])
	return t.UTC(), err == nil
}

// Backups is Settings → Backups.
type Backups struct {
	deps     *Deps
	settings *Settings

	mu      sync.Mutex
	base    context.Context
	stop    context.CancelFunc
	running sync.WaitGroup
}

func newBackups(d *Deps, s *Settings) *Backups {
	ctx, cancel := context.WithCancel(context.Background())
	return &Backups{deps: d, settings: s, base: ctx, stop: cancel}
}

// Shutdown cancels backups this process is writing and waits for them to
// clean up (an interrupted backup leaves no archive).
func (b *Backups) Shutdown() {
	b.stop()
	b.running.Wait()
}

func (b *Backups) List(ctx context.Context) (BackupList, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return BackupList{}, err
	}
	items, err := b.deps.Backups.List(ctx)
	if err != nil {
		return BackupList{}, Internal(err)
	}
	if items == nil {
		items = []Backup{}
	}
	return BackupList{Items: items, Dir: b.deps.Backups.Dir(), SchemaVersion: b.deps.Backups.Schema()}, nil
}

// Get is one backup, for polling its progress.
func (b *Backups) Get(ctx context.Context, id string) (Backup, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return Backup{}, err
	}
	return b.find(ctx, id)
}

func (b *Backups) find(ctx context.Context, id string) (Backup, error) {
	if !ValidBackupID(id) {
		return Backup{}, NotFound("Backup")
	}
	items, err := b.deps.Backups.List(ctx)
	if err != nil {
		return Backup{}, Internal(err)
	}
	for _, it := range items {
		if it.ID == id {
			return it, nil
		}
	}
	return Backup{}, NotFound("Backup")
}

// newID names a backup made now; a second one in the same second gets a suffix.
func (b *Backups) newID(ctx context.Context, scheduled bool) (string, error) {
	id := "castdesk-" + b.deps.now().Format("20060102-150405")
	if scheduled {
		id += "-auto"
	}
	items, err := b.deps.Backups.List(ctx)
	if err != nil {
		return "", err
	}
	taken := map[string]bool{}
	for _, it := range items {
		taken[it.ID] = true
	}
	for n, candidate := 2, id; ; n++ {
		if !taken[candidate] {
			return candidate, nil
		}
		candidate = fmt.Sprintf("%s-%d", id, n)
	}
}

func (b *Backups) request(ctx context.Context, scheduled bool, out string) (BackupRequest, error) {
	set, err := b.settings.current(ctx, b.deps.Store)
	if err != nil {
		return BackupRequest{}, err
	}
	id, err := b.newID(ctx, scheduled)
	if err != nil {
		return BackupRequest{}, Internal(err)
	}
	def, _ := readSettings(ctx, emptySettings{}, b.deps.DataDir)
	return BackupRequest{ID: id, Out: out, ContentRoot: set.ContentRoot, DefaultContentRoot: set.ContentRoot == def.ContentRoot,
		Version: Version, Scheduled: scheduled}, nil
}

func busy() *Error {
	return FieldError(CodeConflict, "A backup is being written already; wait until it is done.", "backup", ReasonBusy, nil)
}

// Create starts a backup now and answers it as running; poll Get or List for
// its progress. One backup runs at a time (in any process on the data dir).
func (b *Backups) Create(ctx context.Context) (Backup, error) {
	c, err := requireAdmin(ctx)
	if err != nil {
		return Backup{}, err
	}
	return b.start(ctx, c, false, time.Time{})
}

func (b *Backups) start(ctx context.Context, c *Caller, scheduled bool, guardSlot time.Time) (Backup, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.base.Err() != nil {
		return Backup{}, Unavailable("Castdesk is stopping.", nil)
	}
	req, err := b.request(ctx, scheduled, "")
	if err != nil {
		return Backup{}, err
	}
	job, err := b.deps.Backups.Begin(ctx, req)
	if errors.Is(err, ErrBackupBusy) {
		return Backup{}, busy()
	}
	if err != nil {
		return Backup{}, Unavailable("The backup could not be started.", err)
	}
	if scheduled {
		// Another process may have made this slot's backup between our look
		// and the lock: now that we hold the lock, look again.
		if done, err := b.slotDone(ctx, guardSlot, job.Backup().ID); err != nil || done {
			job.Abort()
			return Backup{}, busy()
		}
	}
	started := job.Backup()
	if err := b.audit(ctx, c, "backup.create", started.ID, fmt.Sprintf("scheduled=%t", scheduled)); err != nil {
		job.Abort()
		return Backup{}, wrapErr(err)
	}
	b.running.Add(1)
	go func() {
		defer b.running.Done()
		done, err := job.Run(b.base, nil)
		if err != nil {
			b.deps.Log.Error("backup failed", "id", started.ID, "err", err)
			b.backupFinished(context.Background(), c, started, err, "")
			return
		}
		b.deps.Log.Info("backup written", "id", done.ID, "size", done.Size)
		b.backupFinished(context.Background(), c, done, nil, fmt.Sprintf("size=%d", done.Size))
		if scheduled {
			b.prune(context.Background(), c)
		}
	}()
	return started, nil
}

// WriteTo is `castdesk admin backup --out FILE`: a backup written to out,
// synchronously, with progress.
func (b *Backups) WriteTo(ctx context.Context, out string, progress func(done, total int64)) (Backup, error) {
	c, err := requireAdmin(ctx)
	if err != nil {
		return Backup{}, err
	}
	req, err := b.request(ctx, false, out)
	if err != nil {
		return Backup{}, err
	}
	job, err := b.deps.Backups.Begin(ctx, req)
	if errors.Is(err, ErrBackupBusy) {
		return Backup{}, busy()
	}
	if err != nil {
		return Backup{}, Unavailable("The backup could not be started.", err)
	}
	done, err := job.Run(ctx, progress)
	if err != nil {
		b.backupFinished(context.Background(), c, job.Backup(), err, "out="+out)
		return Backup{}, Unavailable("The backup failed.", err)
	}
	return done, wrapErr(b.backupFinished(ctx, c, done, nil, fmt.Sprintf("size=%d out=%s", done.Size, out)))
}

// Open is a finished backup's archive, for download.
func (b *Backups) Open(ctx context.Context, id string) (io.ReadSeekCloser, Backup, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, Backup{}, err
	}
	it, err := b.find(ctx, id)
	if err != nil {
		return nil, Backup{}, err
	}
	if it.Status != BackupDone {
		return nil, Backup{}, FieldError(CodeConflict, "This backup is not finished.", "status", ReasonNotReady, nil)
	}
	f, it, err := b.deps.Backups.Open(id)
	if err != nil {
		return nil, Backup{}, Internal(err)
	}
	return f, it, nil
}

func (b *Backups) Delete(ctx context.Context, id string) error {
	c, err := requireAdmin(ctx)
	if err != nil {
		return err
	}
	it, err := b.find(ctx, id)
	if err != nil {
		return err
	}
	if it.Status == BackupRunning {
		return FieldError(CodeConflict, "This backup is being written; wait until it is done.", "status", ReasonBusy, nil)
	}
	if err := b.deps.Backups.Remove(id); err != nil {
		return Internal(err)
	}
	return wrapErr(b.audit(ctx, c, "backup.delete", id, ""))
}

func (b *Backups) audit(ctx context.Context, c *Caller, event, id, details string) error {
	return b.deps.Store.Write(ctx, func(tx Tx) error {
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: b.deps.now(), Event: event, SubjectType: "backup",
			SubjectID: id, Details: details}))
	})
}

// ------------------------------------------------------------------ schedule

// Schedule is the daily backup's settings.
func (b *Backups) Schedule(ctx context.Context) (BackupSchedule, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return BackupSchedule{}, err
	}
	return b.schedule(ctx)
}

func (b *Backups) schedule(ctx context.Context) (BackupSchedule, error) {
	values, err := b.deps.Store.Settings(ctx)
	if err != nil {
		return BackupSchedule{}, Internal(err)
	}
	set, err := b.settings.current(ctx, b.deps.Store)
	if err != nil {
		return BackupSchedule{}, err
	}
	out := BackupSchedule{Enabled: values[keyBackupEnabled] == "true", Time: backupTimeDefault, Keep: backupKeepDefault,
		Timezone: set.DefaultTimezone}
	if clockPattern.MatchString(values[keyBackupTime]) {
		out.Time = values[keyBackupTime]
	}
	if n, err := strconv.Atoi(values[keyBackupKeep]); err == nil && n >= 1 && n <= backupKeepMax {
		out.Keep = n
	}
	if out.Enabled {
		next := nextSlot(out, b.deps.now())
		out.NextRunAt = &next
	}
	return out, nil
}

// UpdateSchedule changes the daily backup.
func (b *Backups) UpdateSchedule(ctx context.Context, in BackupScheduleInput) (BackupSchedule, error) {
	c, err := requireAdmin(ctx)
	if err != nil {
		return BackupSchedule{}, err
	}
	fields := &Problems{}
	values := map[string]string{}
	var changed []string
	if in.Enabled != nil {
		values[keyBackupEnabled] = strconv.FormatBool(*in.Enabled)
		changed = append(changed, "enabled")
	}
	if in.Time != nil {
		t := strings.TrimSpace(*in.Time)
		if !clockPattern.MatchString(t) {
			fields.Add("time", ReasonInvalid)
		}
		values[keyBackupTime] = t
		changed = append(changed, "time")
	}
	if in.Keep != nil {
		switch n := *in.Keep; {
		case n < 1:
			fields.TooSmall("keep", 1)
		case n > backupKeepMax:
			fields.TooBig("keep", backupKeepMax)
		}
		values[keyBackupKeep] = strconv.Itoa(*in.Keep)
		changed = append(changed, "keep")
	}
	if err := fields.Err(); err != nil {
		return BackupSchedule{}, err
	}
	if in.Enabled != nil || in.Time != nil {
		values[keyBackupSince] = strconv.FormatInt(b.deps.now().UnixMilli(), 10)
	}
	err = b.deps.Store.Write(ctx, func(tx Tx) error {
		if err := tx.SaveSettings(ctx, values); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: b.deps.now(), Event: "backup.schedule", SubjectType: "settings",
			Details: strings.Join(changed, ",")}))
	})
	if err != nil {
		return BackupSchedule{}, wrapErr(err)
	}
	return b.schedule(ctx)
}

// slotOf is the most recent time the schedule was due at or before now.
func slotOf(s BackupSchedule, now time.Time) time.Time {
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil {
		loc = time.UTC
	}
	h, _ := strconv.Atoi(s.Time[:2])
	m, _ := strconv.Atoi(s.Time[3:])
	local := now.In(loc)
	slot := time.Date(local.Year(), local.Month(), local.Day(), h, m, 0, 0, loc)
	if slot.After(now) {
		slot = time.Date(local.Year(), local.Month(), local.Day()-1, h, m, 0, 0, loc)
	}
	return slot.UTC()
}

func nextSlot(s BackupSchedule, now time.Time) time.Time {
	slot := slotOf(s, now)
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil {
		loc = time.UTC
	}
	l := slot.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day()+1, l.Hour(), l.Minute(), 0, 0, loc).UTC()
}

// slotDone tells whether a scheduled backup was made (or is being made) for
// the slot, other than except.
func (b *Backups) slotDone(ctx context.Context, slot time.Time, except string) (bool, error) {
	items, err := b.deps.Backups.List(ctx)
	if err != nil {
		return false, err
	}
	for _, it := range items {
		if it.Scheduled && it.ID != except && it.Status != BackupFailed && !it.CreatedAt.Before(slot) {
			return true, nil
		}
	}
	return false, nil
}

// RunSchedule makes the scheduled backups until ctx ends: it looks once a
// minute whether the last slot has its backup, in any process on the data
// dir, and makes it if not (a missed slot is made up as soon as Castdesk
// runs again, until the next slot). The backup lock keeps two processes from
// making the same one.
func (b *Backups) RunSchedule(ctx context.Context, every time.Duration) {
	if every <= 0 {
		every = time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := b.Tick(ctx); err != nil {
			b.deps.Log.Warn("scheduled backup", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Tick makes the scheduled backup if one is due; it answers the backup
// started, if any.
func (b *Backups) Tick(ctx context.Context) (*Backup, error) {
	s, err := b.schedule(ctx)
	if err != nil || !s.Enabled {
		return nil, err
	}
	now := b.deps.now()
	slot := slotOf(s, now)
	values, err := b.deps.Store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	if since, err := strconv.ParseInt(values[keyBackupSince], 10, 64); err == nil && slot.Before(time.UnixMilli(since)) {
		return nil, nil
	}
	if done, err := b.slotDone(ctx, slot, ""); err != nil || done {
		return nil, err
	}
	scheduler := &Caller{Account: &Account{Username: "schedule", Level: LevelAdmin, Status: StatusEnabled}}
	it, err := b.start(ctx, scheduler, true, slot)
	if IsCode(err, CodeConflict) {
		return nil, nil // another process is at it
	}
	if err != nil {
		return nil, err
	}
	return &it, nil
}

// Wait waits for the backups this process started to finish (tests).
func (b *Backups) Wait() { b.running.Wait() }

// prune deletes the oldest scheduled backups beyond the number to keep.
// Backups made by hand are never deleted automatically.
func (b *Backups) prune(ctx context.Context, c *Caller) {
	s, err := b.schedule(ctx)
	if err != nil {
		return
	}
	items, err := b.deps.Backups.List(ctx)
	if err != nil {
		b.deps.Log.Warn("backup prune", "err", err)
		return
	}
	var auto []Backup
	for _, it := range items {
		if it.Scheduled && it.Status == BackupDone {
			auto = append(auto, it)
		}
	}
	sort.Slice(auto, func(i, j int) bool { return auto[i].CreatedAt.After(auto[j].CreatedAt) })
	for i := s.Keep; i < len(auto); i++ {
		if err := b.deps.Backups.Remove(auto[i].ID); err != nil {
			b.deps.Log.Warn("backup prune", "id", auto[i].ID, "err", err)
			continue
		}
		b.audit(ctx, c, "backup.prune", auto[i].ID, fmt.Sprintf("keep=%d", s.Keep))
	}
}

// emptySettings reads as no settings at all: the defaults.
type emptySettings struct{ Reader }

func (emptySettings) Settings(context.Context) (map[string]string, error) {
	return map[string]string{}, nil
}
