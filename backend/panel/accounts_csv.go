package panel

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// The customers list as CSV (docs/spec.md §12): export with the list's
// filters and sort, and import with a preview of every row's problems.

// CSVColumns are the columns an import reads (the header names them, in any
// order; only username, email and name are required).
var CSVColumns = []string{"username", "email", "name", "contact_number", "level", "status", "timezone", "language",
	"reseller_plan", "password", "password_hash", "api_access", "accessibility"}

// CSVExportColumns are what an export writes: the import's columns without
// the passwords, plus id and created_at (which an import ignores).
var CSVExportColumns = []string{"id", "username", "email", "name", "contact_number", "level", "status", "timezone", "language",
	"reseller_plan", "api_access", "accessibility", "created_at"}

// csvIgnored are columns an import accepts and skips (what an export adds).
var csvIgnored = map[string]bool{"id": true, "created_at": true}

const (
	// CSVMaxRows is the most rows one import takes.
	CSVMaxRows = 10000
	// CSVMaxBytes is the largest file an import reads.
	CSVMaxBytes = 16 << 20
	// CSVMaxChosenPasswords is the most rows of one import with a password
	// in clear. Each costs a full argon2id hash (about 50-150 ms of one core);
	// more would keep the request busy for minutes. Rows can carry a
	// password_hash instead (no hashing), or nothing (a temporary password).
	CSVMaxChosenPasswords = 200
)

// ImportCSVInput says what to do with the rows.
type ImportCSVInput struct {
	// DryRun checks every row and writes nothing.
	DryRun bool `json:"dry_run"`
	// OnlyValid writes the valid rows even when some are not; without it
	// nothing is written unless every row is valid.
	OnlyValid bool `json:"only_valid"`
}

// ImportRow is one data row's verdict. Fields and Params use the column
// names and the reasons of every other form.
type ImportRow struct {
	Line     int               `json:"line"`
	OK       bool              `json:"ok"`
	Username string            `json:"username"`
	Fields   map[string]Reason `json:"fields"`
	Params   map[string]Params `json:"params,omitempty"`
	// TemporaryPassword: the row has no password; the account gets a
	// temporary one, emailed, to be replaced at the first login.
	TemporaryPassword bool `json:"temporary_password"`
	// ID of the account created (0 on a dry run or when not written).
	ID int64 `json:"id"`
}

// ImportResult is the preview or the outcome of an import.
type ImportResult struct {
	Rows    []ImportRow `json:"rows"`
	Total   int         `json:"total"`
	Valid   int         `json:"valid"`
	Invalid int         `json:"invalid"`
	// Created is how many accounts were written (0 on a dry run, and when
	// some row is invalid without only_valid).
	Created int  `json:"created"`
	DryRun  bool `json:"dry_run"`
	// MailConfigured: temporary passwords are sent now; otherwise they wait
	// in the outbox until email is set up.
	MailConfigured bool `json:"mail_configured"`
}

// csvRow is a parsed data row and the account it would create.
type csvRow struct {
	out      *ImportRow
	acc      *Account
	password string // chosen, in clear (hashed before the write)
	temp     bool
}

