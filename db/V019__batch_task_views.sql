-- The tasks of batch jobs as other features read them (only the queue writes replication_tasks): open (not yet
-- ended), status (PENDING while open, then COMPLETED, FAILED or SKIPPED) and reason (why it failed, or was skipped).
CREATE VIEW batch_tasks AS
SELECT tenant_id, batch_job_id, id, source_key, source_version_id, destination_bucket,
       state IN ('PENDING', 'RUNNING') AS open,
       CASE WHEN state IN ('PENDING', 'RUNNING') THEN 'PENDING' ELSE state END AS status,
       CASE WHEN state = 'FAILED' THEN failure_reason WHEN state = 'SKIPPED' THEN outcome END AS reason
  FROM replication_tasks
 WHERE batch_job_id IS NOT NULL;
COMMENT ON VIEW batch_tasks IS 'the queue''s tasks of batch jobs, read by the batch feature; written only by the queue';

-- A job with its task counts from the queue while its results are not recorded yet (after that, the frozen counts of
-- batch_jobs apply). The job's columns are listed at creation: a column added to batch_jobs is added here too.
CREATE VIEW batch_jobs_with_live_counts AS
SELECT j.*, c.live_total, c.live_pending, c.live_succeeded, c.live_failed, c.live_skipped
  FROM batch_jobs j
  LEFT JOIN LATERAL (
      SELECT count(*) AS live_total, count(*) FILTER (WHERE t.open) AS live_pending,
             count(*) FILTER (WHERE t.status = 'COMPLETED') AS live_succeeded,
             count(*) FILTER (WHERE t.status = 'FAILED') AS live_failed,
             count(*) FILTER (WHERE t.status = 'SKIPPED') AS live_skipped
        FROM batch_tasks t
       WHERE NOT j.results_recorded AND t.tenant_id = j.tenant_id AND t.batch_job_id = j.id) c ON true;
COMMENT ON VIEW batch_jobs_with_live_counts IS 'batch jobs with their task counts from the queue until their results are recorded';
