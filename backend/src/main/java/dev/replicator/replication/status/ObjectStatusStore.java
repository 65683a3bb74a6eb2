package dev.replicator.replication.status;

import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
import dev.replicator.platform.persistence.Columns;
import dev.replicator.replication.TaskQueue;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads replication status from the task queue and the history of tasks pruned from it. Versions
 * the rule decided not to copy are listed as SKIPPED with the outcome (SUPERSEDED, FILTERED,
 * NOT_IN_RULE) and why. It only reads: retrying failed versions is the queue's ({@link
 * TaskQueue#requeueFailed}).
 */
@Singleton
public class ObjectStatusStore {

  /** The AWS status of a task row. */
  private static final String STATUS =
      """
      CASE WHEN state IN ('PENDING', 'RUNNING') THEN 'PENDING'
           WHEN state = 'SKIPPED' AND outcome = 'REPLICA' THEN 'REPLICA'
           ELSE state END""";

  /** The queue's tasks and the pruned ones, with the columns status reads. */
  private static final String TASKS =
      """
      (SELECT tenant_id, rule_id, id, source_key, source_version_id, is_delete_marker, size, destination_bucket, state, outcome,
              failure_reason, CASE WHEN state <> 'SKIPPED' THEN last_error END AS last_error,
              CASE WHEN state = 'SKIPPED' THEN last_error END AS detail,
              attempts, CASE WHEN state = 'PENDING' THEN not_before END AS next_attempt_at,
              source_last_modified, completed_at, destination_version_id
         FROM replication_tasks
       UNION ALL
       SELECT tenant_id, rule_id, id, source_key, source_version_id, is_delete_marker, size, destination_bucket, state, outcome,
              NULL, NULL, detail, attempts, NULL, source_last_modified, completed_at, destination_version_id
         FROM replication_history) tasks""";

  private final JdbcOperations jdbc;

  public ObjectStatusStore(JdbcOperations jdbc) {
    this.jdbc = jdbc;
  }

  /** The filters of a status listing; null means any. */
  public record Filter(
      @Nullable String status,
      @Nullable String prefix,
      @Nullable String destination,
      @Nullable String failureReason) {}

  @Transactional
  public Page<ObjectStatus> list(UUID tenantId, UUID ruleId, Filter filter, PageRequest page) {
    String sql =
        "SELECT * FROM (SELECT id, source_key, source_version_id, is_delete_marker, size, destination_bucket, "
            + STATUS
            + " AS status, outcome, detail, failure_reason, last_error, attempts, next_attempt_at, source_last_modified,"
            + " completed_at, destination_version_id "
            + "FROM "
            + TASKS
            + " WHERE tenant_id = ? AND rule_id = ? AND id > ?"
            + (filter.prefix() != null ? " AND starts_with(source_key, ?)" : "")
            + (filter.destination() != null ? " AND destination_bucket = ?" : "")
            + (filter.failureReason() != null ? " AND failure_reason = ?" : "")
            + ") rows WHERE status IS NOT NULL"
            + (filter.status() != null ? " AND status = ?" : "")
            + " ORDER BY id LIMIT ?";
    List<Row> rows =
        jdbc.prepareStatement(
            sql,
            statement -> {
              int i = 1;
              statement.setObject(i++, tenantId);
              statement.setObject(i++, ruleId);
              statement.setObject(i++, page.afterOrFirst());
              for (String value :
                  new String[] {
                    filter.prefix(), filter.destination(), filter.failureReason(), filter.status()
                  }) {
                if (value != null) {
                  statement.setString(i++, value);
                }
              }
              statement.setInt(i, page.fetchSize());
              List<Row> found = new ArrayList<>();
              try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                  found.add(new Row(rs.getObject("id", UUID.class), status(rs)));
                }
              }
              return found;
            });
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
    jdbc.prepareStatement(
        "SELECT status, failure_reason, count(*) FROM (SELECT "
            + STATUS
            + " AS status, failure_reason "
            + "FROM "
            + TASKS
            + " WHERE tenant_id = ? AND rule_id = ?) rows WHERE status IS NOT NULL "
            + "GROUP BY status, failure_reason ORDER BY count(*) DESC",
        statement -> {
          statement.setObject(1, tenantId);
          statement.setObject(2, ruleId);
          try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
              byStatus.merge(rs.getString(1), rs.getLong(3), Long::sum);
              if ("FAILED".equals(rs.getString(1)) && rs.getString(2) != null) {
                byFailureReason.merge(rs.getString(2), rs.getLong(3), Long::sum);
              }
            }
          }
          return null;
        });
    return new Summary(byStatus, byFailureReason);
  }

  /** Objects of a rule by status, and failed ones by AWS failure reason. */
  @io.micronaut.serde.annotation.Serdeable
  public record Summary(Map<String, Long> byStatus, Map<String, Long> byFailureReason) {}

  private static ObjectStatus status(ResultSet rs) throws SQLException {
    Instant completed = Columns.instant(rs, "completed_at");
    String status = rs.getString("status");
    return new ObjectStatus(
        rs.getString("source_key"),
        rs.getString("source_version_id"),
        rs.getBoolean("is_delete_marker"),
        Columns.nullableLong(rs, "size"),
        rs.getString("destination_bucket"),
        status,
        rs.getString("outcome"),
        rs.getString("detail"),
        rs.getString("failure_reason"),
        rs.getString("last_error"),
        rs.getInt("attempts"),
        Columns.instant(rs, "next_attempt_at"),
        rs.getTimestamp("source_last_modified").toInstant(),
        "COMPLETED".equals(status) ? completed : null,
        rs.getString("destination_version_id"));
  }
}
