-- Media index (docs/spec.md §9): sort indexes only for the accounts that
-- need them, and no lowered copy of each path where SQLite's own LIKE gives
-- the same answer.
--
-- A first start inserts 200,000 rows (2,000 folders x 100 files), and
-- SQLite's part of it was mostly the three sort indexes and the lowered
-- path (make bench, media index; the sqlite3 shell inserting those rows:
-- 0.47-0.68 s of CPU with three full indexes and path_key, 0.17-0.19 s with
-- the indexes partial and no path_key on a row). A library of a few thousand
-- files sorts a page of 50 without an index in under a millisecond (SQLite's
-- top-N sort over the account's primary-key range; make bench, media list:
-- p50 0.4 ms at 2,000 files, 0.9 ms at 5,000, against 0.15-0.25 ms through
-- an index); one of 50,000 takes 8 ms.
-- So each row says whether its account is "sorted" (media_totals.sorted,
-- copied on each of its rows), and the sort indexes hold only those rows.
-- The indexer (backend/sqlite/media.go) flags an account when it goes
-- above 5,000 files and unflags it when it falls below 2,500, flipping all
-- of its rows in the same transaction; a fill writes the rows with the
-- flag already right. ListMedia adds "AND sorted = 1" for a flagged
-- account, so the planner can use the partial index.
--
-- path_key is now NULL when SQLite's lower(path) (ASCII only) is already
-- Go's strings.ToLower(path), as for every ASCII path: LIKE folds ASCII
-- case itself, so coalesce(path_key, path) LIKE '%q%' is exactly the old
-- path_key LIKE '%q%'. SQLite cannot drop a NOT NULL, so the table is
-- copied (each account's rows in key order).

ALTER TABLE media_totals ADD COLUMN sorted INTEGER NOT NULL DEFAULT 0;
UPDATE media_totals SET sorted = 1 WHERE files > 5000;

CREATE TABLE media_files_new (
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    path        TEXT    NOT NULL,
    path_key    TEXT,                      -- Go's lowered path, NULL when lower(path) is that
    size        INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    modified_at INTEGER NOT NULL,
    sorted      INTEGER NOT NULL DEFAULT 0, -- media_totals.sorted of the account
    PRIMARY KEY (account_id, path)
) WITHOUT ROWID;

INSERT INTO media_files_new (account_id, path, path_key, size, kind, modified_at, sorted)
SELECT f.account_id, f.path, CASE WHEN f.path_key = lower(f.path) THEN NULL ELSE f.path_key END,
       f.size, f.kind, f.modified_at, coalesce(t.sorted, 0)
FROM media_files f LEFT JOIN media_totals t ON t.account_id = f.account_id
ORDER BY f.account_id, f.path;

DROP TABLE media_files;
ALTER TABLE media_files_new RENAME TO media_files;

-- Every sort of a flagged account's library, each ending in path so keyset
-- pages are exact.
CREATE INDEX media_files_size ON media_files (account_id, size, path) WHERE sorted = 1;
CREATE INDEX media_files_modified ON media_files (account_id, modified_at, path) WHERE sorted = 1;
CREATE INDEX media_files_kind ON media_files (account_id, kind, path) WHERE sorted = 1;
