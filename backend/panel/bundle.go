package panel

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Moving one customer between desks (docs/spec.md §13): an export bundle of
// the account (with its password hash), its services, its plan if it is a
// reseller, optionally its own customers, its mail log and its media folder
// — never sessions or API keys — and an import that previews the conflicts
// (username or email taken, port taken, plan name taken), proposes a way out
// and writes everything in one transaction with new IDs.

const (
	BundleFormat        = "castdesk-account"
	BundleFormatVersion = 1
)

// Bundle is bundle.json.
type Bundle struct {
	Format          string          `json:"format"`
	FormatVersion   int             `json:"format_version"`
	CastdeskVersion string          `json:"castdesk_version"`
	ExportedAt      time.Time       `json:"exported_at"`
	Accounts        []BundleAccount `json:"accounts"`
	Plans           []BundlePlan    `json:"plans"`
	Files           []BundleFile    `json:"files"`
}

// BundleAccount is one account: the first is the one moved, the others its
// customers (OwnerRef names their reseller in the bundle).
type BundleAccount struct {
	Ref                string    `json:"ref"`
	OwnerRef           string    `json:"owner_ref,omitempty"`
	PlanRef            string    `json:"plan_ref,omitempty"`
	Username           string    `json:"username"`
	Name               string    `json:"name"`
	ContactNumber      string    `json:"contact_number"`
	Email              string    `json:"email"`
	Level              Level     `json:"level"`
	Status             Status    `json:"status"`
	APIAccess          bool      `json:"api_access"`
	Accessibility      bool      `json:"accessibility"`
	Timezone           string    `json:"timezone"`
	Language           string    `json:"language"`
	PasswordHash       string    `json:"password_hash"`
	MustChangePassword bool      `json:"must_change_password"`
	CreatedAt          time.Time `json:"created_at"`
	// StorageQuotaMB is the account's own quota (absent: the desk's default).
	StorageQuotaMB *int            `json:"storage_quota_mb,omitempty"`
	Services       []BundleService `json:"services"`
	Mail           []BundleMail    `json:"mail"`
}

type BundleService struct {
	Name           string    `json:"name"`
	Type           string    `json:"type"`
	Port           int       `json:"port"`
	MaxConnections int       `json:"max_connections"`
	BitrateKbps    int       `json:"bitrate_kbps"`
	DataTransferMB int       `json:"data_transfer_mb"`
	AutoDJ         bool      `json:"autodj"`
	AutoDJQuota    int       `json:"autodj_quota"`
	Proxy          bool      `json:"proxy"`
	Status         string    `json:"status"`
	SuspendReason  string    `json:"suspend_reason"`
	CreatedAt      time.Time `json:"created_at"`
}

type BundlePlan struct {
	Ref            string `json:"ref"`
	Name           string `json:"name"`
	AutoDJ         bool   `json:"autodj"`
	AutoDJQuota    *int   `json:"autodj_quota"`
	Proxy          bool   `json:"proxy"`
	MaxConnections *int   `json:"max_connections"`
	DataTransferMB *int   `json:"data_transfer_mb"`
	MaxBitrateKbps *int   `json:"max_bitrate_kbps"`
	ServerLimit    *int   `json:"server_limit"`
	StorageMB      *int   `json:"storage_mb,omitempty"` // the total of its customers' quotas
}

// BundleMail is one entry of the mail log (bodies of codes and temporary
// passwords are never in a bundle).
type BundleMail struct {
	Kind      string     `json:"kind"`
	To        string     `json:"to"`
	ToName    string     `json:"to_name"`
	Subject   string     `json:"subject"`
	HTML      string     `json:"html"`
	Text      string     `json:"text"`
	Sensitive bool       `json:"sensitive"`
	State     MailState  `json:"state"`
	LastError string     `json:"last_error"`
	Attempts  int        `json:"attempts"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at"`
}

