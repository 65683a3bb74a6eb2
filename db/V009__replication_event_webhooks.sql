-- Replication events (as S3 Event Notifications emit them) delivered to tenant webhooks.

CREATE TABLE webhooks (
    tenant_id             uuid        NOT NULL REFERENCES tenants (id),
    id                    uuid        NOT NULL,
    url                   text        NOT NULL,
    description           text,
    events                text[]      NOT NULL,
    rule_ids              uuid[],
    enabled               boolean     NOT NULL,
    secret_master_key_id  text        NOT NULL,
    secret_wrapped_key    bytea       NOT NULL,
    secret_ciphertext     bytea       NOT NULL,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
COMMENT ON COLUMN webhooks.events IS 'OperationFailedReplication, OperationMissedThreshold and/or OperationReplicatedAfterThreshold';
COMMENT ON COLUMN webhooks.rule_ids IS 'the rules whose events are sent; null for every rule of the tenant';
COMMENT ON COLUMN webhooks.secret_ciphertext IS 'the HMAC signing secret, sealed like trust secrets (AES-256-GCM data key under the master key)';

CREATE TABLE webhook_deliveries (
    tenant_id            uuid        NOT NULL,
    id                   uuid        NOT NULL,
    webhook_id           uuid        NOT NULL,
    event_name           text        NOT NULL,
    rule_id              uuid,
    task_id              uuid,
    source_bucket        text        NOT NULL,
    source_key           text        NOT NULL,
    source_version_id    text,
    size                 bigint,
    etag                 text,
    destination_bucket   text        NOT NULL,
    failure_reason       text,
    request_time         timestamptz NOT NULL,
    event_time           timestamptz NOT NULL,
    threshold_seconds    bigint,
    replication_seconds  bigint,
    status               text        NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    attempts             integer     NOT NULL DEFAULT 0,
    next_attempt_at      timestamptz,
    response_status      integer,
    last_error           text,
    delivered_at         timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, webhook_id) REFERENCES webhooks (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries (tenant_id, webhook_id, id);
COMMENT ON COLUMN webhook_deliveries.request_time IS 'when the source version was written (the replication request)';
COMMENT ON COLUMN webhook_deliveries.replication_seconds IS 'how long the replication took, for OperationReplicatedAfterThreshold';

ALTER TABLE replication_tasks ADD COLUMN threshold_missed_at timestamptz;
COMMENT ON COLUMN replication_tasks.threshold_missed_at IS 'when OperationMissedThreshold was emitted for the task (once)';

-- Time-ordered ids (UUID version 7 layout) for rows created in SQL, so that lists ordered by id are in creation order.
CREATE FUNCTION time_ordered_uuid() RETURNS uuid AS $$
    SELECT (lpad(to_hex(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || '7'
            || substr(md5(random()::text), 1, 3) || '8' || substr(md5(random()::text), 1, 15))::uuid
$$ LANGUAGE sql VOLATILE;
