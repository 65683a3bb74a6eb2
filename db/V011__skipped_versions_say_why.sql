-- Skipped versions are listed by the object status API with their outcome and why; the why outlives pruning.
ALTER TABLE replication_history ADD COLUMN detail text;
COMMENT ON COLUMN replication_history.detail IS 'why a SKIPPED version was not copied (e.g. which newer version superseded it)';
COMMENT ON COLUMN replication_tasks.last_error IS 'the last error of a pending or failed task; for a SKIPPED one, why it was not copied';