// BundleFile is one media file, media/<ref>/<path>, and its checksum.
type BundleFile struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// BundleMedia extracts the media of a checked bundle (backend/backup).
type BundleMedia interface {
	// Stage writes account ref's media into dir, checking each checksum.
	Stage(ref, dir string) (int, error)
}

// BundleArchive writes and reads bundles (backend/backup).
type BundleArchive interface {
	WriteBundle(w io.Writer, b *Bundle, folders map[string]string) error
	// ReadBundle checks every checksum; nothing is written.
	ReadBundle(r io.ReaderAt, size int64) (*Bundle, BundleMedia, error)
}

// mailRecorder inserts a mail log entry as it stands (state, attempts,
// error, sent time) — a moved account's log (backend/sqlite).
type mailRecorder interface {
	InsertMailRecord(ctx context.Context, m *OutboxMail) (int64, error)
}

// ExportBundleInput says what goes with the account.
type ExportBundleInput struct {
	ByAccount
	// Customers: a reseller's own customers go too (administrators).
	Customers bool `json:"customers"`
	// NoMail and NoMedia leave the mail log or the media folders out.
	NoMail  bool `json:"no_mail"`
	NoMedia bool `json:"no_media"`
}

// ByAccount names the account of the path's {id}.
type ByAccount struct {
	ID int64 `json:"id" path:"id"`
}

// BundleExport is a bundle ready to be written.
type BundleExport struct {
	// Name is the file name to offer: castdesk-account-<username>-<date>.zip.
	Name    string
	bundle  *Bundle
	folders map[string]string
	archive BundleArchive
}

// Write streams the bundle archive.
func (e *BundleExport) Write(w io.Writer) error { return e.archive.WriteBundle(w, e.bundle, e.folders) }

// mayMove: admins any account; a reseller its own customers. Not while
// logged in as someone else (the bundle holds password hashes).
func mayMove(c *Caller, acc *Account) error {
	switch {
	case c.Impersonator != nil:
		return Forbidden("Moving accounts is not possible while logged in as another account.")
	case c.Account.IsAdmin():
		return nil
	case c.Account.IsReseller() && acc != nil && acc.OwnerID != nil && *acc.OwnerID == c.Account.ID:
		return nil
	case c.Account.IsReseller() && acc == nil:
		return nil
	}
	return Forbidden("Only administrators and resellers (for their own customers) can move accounts.")
}

