-- Storage quotas (docs/spec.md §9): an account's quota in MB (NULL = the System
-- Settings default, default_storage_quota_mb), and a reseller plan's total
-- its customers' quotas must fit in (NULL = unlimited). Use is the media
-- index's media_totals.bytes.
ALTER TABLE accounts ADD COLUMN storage_quota_mb INTEGER;
ALTER TABLE plans ADD COLUMN storage_mb INTEGER;
