package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"castdesk/backend/panel"
)

const apiKeyColumns = `id, account_id, name, prefix, hash, created_at, last_used_at, revoked_at,
	scopes, expires_at, allowed_ips, last_used_ip, expiry_warned_at`

func scanAPIKey(row interface{ Scan(...any) error }) (*panel.APIKey, error) {
	var k panel.APIKey
	var created int64
	var used, revoked, expires, warned sql.NullInt64
	var scopes, allowed string
	if err := row.Scan(&k.ID, &k.AccountID, &k.Name, &k.Prefix, &k.Hash, &created, &used, &revoked,
		&scopes, &expires, &allowed, &k.LastUsedIP, &warned); err != nil {
		return nil, err
	}
	k.CreatedAt, k.LastUsedAt, k.RevokedAt = fromMS(created), fromNullMS(used), fromNullMS(revoked)
	k.ExpiresAt, k.ExpiryWarnedAt = fromNullMS(expires), fromNullMS(warned)
	k.Scopes, k.AllowedIPs = splitList(scopes), splitList(allowed)
	return &k, nil
}

// splitList reads a comma-separated list column ("" is an empty list).
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func joinList(l []string) string { return strings.Join(l, ",") }

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

func (q *queries) listAPIKeys(ctx context.Context, where string, args ...any) ([]panel.APIKey, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+apiKeyColumns+` FROM api_keys WHERE `+where, args...)
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

func (q *queries) ListAPIKeys(ctx context.Context, accountID int64) ([]panel.APIKey, error) {
	return q.listAPIKeys(ctx, `account_id = ? AND revoked_at IS NULL ORDER BY id`, accountID)
}

func (q *queries) APIKeysExpiringBefore(ctx context.Context, t time.Time) ([]panel.APIKey, error) {
	return q.listAPIKeys(ctx, `revoked_at IS NULL AND expires_at IS NOT NULL AND expiry_warned_at IS NULL
		AND expires_at < ? ORDER BY expires_at, id`, ms(t))
}

func (t *writeTx) InsertAPIKey(ctx context.Context, k *panel.APIKey) (int64, error) {
	res, err := t.db.ExecContext(ctx, `INSERT INTO api_keys (account_id, name, prefix, hash, created_at,
		scopes, expires_at, allowed_ips) VALUES (?,?,?,?,?,?,?,?)`,
		k.AccountID, k.Name, k.Prefix, k.Hash, ms(k.CreatedAt), joinList(k.Scopes), nullMS(k.ExpiresAt), joinList(k.AllowedIPs))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func (t *writeTx) UpdateAPIKey(ctx context.Context, k *panel.APIKey) error {
	_, err := t.db.ExecContext(ctx, `UPDATE api_keys SET name = ?, scopes = ?, expires_at = ?, allowed_ips = ?,
		expiry_warned_at = ? WHERE id = ?`,
		k.Name, joinList(k.Scopes), nullMS(k.ExpiresAt), joinList(k.AllowedIPs), nullMS(k.ExpiryWarnedAt), k.ID)
	return err
}

func (t *writeTx) RevokeAPIKey(ctx context.Context, id int64, at time.Time) error {
	_, err := t.db.ExecContext(ctx, `UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, ms(at), id)
	return err
}

func (t *writeTx) TouchAPIKey(ctx context.Context, id int64, at time.Time, client string) error {
	_, err := t.db.ExecContext(ctx, `UPDATE api_keys SET last_used_at = ?, last_used_ip = ? WHERE id = ?`, ms(at), client, id)
	return err
}

func (t *writeTx) MarkAPIKeyWarned(ctx context.Context, id int64, at time.Time) error {
	_, err := t.db.ExecContext(ctx, `UPDATE api_keys SET expiry_warned_at = ? WHERE id = ?`, ms(at), id)
	return err
}
