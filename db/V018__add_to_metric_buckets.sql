-- Adds figures to the metric buckets: a bucket that does not exist yet is created, one that does adds them up (sums
-- add, the p99 latency is the higher of the two). Pruned tasks, retried failures and the compaction of old buckets
-- all write buckets this one way; it answers how many buckets it wrote. The additions must not repeat a bucket's key.
CREATE FUNCTION add_to_metric_buckets(additions replication_metric_buckets[]) RETURNS integer
LANGUAGE sql AS $$
    WITH written AS (
    INSERT INTO replication_metric_buckets AS b
    SELECT * FROM unnest(additions)
    ON CONFLICT (tenant_id, rule_id, destination_trust_id, destination_bucket, width_seconds, bucket_start) DO UPDATE
       SET operations_replicated = b.operations_replicated + excluded.operations_replicated,
           bytes_replicated = b.bytes_replicated + excluded.bytes_replicated,
           operations_replicated_after_threshold = b.operations_replicated_after_threshold
               + excluded.operations_replicated_after_threshold,
           latency_p99_seconds = greatest(b.latency_p99_seconds, excluded.latency_p99_seconds),
           operations_failed = b.operations_failed + excluded.operations_failed
    RETURNING 1)
    SELECT count(*)::integer FROM written
$$;
COMMENT ON FUNCTION add_to_metric_buckets(replication_metric_buckets[]) IS
    'adds figures to metric buckets, creating the buckets that do not exist yet; rows are in the table''s column order';
