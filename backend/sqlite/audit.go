package sqlite

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"castdesk/backend/panel"
)

func (q *queries) ListAudit(ctx context.Context, in panel.AuditQuery) (panel.AuditPage, error) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	if in.Actor != "" {
		if id, err := strconv.ParseInt(in.Actor, 10, 64); err == nil {
			add(`actor_id = ?`, id)
		} else {
			add(`actor = ?`, in.Actor)
		}
	}
	if in.SubjectType != "" {
		add(`subject_type = ?`, in.SubjectType)
	}
	if in.SubjectID != "" {
		add(`subject_id = ?`, in.SubjectID)
	}
	if in.Event != "" {
		// "login" matches login.success, login.failure...; an exact name matches itself.
		add(`(event = ? OR (event >= ? AND event < ?))`, in.Event, in.Event+".", in.Event+"/")
	}
	if in.Cursor > 0 {
		add(`id < ?`, in.Cursor)
	}
	filter := ""
	if len(where) > 0 {
		filter = " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, in.Limit+1)
	rows, err := q.db.QueryContext(ctx, `SELECT id, at, actor_id, actor, impersonator_id, impersonator, event, subject_type, subject_id, details,
		count, last_at FROM audit`+filter+` ORDER BY id DESC LIMIT ?`, args...)
	if err != nil {
		return panel.AuditPage{}, err
	}
	defer rows.Close()
	page := panel.AuditPage{Items: []panel.AuditEntry{}}
	for rows.Next() {
		var e panel.AuditEntry
		var at int64
		var actor, imp, last sql.NullInt64
		if err := rows.Scan(&e.ID, &at, &actor, &e.ActorName, &imp, &e.ImpersonatorName, &e.Event, &e.SubjectType, &e.SubjectID, &e.Details,
			&e.Count, &last); err != nil {
			return page, err
		}
		if len(page.Items) == in.Limit {
			page.NextCursor = strconv.FormatInt(page.Items[len(page.Items)-1].ID, 10)
			break
		}
		e.At, e.ActorID, e.ImpersonatorID, e.LastAt = fromMS(at), fromNullID(actor), fromNullID(imp), fromNullMS(last)
		page.Items = append(page.Items, e)
	}
	return page, rows.Err()
}
