package sqlite

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"castdesk/backend/panel"
)

// accountColumns read the plan's name with a subquery rather than a LEFT
// JOIN of plans: the join made every read of one account several times
// slower on SQLite (make bench: one record by ID), the subquery costs one
// primary-key lookup, none without a plan.
const accountColumns = `a.id, a.username, a.password_hash, a.name, a.contact_number, a.email, a.level, a.status,
	a.api_access, a.accessibility, a.timezone, a.language, a.reseller_plan_id,
	COALESCE((SELECT p.name FROM plans p WHERE p.id = a.reseller_plan_id), ''), a.owner_id,
	a.must_change_password, a.created_at, a.updated_at, a.last_login_at,
	(SELECT count(*) FROM services s WHERE s.owner_id = a.id), a.storage_quota_mb`

const accountFrom = ` FROM accounts a`

type scanner interface{ Scan(dest ...any) error }

func scanAccount(row scanner) (*panel.Account, error) {
	var a panel.Account
	dest, done := accountDest(&a)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	done()
	return &a, nil
}

// accountDest is where a row of accountColumns scans into a, and what
// completes a once scanned (a statement that reads more than the account
// appends its own columns).
func accountDest(a *panel.Account) (dest []any, done func()) {
	var plan, owner, lastLogin, quota sql.NullInt64
	var created, updated int64
	return []any{&a.ID, &a.Username, &a.PasswordHash, &a.Name, &a.ContactNumber, &a.Email, &a.Level, &a.Status,
			&a.APIAccess, &a.Accessibility, &a.Timezone, &a.Language, &plan, &a.ResellerPlanName, &owner,
			&a.MustChangePassword, &created, &updated, &lastLogin, &a.ServicesCount, &quota},
		func() {
			a.StorageQuotaMB = fromNullInt(quota)
			a.ResellerPlanID, a.OwnerID, a.LastLoginAt = fromNullID(plan), fromNullID(owner), fromNullMS(lastLogin)
			a.CreatedAt, a.UpdatedAt = fromMS(created), fromMS(updated)
		}
}

