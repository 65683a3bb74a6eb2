-- Replication rules: one source bucket (through a trust) to one or more destinations (each through a trust).

CREATE TABLE rules (
    tenant_id                  uuid        NOT NULL REFERENCES tenants (id),
    id                         uuid        NOT NULL,
    name                       text        NOT NULL,
    status                     text        NOT NULL CHECK (status IN ('ENABLED', 'DISABLED')),
    priority                   integer     NOT NULL CHECK (priority >= 0),
    source_trust_id            uuid        NOT NULL,
    source_bucket              text        NOT NULL,
    filter_prefix              text,
    delete_marker_replication  boolean     NOT NULL,
    replica_modifications      boolean     NOT NULL,
    replication_time_enabled   boolean     NOT NULL,
    replication_time_minutes   integer     NOT NULL CHECK (replication_time_minutes BETWEEN 1 AND 1440),
    scan_interval_seconds      integer     NOT NULL CHECK (scan_interval_seconds = 0 OR scan_interval_seconds BETWEEN 30 AND 86400),
    live_since                 timestamptz NOT NULL,
    created_at                 timestamptz NOT NULL,
    updated_at                 timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, source_trust_id) REFERENCES trusts (tenant_id, id)
);
CREATE UNIQUE INDEX rules_name_unique ON rules (tenant_id, name);
CREATE UNIQUE INDEX rules_source_priority_unique ON rules (tenant_id, source_trust_id, source_bucket, priority);
COMMENT ON COLUMN rules.live_since IS 'versions written from this time on are replicated live; older ones (status NONE) by batch jobs';
COMMENT ON COLUMN rules.priority IS 'higher wins when rules of one source overlap on a destination; unique per source bucket, as in AWS';
COMMENT ON COLUMN rules.scan_interval_seconds IS 'how often the source is listed to catch missed changes; 0 = change events only';

CREATE TABLE rule_filter_tags (
    tenant_id  uuid NOT NULL,
    rule_id    uuid NOT NULL,
    key        text NOT NULL,
    value      text NOT NULL,
    PRIMARY KEY (tenant_id, rule_id, key),
    FOREIGN KEY (tenant_id, rule_id) REFERENCES rules (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE rule_destinations (
    tenant_id       uuid    NOT NULL,
    rule_id         uuid    NOT NULL,
    position        integer NOT NULL,
    trust_id        uuid    NOT NULL,
    bucket          text    NOT NULL,
    storage_class   text,
    owner_override  boolean NOT NULL,
    kms_key_id      text,
    PRIMARY KEY (tenant_id, rule_id, position),
    UNIQUE (tenant_id, rule_id, trust_id, bucket),
    FOREIGN KEY (tenant_id, rule_id) REFERENCES rules (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, trust_id) REFERENCES trusts (tenant_id, id)
);
CREATE INDEX rule_destinations_trust ON rule_destinations (tenant_id, trust_id);
COMMENT ON COLUMN rule_destinations.storage_class IS 'storage class of replicas; null keeps the source object''s';
COMMENT ON COLUMN rule_destinations.owner_override IS 'replicas owned by the destination bucket owner (AWS AccessControlTranslation)';
COMMENT ON COLUMN rule_destinations.kms_key_id IS 'SSE-KMS key for replicas; null keeps the source object''s encryption';
