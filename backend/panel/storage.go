package panel

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// Storage quotas and the disk reserve (docs/spec.md §9).
//
// An account's quota is its storage_quota_mb, else the System Settings
// default (default_storage_quota_mb); nil is unlimited. Use is what the media
// index holds for the account (files written from outside count as soon as
// the watcher indexed them) plus the bytes of its uploads still streaming.
// Uploads past the quota are refused before a byte is read when the size is
// declared, else as soon as the stream crosses it.
//
// Independently, uploads are refused while the free space of the content
// root's or the database's volume is below the reserve (min_free_space_mb;
// by default 1 GiB or 5 % of the volume, whichever is smaller), so the
// database keeps room to write: logins, sessions and the audit log. When the
// disk fills anyway (written from outside), every write that fails for lack
// of space answers unavailable with the reason disk_full, never internal.

const (
	mib = int64(1) << 20
	// StorageMBMax bounds quotas, plan totals and the reserve, in MB (1 PiB):
	// anything larger is a typo, and MB × 2^20 must not overflow.
	StorageMBMax = 1 << 30
	// reserveCap and reserveShare are the default free-space reserve:
	// 1 GiB or 5 % of the volume, whichever is smaller.
	reserveCap   = int64(1) << 30
	reserveShare = 20 // 1/20 = 5 %
)

// DiskSpace is what a volume has, in bytes; Volume names it (two paths on
// one volume answer the same Volume).
type DiskSpace struct {
	Free   int64
	Total  int64
	Volume string
}

// DefaultReserve is the free space uploads leave on a volume of total bytes
// when min_free_space_mb is not set: 1 GiB or 5 %, whichever is smaller.
func DefaultReserve(total int64) int64 { return min(reserveCap, total/reserveShare) }

// ErrNoSpace marks a write that failed for lack of disk space, for adapters
// whose errors carry no errno (the sqlite package wraps SQLITE_FULL in it).
var ErrNoSpace = errors.New("no space left on the device")

// IsNoSpace tells whether err is a write that failed because the disk (or
// the user's disk quota) is full.
func IsNoSpace(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrNoSpace) {
		return true
	}
	var pe *Error
	if errors.As(err, &pe) && pe.Fields["disk"] == ReasonDiskFull {
		return true
	}
	for _, errno := range noSpaceErrnos {
		if errors.Is(err, errno) {
			return true
		}
	}
	// SQLite's SQLITE_FULL, from a read that needed a temp file (the sqlite
	// package marks its writes with ErrNoSpace; its reads are not wrapped).
	return strings.Contains(err.Error(), "database or disk is full")
}

// DiskFull is the answer to a write refused for lack of disk space. Reading
// keeps working, and so do logins while the database has room.
func DiskFull(cause error) *Error {
	var pe *Error
	if errors.As(cause, &pe) && pe.Fields["disk"] == ReasonDiskFull {
		return pe
	}
	e := FieldError(CodeUnavailable, "The server's disk is full: changes cannot be saved until space is freed. Reading keeps working.",
		"disk", ReasonDiskFull, nil)
	e.cause = cause
	return e
}

// diskLow refuses an upload that would take a volume below its reserve.
func diskLow() *Error {
	return FieldError(CodeUnavailable, "The server's disk is nearly full: uploads are paused until space is freed.",
		"disk", ReasonDiskFull, nil)
}

// overQuota refuses an upload past the account's quota: used and allowed in
// bytes, size the upload's when it was declared.
func overQuota(used, allowed, size int64) *Error {
	p := Params{"used": used, "allowed": allowed}
	msg := fmt.Sprintf("The upload does not fit in the account's storage quota: %d of %d bytes are used.", used, allowed)
	if size > 0 {
		p["size"] = size
		msg = fmt.Sprintf("The upload (%d bytes) does not fit in the account's storage quota: %d of %d bytes are used.", size, used, allowed)
	}
	return FieldError(CodeLimitExceeded, msg, "file", ReasonOverQuota, p)
}

// quotaMB is an account's effective quota in MB (nil: unlimited).
func quotaMB(acc *Account, set SystemSettings) *int {
	if acc.StorageQuotaMB != nil {
		return acc.StorageQuotaMB
	}
	return set.DefaultStorageQuotaMB
}

func bytesOf(mb *int) *int64 {
	if mb == nil {
		return nil
	}
	b := int64(*mb) * mib
	return &b
}

// reserve is the free space uploads must leave on a volume.
func reserve(set SystemSettings, space DiskSpace) int64 {
	if set.MinFreeSpaceMB != nil {
		return int64(*set.MinFreeSpaceMB) * mib
	}
	return DefaultReserve(space.Total)
}

