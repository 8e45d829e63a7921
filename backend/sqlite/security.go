package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"castdesk/backend/panel"
)

// Two-factor sign-in, session lists and the sign-in history
// (panel.SecurityReader, panel.SecurityWriter).

func (q *queries) TwoFactorOf(ctx context.Context, accountID int64) (panel.TwoFactor, error) {
	var tf panel.TwoFactor
	var created int64
	var enabled sql.NullInt64
	err := q.db.QueryRowContext(ctx, `SELECT account_id, secret, created_at, enabled_at, last_step FROM two_factor WHERE account_id = ?`,
		accountID).Scan(&tf.AccountID, &tf.Secret, &created, &enabled, &tf.LastStep)
	if errors.Is(err, sql.ErrNoRows) {
		return tf, panel.NotFound("Second factor")
	}
	tf.CreatedAt, tf.EnabledAt = fromMS(created), fromNullMS(enabled)
	return tf, err
}

func (q *queries) RecoveryCodesLeft(ctx context.Context, accountID int64) (int, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM recovery_codes WHERE account_id = ?`, accountID).Scan(&n)
	return n, err
}

func (q *queries) LoginPendingByHash(ctx context.Context, hash string) (panel.LoginPending, error) {
	var p panel.LoginPending
	var created, expires int64
	err := q.db.QueryRowContext(ctx, `SELECT hash, account_id, created_at, expires_at FROM login_pending WHERE hash = ?`, hash).
		Scan(&p.Hash, &p.AccountID, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return p, panel.NotFound("Pending login")
	}
	p.CreatedAt, p.ExpiresAt = fromMS(created), fromMS(expires)
	return p, err
}

// sessionColumns name their table, so a statement may join accounts to them
// (SessionWithAccount).
const sessionColumns = `sessions.hash, sessions.account_id, sessions.impersonator_id, sessions.created_at,
	sessions.expires_at, sessions.last_seen_at, COALESCE(sessions.public_id, ''), sessions.address,
	sessions.user_agent, sessions.must_enrol`

func scanSession(row scanner) (*panel.Session, error) {
	var s panel.Session
	dest, done := sessionDest(&s)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	done()
	return &s, nil
}

// sessionDest is where a row of sessionColumns scans into s, and what
// completes s once scanned (as accountDest).
func sessionDest(s *panel.Session) (dest []any, done func()) {
	var imp sql.NullInt64
	var created, expires, seen int64
	return []any{&s.Hash, &s.AccountID, &imp, &created, &expires, &seen, &s.PublicID, &s.Address, &s.UserAgent, &s.MustEnrol},
		func() {
			s.ImpersonatorID = fromNullID(imp)
			s.CreatedAt, s.ExpiresAt, s.LastSeenAt = fromMS(created), fromMS(expires), fromMS(seen)
		}
}

func (q *queries) SessionsOf(ctx context.Context, accountID int64) ([]panel.Session, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE account_id = ?
		UNION SELECT `+sessionColumns+` FROM sessions WHERE impersonator_id = ? ORDER BY 4 DESC, 1`, accountID, accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []panel.Session
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *s)
	}
	return out, rows.Err()
}

func (q *queries) SessionByPublicID(ctx context.Context, id string) (*panel.Session, error) {
	if id == "" {
		return nil, panel.NotFound("Session")
	}
	s, err := scanSession(q.db.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE public_id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, panel.NotFound("Session")
	}
	return s, err
}

