package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"castdesk/backend/panel"
)

func (q *queries) PasswordReset(ctx context.Context, codeHash string) (panel.PasswordReset, error) {
	var r panel.PasswordReset
	var created, expires int64
	err := q.db.QueryRowContext(ctx, `SELECT code_hash, account_id, created_at, expires_at FROM password_resets WHERE code_hash = ?`,
		codeHash).Scan(&r.CodeHash, &r.AccountID, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return r, panel.NotFound("Reset code")
	}
	r.CreatedAt, r.ExpiresAt = fromMS(created), fromMS(expires)
	return r, err
}

func (t *writeTx) ReplacePasswordReset(ctx context.Context, r panel.PasswordReset) error {
	if _, err := t.db.ExecContext(ctx, `DELETE FROM password_resets WHERE account_id = ?`, r.AccountID); err != nil {
		return err
	}
	_, err := t.db.ExecContext(ctx, `INSERT INTO password_resets (code_hash, account_id, created_at, expires_at) VALUES (?,?,?,?)`,
		r.CodeHash, r.AccountID, ms(r.CreatedAt), ms(r.ExpiresAt))
	return err
}

func (t *writeTx) DeletePasswordResets(ctx context.Context, accountID int64) error {
	_, err := t.db.ExecContext(ctx, `DELETE FROM password_resets WHERE account_id = ?`, accountID)
	return err
}