// ImportCSV reads a CSV of accounts and creates them: admins anything,
// a reseller only its own customers (no admins, no plans).
func (s *Accounts) ImportCSV(ctx context.Context, r io.Reader, in ImportCSVInput) (ImportResult, error) {
	c, err := requireCaller(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	if !c.Account.IsAdmin() && !c.Account.IsReseller() {
		return ImportResult{}, Forbidden("Only administrators and resellers can import accounts.")
	}
	set, err := s.settings.current(ctx, s.deps.Store)
	if err != nil {
		return ImportResult{}, err
	}
	rows, err := s.parseCSV(ctx, c, r, set)
	if err != nil {
		return ImportResult{}, err
	}
	res := ImportResult{Rows: make([]ImportRow, 0, len(rows)), Total: len(rows), DryRun: in.DryRun, MailConfigured: set.emailConfigured()}
	chosen := 0
	for _, row := range rows {
		if row.out.OK {
			res.Valid++
			if row.password != "" {
				chosen++
			}
		} else {
			res.Invalid++
		}
	}
	if chosen > CSVMaxChosenPasswords {
		return ImportResult{}, InvalidField("password", ReasonTooBig, Params{"max": CSVMaxChosenPasswords})
	}
	write := !in.DryRun && res.Valid > 0 && (res.Invalid == 0 || in.OnlyValid)
	if write {
		if err := s.writeImport(ctx, c, rows); err != nil {
			return ImportResult{}, err
		}
		for _, row := range rows {
			if row.out.OK {
				res.Created++
			}
		}
	}
	for _, row := range rows {
		res.Rows = append(res.Rows, *row.out)
	}
	return res, nil
}

// parseCSV reads the header and every row, checking each row as a create
// would: fields, uniqueness (in the file and in the desk), rights.
func (s *Accounts) parseCSV(ctx context.Context, c *Caller, r io.Reader, set SystemSettings) ([]*csvRow, error) {
	body, err := io.ReadAll(io.LimitReader(r, CSVMaxBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > CSVMaxBytes {
		return nil, InvalidField("csv", ReasonTooBig, Params{"max": CSVMaxBytes})
	}
	body = bytes.TrimPrefix(body, []byte("\ufeff"))
	if !utf8.Valid(body) {
		return nil, InvalidField("csv", ReasonInvalid)
	}
	cr := csv.NewReader(bytes.NewReader(body))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, InvalidField("csv", ReasonRequired)
	}
	if err != nil {
		return nil, InvalidField("csv", ReasonInvalid, csvLine(err))
	}
	col := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[name]; dup || (!csvIgnored[name] && !csvHas(CSVColumns, name)) {
			return nil, InvalidField("columns", ReasonInvalid, Params{"column": h})
		}
		col[name] = i
	}
	for _, need := range []string{"username", "email", "name"} {
		if _, ok := col[need]; !ok {
			return nil, InvalidField("columns", ReasonRequired, Params{"column": need})
		}
	}
	plans, err := s.deps.Store.ListPlans(ctx)
	if err != nil {
		return nil, Internal(err)
	}
	seen := map[string]int{} // username key -> line
	var rows []*csvRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, InvalidField("csv", ReasonInvalid, csvLine(err))
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // an empty line
		}
		if len(rows) == CSVMaxRows {
			return nil, InvalidField("csv", ReasonTooBig, Params{"max": CSVMaxRows})
		}
		get := func(name string) string {
			i, ok := col[name]
			if !ok || i >= len(rec) {
				return ""
			}
			return csvUnescape(strings.TrimSpace(rec[i]))
		}
		row := s.checkRow(ctx, c, get, plans, set, seen, line)
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, InvalidField("csv", ReasonRequired)
	}
	return rows, nil
}