func (q *queries) LoginEvents(ctx context.Context, accountID int64, limit int) ([]panel.LoginEvent, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT id, account_id, at, success, method, reason, address, user_agent
		FROM login_history WHERE account_id = ? ORDER BY id DESC LIMIT ?`, accountID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []panel.LoginEvent
	for rows.Next() {
		var e panel.LoginEvent
		var at int64
		if err := rows.Scan(&e.ID, &e.AccountID, &at, &e.Success, &e.Method, &e.Reason, &e.Address, &e.UserAgent); err != nil {
			return nil, err
		}
		e.At = fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

func (t *writeTx) SaveTwoFactor(ctx context.Context, tf panel.TwoFactor) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO two_factor (account_id, secret, created_at, enabled_at, last_step) VALUES (?,?,?,?,?)
		ON CONFLICT (account_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at,
		enabled_at = excluded.enabled_at, last_step = excluded.last_step`,
		tf.AccountID, tf.Secret, ms(tf.CreatedAt), nullMS(tf.EnabledAt), tf.LastStep)
	return err
}

func (t *writeTx) DeleteTwoFactor(ctx context.Context, accountID int64) error {
	if _, err := t.db.ExecContext(ctx, `DELETE FROM recovery_codes WHERE account_id = ?`, accountID); err != nil {
		return err
	}
	if _, err := t.db.ExecContext(ctx, `DELETE FROM login_pending WHERE account_id = ?`, accountID); err != nil {
		return err
	}
	_, err := t.db.ExecContext(ctx, `DELETE FROM two_factor WHERE account_id = ?`, accountID)
	return err
}

func (t *writeTx) SetTwoFactorStep(ctx context.Context, accountID, step int64) error {
	_, err := t.db.ExecContext(ctx, `UPDATE two_factor SET last_step = ? WHERE account_id = ? AND last_step < ?`, step, accountID, step)
	return err
}

func (t *writeTx) ReplaceRecoveryCodes(ctx context.Context, accountID int64, hashes []string, at time.Time) error {
	if _, err := t.db.ExecContext(ctx, `DELETE FROM recovery_codes WHERE account_id = ?`, accountID); err != nil {
		return err
	}
	for _, h := range hashes {
		if _, err := t.db.ExecContext(ctx, `INSERT INTO recovery_codes (code_hash, account_id, created_at) VALUES (?,?,?)`,
			h, accountID, ms(at)); err != nil {
			return err
		}
	}
	return nil
}

func (t *writeTx) UseRecoveryCode(ctx context.Context, accountID int64, hash string) (bool, error) {
	res, err := t.db.ExecContext(ctx, `DELETE FROM recovery_codes WHERE account_id = ? AND code_hash = ?`, accountID, hash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (t *writeTx) InsertLoginPending(ctx context.Context, p panel.LoginPending) error {
	if _, err := t.db.ExecContext(ctx, `DELETE FROM login_pending WHERE expires_at <= ?`, ms(p.CreatedAt)); err != nil {
		return err
	}
	_, err := t.db.ExecContext(ctx, `INSERT INTO login_pending (hash, account_id, created_at, expires_at) VALUES (?,?,?,?)`,
		p.Hash, p.AccountID, ms(p.CreatedAt), ms(p.ExpiresAt))
	return err
}

func (t *writeTx) DeleteLoginPending(ctx context.Context, hash string) error {
	_, err := t.db.ExecContext(ctx, `DELETE FROM login_pending WHERE hash = ?`, hash)
	return err
}

func (t *writeTx) ClearMustEnrol(ctx context.Context, accountID int64) error {
	_, err := t.db.ExecContext(ctx, `UPDATE sessions SET must_enrol = 0 WHERE account_id = ? AND must_enrol = 1`, accountID)
	return err
}

func (t *writeTx) InsertLoginEvent(ctx context.Context, e panel.LoginEvent, keep int) error {
	if _, err := t.db.ExecContext(ctx, `INSERT INTO login_history (account_id, at, success, method, reason, address, user_agent)
		VALUES (?,?,?,?,?,?,?)`, e.AccountID, ms(e.At), e.Success, e.Method, e.Reason, e.Address, e.UserAgent); err != nil {
		return err
	}
	_, err := t.db.ExecContext(ctx, `DELETE FROM login_history WHERE account_id = ? AND id <= (
		SELECT id FROM login_history WHERE account_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`, e.AccountID, e.AccountID, keep)
	return err
}
