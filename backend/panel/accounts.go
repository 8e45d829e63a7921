package panel

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// Accounts is the Customers screen: every account, whatever its level.
type Accounts struct {
	deps     *Deps
	settings *Settings
	mail     *Mail
}

type CreateAccountInput struct {
	Username         string `json:"username"`
	Password         string `json:"password"`
	PasswordConfirm  string `json:"password_confirm"`
	Name             string `json:"name"`
	ContactNumber    string `json:"contact_number"`
	Email            string `json:"email"`
	Level            Level  `json:"level"`
	Status           Status `json:"status"`
	APIAccess        bool   `json:"api_access"`
	Accessibility    bool   `json:"accessibility"`
	Timezone         string `json:"timezone"`
	Language         string `json:"language"`
	ResellerPlanID   *int64 `json:"reseller_plan_id"`
	SendWelcomeEmail bool   `json:"send_welcome_email"`
	// StorageQuotaMB: nil takes the System Settings default. Admins set it
	// on any account, resellers on their customers (within their plan).
	StorageQuotaMB *int `json:"storage_quota_mb"`
}

// UpdateAccountInput changes only the fields that are present. For
// reseller_plan_id, 0 removes the plan (JSON null cannot be told from absent).
type UpdateAccountInput struct {
	Username       *string `json:"username"`
	Name           *string `json:"name"`
	ContactNumber  *string `json:"contact_number"`
	Email          *string `json:"email"`
	Level          *Level  `json:"level"`
	Status         *Status `json:"status"`
	APIAccess      *bool   `json:"api_access"`
	Accessibility  *bool   `json:"accessibility"`
	Timezone       *string `json:"timezone"`
	Language       *string `json:"language"`
	ResellerPlanID *int64  `json:"reseller_plan_id"`
	// StorageQuotaMB: null takes the System Settings default.
	StorageQuotaMB OptionalInt `json:"storage_quota_mb"`
}

type ListAccountsInput struct {
	Q          string `json:"q"`
	Level      string `json:"level"`
	Status     string `json:"status"`
	ResellerID int64  `json:"reseller_id"`
	Sort       string `json:"sort"`
	Cursor     string `json:"cursor"`
	Limit      int    `json:"limit"`
}

// AccountSorts are the orders the list offers; each has an index.
var AccountSorts = []string{"id", "username", "name", "email", "created_at"}

const (
	listDefaultLimit = 50
	listMaxLimit     = 200
	// searchMax is the longest search text of a list, in bytes.
	searchMax = 200
)

// pageLimit is the page size of every list: 0 means the default; outside
// 1..200 is a field error (added to fields), or -1 when fields is nil.
func pageLimit(limit int, fields *Problems) int {
	switch {
	case limit == 0:
		return listDefaultLimit
	case limit < 0 || limit > listMaxLimit:
		if fields != nil {
			fields.Add("limit", ReasonInvalid)
		}
		return -1
	}
	return limit
}

func (s *Accounts) scope(c *Caller, q *AccountQuery) {
	switch {
	case c.Account.IsAdmin():
	case c.Account.IsReseller():
		q.ScopeOwnerID = c.Account.ID
	default:
		q.ScopeSelfID = c.Account.ID
	}
}

// visible tells whether the caller may see acc at all. Objects outside the
// caller's scope answer not_found, so their existence is not revealed.
func visible(c *Caller, acc *Account) bool {
	switch {
	case c.Account.IsAdmin(), c.Account.ID == acc.ID:
		return true
	case c.Account.IsReseller():
		return acc.OwnerID != nil && *acc.OwnerID == c.Account.ID
	}
	return false
}

func (s *Accounts) List(ctx context.Context, in ListAccountsInput) (AccountPage, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return AccountPage{}, err
	}
	q := AccountQuery{Q: strings.TrimSpace(in.Q), ResellerID: in.ResellerID, Cursor: in.Cursor, Limit: in.Limit, Sort: in.Sort}
	fields := &Problems{}
	if in.Level != "" {
		validateLevel(Level(in.Level), fields)
		q.Level = Level(in.Level)
	}
	if in.Status != "" {
		validateStatus(Status(in.Status), fields)
		q.Status = Status(in.Status)
	}
	if q.Sort == "" {
		q.Sort = "id"
	}
	if !validSort(q.Sort) {
		fields.Add("sort", ReasonInvalid)
	}
	q.Limit = pageLimit(q.Limit, fields)
	if len(q.Q) > searchMax {
		fields.TooLong("q", searchMax)
	}
	if !fields.Empty() {
		return AccountPage{}, fields.Err()
	}
	s.scope(c, &q)
	page, err := s.deps.Store.ListAccounts(ctx, q)
	if err != nil {
		return AccountPage{}, wrapErr(err)
	}
	return page, nil
}

