-- Account security (docs/spec.md §1.4): TOTP second factors, recovery codes, logins
-- waiting for their second step, where each session was opened from, and
-- the sign-in history. Times are Unix milliseconds (UTC).

-- One second factor per account. enabled_at is NULL while the enrolment
-- waits for its first code. last_step is the last TOTP time step accepted:
-- a code of that step or an earlier one is a replay.
CREATE TABLE two_factor (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    secret     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    enabled_at INTEGER,
    last_step  INTEGER NOT NULL DEFAULT 0
);

-- Single-use recovery codes: only a SHA-256 of each; a used code is deleted.
CREATE TABLE recovery_codes (
    code_hash  TEXT    PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX recovery_codes_by_account ON recovery_codes (account_id);

-- A login whose password was right, waiting for its second factor; only the
-- hash of its token is stored.
CREATE TABLE login_pending (
    hash       TEXT    PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX login_pending_by_expiry ON login_pending (expires_at);

-- Sessions gain a public id (lists name sessions by it, never by the hash),
-- the client they were opened from, and the enrolment restriction.
ALTER TABLE sessions ADD COLUMN public_id  TEXT;
ALTER TABLE sessions ADD COLUMN address    TEXT    NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN user_agent TEXT    NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN must_enrol INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET public_id = lower(hex(randomblob(9))) WHERE public_id IS NULL;
CREATE UNIQUE INDEX sessions_by_public_id ON sessions (public_id);
CREATE INDEX sessions_by_impersonator ON sessions (impersonator_id);

-- The last sign-ins of each account, successful and failed (the app keeps 100).
CREATE TABLE login_history (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    success    INTEGER NOT NULL,
    method     TEXT    NOT NULL DEFAULT '',
    reason     TEXT    NOT NULL DEFAULT '',
    address    TEXT    NOT NULL DEFAULT '',
    user_agent TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX login_history_by_account ON login_history (account_id, id);
