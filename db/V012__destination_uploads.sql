-- Every multipart upload Replicator starts on a destination is recorded before it is started, so that one whose
-- id was never learnt (the answer to CreateMultipartUpload was lost, or the worker died before recording it) or
-- that will not be completed can be found again and aborted.
CREATE TABLE destination_uploads (
    tenant_id            uuid        NOT NULL,
    id                   uuid        NOT NULL,
    task_id              uuid        NOT NULL,
    destination_trust_id uuid        NOT NULL,
    destination_bucket   text        NOT NULL,
    destination_key      text        NOT NULL,
    upload_id            text,
    started_at           timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX destination_uploads_by_task ON destination_uploads (tenant_id, task_id);
COMMENT ON TABLE destination_uploads IS
    'multipart uploads started on destinations and not yet completed or aborted; no foreign key to the task, so that an upload outlives a deleted task or rule until the sweep aborts it';
COMMENT ON COLUMN destination_uploads.upload_id IS 'null until CreateMultipartUpload answered; such an upload is found by listing the key''s uploads';
COMMENT ON COLUMN destination_uploads.started_at IS 'when the worker asked for the upload (its clock), recorded before asking';
