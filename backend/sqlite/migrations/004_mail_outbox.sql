-- Mail outbox (docs/spec.md §6): every message is written here first and sent by a
-- worker afterwards. A worker claims a row in a write transaction (state
-- 'sending', lease_until, claim_token) before it sends; a row whose lease ran
-- out (its worker died) is claimed again. Times are Unix milliseconds (UTC).

CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id      INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL,            -- welcome, reset_code, temporary_password, custom
    to_address      TEXT    NOT NULL,
    to_name         TEXT    NOT NULL DEFAULT '',
    subject         TEXT    NOT NULL,
    html            TEXT    NOT NULL,
    text            TEXT    NOT NULL,
    message_id      TEXT    NOT NULL UNIQUE,     -- the Message-ID header, one per row
    sensitive       INTEGER NOT NULL DEFAULT 0,  -- body wiped once sent (codes, temporary passwords)
    state           TEXT    NOT NULL CHECK (state IN ('queued','sending','sent','failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT    NOT NULL DEFAULT '',
    error_kind      TEXT    NOT NULL DEFAULT '',
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER,
    claim_token     TEXT    NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    resend_of       INTEGER,
    created_by      TEXT    NOT NULL DEFAULT ''
);
-- The worker's two questions: what queued row is due, what lease ran out.
CREATE INDEX mail_outbox_due     ON mail_outbox (state, next_attempt_at, id);
CREATE INDEX mail_outbox_lease   ON mail_outbox (state, lease_until);
-- The per-customer mail log, newest first, and its counts.
CREATE INDEX mail_outbox_account ON mail_outbox (account_id, id);
CREATE INDEX mail_outbox_account_state ON mail_outbox (account_id, state);
