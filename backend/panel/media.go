package panel

import (
	"context"
	"io"
	"path"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// MediaKind is what a media file is, from its extension.
type MediaKind string

const (
	KindAudio    MediaKind = "audio"
	KindVideo    MediaKind = "video"
	KindImage    MediaKind = "image"
	KindPlaylist MediaKind = "playlist"
	KindOther    MediaKind = "other"
)

var mediaKinds = map[string]MediaKind{}

func init() {
	for kind, exts := range map[MediaKind]string{
		KindAudio:    "mp3 aac m4a ogg oga opus flac wav wma aif aiff alac mka ac3 mp2 spx",
		KindVideo:    "mp4 m4v mkv webm mov avi flv ts mpg mpeg wmv 3gp ogv",
		KindImage:    "jpg jpeg png gif webp bmp svg avif tif tiff",
		KindPlaylist: "m3u m3u8 pls xspf asx wpl cue",
	} {
		for _, ext := range strings.Fields(exts) {
			mediaKinds["."+ext] = kind
		}
	}
}

// KindOf classifies a file name by its extension (case-insensitive).
func KindOf(name string) MediaKind {
	if k, ok := mediaKinds[strings.ToLower(path.Ext(name))]; ok {
		return k
	}
	return KindOther
}

// IsTransientName tells the names the index never holds: hidden files, our
// own upload temp files and what editors and browsers write while saving
// (swap files, backups, partial downloads). They come and go in bursts and
// are not media.
func IsTransientName(name string) bool {
	lower := strings.ToLower(name)
	switch {
	case name == "", strings.HasPrefix(name, "."), strings.HasSuffix(name, "~"), name == "4913":
		return true
	}
	for _, suffix := range []string{".tmp", ".part", ".partial", ".crdownload", ".swp", ".swx", ".download"} {
		if strings.HasSuffix(lower, suffix) {
			return true
		}
	}
	return false
}

// MediaFile is one indexed file of an account's media folder.
type MediaFile struct {
	// Path is relative to the account's folder, with forward slashes.
	Path       string    `json:"path"`
	Size       int64     `json:"size"`
	Kind       MediaKind `json:"kind"`
	ModifiedAt time.Time `json:"modified_at"`
}

// MediaTotals is the count and size of an account's indexed files.
type MediaTotals struct {
	Files int   `json:"files"`
	Bytes int64 `json:"bytes"`
}

// MediaChange is one account's share of an index update. Deletes apply
// before upserts.
type MediaChange struct {
	AccountID int64
	Upsert    []MediaFile
	Delete    []string
	// DeleteTree removes each path and everything under it; "" is the whole
	// account.
	DeleteTree []string
}

func (c MediaChange) Empty() bool {
	return len(c.Upsert) == 0 && len(c.Delete) == 0 && len(c.DeleteTree) == 0
}

// MediaQuery is one page of an account's library.
type MediaQuery struct {
	AccountID int64
	Q         string    // substring of the path, case-insensitive
	Kind      MediaKind // "" = every kind
	Sort      string    // one of MediaSorts, "-" prefix for descending
	Cursor    string
	Limit     int
}

// MediaSorts are the orders the library offers; each has an index.
var MediaSorts = []string{"path", "size", "modified_at", "kind"}

type MediaPage struct {
	Items      []MediaFile `json:"items"`
	NextCursor string      `json:"next_cursor"`
	// Total counts the files matching q and kind.
	Total int `json:"total"`
}

// MediaIndex is the per-account index of media files (docs/spec.md §9). The watcher
// writes it; the services read it. The sqlite package implements it.
type MediaIndex interface {
	// MediaTotals answers indexed=false for an account the index has never
	// held a file of (its folder was never scanned, or is empty).
	MediaTotals(ctx context.Context, accountID int64) (t MediaTotals, indexed bool, err error)
	ListMedia(ctx context.Context, q MediaQuery) (MediaPage, error)
	// MediaFilesUnder lists the indexed files at dir or below it ("" = all).
	MediaFilesUnder(ctx context.Context, accountID int64, dir string) ([]MediaFile, error)
	// MediaAccountIDs lists the accounts that have indexed files.
	MediaAccountIDs(ctx context.Context) ([]int64, error)
	// ApplyMedia applies the changes in one write transaction and returns
	// the new totals of each account touched. Changes for accounts that do
	// not exist (a folder left behind) are dropped.
	ApplyMedia(ctx context.Context, changes []MediaChange) (map[int64]MediaTotals, error)
}

// MediaStorage writes and removes files in an account's folder. Paths are
// relative and already cleaned; the implementation must still refuse
// anything that resolves outside the folder (symlinks).
type MediaStorage interface {
	// Save streams r into a temp file next to the target and renames it over
	// the target. More than limit bytes fails with ErrMediaTooLarge.
	Save(root string, accountID int64, rel string, r io.Reader, limit int64, overwrite bool) (MediaFile, error)
	Remove(root string, accountID int64, rel string) error
	// Space is the free and total space of the volume holding path.
	Space(path string) (DiskSpace, error)
}

// MediaChanged is published after an account's index changed.
type MediaChanged struct {
	AccountID int64 `json:"account_id"`
	Files     int   `json:"files"`
	Bytes     int64 `json:"bytes"`
}

// Notifier carries live updates to whoever shows them: the window (Wails
// events) or the browser (server-sent events).
type Notifier interface {
	Publish(ev MediaChanged)
}

// Relay is the Notifier the core publishes to; a door attaches its own
// notifier when it starts. Publish never blocks on a slow subscriber: that
// is each door's business.
type Relay struct {
	mu   sync.RWMutex
	next int
	subs map[int]Notifier
}

func (r *Relay) Attach(n Notifier) (detach func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.subs == nil {
		r.subs = map[int]Notifier{}
	}
	r.next++
	id := r.next
	r.subs[id] = n
	return func() {
		r.mu.Lock()
		delete(r.subs, id)
		r.mu.Unlock()
	}
}

func (r *Relay) Publish(ev MediaChanged) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, n := range r.subs {
		n.Publish(ev)
	}
}

