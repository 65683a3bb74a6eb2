-- Batch replication jobs: on-demand replication of existing versions, through the same task queue as live ones.

CREATE TABLE batch_jobs (
    tenant_id             uuid        NOT NULL REFERENCES tenants (id),
    id                    uuid        NOT NULL,
    rule_id               uuid        NOT NULL,
    description           text,
    status                text        NOT NULL CHECK (status IN ('PREPARING', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
    status_detail         text,
    replication_statuses  text[],
    created_after         timestamptz,
    created_before        timestamptz,
    prefix                text,
    destinations          text[]      NOT NULL,
    manifest_source       text        NOT NULL CHECK (manifest_source IN ('GENERATED', 'UPLOADED', 'BUCKET')),
    manifest_trust_id     uuid,
    manifest_bucket       text,
    manifest_key          text,
    manifest_version_id   text,
    key_marker            text,
    version_id_marker     text,
    manifest_line         bigint      NOT NULL DEFAULT 0,
    lease_owner           text,
    lease_until           timestamptz,
    report_trust_id       uuid,
    report_bucket         text,
    report_prefix         text,
    report_scope          text        CHECK (report_scope IN ('ALL_TASKS', 'FAILED_TASKS_ONLY')),
    report_location       text,
    report_error          text,
    report_attempts       integer     NOT NULL DEFAULT 0,
    report_due_at         timestamptz,
    results_recorded      boolean     NOT NULL DEFAULT false,
    total_objects         bigint      NOT NULL DEFAULT 0,
    succeeded             bigint      NOT NULL DEFAULT 0,
    failed                bigint      NOT NULL DEFAULT 0,
    skipped               bigint      NOT NULL DEFAULT 0,
    created_at            timestamptz NOT NULL,
    created_by            text,
    started_at            timestamptz,
    completed_at          timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, rule_id) REFERENCES rules (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX batch_jobs_by_created ON batch_jobs (tenant_id, created_at DESC, id DESC);
CREATE INDEX batch_jobs_active ON batch_jobs (status) WHERE status IN ('PREPARING', 'RUNNING') OR results_recorded = false;
COMMENT ON COLUMN batch_jobs.replication_statuses IS 'the filter: NONE, FAILED, COMPLETED, REPLICA; null for a manifest job';
COMMENT ON COLUMN batch_jobs.destinations IS 'the destination buckets of the rule the job replicates to';
COMMENT ON COLUMN batch_jobs.key_marker IS 'listing checkpoint: preparation resumes after this key and version';
COMMENT ON COLUMN batch_jobs.manifest_line IS 'manifest checkpoint: lines already turned into tasks';
COMMENT ON COLUMN batch_jobs.results_recorded IS 'the outcome of every task was copied to batch_job_results when the job ended';
COMMENT ON COLUMN batch_jobs.total_objects IS 'tasks (version x destination) of the job, frozen when it ends; counted from the queue until then';

CREATE TABLE batch_job_manifests (
    tenant_id uuid NOT NULL,
    job_id    uuid NOT NULL,
    csv       text NOT NULL,
    PRIMARY KEY (tenant_id, job_id),
    FOREIGN KEY (tenant_id, job_id) REFERENCES batch_jobs (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE batch_job_manifests IS 'manifests uploaded with the job request (bucket,key,versionId lines)';

CREATE TABLE batch_job_results (
    tenant_id          uuid    NOT NULL,
    job_id             uuid    NOT NULL,
    task_id            uuid    NOT NULL,
    source_key         text    NOT NULL,
    source_version_id  text    NOT NULL,
    destination_bucket text    NOT NULL,
    status             text    NOT NULL,
    failure_reason     text,
    PRIMARY KEY (tenant_id, job_id, task_id),
    FOREIGN KEY (tenant_id, job_id) REFERENCES batch_jobs (tenant_id, id) ON DELETE CASCADE
);
COMMENT ON TABLE batch_job_results IS 'what each task of an ended job came to; the completion report, unchanged by later jobs or retries';

ALTER TABLE replication_tasks ADD COLUMN batch_job_id uuid;
ALTER TABLE replication_tasks ADD COLUMN prior_state text;
ALTER TABLE replication_tasks ADD COLUMN include_replicas boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN replication_tasks.batch_job_id IS 'the batch job the task is queued for; null for live replication';
COMMENT ON COLUMN replication_tasks.prior_state IS 'the state a batch job requeued the task from; a cancelled job restores it';
COMMENT ON COLUMN replication_tasks.include_replicas IS 'copy the version even if it is itself a replica (batch jobs with REPLICA)';

DROP INDEX replication_tasks_claimable;
CREATE INDEX replication_tasks_claimable_live ON replication_tasks (not_before) WHERE state = 'PENDING' AND batch_job_id IS NULL;
CREATE INDEX replication_tasks_claimable_batch ON replication_tasks (not_before) WHERE state = 'PENDING' AND batch_job_id IS NOT NULL;
CREATE INDEX replication_tasks_by_batch_job ON replication_tasks (tenant_id, batch_job_id, state) WHERE batch_job_id IS NOT NULL;
-- A job works out each listed version's status from its tasks at every destination.
CREATE INDEX replication_tasks_by_version ON replication_tasks (tenant_id, rule_id, source_key, source_version_id);
