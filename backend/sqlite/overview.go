package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"castdesk/backend/panel"
)

// The reads of panel.OneReadStore: one statement each.

// sessionWithAccount is a session and its account (with the columns and
// joins of accountColumns); an orphan session (no account) is no row.
const sessionWithAccount = `SELECT ` + sessionColumns + `, ` + accountColumns + `
	FROM sessions JOIN accounts a ON a.id = sessions.account_id LEFT JOIN plans p ON p.id = a.reseller_plan_id
	WHERE sessions.hash = ?`

func (q *queries) SessionWithAccount(ctx context.Context, hash string) (*panel.Session, *panel.Account, error) {
	var s panel.Session
	var a panel.Account
	sDest, sDone := sessionDest(&s)
	aDest, aDone := accountDest(&a)
	err := q.db.QueryRowContext(ctx, sessionWithAccount, hash).Scan(append(sDest, aDest...)...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, panel.NotFound("Session")
	}
	if err != nil {
		return nil, nil, err
	}
	sDone()
	aDone()
	return &s, &a, nil
}

// accountOverview reads the account (?1) with everything its overview
// shows. Each part is an indexed lookup of its own: services by owner and
// status, the outbox by account and state, the recovery codes by account
// (counted only with a second factor in force), the media totals and the
// second factor by account. A reseller's usage (the services it and its
// customers own: the same rows as ResellerUsage and ResellerFeaturesInUse,
// through accounts_by_owner and services_by_owner) and its customers'
// quotas (CustomerQuotaTotal, ?2 for a customer without a quota) are
// computed for resellers only.
const accountOverview = `SELECT ` + accountColumns + `,
	(SELECT count(*) FROM services s WHERE s.owner_id = a.id AND s.status = 'suspended'),
	(SELECT count(*) FROM mail_outbox m WHERE m.account_id = a.id AND m.state IN ('queued', 'sending')),
	(SELECT count(*) FROM mail_outbox m WHERE m.account_id = a.id AND m.state = 'failed'),
	tf.enabled_at,
	CASE WHEN tf.enabled_at IS NOT NULL THEN (SELECT count(*) FROM recovery_codes r WHERE r.account_id = a.id) ELSE 0 END,
	mt.account_id IS NOT NULL, COALESCE(mt.files, 0), COALESCE(mt.bytes, 0),
	p.id, p.autodj, p.autodj_quota, p.proxy, p.max_connections, p.data_transfer_mb, p.max_bitrate_kbps,
	p.server_limit, p.storage_mb,
	ru.services, ru.connections, ru.transfer, ru.bitrate, ru.autodj_quota, ru.autodj, ru.proxy,
	CASE WHEN p.id IS NOT NULL THEN
		(SELECT COALESCE(SUM(COALESCE(c.storage_quota_mb, ?2)), 0) FROM accounts c WHERE c.owner_id = a.id) END
	` + accountFrom + `
	LEFT JOIN two_factor tf ON tf.account_id = a.id
	LEFT JOIN media_totals mt ON mt.account_id = a.id
	LEFT JOIN (SELECT count(*) AS services, COALESCE(sum(max_connections), 0) AS connections,
			COALESCE(sum(data_transfer_mb), 0) AS transfer, COALESCE(max(bitrate_kbps), 0) AS bitrate,
			COALESCE(max(CASE WHEN autodj THEN autodj_quota ELSE 0 END), 0) AS autodj_quota,
			COALESCE(max(autodj), 0) AS autodj, COALESCE(max(proxy), 0) AS proxy
		FROM services WHERE owner_id IN (SELECT ?1 UNION ALL SELECT id FROM accounts WHERE owner_id = ?1)
			AND EXISTS (SELECT 1 FROM accounts WHERE id = ?1 AND reseller_plan_id IS NOT NULL)) ru
		ON p.id IS NOT NULL
	WHERE a.id = ?1`

func (q *queries) AccountOverview(ctx context.Context, id int64, defaultQuotaMB *int) (*panel.OverviewFacts, error) {
	var a panel.Account
	f := panel.OverviewFacts{Account: &a}
	var enabledAt, planID sql.NullInt64
	var autodj, proxy sql.NullBool
	var quota, conns, transfer, bitrate, servers, storage sql.NullInt64
	var used struct {
		services, conns, transfer, bitrate, autodjQuota sql.NullInt64
		autodj, proxy                                   sql.NullBool
	}
	var customerQuotas sql.NullInt64
	dest, done := accountDest(&a)
	dest = append(dest, &f.ServicesSuspended, &f.Mail.Queued, &f.Mail.Failed, &enabledAt, &f.RecoveryCodesLeft,
		&f.MediaIndexed, &f.Media.Files, &f.Media.Bytes,
		&planID, &autodj, &quota, &proxy, &conns, &transfer, &bitrate, &servers, &storage,
		&used.services, &used.conns, &used.transfer, &used.bitrate, &used.autodjQuota, &used.autodj, &used.proxy,
		&customerQuotas)
	err := q.db.QueryRowContext(ctx, accountOverview, id, nullInt(defaultQuotaMB)).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, panel.NotFound("Account")
	}
	if err != nil {
		return nil, err
	}
	done()
	f.TwoFactorEnabledAt = fromNullMS(enabledAt)
	if a.IsReseller() && planID.Valid {
		f.Reseller = &panel.ResellerFacts{
			Plan: panel.Plan{ID: planID.Int64, Name: a.ResellerPlanName, AutoDJ: autodj.Bool, AutoDJQuota: fromNullInt(quota),
				Proxy: proxy.Bool, MaxConnections: fromNullInt(conns), DataTransferMB: fromNullInt(transfer),
				MaxBitrateKbps: fromNullInt(bitrate), ServerLimit: fromNullInt(servers), StorageMB: fromNullInt(storage)},
			Usage: panel.Usage{Services: int(used.services.Int64), MaxConnections: int(used.conns.Int64),
				DataTransferMB: int(used.transfer.Int64), MaxBitrateKbps: int(used.bitrate.Int64),
				MaxAutoDJQuota: int(used.autodjQuota.Int64)},
			AutoDJInUse:    used.autodj.Bool,
			ProxyInUse:     used.proxy.Bool,
			CustomerQuotas: customerQuotas.Int64,
		}
	}
	return &f, nil
}