func (q *queries) accountWhere(ctx context.Context, where string, args ...any) (*panel.Account, error) {
	a, err := scanAccount(q.db.QueryRowContext(ctx, `SELECT `+accountColumns+accountFrom+` WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, panel.NotFound("Account")
	}
	return a, err
}

func (q *queries) AccountByID(ctx context.Context, id int64) (*panel.Account, error) {
	return q.accountWhere(ctx, `a.id = ?`, id)
}

func (q *queries) AccountByUsernameKey(ctx context.Context, key string) (*panel.Account, error) {
	return q.accountWhere(ctx, `a.username_key = ?`, key)
}

func (q *queries) CountAccounts(ctx context.Context) (int, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM accounts`).Scan(&n)
	return n, err
}

func (q *queries) CountEnabledAdmins(ctx context.Context, excludingID int64) (int, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM accounts WHERE level = 'admin' AND status = 'enabled' AND id <> ?`, excludingID).Scan(&n)
	return n, err
}

func (q *queries) AllAccountIDs(ctx context.Context) ([]int64, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT id FROM accounts`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func (q *queries) AccountsOwnedBy(ctx context.Context, ownerID int64) ([]panel.AccountRef, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT id, username, name FROM accounts WHERE owner_id = ? ORDER BY id`, ownerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []panel.AccountRef{}
	for rows.Next() {
		var r panel.AccountRef
		if err := rows.Scan(&r.ID, &r.Username, &r.Name); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// sortColumns maps the list's sort names to indexed columns.
var sortColumns = map[string]string{
	"id": "a.id", "username": "a.username_key", "name": "a.name_key", "email": "a.email_key", "created_at": "a.created_at",
}

// cursor is the keyset position: the sort value and id of the last row shown.
type cursor struct {
	Sort  string `json:"s"`
	Value any    `json:"v"`
	ID    int64  `json:"i"`
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s, sort string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		d := json.NewDecoder(strings.NewReader(string(b)))
		d.UseNumber()
		err = d.Decode(&c)
	}
	if err != nil || c.Sort != sort {
		return c, panel.InvalidField("cursor", panel.ReasonInvalid)
	}
	if n, ok := c.Value.(json.Number); ok {
		v, err := n.Int64()
		if err != nil {
			return c, panel.InvalidField("cursor", panel.ReasonInvalid)
		}
		c.Value = v
	}
	return c, nil
}

// searchMatches is the set of IDs a search of three characters or more
// matches: the ID itself and the trigram index's substring hits. It is
// materialized once per statement (with), so the count and the page share
// one pass of the FTS match, and the page is read from the matched rows
// rather than by walking the sort index and testing each row.
//
// An address is looked up by the part that tells accounts apart: the
// trigrams of a whole address include its domain's, which most accounts
// share, and each of those is a long list to intersect (measured at 100,000
// accounts: 4-9x the time of the part before the @). So a query with an @
// matches the index on its text up to one character past the @, and the
// few rows found are checked for the whole query. For ASCII text that check
// (instr of lower) is the index's own rule, case-insensitive substring in
// one column; other text keeps the whole phrase.
func searchMatches(q string) (with string, args []any) {
	id, _ := strconv.ParseInt(q, 10, 64)
	if head, ok := addressHead(q); ok {
		lq := strings.ToLower(q)
		return `WITH m(id) AS MATERIALIZED (SELECT rowid FROM accounts_fts WHERE accounts_fts MATCH ?
			AND (instr(lower(email), ?) OR instr(lower(username), ?) OR instr(lower(name), ?)) UNION SELECT ?) `,
			[]any{ftsPhrase(head), lq, lq, lq, id}
	}
	return `WITH m(id) AS MATERIALIZED (SELECT rowid FROM accounts_fts WHERE accounts_fts MATCH ? UNION SELECT ?) `,
		[]any{ftsPhrase(q), id}
}

// ftsPhrase quotes s as one FTS5 phrase: with the trigram tokenizer, a
// case-insensitive substring.
func ftsPhrase(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// addressHead returns the part of an ASCII query q up to one character past
// its first @, when that part is shorter than q and long enough for the
// trigram index (3 characters).
func addressHead(q string) (string, bool) {
	at := strings.IndexByte(q, '@')
	if at < 0 || at+2 >= len(q) || at+2 < 3 {
		return "", false
	}
	for i := 0; i < len(q); i++ {
		if q[i] >= 0x80 {
			return "", false
		}
	}
	return q[:at+2], true
}

// searchCondition matches q against the ID exactly and as a substring of
// username, name or email. Three characters or more use the trigram index
// (searchMatches); shorter queries match as prefixes on the sorted indexes.
func searchCondition(q string) (string, []any) {
	id, _ := strconv.ParseInt(q, 10, 64)
	if utf8.RuneCountInString(q) >= 3 {
		return `a.id IN (SELECT id FROM m)`, nil
	}
	lo := strings.ToLower(q)
	hi := lo + "\U0010FFFF"
	return `(a.id = ? OR (a.username_key >= ? AND a.username_key < ?) OR (a.name_key >= ? AND a.name_key < ?) OR (a.email_key >= ? AND a.email_key < ?))`,
		[]any{id, lo, hi, lo, hi, lo, hi}
}

func (q *queries) ListAccounts(ctx context.Context, in panel.AccountQuery) (panel.AccountPage, error) {
	desc := strings.HasPrefix(in.Sort, "-")
	key := strings.TrimPrefix(in.Sort, "-")
	col, ok := sortColumns[key]
	if !ok {
		return panel.AccountPage{}, panel.InvalidField("sort", panel.ReasonInvalid)
	}
	var where []string
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	if in.Level != "" {
		add(`a.level = ?`, string(in.Level))
	}
	if in.Status != "" {
		add(`a.status = ?`, string(in.Status))
	}
	if in.ResellerID > 0 {
		add(`a.owner_id = ?`, in.ResellerID)
	}
	if in.ScopeOwnerID > 0 {
		add(`(a.owner_id = ? OR a.id = ?)`, in.ScopeOwnerID, in.ScopeOwnerID)
	}
	if in.ScopeSelfID > 0 {
		add(`a.id = ?`, in.ScopeSelfID)
	}
	with, withArgs := "", []any(nil)
	if in.Q != "" {
		cond, a := searchCondition(in.Q)
		add(cond, a...)
		if utf8.RuneCountInString(in.Q) >= 3 {
			with, withArgs = searchMatches(in.Q)
		}
	}
	filter := ""
	if len(where) > 0 {
		filter = " WHERE " + strings.Join(where, " AND ")
	}
	var page panel.AccountPage
	// One statement: the total is an uncorrelated subquery (run once) read
	// beside the page's rows; only an empty page needs the count alone.
	countSQL := `SELECT count(*) FROM accounts a` + filter
	countArgs := slices.Clone(args)
	args = append(slices.Clone(withArgs), args...)
	pageArgs := slices.Clone(countArgs)

	if in.Cursor != "" {
		c, err := decodeCursor(in.Cursor, in.Sort)
		if err != nil {
			return page, err
		}
		op := ">"
		if desc {
			op = "<"
		}
		cond := "(" + col + ", a.id) " + op + " (?, ?)"
		if key == "id" {
			cond = "a.id " + op + " ?"
			pageArgs = append(pageArgs, c.ID)
		} else {
			pageArgs = append(pageArgs, c.Value, c.ID)
		}
		if filter == "" {
			filter = " WHERE " + cond
		} else {
			filter += " AND " + cond
		}
	}
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	order := " ORDER BY " + col + dir
	if key != "id" {
		order += ", a.id" + dir
	}
	args = append(args, pageArgs...)
	args = append(args, in.Limit+1)
	rows, err := q.db.QueryContext(ctx, with+`SELECT `+accountColumns+`, `+col+`, (`+countSQL+`)`+accountFrom+filter+order+` LIMIT ?`, args...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	page.Items = []panel.Account{}
	var lastValue any
	counted := false
	for rows.Next() {
		var a panel.Account
		var plan, owner, lastLogin, quota sql.NullInt64
		var created, updated int64
		var sortValue any
		if err := rows.Scan(&a.ID, &a.Username, &a.PasswordHash, &a.Name, &a.ContactNumber, &a.Email, &a.Level, &a.Status,
			&a.APIAccess, &a.Accessibility, &a.Timezone, &a.Language, &plan, &a.ResellerPlanName, &owner,
			&a.MustChangePassword, &created, &updated, &lastLogin, &a.ServicesCount, &quota, &sortValue, &page.Total); err != nil {
			return page, err
		}
		counted = true
		a.StorageQuotaMB = fromNullInt(quota)
		a.ResellerPlanID, a.OwnerID, a.LastLoginAt = fromNullID(plan), fromNullID(owner), fromNullMS(lastLogin)
		a.CreatedAt, a.UpdatedAt = fromMS(created), fromMS(updated)
		if len(page.Items) == in.Limit {
			page.NextCursor = encodeCursor(cursor{Sort: in.Sort, Value: lastValue, ID: page.Items[len(page.Items)-1].ID})
			break
		}
		page.Items = append(page.Items, a)
		if b, ok := sortValue.([]byte); ok {
			sortValue = string(b)
		}
		lastValue = sortValue
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	if !counted && in.Cursor != "" {
		// Past the last row: the total still counts the whole result.
		rows.Close()
		err = q.db.QueryRowContext(ctx, with+countSQL, append(slices.Clone(withArgs), countArgs...)...).Scan(&page.Total)
	}
	return page, err
}

func (t *writeTx) InsertAccount(ctx context.Context, a *panel.Account) (int64, error) {
	t.accountWrites++
	res, err := t.db.ExecContext(ctx, `INSERT INTO accounts (username, username_key, password_hash, name, name_key,
		contact_number, email, email_key, level, status, api_access, accessibility, timezone, language,
		reseller_plan_id, owner_id, must_change_password, created_at, updated_at, last_login_at, storage_quota_mb)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		a.Username, panel.UsernameKey(a.Username), a.PasswordHash, a.Name, strings.ToLower(a.Name),
		a.ContactNumber, a.Email, strings.ToLower(a.Email), string(a.Level), string(a.Status), a.APIAccess, a.Accessibility,
		a.Timezone, a.Language, nullID(a.ResellerPlanID), nullID(a.OwnerID), a.MustChangePassword,
		ms(a.CreatedAt), ms(a.UpdatedAt), nullMS(a.LastLoginAt), nullInt(a.StorageQuotaMB))
	if isUnique(err) {
		return 0, panel.InvalidField("username", panel.ReasonTaken)
	}
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func (t *writeTx) UpdateAccount(ctx context.Context, a *panel.Account) error {
	t.accountWrites++
	_, err := t.db.ExecContext(ctx, `UPDATE accounts SET username = ?, username_key = ?, name = ?, name_key = ?,
		contact_number = ?, email = ?, email_key = ?, level = ?, status = ?, api_access = ?, accessibility = ?,
		timezone = ?, language = ?, reseller_plan_id = ?, storage_quota_mb = ?, updated_at = ? WHERE id = ?`,
		a.Username, panel.UsernameKey(a.Username), a.Name, strings.ToLower(a.Name), a.ContactNumber, a.Email,
		strings.ToLower(a.Email), string(a.Level), string(a.Status), a.APIAccess, a.Accessibility, a.Timezone,
		a.Language, nullID(a.ResellerPlanID), nullInt(a.StorageQuotaMB), ms(a.UpdatedAt), a.ID)
	if isUnique(err) {
		return panel.InvalidField("username", panel.ReasonTaken)
	}
	return err
}

func (t *writeTx) SetPasswordHash(ctx context.Context, id int64, hash string, mustChange bool) error {
	_, err := t.db.ExecContext(ctx, `UPDATE accounts SET password_hash = ?, must_change_password = ? WHERE id = ?`, hash, mustChange, id)
	return err
}

func (t *writeTx) SetLastLogin(ctx context.Context, id int64, at time.Time) error {
	_, err := t.db.ExecContext(ctx, `UPDATE accounts SET last_login_at = ? WHERE id = ?`, ms(at), id)
	return err
}

func (t *writeTx) DeleteAccount(ctx context.Context, id int64) error {
	t.accountWrites++
	// services and sessions go by ON DELETE CASCADE; owned accounts move to
	// the top level by ON DELETE SET NULL.
	_, err := t.db.ExecContext(ctx, `DELETE FROM accounts WHERE id = ?`, id)
	return err
}

func (q *queries) AccountsByLogin(ctx context.Context, login string) ([]panel.Account, error) {
	key := strings.ToLower(strings.TrimSpace(login))
	if a, err := q.AccountByUsernameKey(ctx, key); err == nil {
		return []panel.Account{*a}, nil
	} else if !panel.IsCode(err, panel.CodeNotFound) {
		return nil, err
	}
	rows, err := q.db.QueryContext(ctx, `SELECT `+accountColumns+accountFrom+` WHERE a.email_key = ? ORDER BY a.id LIMIT 20`, key)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []panel.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}