// MaxUploadBytes is the largest file one upload may carry.
const MaxUploadBytes int64 = 2 << 30

// ErrMediaTooLarge is what MediaStorage.Save answers past its limit.
var ErrMediaTooLarge = FieldError(CodeLimitExceeded, "The file is larger than the upload limit of 2 GiB.",
	"file", ReasonTooLargeFile, Params{"max": MaxUploadBytes})

// Media is the per-account media library (docs/spec.md §9).
type Media struct {
	deps     *Deps
	settings *Settings
	// Relay is where index changes are announced; doors attach to it.
	Relay *Relay
	// flight counts the bytes of uploads still streaming (storage.go).
	flight inflight
}

// MediaWatchStatus is what the folder watcher is doing.
type MediaWatchStatus struct {
	Running        bool   `json:"running"`
	Root           string `json:"root"`
	Watches        int    `json:"watches"`
	PolledAccounts int    `json:"polled_accounts"`
	Overflows      int    `json:"overflows"`
	Rescans        int    `json:"rescans"`
	// LimitHint tells the admin how to raise the inotify watch limit, once
	// it was reached and some folders are polled instead.
	LimitHint string `json:"limit_hint,omitempty"`
}

type MediaMonitor interface {
	Status() MediaWatchStatus
}

// Status is the watcher's state, for administrators.
func (m *Media) Status(ctx context.Context) (MediaWatchStatus, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return MediaWatchStatus{}, err
	}
	return m.deps.Monitor.Status(), nil
}

// Summary is an account's path and totals, for a caller who may see it.
func (m *Media) Summary(ctx context.Context, accountID int64) (MediaChanged, error) {
	if _, _, err := m.account(ctx, accountID); err != nil {
		return MediaChanged{}, err
	}
	out := MediaChanged{AccountID: accountID}
	root, err := m.ContentRoot(ctx)
	if err != nil {
		return out, err
	}
	out.Files, out.Bytes, err = mediaStats(ctx, m.deps, root, accountID)
	return out, wrapErr(err)
}

type MediaListInput struct {
	Q      string `json:"q"`
	Kind   string `json:"kind"`
	Sort   string `json:"sort"`
	Cursor string `json:"cursor"`
	Limit  int    `json:"limit"`
}

// MediaLibrary is one page of the library plus what the screen shows around it.
type MediaLibrary struct {
	MediaPage
	Path           string `json:"path"`
	Files          int    `json:"files"`
	Bytes          int64  `json:"bytes"`
	MaxUploadBytes int64  `json:"max_upload_bytes"`
	// QuotaBytes is the account's storage quota (null: unlimited).
	QuotaBytes *int64 `json:"quota_bytes"`
}

// ContentRoot is the configured content root. It is for the services, not
// for a door: it checks no caller. (The watcher, built before the Panel,
// reads the same setting through ContentRootOf.)
func (m *Media) ContentRoot(ctx context.Context) (string, error) {
	set, err := m.settings.current(ctx, m.deps.Store)
	if err != nil {
		return "", err
	}
	return set.ContentRoot, nil
}

