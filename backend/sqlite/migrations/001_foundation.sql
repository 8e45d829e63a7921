-- Castdesk schema, first cut. Times are Unix milliseconds (UTC).

CREATE TABLE plans (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    name              TEXT    NOT NULL,
    name_key          TEXT    NOT NULL UNIQUE,
    autodj            INTEGER NOT NULL DEFAULT 0,
    autodj_quota      INTEGER,            -- NULL = unlimited
    proxy             INTEGER NOT NULL DEFAULT 0,
    max_connections   INTEGER,
    data_transfer_mb  INTEGER,
    max_bitrate_kbps  INTEGER,
    server_limit      INTEGER,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);

CREATE TABLE accounts (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    username             TEXT    NOT NULL,
    username_key         TEXT    NOT NULL UNIQUE,   -- lower(username): unique case-insensitively
    password_hash        TEXT    NOT NULL,
    name                 TEXT    NOT NULL,
    name_key             TEXT    NOT NULL,          -- lower(name), for sorting and search
    contact_number       TEXT    NOT NULL DEFAULT '',
    email                TEXT    NOT NULL,
    email_key            TEXT    NOT NULL,          -- lower(email)
    level                TEXT    NOT NULL CHECK (level IN ('customer','admin')),
    status               TEXT    NOT NULL CHECK (status IN ('enabled','disabled')),
    api_access           INTEGER NOT NULL DEFAULT 0,
    accessibility        INTEGER NOT NULL DEFAULT 0,
    timezone             TEXT    NOT NULL DEFAULT '',
    language             TEXT    NOT NULL DEFAULT 'en',
    reseller_plan_id     INTEGER REFERENCES plans(id) ON DELETE RESTRICT,
    owner_id             INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    last_login_at        INTEGER
);
-- Every sort and filter of the customers list has an index ending in id, so a
-- page is an index range scan whatever the order (keyset pagination).
CREATE INDEX accounts_by_name     ON accounts (name_key, id);
CREATE INDEX accounts_by_email    ON accounts (email_key, id);
CREATE INDEX accounts_by_created  ON accounts (created_at, id);
CREATE INDEX accounts_by_level    ON accounts (level, id);
CREATE INDEX accounts_by_status   ON accounts (status, id);
CREATE INDEX accounts_by_owner    ON accounts (owner_id, id);
CREATE INDEX accounts_by_plan     ON accounts (reseller_plan_id);
CREATE INDEX accounts_by_username ON accounts (username_key, id);

CREATE TABLE services (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id         INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name             TEXT    NOT NULL,
    type             TEXT    NOT NULL,
    port             INTEGER NOT NULL UNIQUE,
    max_connections  INTEGER NOT NULL DEFAULT 0,
    bitrate_kbps     INTEGER NOT NULL DEFAULT 0,
    data_transfer_mb INTEGER NOT NULL DEFAULT 0,
    autodj           INTEGER NOT NULL DEFAULT 0,
    autodj_quota     INTEGER NOT NULL DEFAULT 0,
    proxy            INTEGER NOT NULL DEFAULT 0,
    status           TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active','suspended')),
    suspend_reason   TEXT    NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX services_by_owner ON services (owner_id, status);

CREATE TABLE sessions (
    hash            TEXT    PRIMARY KEY,            -- sha256 of the token; the token itself is never stored
    account_id      INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    impersonator_id INTEGER REFERENCES accounts(id) ON DELETE CASCADE,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    last_seen_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_account ON sessions (account_id);

-- Login failures per username key, known or not: throttling survives a
-- restart and tells nothing about which accounts exist.
CREATE TABLE login_throttle (
    username_key TEXT    PRIMARY KEY,
    failures     INTEGER NOT NULL,
    until        INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Append-only: the app has no statement that updates or deletes audit rows.
CREATE TABLE audit (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    at              INTEGER NOT NULL,
    actor_id        INTEGER,
    actor           TEXT    NOT NULL DEFAULT '',
    impersonator_id INTEGER,
    impersonator    TEXT    NOT NULL DEFAULT '',
    event           TEXT    NOT NULL,
    subject_type    TEXT    NOT NULL DEFAULT '',
    subject_id      TEXT    NOT NULL DEFAULT '',
    details         TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_event   ON audit (event, id);
CREATE INDEX audit_by_actor   ON audit (actor_id, id);
CREATE INDEX audit_by_subject ON audit (subject_type, subject_id, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit entries cannot be changed'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit entries cannot be deleted'); END;

-- Substring search over username, name and email that stays fast at 100k
-- accounts: an FTS5 trigram index kept in step by triggers (needs the
-- sqlite_fts5 build tag of mattn/go-sqlite3).
CREATE VIRTUAL TABLE accounts_fts USING fts5(username, name, email, content='accounts', content_rowid='id', tokenize='trigram');
CREATE TRIGGER accounts_fts_insert AFTER INSERT ON accounts BEGIN
    INSERT INTO accounts_fts (rowid, username, name, email) VALUES (new.id, new.username, new.name, new.email);
END;
CREATE TRIGGER accounts_fts_delete AFTER DELETE ON accounts BEGIN
    INSERT INTO accounts_fts (accounts_fts, rowid, username, name, email) VALUES ('delete', old.id, old.username, old.name, old.email);
END;
CREATE TRIGGER accounts_fts_update AFTER UPDATE OF username, name, email ON accounts BEGIN
    INSERT INTO accounts_fts (accounts_fts, rowid, username, name, email) VALUES ('delete', old.id, old.username, old.name, old.email);
    INSERT INTO accounts_fts (rowid, username, name, email) VALUES (new.id, new.username, new.name, new.email);
END;