// ExportBundle prepares account id's bundle.
func (s *Accounts) ExportBundle(ctx context.Context, in ExportBundleInput) (*BundleExport, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return nil, err
	}
	acc, err := s.get(ctx, s.deps.Store, c, in.ID)
	if err != nil {
		return nil, err
	}
	if err := mayMove(c, acc); err != nil {
		return nil, err
	}
	if in.Customers && !c.Account.IsAdmin() {
		return nil, FieldError(CodeForbidden, "Only administrators move a reseller with its customers.", "customers", ReasonForbidden, nil)
	}
	set, err := s.settings.current(ctx, s.deps.Store)
	if err != nil {
		return nil, err
	}
	now := s.deps.now()
	b := &Bundle{Format: BundleFormat, FormatVersion: BundleFormatVersion, CastdeskVersion: Version, ExportedAt: now,
		Accounts: []BundleAccount{}, Plans: []BundlePlan{}}
	accounts := []*Account{acc}
	if in.Customers && acc.IsReseller() {
		refs, err := s.deps.Store.AccountsOwnedBy(ctx, acc.ID)
		if err != nil {
			return nil, Internal(err)
		}
		for _, r := range refs {
			a, err := s.deps.Store.AccountByID(ctx, r.ID)
			if err != nil {
				return nil, wrapErr(err)
			}
			accounts = append(accounts, a)
		}
	}
	folders := map[string]string{}
	refOf := map[int64]string{}
	for i, a := range accounts {
		ref := fmt.Sprintf("a%d", i+1)
		refOf[a.ID] = ref
		ba := BundleAccount{Ref: ref, Username: a.Username, Name: a.Name, ContactNumber: a.ContactNumber, Email: a.Email,
			Level: a.Level, Status: a.Status, APIAccess: a.APIAccess, Accessibility: a.Accessibility, Timezone: a.Timezone,
			Language: a.Language, PasswordHash: a.PasswordHash, MustChangePassword: a.MustChangePassword, CreatedAt: a.CreatedAt,
			StorageQuotaMB: a.StorageQuotaMB, Services: []BundleService{}, Mail: []BundleMail{}}
		if a.OwnerID != nil && refOf[*a.OwnerID] != "" {
			ba.OwnerRef = refOf[*a.OwnerID]
		}
		if a.ResellerPlanID != nil {
			p, err := s.deps.Store.PlanByID(ctx, *a.ResellerPlanID)
			if err != nil {
				return nil, wrapErr(err)
			}
			ba.PlanRef = fmt.Sprintf("p%d", len(b.Plans)+1)
			b.Plans = append(b.Plans, BundlePlan{Ref: ba.PlanRef, Name: p.Name, AutoDJ: p.AutoDJ, AutoDJQuota: p.AutoDJQuota,
				Proxy: p.Proxy, MaxConnections: p.MaxConnections, DataTransferMB: p.DataTransferMB,
				MaxBitrateKbps: p.MaxBitrateKbps, ServerLimit: p.ServerLimit, StorageMB: p.StorageMB})
		}
		sums, err := s.deps.Store.ServicesOwnedBy(ctx, a.ID)
		if err != nil {
			return nil, Internal(err)
		}
		for _, sum := range sums {
			svc, err := s.deps.Store.ServiceByID(ctx, sum.ID)
			if err != nil {
				return nil, wrapErr(err)
			}
			ba.Services = append(ba.Services, BundleService{Name: svc.Name, Type: svc.Type, Port: svc.Port,
				MaxConnections: svc.MaxConnections, BitrateKbps: svc.BitrateKbps, DataTransferMB: svc.DataTransferMB,
				AutoDJ: svc.AutoDJ, AutoDJQuota: svc.AutoDJQuota, Proxy: svc.Proxy, Status: svc.Status,
				SuspendReason: svc.SuspendReason, CreatedAt: svc.CreatedAt})
		}
		if !in.NoMail {
			var cursor int64
			for {
				items, err := s.deps.Outbox.ListMail(ctx, a.ID, cursor, 201)
				if err != nil {
					return nil, Internal(err)
				}
				more := len(items) > 200
				if more {
					items = items[:200]
				}
				for _, m := range items {
					bm := BundleMail{Kind: m.Kind, To: m.To, ToName: m.ToName, Subject: m.Subject, HTML: m.HTML, Text: m.Text,
						Sensitive: m.Sensitive, State: m.State, LastError: m.LastError, Attempts: m.Attempts,
						CreatedAt: m.CreatedAt, SentAt: m.SentAt}
					if m.Sensitive {
						bm.HTML, bm.Text = "", ""
					}
					ba.Mail = append(ba.Mail, bm)
				}
				if !more {
					break
				}
				cursor = items[len(items)-1].ID
			}
		}
		if !in.NoMedia {
			folders[ref] = s.deps.Folders.Path(set.ContentRoot, a.ID)
		}
		b.Accounts = append(b.Accounts, ba)
	}
	err = s.deps.Store.Write(ctx, func(tx Tx) error {
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "account.export", SubjectType: "account",
			SubjectID: fmt.Sprint(acc.ID), Details: fmt.Sprintf("username=%s accounts=%d media=%t mail=%t", acc.Username,
				len(accounts), !in.NoMedia, !in.NoMail)}))
	})
	if err != nil {
		return nil, wrapErr(err)
	}
	archive, ok := s.deps.Backups.(BundleArchive)
	if !ok {
		return nil, Internal(fmt.Errorf("the backup vault %T writes no bundles", s.deps.Backups))
	}
	return &BundleExport{Name: fmt.Sprintf("castdesk-account-%s-%s.zip", bundleFileName(acc.Username), now.Format("20060102-150405")),
		bundle: b, folders: folders, archive: archive}, nil
}

func bundleFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '.' || r == '-' || r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			return r
		}
		return '_'
	}, s)
}

// ImportBundleInput says how to resolve conflicts.
type ImportBundleInput struct {
	DryRun bool `json:"dry_run"`
	// Usernames: keep (default) refuses a taken username; rename takes the
	// proposed free one (the username with -2, -3, ...).
	Usernames string `json:"usernames"`
	// Plan: reuse (default) gives a reseller the plan of this desk with the
	// same name; rename creates the bundle's plan under the proposed name.
	Plan string `json:"plan"`
}

// BundleConflict is one thing of the bundle that clashes with this desk.
// Blocking ones stop the import until resolved (Usernames=rename).
type BundleConflict struct {
	// Ref is the account (a1, a2, ...) or plan (p1) concerned.
	Ref string `json:"ref"`
	// Field is username, email, port or plan; Reason is taken.
	Field  string `json:"field"`
	Reason Reason `json:"reason"`
	Value  string `json:"value"`
	// Proposal is what the import uses instead (a username, a port, a plan
	// name); Resolution says what happens: renamed, new_port, reused,
	// kept (a shared email address is allowed) or "" (blocking).
	Proposal   string `json:"proposal"`
	Resolution string `json:"resolution"`
	Blocking   bool   `json:"blocking"`
	// Service names the service of a port conflict.
	Service string `json:"service,omitempty"`
}

