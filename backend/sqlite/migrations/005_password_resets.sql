-- Forgot-password codes (docs/spec.md §7). Only a SHA-256 of each code is kept; a
-- new code replaces the account's previous ones; a used code is deleted.
CREATE TABLE password_resets (
    code_hash  TEXT    PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX password_resets_by_account ON password_resets (account_id);
