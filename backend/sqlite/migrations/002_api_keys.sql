-- API keys (docs/spec.md §8). Only the SHA-256 hash of a key is stored, with its
-- short visible prefix; a revoked key keeps its row (revoked_at) so the
-- answer to it can say "revoked" and the audit can name it.
CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id   INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    prefix       TEXT    NOT NULL,
    hash         TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
CREATE INDEX api_keys_by_account ON api_keys (account_id, id);
