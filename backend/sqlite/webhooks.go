package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"castdesk/backend/panel"
)

const webhookColumns = `w.id, w.account_id, a.username, w.url, w.events, w.secret, w.active, w.created_at, w.updated_at`

const webhookFrom = ` FROM webhook_subscriptions w JOIN accounts a ON a.id = w.account_id `

func scanWebhook(row interface{ Scan(...any) error }) (*panel.Webhook, error) {
	var w panel.Webhook
	var events string
	var created, updated int64
	if err := row.Scan(&w.ID, &w.AccountID, &w.AccountUsername, &w.URL, &events, &w.Secret, &w.Active, &created, &updated); err != nil {
		return nil, err
	}
	w.Events = splitList(events)
	if w.Events == nil {
		w.Events = []string{}
	}
	w.CreatedAt, w.UpdatedAt = fromMS(created), fromMS(updated)
	if n := len(w.Secret); n > 4 {
		w.SecretHint = w.Secret[n-4:]
	}
	return &w, nil
}

func (q *queries) WebhookByID(ctx context.Context, id int64) (*panel.Webhook, error) {
	w, err := scanWebhook(q.db.QueryRowContext(ctx, `SELECT `+webhookColumns+webhookFrom+`WHERE w.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, panel.NotFound("Webhook")
	}
	return w, err
}

func (q *queries) listWebhooks(ctx context.Context, where string, args ...any) ([]panel.Webhook, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+webhookColumns+webhookFrom+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []panel.Webhook{}
	for rows.Next() {
		w, err := scanWebhook(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *w)
	}
	return out, rows.Err()
}

func (q *queries) ListWebhooks(ctx context.Context, accountID int64) ([]panel.Webhook, error) {
	if accountID == 0 {
		return q.listWebhooks(ctx, `ORDER BY w.id`)
	}
	return q.listWebhooks(ctx, `WHERE w.account_id = ? ORDER BY w.id`, accountID)
}

func (q *queries) ActiveWebhooksFor(ctx context.Context, event string) ([]panel.Webhook, error) {
	return q.listWebhooks(ctx, `WHERE w.active = 1 AND instr(',' || w.events || ',', ',' || ? || ',') > 0 ORDER BY w.id`, event)
}

const deliveryColumns = `id, subscription_id, guid, event_id, event, body, state, attempts, next_attempt_at,
	claim_token, status_code, duration_ms, response_excerpt, last_error, error_kind, created_at, delivered_at, redelivery_of`

func scanDelivery(row interface{ Scan(...any) error }) (*panel.WebhookDelivery, error) {
	var d panel.WebhookDelivery
	var next, created int64
	var status, duration, delivered, redelivery sql.NullInt64
	if err := row.Scan(&d.ID, &d.SubscriptionID, &d.GUID, &d.EventID, &d.Event, &d.Body, &d.State, &d.Attempts, &next,
		&d.ClaimToken, &status, &duration, &d.Response, &d.LastError, &d.ErrorKind, &created, &delivered, &redelivery); err != nil {
		return nil, err
	}
	d.NextAttemptAt, d.CreatedAt, d.DeliveredAt = fromMS(next), fromMS(created), fromNullMS(delivered)
	if status.Valid {
		n := int(status.Int64)
		d.StatusCode = &n
	}
	if duration.Valid {
		n := int(duration.Int64)
		d.DurationMS = &n
	}
	if redelivery.Valid {
		d.RedeliveryOf = &redelivery.Int64
	}
	return &d, nil
}

func (q *queries) WebhookDeliveryByID(ctx context.Context, id int64) (*panel.WebhookDelivery, error) {
	d, err := scanDelivery(q.db.QueryRowContext(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, panel.NotFound("Delivery")
	}
	return d, err
}

func (q *queries) ListWebhookDeliveries(ctx context.Context, webhookID, cursor int64, limit int) ([]panel.WebhookDelivery, error) {
	where, args := `subscription_id = ?`, []any{webhookID}
	if cursor > 0 {
		where, args = where+` AND id < ?`, append(args, cursor)
	}
	rows, err := q.db.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries WHERE `+where+
		` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []panel.WebhookDelivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, rows.Err()
}

func (t *writeTx) InsertWebhook(ctx context.Context, w *panel.Webhook) (int64, error) {
	res, err := t.db.ExecContext(ctx, `INSERT INTO webhook_subscriptions (account_id, url, events, secret, active, created_at, updated_at)
		VALUES (?,?,?,?,?,?,?)`, w.AccountID, w.URL, joinList(w.Events), w.Secret, w.Active, ms(w.CreatedAt), ms(w.UpdatedAt))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func (t *writeTx) UpdateWebhook(ctx context.Context, w *panel.Webhook) error {
	_, err := t.db.ExecContext(ctx, `UPDATE webhook_subscriptions SET url = ?, events = ?, secret = ?, active = ?, updated_at = ?
		WHERE id = ?`, w.URL, joinList(w.Events), w.Secret, w.Active, ms(w.UpdatedAt), w.ID)
	return err
}

func (t *writeTx) DeleteWebhook(ctx context.Context, id int64) error {
	_, err := t.db.ExecContext(ctx, `DELETE FROM webhook_subscriptions WHERE id = ?`, id)
	return err
}

func (t *writeTx) InsertWebhookDelivery(ctx context.Context, d *panel.WebhookDelivery) (int64, error) {
	res, err := t.db.ExecContext(ctx, `INSERT INTO webhook_deliveries (subscription_id, guid, event_id, event, body, state,
		next_attempt_at, created_at, updated_at, redelivery_of) VALUES (?,?,?,?,?,?,?,?,?,?)`,
		d.SubscriptionID, d.GUID, d.EventID, d.Event, d.Body, d.State, ms(d.NextAttemptAt), ms(d.CreatedAt), ms(d.CreatedAt), d.RedeliveryOf)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// ClaimWebhookDeliveries: the head of each active subscription's unfinished
// deliveries, if it is due (queued and its time has come, or sending with
// its lease run out), oldest due first.
func (s *Store) ClaimWebhookDeliveries(ctx context.Context, now, leaseUntil time.Time, token string, max int) ([]panel.WebhookDelivery, error) {
	var out []panel.WebhookDelivery
	err := s.Write(ctx, func(ptx panel.Tx) error {
		tx := ptx.(*writeTx)
		rows, err := tx.db.QueryContext(ctx, `SELECT d.id FROM (
				SELECT subscription_id, min(id) AS id FROM webhook_deliveries
				WHERE state IN ('queued','sending') GROUP BY subscription_id
			) h
			JOIN webhook_deliveries d ON d.id = h.id
			JOIN webhook_subscriptions w ON w.id = d.subscription_id AND w.active = 1
			WHERE (d.state = 'queued' AND d.next_attempt_at <= ?) OR (d.state = 'sending' AND d.lease_until <= ?)
			ORDER BY CASE d.state WHEN 'queued' THEN d.next_attempt_at ELSE d.lease_until END, d.id
			LIMIT ?`, ms(now), ms(now), max)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := tx.db.ExecContext(ctx, `UPDATE webhook_deliveries SET state = 'sending', lease_until = ?, claim_token = ?,
				attempts = attempts + 1, updated_at = ? WHERE id = ?`, ms(leaseUntil), token, ms(now), id); err != nil {
				return err
			}
			d, err := scanDelivery(tx.db.QueryRowContext(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries WHERE id = ?`, id))
			if err != nil {
				return err
			}
			target := &panel.WebhookTarget{}
			if err := tx.db.QueryRowContext(ctx, `SELECT url, secret, active FROM webhook_subscriptions WHERE id = ?`,
				d.SubscriptionID).Scan(&target.URL, &target.Secret, &target.Active); err != nil {
				return err
			}
			d.Target = target
			out = append(out, *d)
		}
		return nil
	})
	return out, err
}

func (s *Store) FinishWebhookDelivery(ctx context.Context, id int64, token string, u panel.WebhookDeliveryUpdate) (bool, error) {
	var ok bool
	err := s.Write(ctx, func(ptx panel.Tx) error {
		tx := ptx.(*writeTx)
		res, err := tx.db.ExecContext(ctx, `UPDATE webhook_deliveries SET state = ?, status_code = ?, duration_ms = ?,
			response_excerpt = ?, last_error = ?, error_kind = ?, next_attempt_at = ?, delivered_at = ?, lease_until = NULL, claim_token = '',
			updated_at = ? WHERE id = ? AND claim_token = ? AND state = 'sending'`,
			u.State, u.StatusCode, u.DurationMS, u.Response, u.LastError, u.ErrorKind, ms(u.NextAttemptAt), nullMS(u.DeliveredAt), ms(u.At), id, token)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		ok = n == 1
		return err
	})
	return ok, err
}

var _ panel.WebhookQueue = (*Store)(nil)
