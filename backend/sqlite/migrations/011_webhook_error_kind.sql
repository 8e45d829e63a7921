-- A failed webhook delivery says what kind of failure it was (docs/api.md,
-- "Webhooks": error_kind, a closed list such as dns, connect, timeout,
-- certificate, http_status), beside last_error, the sender's own English
-- text. '' when the last attempt did not fail, and for every row written
-- before this migration (their last_error keeps the details).
ALTER TABLE webhook_deliveries ADD COLUMN error_kind TEXT NOT NULL DEFAULT '';