func (s *Accounts) checkRow(ctx context.Context, c *Caller, get func(string) string, plans []Plan, set SystemSettings,
	seen map[string]int, line int) *csvRow {
	fields := &Problems{}
	acc := &Account{Username: get("username"), Name: get("name"), Email: get("email"), ContactNumber: get("contact_number"),
		Level: Level(get("level")), Status: Status(get("status")), Timezone: get("timezone"), Language: get("language")}
	if acc.Level == "" {
		acc.Level = LevelCustomer
	}
	if acc.Status == "" {
		acc.Status = StatusEnabled
	}
	if acc.Language == "" {
		acc.Language = "en"
	}
	validateUsername(acc.Username, fields)
	validateName(acc.Name, fields)
	validateEmail(acc.Email, fields)
	validateContact(acc.ContactNumber, fields)
	validateLevel(acc.Level, fields)
	validateStatus(acc.Status, fields)
	validateTimezone("timezone", acc.Timezone, fields)
	validateLanguage(acc.Language, fields)
	if !fields.Has("username") {
		key := UsernameKey(acc.Username)
		if first, dup := seen[key]; dup {
			fields.Add("username", ReasonTaken, Params{"line": first})
		} else {
			seen[key] = line
			if _, err := s.deps.Store.AccountByUsernameKey(ctx, key); err == nil {
				fields.Add("username", ReasonTaken)
			}
		}
	}
	for _, b := range []struct {
		col string
		dst *bool
	}{{"api_access", &acc.APIAccess}, {"accessibility", &acc.Accessibility}} {
		v, ok := parseCSVBool(get(b.col))
		if !ok {
			fields.Add(b.col, ReasonInvalid)
		}
		*b.dst = v
	}
	if name := get("reseller_plan"); name != "" {
		if p := planNamed(plans, name); p != nil {
			id := p.ID
			acc.ResellerPlanID, acc.ResellerPlanName = &id, p.Name
		} else {
			fields.Add("reseller_plan", ReasonInvalid)
		}
	}
	if !c.Account.IsAdmin() {
		// A reseller imports its own customers only.
		if acc.Level != LevelCustomer {
			fields.Add("level", ReasonForbidden)
		}
		if get("reseller_plan") != "" {
			fields.Add("reseller_plan", ReasonForbidden)
		}
		owner := c.Account.ID
		acc.OwnerID = &owner
	}
	row := &csvRow{acc: acc, out: &ImportRow{Line: line, Username: acc.Username}}
	pw, hash := get("password"), get("password_hash")
	switch {
	case pw != "" && hash != "":
		fields.Add("password_hash", ReasonInvalid)
	case pw != "":
		CheckPassword("password", pw, pw, set.PasswordMinLength, fields)
		row.password = pw
	case hash != "":
		if !ValidPasswordHash(hash) {
			fields.Add("password_hash", ReasonInvalid)
		}
		acc.PasswordHash = hash
	default:
		row.temp = true
		row.out.TemporaryPassword = true
	}
	row.out.OK = fields.Empty()
	row.out.Fields = fields.Fields
	if row.out.Fields == nil {
		row.out.Fields = map[string]Reason{}
	}
	row.out.Params = fields.Params
	return row
}

// writeImport hashes what needs hashing, then writes every valid row in one
// transaction: the accounts, their temporary-password emails, the audit.
func (s *Accounts) writeImport(ctx context.Context, c *Caller, rows []*csvRow) error {
	var valid []*csvRow
	for _, row := range rows {
		if row.out.OK {
			valid = append(valid, row)
		}
	}
	// Chosen passwords: the full argon2id cost, a few at a time, behind any
	// login (bulkHashSlot).
	var wg sync.WaitGroup
	errs := make([]error, len(valid))
	for i, row := range valid {
		if row.password == "" {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			row.acc.PasswordHash, errs[i] = bulkHashSlot(ctx, row.password)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return Internal(err)
	}
	// Temporary passwords: 80 random bits each. Guessing one is hopeless
	// whatever the hash, so the write does not pay 10,000 full hashes: they
	// get argon2id at its smallest cost (cheapHash). A login against such a
	// hash is padded to today's cost (VerifyPassword), so it does not stand
	// out by its speed, and the account must choose its own password (hashed
	// at full cost) at its first login.
	temps := map[int64]string{}
	tempOf := map[*csvRow]string{}
	for _, row := range valid {
		if !row.temp {
			continue
		}
		pw, err := randomBase32(tempPasswordLen)
		if err != nil {
			return Internal(err)
		}
		pw = pw[:4] + "-" + pw[4:8] + "-" + pw[8:12] + "-" + pw[12:]
		if row.acc.PasswordHash, err = cheapHash(pw); err != nil {
			return Internal(err)
		}
		row.acc.MustChangePassword = true
		tempOf[row] = pw
	}
	now := s.deps.now()
	queued := false
	err := s.deps.Store.Write(ctx, func(tx Tx) error {
		for _, row := range valid {
			row.acc.CreatedAt, row.acc.UpdatedAt = now, now
			id, err := tx.InsertAccount(ctx, row.acc)
			if err != nil {
				if pe := AsError(err); pe.Code == CodeInvalid {
					// Taken since the check: say which row.
					return &Error{Code: CodeConflict, Message: fmt.Sprintf("Line %d: %s", row.out.Line, pe.Message),
						Fields: map[string]Reason{"username": ReasonTaken}, Params: map[string]Params{"username": {"line": row.out.Line}}}
				}
				return err
			}
			row.acc.ID, row.out.ID = id, id
			if row.temp {
				if _, err := s.mail.queueTemplate(ctx, tx, row.acc, TemplateTempPassword, map[string]string{"password": tempOf[row]}, true,
					c.Account.Username); err != nil {
					return err
				}
				temps[id] = tempOf[row]
				queued = true
			}
			if err := tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "account.create", SubjectType: "account",
				SubjectID: fmt.Sprint(id), Details: fmt.Sprintf("username=%s level=%s status=%s via=csv_import line=%d",
					row.acc.Username, row.acc.Level, row.acc.Status, row.out.Line)})); err != nil {
				return err
			}
		}
		return tx.InsertAudit(ctx, c.audit(AuditEntry{At: now, Event: "accounts.import", SubjectType: "accounts",
			Details: fmt.Sprintf("created=%d temporary_passwords=%d", len(valid), len(temps))}))
	})
	if err != nil {
		for _, row := range valid {
			row.out.ID = 0
		}
		return wrapErr(err)
	}
	if queued {
		s.mail.wake()
	}
	set, err := s.settings.current(ctx, s.deps.Store)
	if err == nil {
		for _, row := range valid {
			if err := s.deps.Folders.Create(set.ContentRoot, row.acc.ID); err != nil {
				s.deps.Log.Error("media folder not created", "account_id", row.acc.ID, "err", err)
			}
		}
	}
	return nil
}