// account loads an account whose library the caller may see: admins all,
// resellers their own customers, everybody itself. Others are not_found.
func (m *Media) account(ctx context.Context, accountID int64) (*Caller, *Account, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return nil, nil, err
	}
	acc, err := m.deps.Store.AccountByID(ctx, accountID)
	if err != nil {
		return nil, nil, wrapErr(err)
	}
	if !visible(c, acc) {
		return nil, nil, NotFound("Account")
	}
	return c, acc, nil
}

// CanSee tells whether the caller may see the account's library; the doors
// use it to filter live events.
func (m *Media) CanSee(ctx context.Context, accountID int64) bool {
	_, _, err := m.account(ctx, accountID)
	return err == nil
}

func (m *Media) List(ctx context.Context, accountID int64, in MediaListInput) (MediaLibrary, error) {
	_, acc, err := m.account(ctx, accountID)
	if err != nil {
		return MediaLibrary{}, err
	}
	q := MediaQuery{AccountID: accountID, Q: strings.TrimSpace(in.Q), Kind: MediaKind(in.Kind), Sort: in.Sort,
		Cursor: in.Cursor, Limit: in.Limit}
	fields := &Problems{}
	switch q.Kind {
	case "", KindAudio, KindVideo, KindImage, KindPlaylist, KindOther:
	default:
		fields.Add("kind", ReasonInvalid)
	}
	if q.Sort == "" {
		q.Sort = "path"
	}
	if !validMediaSort(q.Sort) {
		fields.Add("sort", ReasonInvalid)
	}
	q.Limit = pageLimit(q.Limit, fields)
	if len(q.Q) > searchMax {
		fields.TooLong("q", searchMax)
	}
	if !fields.Empty() {
		return MediaLibrary{}, fields.Err()
	}
	set, err := m.settings.current(ctx, m.deps.Store)
	if err != nil {
		return MediaLibrary{}, err
	}
	out := MediaLibrary{Path: m.deps.Folders.Path(set.ContentRoot, accountID), MaxUploadBytes: MaxUploadBytes,
		QuotaBytes: bytesOf(quotaMB(acc, set))}
	index := m.deps.MediaIndex
	if out.MediaPage, err = index.ListMedia(ctx, q); err != nil {
		return MediaLibrary{}, wrapErr(err)
	}
	if out.Items == nil {
		out.Items = []MediaFile{}
	}
	t, _, err := index.MediaTotals(ctx, accountID)
	if err != nil {
		return MediaLibrary{}, wrapErr(err)
	}
	out.Files, out.Bytes = t.Files, t.Bytes
	return out, nil
}

func validMediaSort(sort string) bool {
	key := strings.TrimPrefix(sort, "-")
	for _, s := range MediaSorts {
		if s == key {
			return true
		}
	}
	return false
}

// CleanMediaPath checks a path given by a user, relative to an account's
// folder: no absolute paths, no "..", no hidden or temp names, no control
// characters. It answers the cleaned, slash-separated path.
func CleanMediaPath(p string) (string, bool) {
	p = strings.ReplaceAll(p, "\\", "/")
	if p == "" || len(p) > 1024 || !utf8.ValidString(p) || strings.HasPrefix(p, "/") {
		return "", false
	}
	for _, part := range strings.Split(p, "/") {
		if part == "" || part == "." || part == ".." || IsTransientName(part) || len(part) > 255 {
			return "", false
		}
		for _, r := range part {
			if r < 0x20 || r == 0x7f {
				return "", false
			}
		}
	}
	return path.Clean(p), true
}

// MediaUploadInput names the uploaded file: Dir (optional) is a folder
// inside the account's folder, Name the file name. Size, when the door knows
// it before reading (a declared length, a local file), lets a file that
// cannot fit be refused before a byte is read.
type MediaUploadInput struct {
	Dir       string `json:"dir"`
	Name      string `json:"name"`
	Overwrite bool   `json:"overwrite"`
	Size      int64  `json:"-"`
}

// uploadPath checks the names of an upload and answers the file's path.
func uploadPath(in MediaUploadInput) (string, error) {
	rel := in.Name
	if in.Dir != "" {
		rel = strings.TrimSuffix(in.Dir, "/") + "/" + in.Name
	}
	if strings.ContainsAny(in.Name, "/\\") || !safeFileName(in.Name) {
		return "", InvalidField("name", ReasonInvalid)
	}
	rel, ok := CleanMediaPath(rel)
	if !ok {
		field := "name"
		if _, dirOK := CleanMediaPath(in.Dir); in.Dir != "" && (!dirOK || !safeFileName(in.Dir)) {
			field = "dir"
		}
		return "", InvalidField(field, ReasonInvalid)
	}
	if !safeFileName(in.Dir) {
		return "", InvalidField("dir", ReasonInvalid)
	}
	return rel, nil
}

