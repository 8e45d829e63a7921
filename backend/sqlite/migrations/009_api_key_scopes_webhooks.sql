-- Scoped, expiring API keys (docs/api.md, "Scopes"). scopes and
-- allowed_ips are comma-separated lists; empty means the account's full
-- rights and any address, so every key made before this migration keeps
-- working exactly as it did. Times are Unix milliseconds (UTC).
ALTER TABLE api_keys ADD COLUMN scopes           TEXT    NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN expires_at       INTEGER;
ALTER TABLE api_keys ADD COLUMN allowed_ips      TEXT    NOT NULL DEFAULT '';
ALTER TABLE api_keys ADD COLUMN last_used_ip     TEXT    NOT NULL DEFAULT '';
-- When the account was told the key expires soon (cleared by a new expiry).
ALTER TABLE api_keys ADD COLUMN expiry_warned_at INTEGER;
CREATE INDEX api_keys_expiring ON api_keys (expires_at)
    WHERE revoked_at IS NULL AND expires_at IS NOT NULL AND expiry_warned_at IS NULL;

-- Webhooks (docs/api.md, "Webhooks"): subscriptions of administrators and
-- resellers. events is a comma-separated list of event names. The secret
-- signs every delivery (HMAC-SHA256), so it is kept as given.
CREATE TABLE webhook_subscriptions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    url        TEXT    NOT NULL,
    events     TEXT    NOT NULL,
    secret     TEXT    NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX webhook_subscriptions_by_account ON webhook_subscriptions (account_id, id);

-- The delivery queue and log: a row is written in the same transaction as
-- the change it reports, then claimed by a worker (state 'sending',
-- lease_until, claim_token) before the request, like mail_outbox. Only the
-- oldest unfinished row of a subscription is ever claimed, so its events
-- go out in order.
CREATE TABLE webhook_deliveries (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id  INTEGER NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
    guid             TEXT    NOT NULL UNIQUE,     -- the Castdesk-Delivery header
    event_id         TEXT    NOT NULL,            -- the body's id: one per event
    event            TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    state            TEXT    NOT NULL CHECK (state IN ('queued','sending','delivered','failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    lease_until      INTEGER,
    claim_token      TEXT    NOT NULL DEFAULT '',
    status_code      INTEGER,
    duration_ms      INTEGER,
    response_excerpt TEXT    NOT NULL DEFAULT '',
    last_error       TEXT    NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    delivered_at     INTEGER,
    redelivery_of    INTEGER
);
-- The worker's question: the head of each subscription's unfinished rows.
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (subscription_id, id)
    WHERE state IN ('queued','sending');
-- The delivery log of a subscription, newest first.
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (subscription_id, id);
