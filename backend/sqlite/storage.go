package sqlite

import (
	"context"
	"errors"
	"syscall"

	sqlite3 "github.com/mattn/go-sqlite3"

	"castdesk/backend/panel"
)

func (q *queries) CustomerQuotaTotal(ctx context.Context, resellerID, exceptID int64, defaultMB *int) (int64, error) {
	var n int64
	err := q.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(COALESCE(storage_quota_mb, ?)), 0) FROM accounts
		WHERE owner_id = ? AND id <> ?`, nullInt(defaultMB), resellerID, exceptID).Scan(&n)
	return n, err
}

// overQuotaFrom: accounts whose indexed bytes exceed their quota (their own,
// else the default; neither: unlimited, and NULL compares false).
const overQuotaFrom = ` FROM media_totals t JOIN accounts a ON a.id = t.account_id
	WHERE t.bytes > COALESCE(a.storage_quota_mb, ?1) * 1048576`

func (q *queries) AccountsOverQuota(ctx context.Context, defaultMB *int, limit int) ([]panel.StorageUse, int, error) {
	def := nullInt(defaultMB)
	var total int
	if err := q.db.QueryRowContext(ctx, `SELECT count(*)`+overQuotaFrom, def).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := q.db.QueryContext(ctx, `SELECT a.id, a.username, a.name, t.bytes, COALESCE(a.storage_quota_mb, ?1) * 1048576 AS quota`+
		overQuotaFrom+` ORDER BY t.bytes - quota DESC, a.id LIMIT ?2`, def, limit)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []panel.StorageUse{}
	for rows.Next() {
		var u panel.StorageUse
		if err := rows.Scan(&u.ID, &u.Username, &u.Name, &u.Bytes, &u.QuotaBytes); err != nil {
			return nil, 0, err
		}
		out = append(out, u)
	}
	return out, total, rows.Err()
}

// noSpace tells a write that failed for lack of disk space ("database or
// disk is full", SQLITE_FULL, or an I/O error whose errno is ENOSPC) as
// panel.DiskFull, so the doors answer unavailable, not internal.
func noSpace(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && (se.Code == sqlite3.ErrFull ||
		se.Code == sqlite3.ErrIoErr && (se.SystemErrno == syscall.ENOSPC || panel.IsNoSpace(se.SystemErrno))) {
		return panel.DiskFull(errors.Join(panel.ErrNoSpace, err))
	}
	return err
}
