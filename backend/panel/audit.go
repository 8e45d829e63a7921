package panel

import (
	"context"
	"strings"
)

// AuditQuery filters the audit log; newest first, keyset paged by id.
type AuditQuery struct {
	Actor       string `json:"actor"`   // username of the actor, or its numeric id
	Subject     string `json:"subject"` // "account:12", "plan:3", or just an id
	Event       string `json:"event"`   // an event name or its prefix ("login")
	Cursor      int64  `json:"cursor"`
	Limit       int    `json:"limit"`
	SubjectType string `json:"-"`
	SubjectID   string `json:"-"`
}

type AuditPage struct {
	Items      []AuditEntry `json:"items"`
	NextCursor string       `json:"next_cursor"`
}

type Audit struct{ deps *Deps }

// List is the admin's audit screen. The app has no way to change entries.
func (s *Audit) List(ctx context.Context, q AuditQuery) (AuditPage, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return AuditPage{}, err
	}
	if q.Limit = pageLimit(q.Limit, nil); q.Limit < 0 {
		return AuditPage{}, InvalidField("limit", ReasonInvalid)
	}
	q.Actor, q.Event = strings.TrimSpace(q.Actor), strings.TrimSpace(q.Event)
	if typ, id, ok := strings.Cut(strings.TrimSpace(q.Subject), ":"); ok {
		q.SubjectType, q.SubjectID = typ, id
	} else {
		q.SubjectID = typ
	}
	page, err := s.deps.Store.ListAudit(ctx, q)
	return page, wrapErr(err)
}