func validSort(sort string) bool {
	key := strings.TrimPrefix(sort, "-")
	for _, s := range AccountSorts {
		if s == key {
			return true
		}
	}
	return false
}

// get loads an account the caller may see.
func (s *Accounts) get(ctx context.Context, r Reader, c *Caller, id int64) (*Account, error) {
	acc, err := r.AccountByID(ctx, id)
	if err != nil {
		return nil, wrapErr(err)
	}
	if !visible(c, acc) {
		return nil, NotFound("Account")
	}
	return acc, nil
}

func (s *Accounts) Create(ctx context.Context, in CreateAccountInput) (*Account, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return nil, err
	}
	if !c.Account.IsAdmin() && !c.Account.IsReseller() {
		return nil, Forbidden("Only administrators and resellers can create accounts.")
	}
	in.Username, in.Name, in.Email = NormalizeUsername(in.Username), strings.TrimSpace(in.Name), strings.TrimSpace(in.Email)
	in.ContactNumber, in.Timezone = strings.TrimSpace(in.ContactNumber), strings.TrimSpace(in.Timezone)
	if in.Level == "" {
		in.Level = LevelCustomer
	}
	if in.Status == "" {
		in.Status = StatusEnabled
	}
	if in.Language == "" {
		in.Language = "en"
	}
	set, err := s.settings.current(ctx, s.deps.Store)
	if err != nil {
		return nil, err
	}
	fields := &Problems{}
	validateUsername(in.Username, fields)
	validateName(in.Name, fields)
	validateEmail(in.Email, fields)
	validateContact(in.ContactNumber, fields)
	validateLevel(in.Level, fields)
	validateStatus(in.Status, fields)
	validateTimezone("timezone", in.Timezone, fields)
	validateLanguage(in.Language, fields)
	CheckPassword("password", in.Password, in.PasswordConfirm, set.PasswordMinLength, fields)
	validateStorageMB("storage_quota_mb", in.StorageQuotaMB, fields)
	var owner *int64
	if !c.Account.IsAdmin() {
		// A reseller creates its own customers, never admins or resellers.
		if in.Level != LevelCustomer {
			fields.Add("level", ReasonInvalid)
		}
		if in.ResellerPlanID != nil {
			fields.Add("reseller_plan_id", ReasonInvalid)
		}
		id := c.Account.ID
		owner = &id
	}
	if in.ResellerPlanID != nil && *in.ResellerPlanID == 0 {
		in.ResellerPlanID = nil
	}
	// A taken username is said together with every other field's problem, in
	// one answer (the insert below still refuses a race to the same name).
	if err := usernameFree(ctx, s.deps.Store, in.Username, 0, fields); err != nil {
		return nil, err
	}
	if !fields.Empty() {
		return nil, fields.Err()
	}
	hash, err := hashSlot(ctx, in.Password)
	if err != nil {
		return nil, Internal(err)
	}
	now := s.deps.now()
	acc := &Account{Username: in.Username, Name: in.Name, ContactNumber: in.ContactNumber, Email: in.Email,
		Level: in.Level, Status: in.Status, APIAccess: in.APIAccess, Accessibility: in.Accessibility,
		Timezone: in.Timezone, Language: in.Language, ResellerPlanID: in.ResellerPlanID, OwnerID: owner,
		PasswordHash: hash, CreatedAt: now, UpdatedAt: now, StorageQuotaMB: in.StorageQuotaMB}
	var welcome int64
	err = s.deps.Store.Write(ctx, func(tx Tx) error {
		if acc.ResellerPlanID != nil {
			if acc.ResellerPlanName, err = tx.PlanName(ctx, *acc.ResellerPlanID); err != nil {
				return planFieldError(err)
			}
		}
		if err := checkStoragePlan(ctx, tx, set, acc, nil); err != nil {
			return err
		}
		if acc.ID, err = tx.InsertAccount(ctx, acc); err != nil {
			return err
		}
		if err := recordDisabledBy(ctx, tx, c, StatusEnabled, acc); err != nil {
			return err
		}
		if in.SendWelcomeEmail {
			if welcome, err = s.mail.queueWelcome(ctx, tx, acc, c.Account.Username); err != nil {
				return err
			}
		}
		if err := s.deps.webhooks.accountEvent(ctx, tx, EventAccountCreated, acc); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "account.create", SubjectType: "account",
			SubjectID: fmt.Sprint(acc.ID), Details: fmt.Sprintf("username=%s level=%s status=%s", acc.Username, acc.Level, acc.Status)}))
	})
	if err != nil {
		return nil, wrapErr(err)
	}
	if welcome != 0 {
		s.mail.wake() // committed: the worker can see the row now
	}
	s.deps.webhooks.wake()
	if err := s.deps.Folders.Create(set.ContentRoot, acc.ID); err != nil {
		// The account exists; the start-up reconcile creates the folder later.
		s.deps.Log.Error("media folder not created", "account_id", acc.ID, "err", err)
	}
	return acc, nil
}

