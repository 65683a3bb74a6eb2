-- Expressions that several features read the queue with, written once. Both are plain SQL expressions the planner
-- inlines where they are used (IMMUTABLE, one SELECT), so they cost nothing beyond the expression itself.

-- How long a version has taken to replicate by `at`, in seconds: from its write at the source (its Last-Modified) to
-- `at`, the replica's write for a completed task or now for an open one. The replication time (RTC) threshold, the
-- latency metrics and the OperationReplicatedAfterThreshold events all measure this.
CREATE FUNCTION replication_seconds(source_last_modified timestamptz, at timestamptz) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT extract(epoch FROM (at - source_last_modified))
$$;

-- An object's replication status as the API reports it (GET .../objects), from a queue or history row's state and
-- outcome: PENDING while open, REPLICA for a version that was itself a replica (not replicated again), otherwise the
-- state (COMPLETED, FAILED, SKIPPED).
CREATE FUNCTION object_replication_status(state text, outcome text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN state IN ('PENDING', 'RUNNING') THEN 'PENDING'
                WHEN state = 'SKIPPED' AND outcome = 'REPLICA' THEN 'REPLICA'
                ELSE state END
$$;
