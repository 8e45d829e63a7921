package sqlite

import (
	"context"
	"strings"
	"time"

	"castdesk/backend/panel"
)

// The outbox of every account (panel.OutboxReader) and putting failed
// messages back in the queue (panel.OutboxWriter). Newest first by id: the
// primary key; a state filter walks it too (the outbox is small next to the
// accounts, and a failed message is rare).

// prefixedMailColumns are mailColumns of the table aliased m.
var prefixedMailColumns = func() string {
	cols := strings.Split(mailColumns, ",")
	for i, c := range cols {
		cols[i] = "m." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}()

func outboxWhere(q panel.OutboxQuery) (string, []any) {
	var conds []string
	var args []any
	if q.State != "" {
		conds = append(conds, "m.state = ?")
		args = append(args, string(q.State))
	}
	if len(q.Kinds) > 0 {
		conds = append(conds, "m.error_kind IN ("+strings.TrimSuffix(strings.Repeat("?,", len(q.Kinds)), ",")+")")
		for _, k := range q.Kinds {
			args = append(args, k)
		}
	}
	if !q.FailedSince.IsZero() {
		conds = append(conds, "m.updated_at >= ?")
		args = append(args, ms(q.FailedSince))
	}
	if q.Cursor > 0 {
		conds = append(conds, "m.id < ?")
		args = append(args, q.Cursor)
	}
	if len(conds) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// withExtra scans the columns of a row plus the ones after them.
type withExtra struct {
	r     scanner
	extra []any
}

func (w withExtra) Scan(dest ...any) error { return w.r.Scan(append(dest, w.extra...)...) }

func (q *queries) ListOutbox(ctx context.Context, oq panel.OutboxQuery) ([]panel.OutboxEntry, error) {
	where, args := outboxWhere(oq)
	limit := ""
	if oq.Limit > 0 {
		limit = " LIMIT ?"
		args = append(args, oq.Limit)
	}
	rows, err := q.db.QueryContext(ctx, `SELECT `+prefixedMailColumns+`, coalesce(a.username, '')
		FROM mail_outbox m LEFT JOIN accounts a ON a.id = m.account_id`+where+` ORDER BY m.id DESC`+limit, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []panel.OutboxEntry{}
	for rows.Next() {
		var e panel.OutboxEntry
		m, err := scanMail(withExtra{rows, []any{&e.AccountUsername}})
		if err != nil {
			return nil, err
		}
		e.OutboxMail = *m
		out = append(out, e)
	}
	return out, rows.Err()
}

func (q *queries) CountOutbox(ctx context.Context, oq panel.OutboxQuery) (int, error) {
	oq.Cursor = 0
	where, args := outboxWhere(oq)
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM mail_outbox m`+where, args...).Scan(&n)
	return n, err
}

func (t *writeTx) RequeueMail(ctx context.Context, id int64, now time.Time) (bool, error) {
	res, err := t.db.ExecContext(ctx, `UPDATE mail_outbox SET state = 'queued', attempts = 0, next_attempt_at = ?,
		last_error = '', error_kind = '', lease_until = NULL, claim_token = '', updated_at = ?
		WHERE id = ? AND state = 'failed'`, ms(now), ms(now), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