func planFieldError(err error) error {
	if IsCode(err, CodeNotFound) {
		return InvalidField("reseller_plan_id", ReasonInvalid)
	}
	return err
}

// Overview is the customer overview screen (docs/spec.md §2).
type Overview struct {
	Account       *Account       `json:"account"`
	Services      ServiceCounts  `json:"services"`
	ResellerUsage *ResellerUsage `json:"reseller_usage"`
	Media         MediaSummary   `json:"media"`
	Mail          MailCounts     `json:"mail"`
	// TwoFactor is the account's second factor (twofactor.go).
	TwoFactor TwoFactorOverview `json:"two_factor"`
}

type ServiceCounts struct {
	Active    int `json:"active"`
	Suspended int `json:"suspended"`
}

type MediaSummary struct {
	Path  string `json:"path"`
	Files int    `json:"files"`
	Bytes int64  `json:"bytes"`
	// QuotaBytes is the account's storage quota (null: unlimited);
	// OverQuota is set when its files take more.
	QuotaBytes *int64 `json:"quota_bytes"`
	OverQuota  bool   `json:"over_quota"`
}

type MailCounts struct {
	Queued int `json:"queued"`
	Failed int `json:"failed"`
}

// ResellerUsage is the overview's plan block: each limit as used/allowed.
// Nil for accounts without a plan.
type ResellerUsage struct {
	Plan           PlanRef      `json:"plan"`
	ServerLimit    LimitUsage   `json:"server_limit"`
	MaxConnections LimitUsage   `json:"max_connections"`
	DataTransferMB LimitUsage   `json:"data_transfer_mb"`
	MaxBitrateKbps LimitUsage   `json:"max_bitrate_kbps"`
	AutoDJQuota    LimitUsage   `json:"autodj_quota"`
	StorageMB      LimitUsage   `json:"storage_mb"` // its customers' quotas, MB (an unlimited one counts 0)
	AutoDJ         FeatureUsage `json:"autodj"`
	Proxy          FeatureUsage `json:"proxy"`
}

type PlanRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Overview reads everything it shows in one store call
// (OneReadStore.AccountOverview: one statement, two for a reseller), then
// shows it only when the caller may see the account, as get does.
func (s *Accounts) Overview(ctx context.Context, id int64) (Overview, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return Overview{}, err
	}
	set, err := s.settings.current(ctx, s.deps.Store)
	if err != nil {
		return Overview{}, err
	}
	f, err := s.deps.Store.AccountOverview(ctx, id, set.DefaultStorageQuotaMB)
	if err != nil {
		return Overview{}, wrapErr(err)
	}
	acc := f.Account
	if !visible(c, acc) {
		return Overview{}, NotFound("Account")
	}
	out := Overview{Account: acc}
	out.Services.Suspended = f.ServicesSuspended
	out.Services.Active = acc.ServicesCount - f.ServicesSuspended
	out.Mail = f.Mail
	out.TwoFactor = TwoFactorOverview{Enabled: f.TwoFactorEnabledAt != nil, EnabledAt: f.TwoFactorEnabledAt}
	if out.TwoFactor.Enabled {
		out.TwoFactor.RecoveryCodesLeft = f.RecoveryCodesLeft
	}
	out.Media.Path = s.deps.Folders.Path(set.ContentRoot, id)
	if f.MediaIndexed {
		out.Media.Files, out.Media.Bytes = f.Media.Files, f.Media.Bytes
	} else if out.Media.Files, out.Media.Bytes, err = s.deps.Folders.Stats(set.ContentRoot, id); err != nil {
		// Never indexed: a walk of the folder, as mediaStats does.
		s.deps.Log.Warn("media folder stats", "account_id", id, "err", err)
	}
	out.Media.QuotaBytes = bytesOf(quotaMB(acc, set))
	out.Media.OverQuota = out.Media.QuotaBytes != nil && out.Media.Bytes > *out.Media.QuotaBytes
	if acc.IsReseller() {
		r := f.Reseller
		if r == nil {
			return Overview{}, NotFound("Plan")
		}
		p, u := r.Plan, r.Usage
		out.ResellerUsage = &ResellerUsage{
			Plan:           PlanRef{ID: p.ID, Name: p.Name},
			ServerLimit:    LimitUsage{p.ServerLimit, u.Services},
			MaxConnections: LimitUsage{p.MaxConnections, u.MaxConnections},
			DataTransferMB: LimitUsage{p.DataTransferMB, u.DataTransferMB},
			MaxBitrateKbps: LimitUsage{p.MaxBitrateKbps, u.MaxBitrateKbps},
			AutoDJQuota:    LimitUsage{p.AutoDJQuota, u.MaxAutoDJQuota},
			StorageMB:      LimitUsage{Allowed: p.StorageMB, Used: int(r.CustomerQuotas)},
			AutoDJ:         FeatureUsage{p.AutoDJ, r.AutoDJInUse},
			Proxy:          FeatureUsage{p.Proxy, r.ProxyInUse},
		}
	}
	return out, nil
}

func (s *Accounts) Update(ctx context.Context, id int64, in UpdateAccountInput) (*Account, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return nil, err
	}
	var out *Account
	err = s.deps.Store.Write(ctx, func(tx Tx) error {
		acc, err := s.get(ctx, tx, c, id)
		if err != nil {
			return err
		}
		before := *acc
		if err := s.applyUpdate(c, acc, in); err != nil {
			return err
		}
		if acc.ResellerPlanID != nil && (before.ResellerPlanID == nil || *before.ResellerPlanID != *acc.ResellerPlanID) {
			if acc.ResellerPlanName, err = tx.PlanName(ctx, *acc.ResellerPlanID); err != nil {
				return planFieldError(err)
			}
		}
		if err := s.guardLastAdmin(ctx, tx, &before, acc); err != nil {
			return err
		}
		if err := mayEnable(ctx, tx, c, &before, acc); err != nil {
			return err
		}
		if in.StorageQuotaMB.Set {
			set, err := s.settings.current(ctx, tx)
			if err != nil {
				return err
			}
			if err := checkStoragePlan(ctx, tx, set, acc, &before); err != nil {
				return err
			}
		}
		acc.UpdatedAt = s.deps.now()
		if err := tx.UpdateAccount(ctx, acc); err != nil {
			return err
		}
		if err := recordDisabledBy(ctx, tx, c, before.Status, acc); err != nil {
			return err
		}
		if acc.Status == StatusDisabled && before.Status != StatusDisabled {
			// A disabled account's live sessions end now, not at their expiry.
			if err := tx.DeleteSessionsOf(ctx, acc.ID); err != nil {
				return err
			}
		}
		out = acc
		if err := s.deps.webhooks.accountChanged(ctx, tx, &before, acc); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: acc.UpdatedAt, Event: "account.update", SubjectType: "account",
			SubjectID: fmt.Sprint(acc.ID), Details: describeChanges(&before, acc)}))
	})
	if err != nil {
		return nil, wrapErr(err)
	}
	s.deps.webhooks.wake()
	return out, nil
}

