-- Abuse guards: who imposed a suspension or a disabled status, failed and
-- throttled logins counted in one audit row per window, audit retention
-- through one permitted path, and the key that signs device tokens.

-- A suspension (and a disabled account) records the level that imposed it
-- ('admin' or 'reseller'): only that level or above lifts it. Existing ones
-- take the level of the actor of their last audited change, and 'admin'
-- when that cannot be told (the console, a deleted actor, no entry).
ALTER TABLE services ADD COLUMN suspended_by_level TEXT CHECK (suspended_by_level IN ('admin','reseller'));
ALTER TABLE accounts ADD COLUMN disabled_by_level TEXT CHECK (disabled_by_level IN ('admin','reseller'));

UPDATE services SET suspended_by_level = COALESCE((
    SELECT CASE WHEN a.level = 'customer' AND a.reseller_plan_id IS NOT NULL THEN 'reseller' END
    FROM audit e LEFT JOIN accounts a ON a.id = e.actor_id
    WHERE e.event = 'service.suspend' AND e.subject_type = 'service' AND e.subject_id = CAST(services.id AS TEXT)
    ORDER BY e.id DESC LIMIT 1), 'admin')
WHERE status = 'suspended';

UPDATE accounts SET disabled_by_level = COALESCE((
    SELECT CASE WHEN a.level = 'customer' AND a.reseller_plan_id IS NOT NULL THEN 'reseller' END
    FROM audit e LEFT JOIN accounts a ON a.id = e.actor_id
    WHERE e.event IN ('account.update', 'account.create') AND e.subject_type = 'account'
      AND e.subject_id = CAST(accounts.id AS TEXT) AND e.details LIKE '%status%'
    ORDER BY e.id DESC LIMIT 1), 'admin')
WHERE status = 'disabled';

-- Aggregated audit rows: failed and throttled logins of one account (or of
-- unknown usernames) from one client within one window share a row whose
-- count grows. window_key names that row; it is NULL for every other entry.
ALTER TABLE audit ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit ADD COLUMN last_at INTEGER;
ALTER TABLE audit ADD COLUMN window_key TEXT;
CREATE UNIQUE INDEX audit_by_window ON audit (window_key) WHERE window_key IS NOT NULL;
CREATE INDEX audit_by_at ON audit (at);

-- Retention: a row of audit_prune_permit, inserted and deleted inside the
-- one transaction that prunes (and audits the prune), is the only thing
-- that lets rows older than its cutoff be deleted.
CREATE TABLE audit_prune_permit (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    cutoff INTEGER NOT NULL
);

-- Still append-only: an entry never changes, except that an aggregated
-- row's count grows (and its last_at with it); nothing is deleted but what
-- a prune permit covers.
DROP TRIGGER audit_no_update;
DROP TRIGGER audit_no_delete;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
WHEN NOT (old.window_key IS NOT NULL AND new.window_key IS old.window_key
    AND new.id = old.id AND new.at = old.at AND new.actor_id IS old.actor_id AND new.actor = old.actor
    AND new.impersonator_id IS old.impersonator_id AND new.impersonator = old.impersonator
    AND new.event = old.event AND new.subject_type = old.subject_type AND new.subject_id = old.subject_id
    AND new.details = old.details AND new.count > old.count
    AND new.last_at IS NOT NULL AND new.last_at >= old.at)
BEGIN SELECT RAISE(ABORT, 'audit entries cannot be changed'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
WHEN NOT EXISTS (SELECT 1 FROM audit_prune_permit p WHERE old.at < p.cutoff)
BEGIN SELECT RAISE(ABORT, 'audit entries cannot be deleted'); END;

-- The key that signs device tokens (a browser's or the window's proof that
-- it logged in to an account before). Created on first use, by the app.
CREATE TABLE device_key (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    secret BLOB    NOT NULL
);