// safeFileName refuses, in a name a user gives a new file, what
// CleanMediaPath lets through for files that already exist: C1 control
// characters and the bidi overrides and isolates that make a name display
// as another (U+202A-U+202E, U+2066-U+2069).
func safeFileName(name string) bool {
	for _, r := range name {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			return false
		}
	}
	return true
}

// CheckUpload tells, before a byte of the body is read, whether the caller
// may upload size bytes (0: not declared) to the account: it authorizes,
// then checks the quota and the disk reserve.
func (m *Media) CheckUpload(ctx context.Context, accountID, size int64) error {
	_, acc, err := m.account(ctx, accountID)
	if err != nil {
		return err
	}
	set, err := m.settings.current(ctx, m.deps.Store)
	if err != nil {
		return err
	}
	_, err = m.admit(ctx, acc, set, size, 0)
	return err
}

// Upload stores one file in the account's folder, within its quota and the
// disk reserve. The index learns of it at once (and again from the watcher,
// harmlessly).
func (m *Media) Upload(ctx context.Context, accountID int64, in MediaUploadInput, body io.Reader) (MediaFile, error) {
	_, acc, err := m.account(ctx, accountID)
	if err != nil {
		return MediaFile{}, err
	}
	rel, err := uploadPath(in)
	if err != nil {
		return MediaFile{}, err
	}
	if in.Size > MaxUploadBytes {
		return MediaFile{}, ErrMediaTooLarge
	}
	set, err := m.settings.current(ctx, m.deps.Store)
	if err != nil {
		return MediaFile{}, err
	}
	var replaced int64
	if in.Overwrite {
		replaced = m.indexedSize(ctx, accountID, rel)
	}
	g, err := m.admit(ctx, acc, set, in.Size, replaced)
	if err != nil {
		m.deps.webhooks.quotaExceeded(ctx, acc, err)
		return MediaFile{}, err
	}
	defer g.done() // after the index took the file
	f, err := m.deps.Storage.Save(set.ContentRoot, accountID, rel, g.reader(body), MaxUploadBytes, in.Overwrite)
	if err != nil {
		m.deps.webhooks.quotaExceeded(ctx, acc, err)
		return MediaFile{}, wrapErr(err)
	}
	m.apply(ctx, MediaChange{AccountID: accountID, Upsert: []MediaFile{f}})
	return f, nil
}

// indexedSize is the size the index holds for one file (0: none).
func (m *Media) indexedSize(ctx context.Context, accountID int64, rel string) int64 {
	files, err := m.deps.MediaIndex.MediaFilesUnder(ctx, accountID, rel)
	if err != nil {
		return 0
	}
	for _, f := range files {
		if f.Path == rel {
			return f.Size
		}
	}
	return 0
}

// Delete removes one file from the account's folder.
func (m *Media) Delete(ctx context.Context, accountID int64, p string) error {
	if _, _, err := m.account(ctx, accountID); err != nil {
		return err
	}
	rel, ok := CleanMediaPath(p)
	if !ok {
		return InvalidField("path", ReasonInvalid)
	}
	root, err := m.ContentRoot(ctx)
	if err != nil {
		return err
	}
	if err := m.deps.Storage.Remove(root, accountID, rel); err != nil {
		return wrapErr(err)
	}
	m.apply(ctx, MediaChange{AccountID: accountID, Delete: []string{rel}})
	return nil
}

// apply writes a change the service itself made and announces it. A failure
// is only logged: the file operation succeeded and the watcher will index it.
func (m *Media) apply(ctx context.Context, ch MediaChange) {
	totals, err := m.deps.MediaIndex.ApplyMedia(ctx, []MediaChange{ch})
	if err != nil {
		m.deps.Log.Warn("media index not updated after a change; the watcher will catch up", "account_id", ch.AccountID, "err", err)
		return
	}
	if t, ok := totals[ch.AccountID]; ok {
		m.Relay.Publish(MediaChanged{AccountID: ch.AccountID, Files: t.Files, Bytes: t.Bytes})
	}
}

// mediaStats is the overview's and the delete preview's file count: from
// the live index, or from a walk of the folder when the index has never
// seen a file of it (no watcher ran, or the folder is empty).
func mediaStats(ctx context.Context, d *Deps, root string, accountID int64) (int, int64, error) {
	t, indexed, err := d.MediaIndex.MediaTotals(ctx, accountID)
	if err != nil || indexed {
		return t.Files, t.Bytes, err
	}
	return d.Folders.Stats(root, accountID)
}