// applyUpdate validates in against what the caller may change and applies it to acc.
func (s *Accounts) applyUpdate(c *Caller, acc *Account, in UpdateAccountInput) error {
	self := c.Account.ID == acc.ID
	admin := c.Account.IsAdmin()
	fields := &Problems{}
	// What a caller may change: admins everything; a reseller its customers'
	// details and status; everybody their own contact details and preferences.
	privileged := admin || (!self && c.Account.IsReseller())
	deny := func(field string, present bool) {
		if present {
			fields.Add(field, ReasonForbidden)
		}
	}
	if !privileged {
		deny("username", in.Username != nil)
		deny("status", in.Status != nil)
		deny("api_access", in.APIAccess != nil)
		deny("storage_quota_mb", in.StorageQuotaMB.Set)
	}
	if !admin {
		deny("level", in.Level != nil && *in.Level != acc.Level)
		deny("reseller_plan_id", in.ResellerPlanID != nil)
	}
	if self && admin {
		// An admin cannot lock itself out; another admin must do it.
		if in.Level != nil && *in.Level != LevelAdmin {
			fields.Add("level", ReasonSelf)
		}
		if in.Status != nil && *in.Status != StatusEnabled {
			fields.Add("status", ReasonSelf)
		}
	}
	if !fields.Empty() {
		return fields.WithCode(CodeForbidden, "You are not allowed to change some of these fields.")
	}
	if in.Email != nil && *in.Email != acc.Email {
		if err := refuseWhileImpersonating(c, acc.ID, "email address"); err != nil {
			return err
		}
	}
	if in.Username != nil {
		acc.Username = NormalizeUsername(*in.Username)
		validateUsername(acc.Username, fields)
	}
	if in.Name != nil {
		acc.Name = strings.TrimSpace(*in.Name)
		validateName(acc.Name, fields)
	}
	if in.ContactNumber != nil {
		acc.ContactNumber = strings.TrimSpace(*in.ContactNumber)
		validateContact(acc.ContactNumber, fields)
	}
	if in.Email != nil {
		acc.Email = strings.TrimSpace(*in.Email)
		validateEmail(acc.Email, fields)
	}
	if in.Level != nil {
		acc.Level = *in.Level
		validateLevel(acc.Level, fields)
	}
	if in.Status != nil {
		acc.Status = *in.Status
		validateStatus(acc.Status, fields)
	}
	if in.APIAccess != nil {
		acc.APIAccess = *in.APIAccess
	}
	if in.Accessibility != nil {
		acc.Accessibility = *in.Accessibility
	}
	if in.Timezone != nil {
		acc.Timezone = strings.TrimSpace(*in.Timezone)
		validateTimezone("timezone", acc.Timezone, fields)
	}
	if in.Language != nil {
		acc.Language = *in.Language
		validateLanguage(acc.Language, fields)
	}
	if in.StorageQuotaMB.Set {
		acc.StorageQuotaMB = in.StorageQuotaMB.Value
		validateStorageMB("storage_quota_mb", acc.StorageQuotaMB, fields)
	}
	if in.ResellerPlanID != nil {
		if *in.ResellerPlanID == 0 {
			acc.ResellerPlanID, acc.ResellerPlanName = nil, ""
		} else {
			planID := *in.ResellerPlanID
			acc.ResellerPlanID = &planID
		}
	}
	if !fields.Empty() {
		return fields.Err()
	}
	return nil
}

// guardLastAdmin refuses a change that would leave no enabled administrator.
func (s *Accounts) guardLastAdmin(ctx context.Context, tx Tx, before, after *Account) error {
	wasActiveAdmin := before.IsAdmin() && before.IsEnabled()
	staysActiveAdmin := after != nil && after.IsAdmin() && after.IsEnabled()
	if !wasActiveAdmin || staysActiveAdmin {
		return nil
	}
	others, err := tx.CountEnabledAdmins(ctx, before.ID)
	if err != nil {
		return err
	}
	if others == 0 {
		// Keyed by what would take the administrator away: deleting it,
		// lowering its level or disabling it.
		field := "account"
		switch {
		case after != nil && !after.IsAdmin():
			field = "level"
		case after != nil:
			field = "status"
		}
		return FieldError(CodeConflict, "This is the last enabled administrator: create or enable another one first.", field, ReasonLastAdmin, nil)
	}
	return nil
}

