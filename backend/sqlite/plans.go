package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"castdesk/backend/panel"
)

const planColumns = `p.id, p.name, p.autodj, p.autodj_quota, p.proxy, p.max_connections, p.data_transfer_mb,
	p.max_bitrate_kbps, p.server_limit, p.created_at, p.updated_at,
	(SELECT count(*) FROM accounts a WHERE a.reseller_plan_id = p.id), p.storage_mb`

func scanPlan(row scanner) (*panel.Plan, error) {
	var p panel.Plan
	var quota, conns, transfer, bitrate, servers, storage sql.NullInt64
	var created, updated int64
	if err := row.Scan(&p.ID, &p.Name, &p.AutoDJ, &quota, &p.Proxy, &conns, &transfer, &bitrate, &servers,
		&created, &updated, &p.Resellers, &storage); err != nil {
		return nil, err
	}
	p.StorageMB = fromNullInt(storage)
	p.AutoDJQuota, p.MaxConnections, p.DataTransferMB = fromNullInt(quota), fromNullInt(conns), fromNullInt(transfer)
	p.MaxBitrateKbps, p.ServerLimit = fromNullInt(bitrate), fromNullInt(servers)
	p.CreatedAt, p.UpdatedAt = fromMS(created), fromMS(updated)
	return &p, nil
}

func fromNullInt(v sql.NullInt64) *int {
	if !v.Valid {
		return nil
	}
	n := int(v.Int64)
	return &n
}

func nullInt(v *int) any {
	if v == nil {
		return nil
	}
	return *v
}

func (q *queries) PlanByID(ctx context.Context, id int64) (*panel.Plan, error) {
	p, err := scanPlan(q.db.QueryRowContext(ctx, `SELECT `+planColumns+` FROM plans p WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, panel.NotFound("Plan")
	}
	return p, err
}

func (q *queries) ListPlans(ctx context.Context) ([]panel.Plan, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+planColumns+` FROM plans p ORDER BY p.name_key, p.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []panel.Plan{}
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, rows.Err()
}

func (t *writeTx) InsertPlan(ctx context.Context, p *panel.Plan) (int64, error) {
	res, err := t.db.ExecContext(ctx, `INSERT INTO plans (name, name_key, autodj, autodj_quota, proxy, max_connections,
		data_transfer_mb, max_bitrate_kbps, server_limit, storage_mb, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
		p.Name, strings.ToLower(p.Name), p.AutoDJ, nullInt(p.AutoDJQuota), p.Proxy, nullInt(p.MaxConnections),
		nullInt(p.DataTransferMB), nullInt(p.MaxBitrateKbps), nullInt(p.ServerLimit), nullInt(p.StorageMB), ms(p.CreatedAt), ms(p.UpdatedAt))
	if isUnique(err) {
		return 0, panel.InvalidField("name", panel.ReasonTaken)
	}
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func (t *writeTx) UpdatePlan(ctx context.Context, p *panel.Plan) error {
	_, err := t.db.ExecContext(ctx, `UPDATE plans SET name = ?, name_key = ?, autodj = ?, autodj_quota = ?, proxy = ?,
		max_connections = ?, data_transfer_mb = ?, max_bitrate_kbps = ?, server_limit = ?, storage_mb = ?, updated_at = ? WHERE id = ?`,
		p.Name, strings.ToLower(p.Name), p.AutoDJ, nullInt(p.AutoDJQuota), p.Proxy, nullInt(p.MaxConnections),
		nullInt(p.DataTransferMB), nullInt(p.MaxBitrateKbps), nullInt(p.ServerLimit), nullInt(p.StorageMB), ms(p.UpdatedAt), p.ID)
	if isUnique(err) {
		return panel.InvalidField("name", panel.ReasonTaken)
	}
	return err
}

func (t *writeTx) DeletePlan(ctx context.Context, id int64) error {
	_, err := t.db.ExecContext(ctx, `DELETE FROM plans WHERE id = ?`, id)
	return err
}
