-- A user's retry puts FAILED tasks back in the queue: their failures move into the metric buckets at the minute they
-- happened, so the metrics keep them there (a failure is an event in time, not a state that a retry undoes).
ALTER TABLE replication_metric_buckets ADD COLUMN operations_failed bigint NOT NULL DEFAULT 0;
COMMENT ON COLUMN replication_metric_buckets.operations_failed IS
    'failures of tasks a retry put back in the queue, counted at the minute they failed';
