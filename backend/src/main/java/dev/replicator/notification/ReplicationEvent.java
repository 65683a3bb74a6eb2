package dev.replicator.notification;

import java.util.List;

/**
 * The replication events S3 Event Notifications emit ({@code s3:Replication:…}), and the SQL that records them as
 * deliveries to the tenant's webhooks in the same statement that records a task's outcome.
 */
public final class ReplicationEvent {

  public static final String FAILED_REPLICATION = "OperationFailedReplication";
  public static final String MISSED_THRESHOLD = "OperationMissedThreshold";
  public static final String REPLICATED_AFTER_THRESHOLD = "OperationReplicatedAfterThreshold";
  public static final List<String> NAMES = List.of(FAILED_REPLICATION, MISSED_THRESHOLD, REPLICATED_AFTER_THRESHOLD);

  /**
   * Inserts a delivery per matching webhook for the tasks in the CTE {@code done} (their rows after the update): a
   * failure, or a live replication of a rule with replication time control that took longer than its threshold.
   */
  public static final String DELIVERIES_OF_FINISHED_TASKS = """
      INSERT INTO webhook_deliveries (tenant_id, id, webhook_id, event_name, rule_id, task_id, source_bucket, source_key,
          source_version_id, size, etag, destination_bucket, failure_reason, request_time, event_time, threshold_seconds,
          replication_seconds, status, next_attempt_at)
      SELECT d.tenant_id, time_ordered_uuid(), w.id, e.name, d.rule_id, d.id, r.source_bucket, d.source_key,
             d.source_version_id, d.size, d.source_etag, d.destination_bucket, d.failure_reason, d.source_last_modified,
             d.completed_at, CASE WHEN r.replication_time_enabled THEN r.replication_time_minutes * 60 END,
             extract(epoch FROM (d.completed_at - d.source_last_modified))::bigint, 'PENDING', d.completed_at
        FROM done d
        JOIN rules r ON r.tenant_id = d.tenant_id AND r.id = d.rule_id
        CROSS JOIN LATERAL (SELECT CASE
               WHEN d.state = 'FAILED' THEN 'OperationFailedReplication'
               WHEN d.state = 'COMPLETED' AND d.batch_job_id IS NULL AND r.replication_time_enabled
                    AND d.completed_at - d.source_last_modified > r.replication_time_minutes * interval '1 minute'
               THEN 'OperationReplicatedAfterThreshold' END AS name) e
        JOIN webhooks w ON w.tenant_id = d.tenant_id AND w.enabled AND e.name = ANY (w.events)
                       AND (w.rule_ids IS NULL OR d.rule_id = ANY (w.rule_ids))""";

  private ReplicationEvent() {}
}
