package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"castdesk/backend/panel"
)

func (q *queries) ServicesOwnedBy(ctx context.Context, ownerID int64) ([]panel.ServiceSummary, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT id, name, type, port, status FROM services WHERE owner_id = ? ORDER BY id`, ownerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []panel.ServiceSummary{}
	for rows.Next() {
		var s panel.ServiceSummary
		if err := rows.Scan(&s.ID, &s.Name, &s.Type, &s.Port, &s.Status); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func (q *queries) PlanName(ctx context.Context, id int64) (string, error) {
	var name string
	err := q.db.QueryRowContext(ctx, `SELECT name FROM plans WHERE id = ?`, id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", panel.NotFound("Plan")
	}
	return name, err
}

func (q *queries) SessionByHash(ctx context.Context, hash string) (*panel.Session, error) {
	s, err := scanSession(q.db.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, panel.NotFound("Session")
	}
	return s, err
}

func (t *writeTx) InsertSession(ctx context.Context, s *panel.Session) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO sessions (hash, account_id, impersonator_id, created_at, expires_at, last_seen_at,
		public_id, address, user_agent, must_enrol) VALUES (?,?,?,?,?,?,?,?,?,?)`, s.Hash, s.AccountID, nullID(s.ImpersonatorID),
		ms(s.CreatedAt), ms(s.ExpiresAt), ms(s.LastSeenAt), s.PublicID, s.Address, s.UserAgent, s.MustEnrol)
	return err
}

func (t *writeTx) ExtendSession(ctx context.Context, hash string, expires, seen time.Time) error {
	_, err := t.db.ExecContext(ctx, `UPDATE sessions SET expires_at = ?, last_seen_at = ? WHERE hash = ?`, ms(expires), ms(seen), hash)
	return err
}

func (t *writeTx) DeleteSession(ctx context.Context, hash string) error {
	_, err := t.db.ExecContext(ctx, `DELETE FROM sessions WHERE hash = ?`, hash)
	return err
}

func (t *writeTx) DeleteSessionsOf(ctx context.Context, accountID int64) error {
	_, err := t.db.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = ? OR impersonator_id = ?`, accountID, accountID)
	return err
}

func (q *queries) LoginThrottle(ctx context.Context, key string) (panel.Throttle, error) {
	var t panel.Throttle
	var until int64
	err := q.db.QueryRowContext(ctx, `SELECT failures, until FROM login_throttle WHERE username_key = ?`, key).Scan(&t.Failures, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return panel.Throttle{}, nil
	}
	if err != nil {
		return t, err
	}
	t.Until = fromMS(until)
	return t, nil
}

func (t *writeTx) SaveLoginThrottle(ctx context.Context, key string, th panel.Throttle) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO login_throttle (username_key, failures, until) VALUES (?,?,?)
		ON CONFLICT (username_key) DO UPDATE SET failures = excluded.failures, until = excluded.until`,
		key, th.Failures, ms(th.Until))
	return err
}

func (t *writeTx) ClearLoginThrottle(ctx context.Context, key string) error {
	_, err := t.db.ExecContext(ctx, `DELETE FROM login_throttle WHERE username_key = ?`, key)
	return err
}

func (q *queries) Settings(ctx context.Context) (map[string]string, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

func (t *writeTx) SaveSettings(ctx context.Context, values map[string]string) error {
	for k, v := range values {
		if _, err := t.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
			return err
		}
	}
	return nil
}

func (t *writeTx) InsertAudit(ctx context.Context, e panel.AuditEntry) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO audit (at, actor_id, actor, impersonator_id, impersonator, event, subject_type, subject_id, details)
		VALUES (?,?,?,?,?,?,?,?,?)`, ms(e.At), nullID(e.ActorID), e.ActorName, nullID(e.ImpersonatorID), e.ImpersonatorName, e.Event,
		e.SubjectType, e.SubjectID, e.Details)
	return err
}

func (t *writeTx) DeleteOtherSessions(ctx context.Context, accountID int64, keepHash string) error {
	_, err := t.db.ExecContext(ctx, `DELETE FROM sessions WHERE (account_id = ? OR impersonator_id = ?) AND hash <> ?`, accountID, accountID, keepHash)
	return err
}