// cheapHash is argon2id at its smallest cost (8 KiB, one pass): for random
// secrets of 80 bits only, never for a password a person chose.
func cheapHash(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, 1, 8, 1, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, 8, 1, 1, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

func planNamed(plans []Plan, name string) *Plan {
	for i := range plans {
		if plans[i].Name == name {
			return &plans[i]
		}
	}
	var found *Plan
	for i := range plans {
		if strings.EqualFold(plans[i].Name, name) {
			if found != nil {
				return nil // ambiguous
			}
			found = &plans[i]
		}
	}
	return found
}

func parseCSVBool(v string) (bool, bool) {
	switch strings.ToLower(v) {
	case "", "false", "no", "0", "off":
		return false, true
	case "true", "yes", "1", "on":
		return true, true
	}
	return false, false
}

func csvLine(err error) Params {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Params{"line": pe.Line}
	}
	return nil
}

func csvHas(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// csvEscape keeps a spreadsheet from reading a cell as a formula: a cell
// that starts with = + - @ or a tab gets a leading apostrophe, which
// csvUnescape takes off again on import.
func csvEscape(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

func csvUnescape(v string) string {
	if len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(v[1])) {
		return v[1:]
	}
	return v
}

// ExportCSV writes the accounts the caller may see, with the customers
// list's filters and sort, every row (page after page of the list), as
// UTF-8 CSV with a header (and a byte-order mark, for spreadsheets).
// Nothing is written when the filters are refused.
func (s *Accounts) ExportCSV(ctx context.Context, in ListAccountsInput, w io.Writer) error {
	in.Cursor, in.Limit = "", listMaxLimit
	page, err := s.List(ctx, in)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	cw := csv.NewWriter(bw)
	bw.WriteString("\ufeff")
	cw.Write(CSVExportColumns)
	for {
		for _, a := range page.Items {
			cw.Write([]string{fmt.Sprint(a.ID), csvEscape(a.Username), csvEscape(a.Email), csvEscape(a.Name), csvEscape(a.ContactNumber),
				string(a.Level), string(a.Status), a.Timezone, a.Language, csvEscape(a.ResellerPlanName),
				fmt.Sprint(a.APIAccess), fmt.Sprint(a.Accessibility), a.CreatedAt.UTC().Format(time.RFC3339)})
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		if page.NextCursor == "" {
			return nil
		}
		in.Cursor = page.NextCursor
		if page, err = s.List(ctx, in); err != nil {
			return err
		}
	}
}