// BundleAccountPreview is what one account becomes.
type BundleAccountPreview struct {
	Ref      string `json:"ref"`
	OwnerRef string `json:"owner_ref,omitempty"`
	Username string `json:"username"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Level    Level  `json:"level"`
	Plan     string `json:"plan"`
	Services int    `json:"services"`
	Mails    int    `json:"mails"`
	Files    int    `json:"files"`
	Bytes    int64  `json:"bytes"`
	// ID is the new account's ID (after the import).
	ID int64 `json:"id"`
}

// BundlePreview is the import's plan, and its outcome.
type BundlePreview struct {
	CastdeskVersion string                 `json:"castdesk_version"`
	ExportedAt      time.Time              `json:"exported_at"`
	Accounts        []BundleAccountPreview `json:"accounts"`
	Conflicts       []BundleConflict       `json:"conflicts"`
	// CanImport: no blocking conflict (the import would go through now).
	CanImport bool `json:"can_import"`
}

// planResolution is what a bundle plan becomes.
type planResolution struct {
	existing *Plan // reuse
	create   *Plan // new
}

// resolved is a bundle checked against a desk.
type resolved struct {
	preview   BundlePreview
	usernames map[string]string
	ports     map[string][]int // ref -> port of each service
	plans     map[string]planResolution
}

// resolve checks the bundle against r (the store, or the import's
// transaction) and decides every conflict.
func (s *Accounts) resolve(ctx context.Context, r Reader, c *Caller, b *Bundle, in ImportBundleInput, set SystemSettings) (*resolved, error) {
	if len(b.Accounts) == 0 {
		return nil, InvalidField("bundle", ReasonRequired)
	}
	out := &resolved{usernames: map[string]string{}, ports: map[string][]int{}, plans: map[string]planResolution{},
		preview: BundlePreview{CastdeskVersion: b.CastdeskVersion, ExportedAt: b.ExportedAt, Accounts: []BundleAccountPreview{},
			Conflicts: []BundleConflict{}}}
	refs := map[string]*BundleAccount{}
	for i := range b.Accounts {
		refs[b.Accounts[i].Ref] = &b.Accounts[i]
	}
	plans := map[string]*BundlePlan{}
	for i := range b.Plans {
		plans[b.Plans[i].Ref] = &b.Plans[i]
	}
	fileCount, fileBytes := map[string]int{}, map[string]int64{}
	for _, f := range b.Files {
		rest, _ := strings.CutPrefix(f.Path, "media/")
		ref, _, _ := strings.Cut(rest, "/")
		fileCount[ref]++
		fileBytes[ref] += f.Size
	}
	// Every account must be one this desk could have created.
	for i, a := range b.Accounts {
		fields := &Problems{}
		validateUsername(a.Username, fields)
		validateName(a.Name, fields)
		validateEmail(a.Email, fields)
		validateContact(a.ContactNumber, fields)
		validateLevel(a.Level, fields)
		validateStatus(a.Status, fields)
		validateTimezone("timezone", a.Timezone, fields)
		validateLanguage(a.Language, fields)
		validateStorageMB("storage_quota_mb", a.StorageQuotaMB, fields)
		if p := plans[a.PlanRef]; p != nil {
			validateStorageMB("storage_mb", p.StorageMB, fields)
		}
		if !ValidPasswordHash(a.PasswordHash) {
			fields.Add("password_hash", ReasonInvalid)
		}
		if a.Ref == "" || (i == 0) != (a.OwnerRef == "") || (a.OwnerRef != "" && refs[a.OwnerRef] == nil) ||
			(a.PlanRef != "" && plans[a.PlanRef] == nil) {
			fields.Add("bundle", ReasonInvalid)
		}
		for _, svc := range a.Services {
			if !validServiceType(svc.Type) || svc.Name == "" {
				fields.Add("services", ReasonInvalid)
			}
		}
		if !c.Account.IsAdmin() && (a.Level != LevelCustomer || a.PlanRef != "" || i > 0) {
			// A reseller takes in its own customers only.
			return nil, FieldError(CodeForbidden, "Resellers import customers only, without a plan or customers of their own.",
				"level", ReasonForbidden, nil)
		}
		if !fields.Empty() {
			e := fields.Err().(*Error)
			e.Message = fmt.Sprintf("Account %s of the bundle is not valid here.", a.Ref)
			return nil, e
		}
	}
	// Plans: a name taken is reused, or the bundle's plan is created under
	// a free name.
	existingPlans, err := r.ListPlans(ctx)
	if err != nil {
		return nil, err
	}
	for _, bp := range b.Plans {
		p := &Plan{Name: bp.Name, AutoDJ: bp.AutoDJ, AutoDJQuota: bp.AutoDJQuota, Proxy: bp.Proxy, MaxConnections: bp.MaxConnections,
			DataTransferMB: bp.DataTransferMB, MaxBitrateKbps: bp.MaxBitrateKbps, ServerLimit: bp.ServerLimit, StorageMB: bp.StorageMB}
		same := planNamed(existingPlans, bp.Name)
		if same == nil {
			out.plans[bp.Ref] = planResolution{create: p}
			continue
		}
		conflict := BundleConflict{Ref: bp.Ref, Field: "plan", Reason: ReasonTaken, Value: bp.Name}
		if in.Plan == "rename" {
			for n := 2; ; n++ {
				name := fmt.Sprintf("%s (%d)", bp.Name, n)
				if planNamed(existingPlans, name) == nil {
					p.Name = name
					break
				}
			}
			conflict.Proposal, conflict.Resolution = p.Name, "renamed"
			out.plans[bp.Ref] = planResolution{create: p}
		} else {
			conflict.Proposal, conflict.Resolution = same.Name, "reused"
			out.plans[bp.Ref] = planResolution{existing: same}
		}
		out.preview.Conflicts = append(out.preview.Conflicts, conflict)
	}
	// Usernames, emails, ports.
	used, err := r.UsedPorts(ctx, 0)
	if err != nil {
		return nil, err
	}
	taken := map[string]bool{}
	for _, a := range b.Accounts {
		name := a.Username
		free := func(u string) (bool, error) {
			if taken[UsernameKey(u)] {
				return false, nil
			}
			_, err := r.AccountByUsernameKey(ctx, UsernameKey(u))
			if IsCode(err, CodeNotFound) {
				return true, nil
			}
			return false, err
		}
		ok, err := free(name)
		if err != nil {
			return nil, err
		}
		if !ok {
			conflict := BundleConflict{Ref: a.Ref, Field: "username", Reason: ReasonTaken, Value: name}
			for n := 2; n < 1000; n++ {
				cand := fmt.Sprintf("%s-%d", a.Username, n)
				if len(cand) > usernameMax {
					cand = fmt.Sprintf("%s-%d", a.Username[:usernameMax-4], n)
				}
				if ok, err := free(cand); err != nil {
					return nil, err
				} else if ok {
					conflict.Proposal = cand
					break
				}
			}
			if in.Usernames == "rename" && conflict.Proposal != "" {
				conflict.Resolution, name = "renamed", conflict.Proposal
			} else {
				conflict.Blocking = true
			}
			out.preview.Conflicts = append(out.preview.Conflicts, conflict)
		}
		taken[UsernameKey(name)] = true
		out.usernames[a.Ref] = name
		if same, err := r.AccountsByLogin(ctx, a.Email); err != nil {
			return nil, err
		} else {
			for _, other := range same {
				if strings.EqualFold(other.Email, a.Email) {
					out.preview.Conflicts = append(out.preview.Conflicts, BundleConflict{Ref: a.Ref, Field: "email", Reason: ReasonTaken,
						Value: a.Email, Proposal: a.Email, Resolution: "kept"})
					break
				}
			}
		}
		for _, svc := range a.Services {
			port := svc.Port
			if port == 0 || used[port] {
				next := nextFreePort(used)
				out.preview.Conflicts = append(out.preview.Conflicts, BundleConflict{Ref: a.Ref, Field: "port", Reason: ReasonTaken,
					Value: fmt.Sprint(svc.Port), Proposal: fmt.Sprint(next), Resolution: "new_port", Service: svc.Name,
					Blocking: next == 0})
				port = next
			}
			used[port], used[port+1] = true, true
			out.ports[a.Ref] = append(out.ports[a.Ref], port)
		}
		plan := ""
		if a.PlanRef != "" {
			if pr := out.plans[a.PlanRef]; pr.existing != nil {
				plan = pr.existing.Name
			} else {
				plan = pr.create.Name
			}
		}
		out.preview.Accounts = append(out.preview.Accounts, BundleAccountPreview{Ref: a.Ref, OwnerRef: a.OwnerRef, Username: name,
			Name: a.Name, Email: a.Email, Level: a.Level, Plan: plan, Services: len(a.Services), Mails: len(a.Mail),
			Files: fileCount[a.Ref], Bytes: fileBytes[a.Ref]})
	}
	out.preview.CanImport = true
	for _, c := range out.preview.Conflicts {
		if c.Blocking {
			out.preview.CanImport = false
		}
	}
	return out, nil
}

func validServiceType(t string) bool {
	for _, ok := range ServiceTypes {
		if t == ok {
			return true
		}
	}
	return false
}

// ImportBundle checks a bundle (every checksum) and previews its import;
// unless in.DryRun it then writes it: plan, accounts, services, mail log in
// one transaction with new IDs, and the media into the new user_{ID}
// folders. It answers the preview and, after an import, the account moved.
func (s *Accounts) ImportBundle(ctx context.Context, r io.ReaderAt, size int64, in ImportBundleInput) (BundlePreview, *Account, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return BundlePreview{}, nil, err
	}
	if err := mayMove(c, nil); err != nil {
		return BundlePreview{}, nil, err
	}
	switch {
	case in.Usernames != "" && in.Usernames != "keep" && in.Usernames != "rename":
		return BundlePreview{}, nil, InvalidField("usernames", ReasonInvalid)
	case in.Plan != "" && in.Plan != "reuse" && in.Plan != "rename":
		return BundlePreview{}, nil, InvalidField("plan", ReasonInvalid)
	}
	archive, ok := s.deps.Backups.(BundleArchive)
	if !ok {
		return BundlePreview{}, nil, Internal(fmt.Errorf("the backup vault %T reads no bundles", s.deps.Backups))
	}
	b, media, err := archive.ReadBundle(r, size)
	if err != nil {
		return BundlePreview{}, nil, &Error{Code: CodeInvalid, Message: "This is not a complete Castdesk account bundle, or it was altered.",
			Fields: map[string]Reason{"bundle": ReasonInvalid}, cause: err}
	}
	set, err := s.settings.current(ctx, s.deps.Store)
	if err != nil {
		return BundlePreview{}, nil, err
	}
	res, err := s.resolve(ctx, s.deps.Store, c, b, in, set)
	if err != nil {
		return BundlePreview{}, nil, err
	}
	if in.DryRun {
		return res.preview, nil, nil
	}
	if !res.preview.CanImport {
		return res.preview, nil, blockingConflict(res.preview)
	}
	// The media first, beside the folders (same file system): renamed into
	// place once the accounts exist.
	token, err := randomBase32(10)
	if err != nil {
		return BundlePreview{}, nil, Internal(err)
	}
	staging := filepath.Join(set.ContentRoot, ".importing", strings.ToLower(token))
	defer s.deps.Folders.Purge(staging)
	for _, a := range b.Accounts {
		if _, err := media.Stage(a.Ref, filepath.Join(staging, a.Ref)); err != nil {
			return BundlePreview{}, nil, Unavailable("The media folders could not be written; nothing was imported.", err)
		}
	}
	ids := map[string]int64{}
	var moved *Account
	now := s.deps.now()
	err = s.deps.Store.Write(ctx, func(tx Tx) error {
		// Again inside the transaction: what was free may be taken now.
		res, err = s.resolve(ctx, tx, c, b, in, set)
		if err != nil {
			return err
		}
		if !res.preview.CanImport {
			return blockingConflict(res.preview)
		}
		planIDs := map[string]*Plan{}
		for ref, pr := range res.plans {
			if pr.existing != nil {
				planIDs[ref] = pr.existing
				continue
			}
			p := *pr.create
			p.CreatedAt, p.UpdatedAt = now, now
			if p.ID, err = tx.InsertPlan(ctx, &p); err != nil {
				return err
			}
			planIDs[ref] = &p
			if err := tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "plan.create", SubjectType: "plan",
				SubjectID: fmt.Sprint(p.ID), Details: "name=" + p.Name + " via=bundle_import"})); err != nil {
				return err
			}
		}
		recorder, _ := tx.(mailRecorder)
		services := &Services{deps: s.deps}
		for i, a := range b.Accounts {
			acc := &Account{Username: res.usernames[a.Ref], Name: a.Name, ContactNumber: a.ContactNumber, Email: a.Email,
				Level: a.Level, Status: a.Status, APIAccess: a.APIAccess, Accessibility: a.Accessibility, Timezone: a.Timezone,
				Language: a.Language, PasswordHash: a.PasswordHash, MustChangePassword: a.MustChangePassword,
				StorageQuotaMB: a.StorageQuotaMB, CreatedAt: now, UpdatedAt: now}
			switch {
			case a.OwnerRef != "":
				owner := ids[a.OwnerRef]
				acc.OwnerID = &owner
			case !c.Account.IsAdmin():
				owner := c.Account.ID
				acc.OwnerID = &owner
			}
			if a.PlanRef != "" {
				p := planIDs[a.PlanRef]
				acc.ResellerPlanID, acc.ResellerPlanName = &p.ID, p.Name
			}
			// A quota must fit in the reseller plan it lands under, as when
			// it is set by hand.
			if err := checkStoragePlan(ctx, tx, set, acc, nil); err != nil {
				return err
			}
			if acc.ID, err = tx.InsertAccount(ctx, acc); err != nil {
				return err
			}
			ids[a.Ref] = acc.ID
			if i == 0 {
				moved = acc
			}
			if err := tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "account.import", SubjectType: "account",
				SubjectID: fmt.Sprint(acc.ID), Details: fmt.Sprintf("username=%s from_username=%s level=%s via=bundle_import services=%d",
					acc.Username, a.Username, acc.Level, len(a.Services))})); err != nil {
				return err
			}
			for j, bs := range a.Services {
				svc := &Service{OwnerID: acc.ID, OwnerUsername: acc.Username, Name: bs.Name, Type: bs.Type, Port: res.ports[a.Ref][j],
					MaxConnections: bs.MaxConnections, BitrateKbps: bs.BitrateKbps, DataTransferMB: bs.DataTransferMB,
					AutoDJ: bs.AutoDJ, AutoDJQuota: bs.AutoDJQuota, Proxy: bs.Proxy, Status: bs.Status, SuspendReason: bs.SuspendReason,
					CreatedAt: now, UpdatedAt: now}
				if svc.Status != ServiceSuspended {
					svc.Status, svc.SuspendReason = ServiceActive, ""
				}
				if err := services.checkPlan(ctx, tx, acc, svc, nil); err != nil {
					return err
				}
				if svc.ID, err = tx.InsertService(ctx, svc); err != nil {
					return err
				}
				if err := tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "service.create", SubjectType: "service",
					SubjectID: fmt.Sprint(svc.ID), Details: fmt.Sprintf("owner=%d type=%s port=%d via=bundle_import", acc.ID, svc.Type, svc.Port)})); err != nil {
					return err
				}
			}
			for _, bm := range a.Mail {
				m := &OutboxMail{AccountID: &acc.ID, Kind: bm.Kind, To: bm.To, ToName: bm.ToName, Subject: bm.Subject, HTML: bm.HTML,
					Text: bm.Text, MessageID: newMessageID(), Sensitive: bm.Sensitive, State: bm.State, Attempts: bm.Attempts,
					LastError: bm.LastError, NextAttemptAt: now, CreatedAt: bm.CreatedAt, UpdatedAt: now, SentAt: bm.SentAt,
					CreatedBy: c.Account.Username}
				if m.State == MailQueued || m.State == MailSending {
					// Not sent from here: the desk it came from may still send it.
					m.State, m.LastError, m.ErrorKind = MailFailed, "moved to another desk before it was sent", "moved"
				}
				if recorder == nil {
					return fmt.Errorf("the store cannot keep a moved mail log")
				}
				if _, err := recorder.InsertMailRecord(ctx, m); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return res.preview, nil, wrapErr(err)
	}
	for _, a := range b.Accounts {
		if err := s.deps.Folders.Restore(set.ContentRoot, ids[a.Ref], filepath.Join(staging, a.Ref)); err != nil {
			s.deps.Log.Error("moved account's media not put in place", "account_id", ids[a.Ref], "err", err)
			if err := s.deps.Folders.Create(set.ContentRoot, ids[a.Ref]); err != nil {
				s.deps.Log.Error("media folder not created", "account_id", ids[a.Ref], "err", err)
			}
		}
	}
	for i := range res.preview.Accounts {
		res.preview.Accounts[i].ID = ids[res.preview.Accounts[i].Ref]
	}
	sort.SliceStable(res.preview.Conflicts, func(i, j int) bool { return res.preview.Conflicts[i].Ref < res.preview.Conflicts[j].Ref })
	return res.preview, moved, nil
}

// blockingConflict is the refusal of an import with a conflict to resolve.
func blockingConflict(p BundlePreview) error {
	for _, c := range p.Conflicts {
		if c.Blocking {
			return FieldError(CodeConflict, fmt.Sprintf("The %s %q is taken here; import with usernames=rename to use %q.", c.Field, c.Value, c.Proposal),
				c.Field, ReasonTaken, Params{"value": c.Value, "proposal": c.Proposal})
		}
	}
	return nil
}

// MayImportBundle is the rights check of an import, before its body is read.
func (s *Accounts) MayImportBundle(ctx context.Context) error {
	c, err := requireCaller(ctx)
	if err != nil {
		return err
	}
	return mayMove(c, nil)
}
