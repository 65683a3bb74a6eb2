package dev.replicator.replication.status;

import static dev.replicator.platform.persistence.Columns.instant;

import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
import dev.replicator.replication.TaskQueue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads replication status from the task queue and the history of tasks pruned from it. Versions
 * the rule decided not to copy are listed as SKIPPED with the outcome (SUPERSEDED, FILTERED,
 * NOT_IN_RULE) and why. It only reads: retrying failed versions is the queue's ({@link
 * TaskQueue#requeueFailed}).
 */
@Singleton
public class ObjectStatusStore {

  private final Jdbi jdbi;

  public ObjectStatusStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The filters of a status listing; null means any. */
  public record Filter(
      @Nullable String status,
      @Nullable String prefix,
      @Nullable String destination,
      @Nullable String failureReason) {}

  /**
   * The queue's tasks and the pruned ones, each with its AWS status (a running task is PENDING, a
   * skipped replica REPLICA); a filter left null matches any.
   */
  @Transactional
  public Page<ObjectStatus> list(UUID tenantId, UUID ruleId, Filter filter, PageRequest page) {
    List<Row> rows =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery(
                        """
                        SELECT * FROM (
                            SELECT id, source_key, source_version_id, is_delete_marker, size, destination_bucket,
                                   object_replication_status(state, outcome) AS status,
                                   outcome, detail, failure_reason, last_error, attempts, next_attempt_at,
                                   source_last_modified, completed_at, destination_version_id
                              FROM (SELECT tenant_id, rule_id, id, source_key, source_version_id, is_delete_marker, size,
                                           destination_bucket, state, outcome, failure_reason,
                                           CASE WHEN state <> 'SKIPPED' THEN last_error END AS last_error,
                                           CASE WHEN state = 'SKIPPED' THEN last_error END AS detail,
                                           attempts, CASE WHEN state = 'PENDING' THEN not_before END AS next_attempt_at,
                                           source_last_modified, completed_at, destination_version_id
                                      FROM replication_tasks
                                    UNION ALL
                                    SELECT tenant_id, rule_id, id, source_key, source_version_id, is_delete_marker, size,
                                           destination_bucket, state, outcome, NULL, NULL, detail, attempts, NULL,
                                           source_last_modified, completed_at, destination_version_id
                                      FROM replication_history) tasks
                             WHERE tenant_id = :tenantId AND rule_id = :ruleId AND id > :after
                               AND (:prefix::text IS NULL OR starts_with(source_key, :prefix))
                               AND (:destination::text IS NULL OR destination_bucket = :destination)
                               AND (:failureReason::text IS NULL OR failure_reason = :failureReason)) rows
                         WHERE status IS NOT NULL AND (:status::text IS NULL OR status = :status)
                         ORDER BY id LIMIT :limit""")
                    .bind("tenantId", tenantId)
                    .bind("ruleId", ruleId)
                    .bind("after", page.afterOrFirst())
                    .bind("prefix", filter.prefix())
                    .bind("destination", filter.destination())
                    .bind("failureReason", filter.failureReason())
                    .bind("status", filter.status())
                    .bind("limit", page.fetchSize())
                    .map((row, context) -> new Row(row.getObject("id", UUID.class), status(row)))
                    .list());
    return Page.of(rows, page, Row::id, Row::status);
  }

  /** A status with the task id its cursor is made of. */
  private record Row(UUID id, ObjectStatus status) {}

  /** Counts by status and, for failures, by reason. */
  @Transactional
  public Summary summary(UUID tenantId, UUID ruleId) {
    Map<String, Long> byStatus = new LinkedHashMap<>();
    ObjectStatus.STATUSES.stream().sorted().forEach(s -> byStatus.put(s, 0L));
    Map<String, Long> byFailureReason = new LinkedHashMap<>();
    List<Count> counts =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery(
                        """
                        SELECT status, failure_reason, count(*) AS objects FROM (
                            SELECT object_replication_status(state, outcome) AS status,
                                   failure_reason
                              FROM (SELECT tenant_id, rule_id, state, outcome, failure_reason FROM replication_tasks
                                    UNION ALL
                                    SELECT tenant_id, rule_id, state, outcome, NULL FROM replication_history) tasks
                             WHERE tenant_id = :tenantId AND rule_id = :ruleId) rows
                         WHERE status IS NOT NULL
                         GROUP BY status, failure_reason ORDER BY count(*) DESC""")
                    .bind("tenantId", tenantId)
                    .bind("ruleId", ruleId)
                    .map(
                        (row, context) ->
                            new Count(
                                row.getString("status"),
                                row.getString("failure_reason"),
                                row.getLong("objects")))
                    .list());
    for (Count count : counts) {
      byStatus.merge(count.status(), count.objects(), Long::sum);
      if ("FAILED".equals(count.status()) && count.failureReason() != null) {
        byFailureReason.merge(count.failureReason(), count.objects(), Long::sum);
      }
    }
    return new Summary(byStatus, byFailureReason);
  }

  /** The number of objects with one status and failure reason. */
  private record Count(String status, @Nullable String failureReason, long objects) {}

  /** Objects of a rule by status, and failed ones by AWS failure reason. */
  @io.micronaut.serde.annotation.Serdeable
  public record Summary(Map<String, Long> byStatus, Map<String, Long> byFailureReason) {}

  private static ObjectStatus status(ResultSet row) throws SQLException {
    Instant completed = instant(row, "completed_at");
    String status = row.getString("status");
    return new ObjectStatus(
        row.getString("source_key"),
        row.getString("source_version_id"),
        row.getBoolean("is_delete_marker"),
        row.getObject("size", Long.class),
        row.getString("destination_bucket"),
        status,
        row.getString("outcome"),
        row.getString("detail"),
        row.getString("failure_reason"),
        row.getString("last_error"),
        row.getInt("attempts"),
        instant(row, "next_attempt_at"),
        row.getTimestamp("source_last_modified").toInstant(),
        "COMPLETED".equals(status) ? completed : null,
        row.getString("destination_version_id"));
  }
}