func describeChanges(before, after *Account) string {
	var changed []string
	add := func(name string, differs bool) {
		if differs {
			changed = append(changed, name)
		}
	}
	add("username", before.Username != after.Username)
	add("name", before.Name != after.Name)
	add("contact_number", before.ContactNumber != after.ContactNumber)
	add("email", before.Email != after.Email)
	add("level", before.Level != after.Level)
	add("status", before.Status != after.Status)
	add("api_access", before.APIAccess != after.APIAccess)
	add("accessibility", before.Accessibility != after.Accessibility)
	add("timezone", before.Timezone != after.Timezone)
	add("language", before.Language != after.Language)
	add("storage_quota_mb", !sameOptional(before.StorageQuotaMB, after.StorageQuotaMB))
	add("reseller_plan_id", fmt.Sprint(before.ResellerPlanID) != fmt.Sprint(after.ResellerPlanID) &&
		!(before.ResellerPlanID != nil && after.ResellerPlanID != nil && *before.ResellerPlanID == *after.ResellerPlanID))
	sort.Strings(changed)
	return "changed=" + strings.Join(changed, ",")
}

// DeletePreview is what a delete will take away (docs/spec.md §4).
type DeletePreview struct {
	Account             *Account         `json:"account"`
	Services            []ServiceSummary `json:"services"`
	Files               int              `json:"files"`
	Bytes               int64            `json:"bytes"`
	CustomersReassigned []AccountRef     `json:"customers_reassigned"`
}

func (s *Accounts) DeletePreview(ctx context.Context, id int64) (DeletePreview, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return DeletePreview{}, err
	}
	acc, err := s.get(ctx, s.deps.Store, c, id)
	if err != nil {
		return DeletePreview{}, err
	}
	if err := s.mayDelete(c, acc); err != nil {
		return DeletePreview{}, err
	}
	if err := mayDeleteImposed(ctx, s.deps.Store, c, acc); err != nil {
		return DeletePreview{}, wrapErr(err)
	}
	out := DeletePreview{Account: acc}
	if out.Services, err = s.deps.Store.ServicesOwnedBy(ctx, id); err != nil {
		return DeletePreview{}, Internal(err)
	}
	if out.CustomersReassigned, err = s.deps.Store.AccountsOwnedBy(ctx, id); err != nil {
		return DeletePreview{}, Internal(err)
	}
	set, err := s.settings.current(ctx, s.deps.Store)
	if err != nil {
		return DeletePreview{}, err
	}
	if out.Files, out.Bytes, err = mediaStats(ctx, s.deps, set.ContentRoot, id); err != nil {
		s.deps.Log.Warn("media folder stats", "account_id", id, "err", err)
	}
	return out, nil
}

func (s *Accounts) mayDelete(c *Caller, acc *Account) error {
	switch {
	case c.Account.ID == acc.ID:
		return Forbidden("You cannot delete your own account.")
	case c.Impersonator != nil:
		return Forbidden("Deleting accounts is not possible while logged in as another account.")
	case !c.Account.IsAdmin() && !c.Account.IsReseller():
		return Forbidden("Only administrators and resellers can delete accounts.")
	}
	return nil
}

