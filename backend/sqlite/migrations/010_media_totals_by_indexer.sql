-- Media index totals (docs/spec.md §9) are written by the indexer instead of by
-- per-row triggers (backend/sqlite/media.go: ApplyMedia adds what each
-- change inserted, updated or deleted; media_fill.go: FillMedia writes an
-- empty account's totals once). A first start inserts 200,000 rows, and
-- the trigger's upsert of the totals made each insert cost about a third
-- more CPU (make bench: media index). Every write to media_files goes
-- through those two functions, in the same transaction as its totals, and
-- an account's delete cascades to both tables, so the totals stay exact.
DROP TRIGGER media_files_insert;
DROP TRIGGER media_files_update;
DROP TRIGGER media_files_delete;
