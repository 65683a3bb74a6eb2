-- Large objects are copied with multipart uploads; the upload id lets a retry resume it or abort it.
ALTER TABLE replication_tasks ADD COLUMN multipart_upload_id text;
COMMENT ON COLUMN replication_tasks.multipart_upload_id IS
    'the destination multipart upload of the current copy; a retry resumes it (parts already uploaded are kept) or aborts it';
