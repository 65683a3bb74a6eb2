package dev.replicator.metrics;

import dev.replicator.replication.QueueListener;
import dev.replicator.replication.TaskRecord;
import dev.replicator.replication.TaskState;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionDefinition.Propagation;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
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
          var connection = statement.getConnection();
          statement.setArray(
              1,
              connection.createArrayOf(
                  "uuid", replicated.stream().map(TaskRecord::tenantId).toArray()));
          statement.setArray(
              2,
              connection.createArrayOf(
                  "uuid", replicated.stream().map(TaskRecord::ruleId).toArray()));
          statement.setArray(
              3,
              connection.createArrayOf(
                  "uuid", replicated.stream().map(TaskRecord::destinationTrustId).toArray()));
          statement.setArray(
              4,
              connection.createArrayOf(
                  "text", replicated.stream().map(TaskRecord::destinationBucket).toArray()));
          statement.setArray(
              5,
              connection.createArrayOf(
                  "int8", replicated.stream().map(TaskRecord::size).toArray()));
          statement.setArray(
              6,
              connection.createArrayOf(
                  "timestamptz",
                  replicated.stream().map(t -> Timestamp.from(t.sourceLastModified())).toArray()));
          statement.setArray(
              7,
              connection.createArrayOf(
                  "timestamptz",
                  replicated.stream().map(t -> Timestamp.from(t.completedAt())).toArray()));
          statement.setArray(
              8,
              connection.createArrayOf(
                  "bool", replicated.stream().map(TaskRecord::batch).toArray()));
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
          var connection = statement.getConnection();
          statement.setArray(
              1,
              connection.createArrayOf(
                  "uuid", failed.stream().map(TaskRecord::tenantId).toArray()));
          statement.setArray(
              2,
              connection.createArrayOf("uuid", failed.stream().map(TaskRecord::ruleId).toArray()));
          statement.setArray(
              3,
              connection.createArrayOf(
                  "uuid", failed.stream().map(TaskRecord::destinationTrustId).toArray()));
          statement.setArray(
              4,
              connection.createArrayOf(
                  "text", failed.stream().map(TaskRecord::destinationBucket).toArray()));
          statement.setArray(
              5,
              connection.createArrayOf(
                  "timestamptz",
                  failed.stream().map(t -> Timestamp.from(t.completedAt())).toArray()));
          return statement.executeUpdate();
        });
  }
}
