-- How much was waiting to be replicated, minute by minute, per rule and destination: the queue knows only what is
-- pending now, and a retry or a pruned task would rewrite any history derived from task rows.
CREATE TABLE replication_pending_samples (
    tenant_id            uuid        NOT NULL,
    rule_id              uuid        NOT NULL,
    destination_trust_id uuid        NOT NULL,
    destination_bucket   text        NOT NULL,
    minute               timestamptz NOT NULL,
    operations_pending   bigint      NOT NULL,
    bytes_pending        bigint      NOT NULL,
    PRIMARY KEY (tenant_id, rule_id, destination_trust_id, destination_bucket, minute),
    FOREIGN KEY (tenant_id, rule_id) REFERENCES rules (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX replication_pending_samples_age ON replication_pending_samples (minute);
COMMENT ON TABLE replication_pending_samples IS
    'the most versions (and their bytes) pending or running at any sample within each minute; no row: none pending, or no scheduler ran';
