package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"castdesk/backend/panel"
)

const serviceColumns = `s.id, s.owner_id, a.username, s.name, s.type, s.port, s.max_connections, s.bitrate_kbps,
	s.data_transfer_mb, s.autodj, s.autodj_quota, s.proxy, s.status, s.suspend_reason, s.created_at, s.updated_at,
	s.suspended_by_level`

const serviceFrom = ` FROM services s JOIN accounts a ON a.id = s.owner_id`

func scanService(row scanner) (*panel.Service, error) {
	var s panel.Service
	var created, updated int64
	var by sql.NullString
	if err := row.Scan(&s.ID, &s.OwnerID, &s.OwnerUsername, &s.Name, &s.Type, &s.Port, &s.MaxConnections, &s.BitrateKbps,
		&s.DataTransferMB, &s.AutoDJ, &s.AutoDJQuota, &s.Proxy, &s.Status, &s.SuspendReason, &created, &updated, &by); err != nil {
		return nil, err
	}
	s.SuspendedByLevel = nullAuthority(by)
	s.CreatedAt, s.UpdatedAt = fromMS(created), fromMS(updated)
	return &s, nil
}

func (q *queries) ServiceByID(ctx context.Context, id int64) (*panel.Service, error) {
	s, err := scanService(q.db.QueryRowContext(ctx, `SELECT `+serviceColumns+serviceFrom+` WHERE s.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, panel.NotFound("Service")
	}
	return s, err
}

func (q *queries) ListServices(ctx context.Context, in panel.ServiceQuery) (panel.ServicePage, error) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	if in.OwnerID > 0 {
		add(`s.owner_id = ?`, in.OwnerID)
	}
	if in.Status != "" {
		add(`s.status = ?`, in.Status)
	}
	if in.Type != "" {
		add(`s.type = ?`, in.Type)
	}
	if in.ScopeResellerID > 0 {
		add(`(s.owner_id = ? OR a.owner_id = ?)`, in.ScopeResellerID, in.ScopeResellerID)
	}
	if in.ScopeOwnerID > 0 {
		add(`s.owner_id = ?`, in.ScopeOwnerID)
	}
	filter := ""
	if len(where) > 0 {
		filter = " WHERE " + strings.Join(where, " AND ")
	}
	var page panel.ServicePage
	if err := q.db.QueryRowContext(ctx, `SELECT count(*)`+serviceFrom+filter, args...).Scan(&page.Total); err != nil {
		return page, err
	}
	if in.Cursor > 0 {
		if filter == "" {
			filter = " WHERE s.id > ?"
		} else {
			filter += " AND s.id > ?"
		}
		args = append(args, in.Cursor)
	}
	args = append(args, in.Limit+1)
	rows, err := q.db.QueryContext(ctx, `SELECT `+serviceColumns+serviceFrom+filter+` ORDER BY s.id LIMIT ?`, args...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	page.Items = []panel.Service{}
	for rows.Next() {
		s, err := scanService(rows)
		if err != nil {
			return page, err
		}
		if len(page.Items) == in.Limit {
			page.NextCursor = strconv.FormatInt(page.Items[len(page.Items)-1].ID, 10)
			break
		}
		page.Items = append(page.Items, *s)
	}
	return page, rows.Err()
}

func (q *queries) UsedPorts(ctx context.Context, exceptID int64) (map[int]bool, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT port FROM services WHERE id <> ?`, exceptID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	used := map[int]bool{}
	for rows.Next() {
		var p int
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		used[p] = true
	}
	return used, rows.Err()
}

// resellerServices is the services a reseller's plan governs.
const resellerServices = ` FROM services s JOIN accounts a ON a.id = s.owner_id WHERE (s.owner_id = ? OR a.owner_id = ?)`

func (q *queries) ResellerUsage(ctx context.Context, resellerID, exceptID int64) (panel.Usage, error) {
	var u panel.Usage
	err := q.db.QueryRowContext(ctx, `SELECT count(*), COALESCE(sum(s.max_connections), 0), COALESCE(sum(s.data_transfer_mb), 0),
		COALESCE(max(s.bitrate_kbps), 0), COALESCE(max(CASE WHEN s.autodj THEN s.autodj_quota ELSE 0 END), 0)`+
		resellerServices+` AND s.id <> ?`, resellerID, resellerID, exceptID).
		Scan(&u.Services, &u.MaxConnections, &u.DataTransferMB, &u.MaxBitrateKbps, &u.MaxAutoDJQuota)
	return u, err
}

func (q *queries) ResellerFeaturesInUse(ctx context.Context, resellerID int64) (bool, bool, error) {
	var autodj, proxy bool
	err := q.db.QueryRowContext(ctx, `SELECT COALESCE(max(s.autodj), 0), COALESCE(max(s.proxy), 0)`+resellerServices,
		resellerID, resellerID).Scan(&autodj, &proxy)
	return autodj, proxy, err
}

func (t *writeTx) InsertService(ctx context.Context, s *panel.Service) (int64, error) {
	res, err := t.db.ExecContext(ctx, `INSERT INTO services (owner_id, name, type, port, max_connections, bitrate_kbps,
		data_transfer_mb, autodj, autodj_quota, proxy, status, suspend_reason, created_at, updated_at, suspended_by_level)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, s.OwnerID, s.Name, s.Type, s.Port, s.MaxConnections, s.BitrateKbps,
		s.DataTransferMB, s.AutoDJ, s.AutoDJQuota, s.Proxy, s.Status, s.SuspendReason, ms(s.CreatedAt), ms(s.UpdatedAt),
		authorityArg(s.SuspendedByLevel))
	if isUnique(err) {
		return 0, panel.InvalidField("port", panel.ReasonTaken)
	}
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

func (t *writeTx) UpdateService(ctx context.Context, s *panel.Service) error {
	_, err := t.db.ExecContext(ctx, `UPDATE services SET owner_id = ?, name = ?, type = ?, port = ?, max_connections = ?,
		bitrate_kbps = ?, data_transfer_mb = ?, autodj = ?, autodj_quota = ?, proxy = ?, status = ?, suspend_reason = ?,
		updated_at = ?, suspended_by_level = ? WHERE id = ?`, s.OwnerID, s.Name, s.Type, s.Port, s.MaxConnections, s.BitrateKbps, s.DataTransferMB,
		s.AutoDJ, s.AutoDJQuota, s.Proxy, s.Status, s.SuspendReason, ms(s.UpdatedAt), authorityArg(s.SuspendedByLevel), s.ID)
	if isUnique(err) {
		return panel.InvalidField("port", panel.ReasonTaken)
	}
	return err
}

func (t *writeTx) DeleteService(ctx context.Context, id int64) error {
	_, err := t.db.ExecContext(ctx, `DELETE FROM services WHERE id = ?`, id)
	return err
}
