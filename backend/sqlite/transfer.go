package sqlite

import (
	"context"

	"castdesk/backend/panel"
)

// InsertMailRecord writes a mail log entry as it stands elsewhere (state,
// attempts, error, sent time): the log of an account moved from another
// desk (panel.Accounts.ImportBundle). Unlike InsertMail it queues nothing.
func (t *writeTx) InsertMailRecord(ctx context.Context, m *panel.OutboxMail) (int64, error) {
	res, err := t.db.ExecContext(ctx, `INSERT INTO mail_outbox (account_id, kind, to_address, to_name, subject, html,
		text, message_id, sensitive, state, attempts, last_error, error_kind, next_attempt_at, created_at, updated_at,
		sent_at, created_by)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		nullID(m.AccountID), m.Kind, m.To, m.ToName, m.Subject, m.HTML, m.Text, m.MessageID, m.Sensitive, m.State,
		m.Attempts, m.LastError, m.ErrorKind, ms(m.NextAttemptAt), ms(m.CreatedAt), ms(m.UpdatedAt), nullMS(m.SentAt), m.CreatedBy)
	if err != nil {
		return 0, err
	}
	m.ID, err = res.LastInsertId()
	return m.ID, err
}
