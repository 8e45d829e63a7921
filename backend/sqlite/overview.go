package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"castdesk/backend/panel"
)

// The reads of panel.OneReadStore: one statement each.

// sessionWithAccount is a session (?1) and its account: the account's row
// (accountColumns) with the session's columns as one JSON array
// (sessionJSON). An unknown hash, or a session without its account, is no
// row. A join of sessions and accounts cost several times as much on
// SQLite here (make bench: one record by ID).
const sessionWithAccount = `SELECT (SELECT ` + sessionJSON + ` FROM sessions WHERE sessions.hash = ?1), ` + accountColumns + `
	FROM accounts a WHERE a.id = (SELECT sessions.account_id FROM sessions WHERE sessions.hash = ?1)`

// sessionJSON is sessionColumns as a JSON array (sessionFromJSON). Text
// comes back as stored, except bytes that are not UTF-8 (a user agent can
// hold them): those read as U+FFFD here.
const sessionJSON = `json_array(` + sessionColumns + `)`

func sessionFromJSON(row string) (*panel.Session, error) {
	var s panel.Session
	var created, expires, seen int64
	var enrol int
	// An array's elements that hold pointers are decoded into.
	into := [10]any{&s.Hash, &s.AccountID, &s.ImpersonatorID, &created, &expires, &seen, &s.PublicID, &s.Address,
		&s.UserAgent, &enrol}
	if err := json.Unmarshal([]byte(row), &into); err != nil {
		return nil, fmt.Errorf("session row: %w", err)
	}
	s.CreatedAt, s.ExpiresAt, s.LastSeenAt = fromMS(created), fromMS(expires), fromMS(seen)
	s.MustEnrol = enrol != 0
	return &s, nil
}

func (q *queries) SessionWithAccount(ctx context.Context, hash string) (*panel.Session, *panel.Account, error) {
	var a panel.Account
	var row string
	dest, done := accountDest(&a)
	err := q.db.QueryRowContext(ctx, sessionWithAccount, hash).Scan(append([]any{&row}, dest...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, panel.NotFound("Session")
	}
	if err != nil {
		return nil, nil, err
	}
	done()
	s, err := sessionFromJSON(row)
	if err != nil {
		return nil, nil, err
	}
	return s, &a, nil
}

// accountOverview reads the account (?1) with everything its overview
// shows, each part a scalar subquery of its own (joins cost more here than
// lookups): services by owner and status, the outbox by account and state,
// the second factor, its recovery codes and the media totals by account.
// For a reseller only (a plan set), one more subquery reads its plan and,
// as a JSON array (json(): a subquery's JSON comes back as text), sums the
// services it and its customers own (the same rows as ResellerUsage and
// ResellerFeaturesInUse, through accounts_by_owner and services_by_owner)
// and its customers' quotas (CustomerQuotaTotal, ?2 for a customer without
// a quota of its own).
const accountOverview = `SELECT ` + accountColumns + `,
	(SELECT count(*) FROM services s WHERE s.owner_id = a.id AND s.status = 'suspended'),
	(SELECT count(*) FROM mail_outbox m WHERE m.account_id = a.id AND m.state IN ('queued', 'sending')),
	(SELECT count(*) FROM mail_outbox m WHERE m.account_id = a.id AND m.state = 'failed'),
	(SELECT tf.enabled_at FROM two_factor tf WHERE tf.account_id = a.id),
	(SELECT count(*) FROM recovery_codes r WHERE r.account_id = a.id),
	(SELECT mt.files FROM media_totals mt WHERE mt.account_id = a.id),
	(SELECT mt.bytes FROM media_totals mt WHERE mt.account_id = a.id),
	CASE WHEN a.reseller_plan_id IS NOT NULL THEN (SELECT json_array(p.id, p.autodj, p.autodj_quota, p.proxy,
			p.max_connections, p.data_transfer_mb, p.max_bitrate_kbps, p.server_limit, p.storage_mb,
			json((SELECT json_array(count(*), COALESCE(sum(u.max_connections), 0), COALESCE(sum(u.data_transfer_mb), 0),
				COALESCE(max(u.bitrate_kbps), 0), COALESCE(max(CASE WHEN u.autodj THEN u.autodj_quota ELSE 0 END), 0),
				COALESCE(max(u.autodj), 0), COALESCE(max(u.proxy), 0),
				(SELECT COALESCE(sum(COALESCE(c.storage_quota_mb, ?2)), 0) FROM accounts c WHERE c.owner_id = ?1))
			FROM services u WHERE u.owner_id IN (SELECT ?1 UNION ALL SELECT id FROM accounts WHERE owner_id = ?1))))
		FROM plans p WHERE p.id = a.reseller_plan_id) END` + accountFrom + `
	WHERE a.id = ?1`

// resellerFacts reads the reseller part of accountOverview: the plan's id,
// AutoDJ, AutoDJ quota, proxy, connections, transfer, bitrate, servers and
// storage (null: unlimited), then the usage: services, connections,
// transfer, bitrate, AutoDJ quota, AutoDJ in use, proxy in use, customers'
// quotas.
func resellerFacts(row string, planName string) (*panel.ResellerFacts, error) {
	var p panel.Plan
	var autodj, proxy int
	var u [8]int64
	// An array's elements that hold pointers are decoded into.
	into := [10]any{&p.ID, &autodj, &p.AutoDJQuota, &proxy, &p.MaxConnections, &p.DataTransferMB, &p.MaxBitrateKbps,
		&p.ServerLimit, &p.StorageMB, &u}
	if err := json.Unmarshal([]byte(row), &into); err != nil {
		return nil, fmt.Errorf("reseller usage %q: %w", row, err)
	}
	p.Name, p.AutoDJ, p.Proxy = planName, autodj != 0, proxy != 0
	return &panel.ResellerFacts{
		Plan: p,
		Usage: panel.Usage{Services: int(u[0]), MaxConnections: int(u[1]), DataTransferMB: int(u[2]),
			MaxBitrateKbps: int(u[3]), MaxAutoDJQuota: int(u[4])},
		AutoDJInUse:    u[5] != 0,
		ProxyInUse:     u[6] != 0,
		CustomerQuotas: u[7],
	}, nil
}

func (q *queries) AccountOverview(ctx context.Context, id int64, defaultQuotaMB *int) (*panel.OverviewFacts, error) {
	var a panel.Account
	f := panel.OverviewFacts{Account: &a}
	var enabledAt, files, bytes sql.NullInt64
	var reseller sql.NullString
	dest, done := accountDest(&a)
	dest = append(dest, &f.ServicesSuspended, &f.Mail.Queued, &f.Mail.Failed, &enabledAt, &f.RecoveryCodesLeft,
		&files, &bytes, &reseller)
	err := q.db.QueryRowContext(ctx, accountOverview, id, nullInt(defaultQuotaMB)).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, panel.NotFound("Account")
	}
	if err != nil {
		return nil, err
	}
	done()
	if f.TwoFactorEnabledAt = fromNullMS(enabledAt); f.TwoFactorEnabledAt == nil {
		f.RecoveryCodesLeft = 0 // codes left over from an enrolment not in force
	}
	// A row in media_totals: the index has held a file of the account.
	f.MediaIndexed = files.Valid
	f.Media = panel.MediaTotals{Files: int(files.Int64), Bytes: bytes.Int64}
	if a.IsReseller() && reseller.Valid {
		if f.Reseller, err = resellerFacts(reseller.String, a.ResellerPlanName); err != nil {
			return nil, err
		}
	}
	return &f, nil
}