// validateStorageMB checks a quota or a total in MB (nil: unlimited/default).
func validateStorageMB(field string, v *int, fields *Problems) {
	switch {
	case v == nil:
	case *v < 0:
		fields.TooSmall(field, 0)
	case *v > StorageMBMax:
		fields.TooBig(field, StorageMBMax)
	}
}

// inflight counts, per account, the bytes of uploads still streaming: two
// uploads of one account at once cannot both take the room left.
type inflight struct {
	mu    sync.Mutex
	bytes map[int64]int64
}

func (f *inflight) add(id, n int64) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.bytes == nil {
		f.bytes = map[int64]int64{}
	}
	f.bytes[id] += n
	v := f.bytes[id]
	if v == 0 {
		delete(f.bytes, id)
	}
	return v
}

// volumes are the distinct volumes an upload writes on: the content root's
// and the data directory's (the database), each with its reserve.
type volume struct {
	path    string
	reserve int64
	free    int64
}

// uploadGuard is one upload admitted: the room it may take of the quota and
// of the disk, checked again as the bytes stream.
type uploadGuard struct {
	m         *Media
	accountID int64
	quota     *int64 // bytes; nil: unlimited
	used      int64  // indexed use when admitted, less the file replaced
	volumes   []volume
	read      int64 // bytes of this upload so far
	checked   int64 // read when the disk was last measured
}

// diskCheckEvery is how often a streaming upload measures the free space
// again (it is one statfs): other writers may be filling the disk too.
const diskCheckEvery = 4 << 20

// admit checks that an upload of size bytes (0: not declared) fits in the
// account's quota and leaves every volume its reserve.
func (m *Media) admit(ctx context.Context, acc *Account, set SystemSettings, size, replaced int64) (*uploadGuard, error) {
	g := &uploadGuard{m: m, accountID: acc.ID, quota: bytesOf(quotaMB(acc, set))}
	if g.quota != nil {
		t, _, err := m.deps.MediaIndex.MediaTotals(ctx, acc.ID)
		if err != nil {
			return nil, wrapErr(err)
		}
		g.used = max(0, t.Bytes-replaced)
		used := g.used + m.flight.add(acc.ID, 0)
		if used+size > *g.quota || (size == 0 && used >= *g.quota) {
			return nil, overQuota(used, *g.quota, size)
		}
	}
	paths := []string{set.ContentRoot}
	if m.deps.DataDir != set.ContentRoot {
		paths = append(paths, m.deps.DataDir)
	}
	seen := map[string]bool{}
	for _, p := range paths {
		space, err := m.deps.Storage.Space(p)
		if err != nil {
			m.deps.Log.Warn("free space unknown; uploads are not held to the reserve", "path", p, "err", err)
			continue
		}
		if seen[space.Volume] { // the data dir beside the content root
			continue
		}
		seen[space.Volume] = true
		v := volume{path: p, reserve: reserve(set, space), free: space.Free}
		if v.free-size < v.reserve || v.free <= v.reserve {
			m.deps.Log.Warn("upload refused: free space below the reserve", "path", p, "free", v.free, "reserve", v.reserve)
			return nil, diskLow()
		}
		g.volumes = append(g.volumes, v)
	}
	return g, nil
}

// reader counts the upload's bytes against the quota and the disk reserve
// as they stream.
func (g *uploadGuard) reader(r io.Reader) io.Reader { return &guardedReader{g: g, r: r} }

type guardedReader struct {
	g *uploadGuard
	r io.Reader
}

func (gr *guardedReader) Read(p []byte) (int, error) {
	n, err := gr.r.Read(p)
	if n > 0 {
		if cerr := gr.g.count(int64(n)); cerr != nil {
			return n, cerr
		}
	}
	return n, err
}

func (g *uploadGuard) count(n int64) error {
	g.read += n
	all := g.m.flight.add(g.accountID, n)
	if g.quota != nil && g.used+all > *g.quota {
		return overQuota(g.used+all-g.read, *g.quota, 0)
	}
	if g.read-g.checked < diskCheckEvery {
		// Between two measures, count down what was measured.
		for _, v := range g.volumes {
			if v.free-(g.read-g.checked) < v.reserve {
				return diskLow()
			}
		}
		return nil
	}
	g.checked = g.read
	for i, v := range g.volumes {
		space, err := g.m.deps.Storage.Space(v.path)
		if err != nil {
			continue
		}
		g.volumes[i].free = space.Free
		if space.Free < v.reserve {
			g.m.deps.Log.Warn("upload stopped: free space below the reserve", "path", v.path, "free", space.Free, "reserve", v.reserve)
			return diskLow()
		}
	}
	return nil
}

// done releases the upload's bytes in flight: by then they are in the index
// (or the upload failed and its temp file is gone).
func (g *uploadGuard) done() {
	if g != nil && g.read > 0 {
		g.m.flight.add(g.accountID, -g.read)
	}
}

