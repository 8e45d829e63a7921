package panel

import (
	"context"
	"fmt"
	"time"
)

// TemplateAPIKeyExpiring warns an account that one of its API keys expires
// within APIKeyWarnBefore.
const TemplateAPIKeyExpiring = "api_key_expiring"

// WarnExpiring emails the account of every live key that expires within
// APIKeyWarnBefore and was not warned about yet (the keys page flags it
// too), through the outbox: the email and the key's "warned" mark are one
// transaction, so each expiry is warned about once, even with two processes
// on one database. It runs in the background (the webhook worker calls it)
// and checks no caller. It answers how many warnings were queued.
func (s *APIKeys) WarnExpiring(ctx context.Context) (int, error) {
	now := s.deps.now()
	keys, err := s.deps.Store.APIKeysExpiringBefore(ctx, now.Add(APIKeyWarnBefore))
	if err != nil {
		return 0, err
	}
	queued := 0
	for _, k := range keys {
		var sent bool
		err := s.deps.Store.Write(ctx, func(tx Tx) error {
			// Read again inside the write: another process may have warned,
			// or the owner may have extended or revoked the key.
			cur, err := tx.APIKeyByID(ctx, k.ID)
			if err != nil {
				return err
			}
			if cur.RevokedAt != nil || cur.ExpiryWarnedAt != nil || cur.ExpiresAt == nil ||
				!now.Before(*cur.ExpiresAt) || cur.ExpiresAt.Sub(now) > APIKeyWarnBefore {
				return nil
			}
			acc, err := tx.AccountByID(ctx, cur.AccountID)
			if err != nil {
				return err
			}
			if err := tx.MarkAPIKeyWarned(ctx, cur.ID, now); err != nil {
				return err
			}
			if acc.IsEnabled() && acc.Email != "" {
				loc := time.UTC
				if l, err := time.LoadLocation(acc.Timezone); acc.Timezone != "" && err == nil {
					loc = l
				}
				vars := map[string]string{"key_name": cur.Name, "key_prefix": cur.Prefix,
					"expires_at": cur.ExpiresAt.In(loc).Format("2006-01-02 15:04 MST")}
				if _, err := s.mail.queueTemplate(ctx, tx, acc, TemplateAPIKeyExpiring, vars, false, "system"); err != nil {
					return err
				}
				sent = true
			}
			return tx.InsertAudit(ctx, AuditEntry{At: now, ActorName: "system", Event: "api_key.expiry_warning",
				SubjectType: "account", SubjectID: fmt.Sprint(acc.ID), Details: describeKey(cur)})
		})
		if err != nil {
			return queued, wrapErr(err)
		}
		if sent {
			queued++
		}
	}
	if queued > 0 {
		s.mail.wake() // committed: the worker can see the rows now
	}
	return queued, nil
}
