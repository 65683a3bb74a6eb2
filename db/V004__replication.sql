-- The replication task queue and the reconciliation scan's checkpoints.

CREATE TABLE replication_tasks (
    tenant_id              uuid        NOT NULL REFERENCES tenants (id),
    id                     uuid        NOT NULL,
    rule_id                uuid        NOT NULL,
    destination_trust_id   uuid        NOT NULL,
    destination_bucket     text        NOT NULL,
    source_key             text        NOT NULL,
    source_version_id      text        NOT NULL,
    is_delete_marker       boolean     NOT NULL,
    size                   bigint,
    source_etag            text,
    source_last_modified   timestamptz NOT NULL,
    origin                 text        NOT NULL CHECK (origin IN ('SCAN', 'EVENT', 'BATCH', 'RETRY')),
    state                  text        NOT NULL CHECK (state IN ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED', 'SKIPPED')),
    outcome                text,
    attempts               integer     NOT NULL DEFAULT 0,
    not_before             timestamptz NOT NULL,
    lease_owner            text,
    lease_until            timestamptz,
    version                integer     NOT NULL DEFAULT 0,
    failure_reason         text,
    last_error             text,
    destination_version_id text,
    enqueued_at            timestamptz NOT NULL,
    started_at             timestamptz,
    completed_at           timestamptz,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, rule_id, destination_trust_id, destination_bucket, source_key, source_version_id)
);
CREATE INDEX replication_tasks_claimable ON replication_tasks (not_before) WHERE state = 'PENDING';
CREATE INDEX replication_tasks_leases ON replication_tasks (lease_until) WHERE state = 'RUNNING';
CREATE INDEX replication_tasks_open_keys ON replication_tasks
    (tenant_id, rule_id, destination_trust_id, destination_bucket, source_key, source_last_modified)
    WHERE state IN ('PENDING', 'RUNNING');
CREATE INDEX replication_tasks_by_rule ON replication_tasks (tenant_id, rule_id, state);

COMMENT ON TABLE replication_tasks IS 'one task per (rule, destination, key, version); enqueue is idempotent';
COMMENT ON COLUMN replication_tasks.outcome IS 'COMPLETED: REPLICATED or ALREADY_REPLICATED; SKIPPED: FILTERED, REPLICA or NOT_IN_RULE';
COMMENT ON COLUMN replication_tasks.not_before IS 'earliest time a worker may claim the task (retry backoff)';
COMMENT ON COLUMN replication_tasks.lease_until IS 'a RUNNING task whose lease expired belongs to a crashed worker and is claimed again';
COMMENT ON COLUMN replication_tasks.version IS 'incremented by every claim; a lease holder writes only with the version it claimed';
COMMENT ON COLUMN replication_tasks.failure_reason IS 'AWS replication failure reason code, e.g. DstBucketNotFound';

CREATE TABLE rule_scans (
    tenant_id          uuid        NOT NULL,
    rule_id            uuid        NOT NULL,
    next_scan_at       timestamptz NOT NULL,
    key_marker         text,
    version_id_marker  text,
    pass_started_at    timestamptz,
    last_completed_at  timestamptz,
    lease_owner        text,
    lease_until        timestamptz,
    PRIMARY KEY (tenant_id, rule_id),
    FOREIGN KEY (tenant_id, rule_id) REFERENCES rules (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX rule_scans_due ON rule_scans (next_scan_at);
COMMENT ON TABLE rule_scans IS 'reconciliation scan state per rule; the markers are the checkpoint a restarted scan resumes from';
