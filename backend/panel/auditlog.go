package panel

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The audit log must not be a way to fill the disk: anonymous events that
// anyone can repeat (failed and throttled logins, forgot-password requests
// for unknown logins) are counted, one row per subject, client and window;
// and entries older than the retention setting are pruned, through one
// path only, which audits itself. The table stays append-only to
// everything else (triggers in the sqlite migrations).

const (
	// auditWindow is the span one counted row covers.
	auditWindow = time.Hour

	// AuditRetentionDefault and its bounds are in days.
	AuditRetentionDefault = 365
	auditRetentionMin     = 30
	auditRetentionMax     = 3650

	// throttleForgetAfter drops login throttle states whose wait ended this
	// long ago (the next failure starts a fresh count), so guessing many
	// usernames leaves no lasting rows either.
	throttleForgetAfter = 24 * time.Hour

	// PruneEvery is how often a running app prunes.
	PruneEvery = 6 * time.Hour
)

// countAudit records e as one more occurrence in the row of its event,
// subject, details and client for the current window (a new row when the
// window has none yet).
func countAudit(ctx context.Context, tx Tx, e AuditEntry, client string) error {
	if client == "" {
		client = "unknown"
	}
	e.Details = strings.TrimSpace(e.Details + " client=" + client)
	start := e.At.Truncate(auditWindow).UnixMilli()
	key := HashToken(strings.Join([]string{e.Event, e.SubjectType, e.SubjectID, e.Details, strconv.FormatInt(start, 10)}, "\x1f"))
	return tx.CountAudit(ctx, e, key)
}

// Prune deletes the audit entries older than the retention setting, and the
// login throttle states nobody needs any more. It audits what it removed,
// in the same transaction. It runs as the system: no caller is checked.
func (s *Audit) Prune(ctx context.Context) (int64, error) {
	set, err := readSettings(ctx, s.deps.Store, s.deps.DataDir)
	if err != nil {
		return 0, err
	}
	now := s.deps.now()
	cutoff := now.AddDate(0, 0, -set.AuditRetentionDays)
	var n int64
	err = s.deps.Store.Write(ctx, func(tx Tx) error {
		if err := tx.PruneThrottles(ctx, now.Add(-throttleForgetAfter)); err != nil {
			return err
		}
		if n, err = tx.PruneAudit(ctx, cutoff); err != nil || n == 0 {
			return err
		}
		return tx.InsertAudit(ctx, AuditEntry{At: now, ActorName: "system", Event: "audit.prune", SubjectType: "audit",
			Details: fmt.Sprintf("removed=%d before=%s retention_days=%d", n, cutoff.Format(time.RFC3339), set.AuditRetentionDays)})
	})
	if err != nil {
		return 0, wrapErr(err)
	}
	return n, nil
}

// RunPruner prunes now and then every interval until ctx ends (the app
// runs it beside the mail worker).
func (s *Audit) RunPruner(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := s.Prune(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			s.deps.Log.Error("audit prune failed", "err", err)
		} else if n > 0 {
			s.deps.Log.Info("audit pruned", "removed", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func validateRetention(days int, fields *Problems) {
	switch {
	case days < auditRetentionMin:
		fields.TooSmall("audit_retention_days", auditRetentionMin)
	case days > auditRetentionMax:
		fields.TooBig("audit_retention_days", auditRetentionMax)
	}
}

// AuditSettings are the audit log's System Settings.
type AuditSettings struct {
	// AuditRetentionDays: entries older than this are pruned (30–3650; default 365).
	AuditRetentionDays int `json:"audit_retention_days"`
}

// AuditPatch changes the audit log's settings that are set.
type AuditPatch struct {
	AuditRetentionDays *int `json:"audit_retention_days"`
}

const keyAuditRetentionDays = "audit_retention_days"

func readAuditSettings(values map[string]string, out *AuditSettings) {
	out.AuditRetentionDays = AuditRetentionDefault
	if n, err := strconv.Atoi(values[keyAuditRetentionDays]); err == nil && n >= auditRetentionMin && n <= auditRetentionMax {
		out.AuditRetentionDays = n
	}
}

func (p AuditPatch) apply(values map[string]string, fields *Problems) {
	if p.AuditRetentionDays != nil {
		validateRetention(*p.AuditRetentionDays, fields)
		values[keyAuditRetentionDays] = strconv.Itoa(*p.AuditRetentionDays)
	}
}

// loginAudit is the counted entry of a failed or throttled login: about
// the account when the username is known, else about no one in particular
// (the username typed is not kept: people type passwords there).
func loginAudit(at time.Time, event string, acc *Account, reason string, trusted bool) AuditEntry {
	e := AuditEntry{At: at, Event: event, SubjectType: "login"}
	if acc != nil {
		e.SubjectType, e.SubjectID = "account", strconv.FormatInt(acc.ID, 10)
	}
	var details []string
	if reason != "" {
		details = append(details, "reason="+reason)
	}
	if d := deviceDetail(trusted); d != "" {
		details = append(details, d)
	}
	e.Details = strings.Join(details, " ")
	return e
}

// countLoginAudit writes a counted entry in its own transaction; a failure
// is logged, the login's answer stays what it was.
func (a *Auth) countLoginAudit(ctx context.Context, e AuditEntry, client string) {
	if err := a.deps.Store.Write(ctx, func(tx Tx) error { return countAudit(ctx, tx, e, client) }); err != nil {
		a.deps.Log.Error("audit write failed", "event", e.Event, "err", err)
	}
}

// recordLoginFailure counts a failed login against its budget (the
// username's, or a trusted device token's), its client's (clientKey, when
// not ""; see clientThrottlePolicy) and in the audit.
func (a *Auth) recordLoginFailure(ctx context.Context, budget, clientKey string, acc *Account, reason, client string, trusted bool) error {
	now := a.deps.now()
	err := a.deps.Store.Write(ctx, func(tx Tx) error {
		t, err := tx.LoginThrottle(ctx, budget)
		if err != nil {
			return err
		}
		t.Failures++
		t.Until = now.Add(a.throttle.delay(t.Failures))
		if err := tx.SaveLoginThrottle(ctx, budget, t); err != nil {
			return err
		}
		if clientKey != "" {
			ct, err := tx.LoginThrottle(ctx, clientKey)
			if err != nil {
				return err
			}
			if now.Sub(ct.Until) >= clientThrottleForget {
				ct.Failures = 0
			}
			ct.Failures++
			ct.Until = now.Add(clientThrottlePolicy.delay(ct.Failures))
			if err := tx.SaveLoginThrottle(ctx, clientKey, ct); err != nil {
				return err
			}
		}
		return countAudit(ctx, tx, loginAudit(now, "login.failure", acc, reason, trusted), client)
	})
	return wrapErr(err)
}