// sameOptional tells whether two nullable numbers are equal.
func sameOptional(a, b *int) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

// checkStoragePlan refuses a customer's quota that would not fit in its
// reseller's plan (storage_mb): the quotas of the reseller's customers must
// add up to the plan's total at most. Like the other plan limits it is only
// checked when the quota grows (before is the account before the change, nil
// for a new one), inside the write transaction. An unlimited quota never
// fits a limited plan.
func checkStoragePlan(ctx context.Context, r Reader, set SystemSettings, acc, before *Account) error {
	if acc.OwnerID == nil {
		return nil
	}
	reseller, err := r.AccountByID(ctx, *acc.OwnerID)
	if IsCode(err, CodeNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if !reseller.IsReseller() {
		return nil
	}
	plan, err := r.PlanByID(ctx, *reseller.ResellerPlanID)
	if err != nil || plan.StorageMB == nil {
		return err
	}
	value := quotaMB(acc, set)
	if before != nil {
		was := quotaMB(before, set)
		grows := (value == nil && was != nil) || (value != nil && was != nil && *value > *was)
		if !grows {
			return nil
		}
	}
	used, err := r.CustomerQuotaTotal(ctx, reseller.ID, acc.ID, set.DefaultStorageQuotaMB)
	if err != nil {
		return err
	}
	allowed := *plan.StorageMB
	switch {
	case value == nil:
		return overPlanLimit("storage_quota_mb", "storage_mb", int(used), allowed, fmt.Sprintf(
			"The plan %q allows a total storage of %d MB for its customers (%d MB are given): give this account a quota.",
			plan.Name, allowed, used))
	case used+int64(*value) > int64(allowed):
		return overPlanLimit("storage_quota_mb", "storage_mb", int(used), allowed, fmt.Sprintf(
			"The plan %q allows a total storage of %d MB for its customers; %d MB are given to the others and this account asks for %d MB.",
			plan.Name, allowed, used, *value))
	}
	return nil
}

// StorageUse is an account's media use against its quota, in bytes.
type StorageUse struct {
	ID         int64  `json:"id"`
	Username   string `json:"username"`
	Name       string `json:"name"`
	Bytes      int64  `json:"bytes"`
	QuotaBytes int64  `json:"quota_bytes"`
}

// StorageStatus is the admin Home's storage block: accounts over their
// quota and the disk the uploads and the database share.
type StorageStatus struct {
	// OverQuota lists up to 20 accounts over their quota, largest overrun
	// first; OverQuotaTotal counts them all.
	OverQuota      []StorageUse `json:"over_quota"`
	OverQuotaTotal int          `json:"over_quota_total"`
	// Volumes are the content root's and the database's volumes (one when
	// they are the same); DiskLow is set while one is below its reserve and
	// uploads are refused.
	Volumes []VolumeStatus `json:"volumes"`
	DiskLow bool           `json:"disk_low"`
}

// VolumeStatus is one volume's space, in bytes. Path is the content root or
// the data directory.
type VolumeStatus struct {
	Path         string `json:"path"`
	FreeBytes    int64  `json:"free_bytes"`
	TotalBytes   int64  `json:"total_bytes"`
	ReserveBytes int64  `json:"reserve_bytes"`
	Low          bool   `json:"low"`
}

const overQuotaListMax = 20

// Storage is the storage status, for administrators.
func (m *Media) Storage(ctx context.Context) (StorageStatus, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return StorageStatus{}, err
	}
	set, err := m.settings.current(ctx, m.deps.Store)
	if err != nil {
		return StorageStatus{}, err
	}
	out := StorageStatus{Volumes: []VolumeStatus{}}
	out.OverQuota, out.OverQuotaTotal, err = m.deps.Store.AccountsOverQuota(ctx, set.DefaultStorageQuotaMB, overQuotaListMax)
	if err != nil {
		return StorageStatus{}, wrapErr(err)
	}
	if out.OverQuota == nil {
		out.OverQuota = []StorageUse{}
	}
	seen := map[string]bool{}
	for _, p := range []string{set.ContentRoot, m.deps.DataDir} {
		space, err := m.deps.Storage.Space(p)
		if err != nil {
			m.deps.Log.Warn("free space unknown", "path", p, "err", err)
			continue
		}
		if seen[space.Volume] {
			continue
		}
		seen[space.Volume] = true
		v := VolumeStatus{Path: p, FreeBytes: space.Free, TotalBytes: space.Total, ReserveBytes: reserve(set, space)}
		v.Low = v.FreeBytes <= v.ReserveBytes
		out.DiskLow = out.DiskLow || v.Low
		out.Volumes = append(out.Volumes, v)
	}
	return out, nil
}
