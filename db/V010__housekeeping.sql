-- Housekeeping: ended tasks move out of the queue into a compact history, and metrics into time buckets.

CREATE TABLE replication_history (
    tenant_id              uuid        NOT NULL,
    id                     uuid        NOT NULL,
    rule_id                uuid        NOT NULL,
    destination_trust_id   uuid        NOT NULL,
    destination_bucket     text        NOT NULL,
    source_key             text        NOT NULL,
    source_version_id      text        NOT NULL,
    is_delete_marker       boolean     NOT NULL,
    size                   bigint,
    source_last_modified   timestamptz NOT NULL,
    state                  text        NOT NULL CHECK (state IN ('COMPLETED', 'SKIPPED')),
    outcome                text,
    attempts               integer     NOT NULL,
    destination_version_id text,
    completed_at           timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, rule_id, destination_trust_id, destination_bucket, source_key, source_version_id),
    FOREIGN KEY (tenant_id, rule_id) REFERENCES rules (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX replication_history_by_id ON replication_history (tenant_id, rule_id, id);
CREATE INDEX replication_history_by_version ON replication_history (tenant_id, rule_id, source_key, source_version_id);
COMMENT ON TABLE replication_history IS
    'ended tasks pruned from the queue after the retention: the status of every replicated version stays answerable';

CREATE TABLE replication_metric_buckets (
    tenant_id                           uuid             NOT NULL,
    rule_id                             uuid             NOT NULL,
    destination_trust_id                uuid             NOT NULL,
    destination_bucket                  text             NOT NULL,
    width_seconds                       integer          NOT NULL CHECK (width_seconds IN (60, 3600, 86400)),
    bucket_start                        timestamptz      NOT NULL,
    operations_replicated               bigint           NOT NULL,
    bytes_replicated                    bigint           NOT NULL,
    operations_replicated_after_threshold bigint         NOT NULL,
    latency_p99_seconds                 double precision NOT NULL,
    PRIMARY KEY (tenant_id, rule_id, destination_trust_id, destination_bucket, width_seconds, bucket_start),
    FOREIGN KEY (tenant_id, rule_id) REFERENCES rules (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE replication_metric_buckets IS
    'what pruned tasks counted towards the metrics, per minute; minutes become hours and hours days as they age';
COMMENT ON COLUMN replication_metric_buckets.latency_p99_seconds IS 'p99 latency of live replications in the bucket (the highest of merged buckets)';

CREATE INDEX replication_tasks_ended ON replication_tasks (completed_at) WHERE state IN ('COMPLETED', 'SKIPPED');
CREATE INDEX webhook_deliveries_ended ON webhook_deliveries (event_time) WHERE status IN ('DELIVERED', 'FAILED');
