package dev.replicator.metrics;

import dev.replicator.platform.persistence.SqlArrays;
import dev.replicator.replication.QueueListener;
import dev.replicator.replication.TaskRecord;
import dev.replicator.replication.TaskState;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionDefinition.Propagation;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/**
 * Counts what tasks pruned from the queue contributed to the metrics into per-minute buckets, in
 * the transaction that prunes them, and the failures of tasks a retry puts back in the queue, in
 * the retry's transaction: nothing is lost or counted twice. Latency figures are of live
 * replication only.
 */
@Singleton
public class PrunedTaskMetrics implements QueueListener {

  private static final String LATENCY =
      "extract(epoch FROM (p.completed_at - p.source_last_modified))";

  private final JdbcOperations jdbc;

  public PrunedTaskMetrics(JdbcOperations jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  @Transactional(propagation = Propagation.MANDATORY)
  public void pruned(List<TaskRecord> tasks) {
    List<TaskRecord> replicated =
        tasks.stream().filter(t -> t.state() == TaskState.COMPLETED).toList();
    if (replicated.isEmpty()) {
      return;
    }
    jdbc.prepareStatement(
        """
        %2$s
        SELECT p.tenant_id, p.rule_id, p.destination_trust_id, p.destination_bucket, 60, date_trunc('minute', p.completed_at),
               count(*), coalesce(sum(p.size), 0),
               count(*) FILTER (WHERE NOT p.batch AND %1$s > r.replication_time_minutes * 60),
               coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY %1$s) FILTER (WHERE NOT p.batch), 0), 0
          FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::bigint[], ?::timestamptz[], ?::timestamptz[], ?::boolean[])
               AS p(tenant_id, rule_id, destination_trust_id, destination_bucket, size, source_last_modified, completed_at, batch)
          JOIN rules r ON r.tenant_id = p.tenant_id AND r.id = p.rule_id
         GROUP BY p.tenant_id, p.rule_id, p.destination_trust_id, p.destination_bucket, date_trunc('minute', p.completed_at)
        %3$s"""
            .formatted(LATENCY, MetricBuckets.INSERT, MetricBuckets.ADD_TO_EXISTING),
        statement -> {
          bindDestinations(statement, replicated);
          SqlArrays.bindColumn(statement, 5, "int8", replicated, TaskRecord::size);
          SqlArrays.bindColumn(
              statement, 6, "timestamptz", replicated, t -> Timestamp.from(t.sourceLastModified()));
          SqlArrays.bindColumn(
              statement, 7, "timestamptz", replicated, t -> Timestamp.from(t.completedAt()));
          SqlArrays.bindColumn(statement, 8, "bool", replicated, TaskRecord::batch);
          return statement.executeUpdate();
        });
  }

  /**
   * A retry puts failed tasks back in the queue: their failures are counted into the buckets of the
   * minutes they happened in, so the metrics keep showing them there.
   */
  @Override
  @Transactional(propagation = Propagation.MANDATORY)
  public void requeued(List<TaskRecord> tasks) {
    List<TaskRecord> failed = tasks.stream().filter(t -> t.completedAt() != null).toList();
    if (failed.isEmpty()) {
      return;
    }
    jdbc.prepareStatement(
        """
        %1$s
        SELECT p.tenant_id, p.rule_id, p.destination_trust_id, p.destination_bucket, 60, date_trunc('minute', p.failed_at),
               0, 0, 0, 0, count(*)
          FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::timestamptz[])
               AS p(tenant_id, rule_id, destination_trust_id, destination_bucket, failed_at)
         GROUP BY p.tenant_id, p.rule_id, p.destination_trust_id, p.destination_bucket, date_trunc('minute', p.failed_at)
        %2$s"""
            .formatted(MetricBuckets.INSERT, MetricBuckets.ADD_TO_EXISTING),
        statement -> {
          bindDestinations(statement, failed);
          SqlArrays.bindColumn(
              statement, 5, "timestamptz", failed, t -> Timestamp.from(t.completedAt()));
          return statement.executeUpdate();
        });
  }

  /** Binds the tasks' tenant, rule, destination trust and bucket as parameters 1 to 4 (arrays). */
  private static void bindDestinations(PreparedStatement statement, List<TaskRecord> tasks)
      throws SQLException {
    SqlArrays.bindColumn(statement, 1, "uuid", tasks, TaskRecord::tenantId);
    SqlArrays.bindColumn(statement, 2, "uuid", tasks, TaskRecord::ruleId);
    SqlArrays.bindColumn(statement, 3, "uuid", tasks, TaskRecord::destinationTrustId);
    SqlArrays.bindColumn(statement, 4, "text", tasks, TaskRecord::destinationBucket);
  }
}
