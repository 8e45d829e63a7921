package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"castdesk/backend/panel"
)

const apiKeyColumns = `id, account_id, name, prefix, hash, created_at, last_used_at, revoked_at`

func scanAPIKey(row interface{ Scan(...any) error }) (*panel.APIKey, error) {
	var k panel.APIKey
	var created int64
	var used, revoked sql.NullInt64
	if err := row.Scan(&k.ID, &k.AccountID, &k.Name, &k.Prefix, &k.Hash, &created, &used, &revoked); err != nil {
		return nil, err
	}
	k.CreatedAt, k.LastUsedAt, k.RevokedAt = fromMS(created), fromNullMS(used), fromNullMS(revoked)
	return &k, nil
}

func (q *queries) apiKeyWhere(ctx context.Context, where string, arg any) (*panel.APIKey, error) {
	k, err := scanAPIKey(q.db.QueryRowContext(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, panel.NotFound("API key")
	}
	return k, err
}

func (q *queries) APIKeyByHash(ctx context.Context, hash string) (*panel.APIKey, error) {
	return q.apiKeyWhere(ctx, `hash = ?`, hash)
}

func (q *queries) APIKeyByID(ctx context.Context, id int64) (*panel.APIKey, error) {
	return q.apiKeyWhere(ctx, `id = ?`, id)
}

func (q *queries) ListAPIKeys(ctx context.Context, accountID int64) ([]panel.APIKey, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+apiKeyColumns+` FROM api_keys
		WHERE account_id = ? AND revoked_at IS NULL ORDER BY id`, accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []panel.APIKey{}
	for rows.Next() {
		k, err := scanAPIKey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *k)
	}
	return out, rows.Err()
}

func (t *writeTx) InsertAPIKey(ctx context.Context, k *panel.APIKey) (int64, error) {
	res, err := t.db.ExecContext(ctx, `INSERT INTO api_keys (account_id, name, prefix, hash, created_at) VALUES (?,?,?,?,?)`,
		k.AccountID, k.Name, k.Prefix, k.Hash, ms(k.CreatedAt))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func (t *writeTx) RevokeAPIKey(ctx context.Context, id int64, at time.Time) error {
	_, err := t.db.ExecContext(ctx, `UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, ms(at), id)
	return err
}

func (t *writeTx) TouchAPIKey(ctx context.Context, id int64, at time.Time) error {
	_, err := t.db.ExecContext(ctx, `UPDATE api_keys SET last_used_at = ? WHERE id = ?`, ms(at), id)
	return err
}