// Delete removes the account, its services and its media folder for good.
// confirm must be the account's username, as typed by the user.
//
// Crash safety: the folder is moved aside before the transaction and purged
// after commit. A crash in between leaves an aside folder that the start-up
// reconcile restores (account still there) or purges (account gone).
func (s *Accounts) Delete(ctx context.Context, id int64, confirm string) error {
	c, err := requireCaller(ctx)
	if err != nil {
		return err
	}
	acc, err := s.get(ctx, s.deps.Store, c, id)
	if err != nil {
		return err
	}
	if err := s.mayDelete(c, acc); err != nil {
		return err
	}
	if err := mayDeleteImposed(ctx, s.deps.Store, c, acc); err != nil {
		return wrapErr(err)
	}
	if confirm != acc.Username {
		return InvalidField("confirm", ReasonMismatch)
	}
	set, err := s.settings.current(ctx, s.deps.Store)
	if err != nil {
		return err
	}
	aside, err := s.deps.Folders.MoveAside(set.ContentRoot, id)
	if err != nil {
		return Unavailable("The media folder could not be moved; nothing was deleted.", err)
	}
	err = s.deps.Store.Write(ctx, func(tx Tx) error {
		current, err := tx.AccountByID(ctx, id)
		if err != nil {
			return err
		}
		if err := s.guardLastAdmin(ctx, tx, current, nil); err != nil {
			return err
		}
		if err := mayDeleteImposed(ctx, tx, c, current); err != nil {
			return err
		}
		// Queued before the delete: the event names the account as it was.
		if err := s.deps.webhooks.accountEvent(ctx, tx, EventAccountDeleted, current); err != nil {
			return err
		}
		if err := tx.DeleteAccount(ctx, id); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: s.deps.now(), Event: "account.delete", SubjectType: "account",
			SubjectID: fmt.Sprint(id), Details: "username=" + acc.Username}))
	})
	if err != nil {
		if rerr := s.deps.Folders.Restore(set.ContentRoot, id, aside); rerr != nil {
			s.deps.Log.Error("media folder not restored after failed delete", "account_id", id, "aside", aside, "err", rerr)
		}
		return wrapErr(err)
	}
	s.deps.webhooks.wake()
	if err := s.deps.Folders.Purge(aside); err != nil {
		// Reconcile purges it at the next start.
		s.deps.Log.Error("deleted account's folder not purged", "account_id", id, "err", err)
	}
	return nil
}

// SetPassword is the manual reset (admin, via Manage) and the console rescue.
type SetPasswordInput struct {
	Password        string `json:"password"`
	PasswordConfirm string `json:"password_confirm"`
}

func (s *Accounts) SetPassword(ctx context.Context, id int64, in SetPasswordInput) error {
	c, err := requireCaller(ctx)
	if err != nil {
		return err
	}
	acc, err := s.get(ctx, s.deps.Store, c, id)
	if err != nil {
		return err
	}
	if !c.Account.IsAdmin() && !(c.Account.IsReseller() && c.Account.ID != acc.ID) {
		return Forbidden("Only administrators can set another account's password.")
	}
	set, err := s.settings.current(ctx, s.deps.Store)
	if err != nil {
		return err
	}
	fields := &Problems{}
	CheckPassword("password", in.Password, in.PasswordConfirm, set.PasswordMinLength, fields)
	if !fields.Empty() {
		return fields.Err()
	}
	hash, err := hashSlot(ctx, in.Password)
	if err != nil {
		return Internal(err)
	}
	return wrapErr(s.deps.webhooks.after(s.deps.Store.Write(ctx, func(tx Tx) error {
		if err := tx.SetPasswordHash(ctx, id, hash, false); err != nil {
			return err
		}
		// Any password change ends the account's sessions (docs/spec.md §7), and lifts
		// a login throttle so the rescued user can log in at once.
		if err := tx.DeleteSessionsOf(ctx, id); err != nil {
			return err
		}
		if err := tx.ClearLoginThrottle(ctx, UsernameKey(acc.Username)); err != nil {
			return err
		}
		if err := s.deps.webhooks.passwordReset(ctx, tx, acc, "admin_set"); err != nil {
			return err
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: s.deps.now(), Event: "password.set", SubjectType: "account", SubjectID: fmt.Sprint(id)}))
	})))
}

// IDByUsername finds an account for the console (`castdesk admin reset-password USERNAME`).
func (s *Accounts) IDByUsername(ctx context.Context, username string) (int64, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return 0, err
	}
	acc, err := s.deps.Store.AccountByUsernameKey(ctx, UsernameKey(username))
	if err != nil {
		return 0, wrapErr(err)
	}
	return acc.ID, nil
}

func (s *Accounts) reconcileFolders(ctx context.Context) error {
	ids, err := s.deps.Store.AllAccountIDs(ctx)
	if err != nil {
		return err
	}
	existing := make(map[int64]bool, len(ids))
	for _, id := range ids {
		existing[id] = true
	}
	set, err := s.settings.current(ctx, s.deps.Store)
	if err != nil {
		return err
	}
	return s.deps.Folders.Reconcile(set.ContentRoot, existing)
}
