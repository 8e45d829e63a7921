package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"castdesk/backend/panel"
)

// Abuse guards (migration 007): counted audit rows, audit retention through
// the prune permit, the device token key, and who disabled an account.

func (t *writeTx) CountAudit(ctx context.Context, e panel.AuditEntry, windowKey string) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO audit (at, actor_id, actor, impersonator_id, impersonator, event,
		subject_type, subject_id, details, count, last_at, window_key) VALUES (?,?,?,?,?,?,?,?,?,1,?,?)
		ON CONFLICT (window_key) WHERE window_key IS NOT NULL DO UPDATE SET count = count + 1, last_at = max(last_at, excluded.at)`,
		ms(e.At), nullID(e.ActorID), e.ActorName, nullID(e.ImpersonatorID), e.ImpersonatorName, e.Event,
		e.SubjectType, e.SubjectID, e.Details, ms(e.At), windowKey)
	return err
}

// PruneAudit is the one statement sequence that deletes audit rows: the
// permit row lets the delete trigger through for rows older than cutoff,
// and is gone again before the transaction commits.
func (t *writeTx) PruneAudit(ctx context.Context, cutoff time.Time) (int64, error) {
	if _, err := t.db.ExecContext(ctx, `INSERT INTO audit_prune_permit (id, cutoff) VALUES (1, ?)`, ms(cutoff)); err != nil {
		return 0, err
	}
	res, err := t.db.ExecContext(ctx, `DELETE FROM audit WHERE at < ?`, ms(cutoff))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	_, err = t.db.ExecContext(ctx, `DELETE FROM audit_prune_permit`)
	return n, err
}

func (t *writeTx) PruneThrottles(ctx context.Context, until time.Time) error {
	_, err := t.db.ExecContext(ctx, `DELETE FROM login_throttle WHERE until < ?`, ms(until))
	return err
}

func (q *queries) DeviceKey(ctx context.Context) ([]byte, error) {
	var key []byte
	err := q.db.QueryRowContext(ctx, `SELECT secret FROM device_key WHERE id = 1`).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return key, err
}

func (t *writeTx) InitDeviceKey(ctx context.Context, secret []byte) error {
	_, err := t.db.ExecContext(ctx, `INSERT INTO device_key (id, secret) VALUES (1, ?) ON CONFLICT (id) DO NOTHING`, secret)
	return err
}

func nullAuthority(v sql.NullString) *panel.Authority {
	if !v.Valid {
		return nil
	}
	a := panel.Authority(v.String)
	return &a
}

func authorityArg(a *panel.Authority) any {
	if a == nil {
		return nil
	}
	return string(*a)
}

func (q *queries) AccountDisabledBy(ctx context.Context, id int64) (*panel.Authority, error) {
	var by sql.NullString
	err := q.db.QueryRowContext(ctx, `SELECT disabled_by_level FROM accounts WHERE id = ?`, id).Scan(&by)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, panel.NotFound("Account")
	}
	return nullAuthority(by), err
}

func (t *writeTx) SetAccountDisabledBy(ctx context.Context, id int64, by *panel.Authority) error {
	_, err := t.db.ExecContext(ctx, `UPDATE accounts SET disabled_by_level = ? WHERE id = ?`, authorityArg(by), id)
	return err
}

func (q *queries) HighestSuspension(ctx context.Context, ownerID int64) (*panel.Authority, error) {
	var rank sql.NullInt64
	err := q.db.QueryRowContext(ctx, `SELECT max(CASE suspended_by_level WHEN 'admin' THEN 2 WHEN 'reseller' THEN 1 ELSE 0 END)
		FROM services WHERE owner_id = ? AND status = 'suspended'`, ownerID).Scan(&rank)
	if err != nil || !rank.Valid || rank.Int64 == 0 {
		return nil, err
	}
	a := panel.AuthorityReseller
	if rank.Int64 == 2 {
		a = panel.AuthorityAdmin
	}
	return &a, nil
}

// goMigrations are migrations SQL cannot express, each applied once, after
// the SQL files, and recorded in schema_migrations under its name.
var goMigrations = []struct {
	name string
	run  func(ctx context.Context, tx *writeTx) error
}{
	{"007_username_keys.go", rekeyUsernames},
}

func (s *Store) migrateGo(ctx context.Context) error {
	for _, m := range goMigrations {
		err := s.writeOnce(ctx, func(ptx panel.Tx) error {
			tx := ptx.(*writeTx)
			var n int
			if err := tx.db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, m.name).Scan(&n); err != nil || n > 0 {
				return err
			}
			if err := m.run(ctx, tx); err != nil {
				return fmt.Errorf("%s: %w", m.name, err)
			}
			_, err := tx.db.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, m.name, time.Now().UnixMilli())
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// rekeyUsernames brings username_key to panel.UsernameKey (NFKC and case
// folding) for rows stored under lower() alone. Only usernames outside
// printable ASCII can differ (for ASCII both are lower case), and the
// username rules have always refused those, so this normally changes
// nothing; a key that would collide with another account's stays as it was
// (both accounts keep working; the look-alike pair predates the rule).
func rekeyUsernames(ctx context.Context, tx *writeTx) error {
	rows, err := tx.db.QueryContext(ctx, `SELECT id, username, username_key FROM accounts WHERE username GLOB '*[^ -~]*'`)
	if err != nil {
		return err
	}
	type row struct {
		id       int64
		key, new string
	}
	var change []row
	for rows.Next() {
		var r row
		var username string
		if err := rows.Scan(&r.id, &username, &r.key); err != nil {
			rows.Close()
			return err
		}
		if r.new = panel.UsernameKey(username); r.new != r.key {
			change = append(change, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range change {
		_, err := tx.db.ExecContext(ctx, `UPDATE accounts SET username_key = ? WHERE id = ?`, r.new, r.id)
		if err != nil && !isUnique(err) {
			return err
		}
	}
	return nil
}
