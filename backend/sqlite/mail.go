package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"castdesk/backend/panel"
)

// The mail outbox (panel.MailOutbox, and Tx.InsertMail).

var _ panel.MailOutbox = (*Store)(nil)

const mailColumns = `id, account_id, kind, to_address, to_name, subject, html, text, message_id, sensitive, state,
	attempts, last_error, error_kind, next_attempt_at, lease_until, claim_token, created_at, updated_at, sent_at,
	resend_of, created_by`

func scanMail(r scanner) (*panel.OutboxMail, error) {
	var m panel.OutboxMail
	var account, resendOf, lease, sent sql.NullInt64
	var next, created, updated int64
	err := r.Scan(&m.ID, &account, &m.Kind, &m.To, &m.ToName, &m.Subject, &m.HTML, &m.Text, &m.MessageID,
		&m.Sensitive, &m.State, &m.Attempts, &m.LastError, &m.ErrorKind, &next, &lease, &m.ClaimToken,
		&created, &updated, &sent, &resendOf, &m.CreatedBy)
	if err != nil {
		return nil, err
	}
	m.AccountID, m.ResendOf = fromNullID(account), fromNullID(resendOf)
	m.NextAttemptAt, m.CreatedAt, m.UpdatedAt = fromMS(next), fromMS(created), fromMS(updated)
	m.SentAt = fromNullMS(sent)
	return &m, nil
}

func (t *writeTx) InsertMail(ctx context.Context, m *panel.OutboxMail) (int64, error) {
	res, err := t.db.ExecContext(ctx, `INSERT INTO mail_outbox (account_id, kind, to_address, to_name, subject, html,
		text, message_id, sensitive, state, attempts, next_attempt_at, created_at, updated_at, resend_of, created_by)
		VALUES (?,?,?,?,?,?,?,?,?,?,0,?,?,?,?,?)`,
		nullID(m.AccountID), m.Kind, m.To, m.ToName, m.Subject, m.HTML, m.Text, m.MessageID, m.Sensitive, m.State,
		ms(m.NextAttemptAt), ms(m.CreatedAt), ms(m.UpdatedAt), nullID(m.ResendOf), m.CreatedBy)
	if err != nil {
		return 0, err
	}
	m.ID, err = res.LastInsertId()
	return m.ID, err
}

// ClaimMail runs in its own immediate transaction: the select and the
// update cannot interleave with another process's claim.
func (s *Store) ClaimMail(ctx context.Context, now, leaseUntil time.Time, token string) (*panel.OutboxMail, error) {
	var out *panel.OutboxMail
	err := s.Write(ctx, func(ptx panel.Tx) error {
		tx := ptx.(*writeTx)
		var id int64
		err := tx.db.QueryRowContext(ctx, `SELECT id FROM (
				SELECT id, next_attempt_at AS due FROM mail_outbox WHERE state = 'queued' AND next_attempt_at <= ?
				UNION ALL
				SELECT id, lease_until AS due FROM mail_outbox WHERE state = 'sending' AND lease_until <= ?
			) ORDER BY due, id LIMIT 1`, ms(now), ms(now)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.db.ExecContext(ctx, `UPDATE mail_outbox SET state = 'sending', lease_until = ?, claim_token = ?,
			attempts = attempts + 1, updated_at = ? WHERE id = ?`, ms(leaseUntil), token, ms(now), id); err != nil {
			return err
		}
		out, err = scanMail(tx.db.QueryRowContext(ctx, `SELECT `+mailColumns+` FROM mail_outbox WHERE id = ?`, id))
		return err
	})
	return out, err
}

func (s *Store) FinishMail(ctx context.Context, id int64, token string, u panel.MailUpdate) (bool, error) {
	var ok bool
	err := s.Write(ctx, func(ptx panel.Tx) error {
		tx := ptx.(*writeTx)
		scrub := ""
		if u.Scrub {
			scrub = `, html = '<p>[removed after sending]</p>', text = '[removed after sending]'`
		}
		res, err := tx.db.ExecContext(ctx, `UPDATE mail_outbox SET state = ?, last_error = ?, error_kind = ?,
			next_attempt_at = ?, sent_at = ?, lease_until = NULL, claim_token = '', updated_at = ?`+scrub+`
			WHERE id = ? AND claim_token = ? AND state = 'sending'`,
			u.State, u.LastError, u.ErrorKind, ms(u.NextAttemptAt), nullMS(u.SentAt), ms(u.At), id, token)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		ok = n == 1
		if err != nil || !ok || u.Then == nil {
			return err
		}
		return u.Then(tx)
	})
	return ok, err
}

func (q *queries) MailByID(ctx context.Context, id int64) (*panel.OutboxMail, error) {
	m, err := scanMail(q.db.QueryRowContext(ctx, `SELECT `+mailColumns+` FROM mail_outbox WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, panel.NotFound("Message")
	}
	return m, err
}

func (q *queries) ListMail(ctx context.Context, accountID int64, cursor int64, limit int) ([]panel.OutboxMail, error) {
	if cursor <= 0 {
		cursor = 1<<63 - 1
	}
	rows, err := q.db.QueryContext(ctx, `SELECT `+mailColumns+` FROM mail_outbox
		WHERE account_id = ? AND id < ? ORDER BY id DESC LIMIT ?`, accountID, cursor, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []panel.OutboxMail{}
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, rows.Err()
}

func (q *queries) MailCounts(ctx context.Context, accountID int64) (panel.MailCounts, error) {
	var c panel.MailCounts
	err := q.db.QueryRowContext(ctx, `SELECT
		coalesce(sum(state IN ('queued','sending')), 0), coalesce(sum(state = 'failed'), 0)
		FROM mail_outbox WHERE account_id = ?`, accountID).Scan(&c.Queued, &c.Failed)
	return c, err
}
