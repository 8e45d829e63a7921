-- Media index (docs/spec.md §9): one row per file of an account's media folder,
-- kept by the watcher. Paths are relative to user_{id}/, with '/'.
-- Totals are kept by triggers so the overview reads one row.

CREATE TABLE media_files (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    path        TEXT    NOT NULL,
    path_key    TEXT    NOT NULL,          -- lower(path), for search
    size        INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    modified_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, path)
) WITHOUT ROWID;

-- Every sort of the library, each ending in path so keyset pages are exact.
CREATE INDEX media_files_size ON media_files (account_id, size, path);
CREATE INDEX media_files_modified ON media_files (account_id, modified_at, path);
CREATE INDEX media_files_kind ON media_files (account_id, kind, path);

CREATE TABLE media_totals (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    files      INTEGER NOT NULL DEFAULT 0,
    bytes      INTEGER NOT NULL DEFAULT 0
);

CREATE TRIGGER media_files_insert AFTER INSERT ON media_files BEGIN
    INSERT INTO media_totals (account_id, files, bytes) VALUES (NEW.account_id, 1, NEW.size)
    ON CONFLICT (account_id) DO UPDATE SET files = files + 1, bytes = bytes + NEW.size;
END;

CREATE TRIGGER media_files_update AFTER UPDATE OF size ON media_files BEGIN
    UPDATE media_totals SET bytes = bytes - OLD.size + NEW.size WHERE account_id = NEW.account_id;
END;

CREATE TRIGGER media_files_delete AFTER DELETE ON media_files BEGIN
    UPDATE media_totals SET files = files - 1, bytes = bytes - OLD.size WHERE account_id = OLD.account_id;
END;
