package dev.replicator.metrics;

import static dev.replicator.platform.persistence.Columns.column;

import dev.replicator.replication.QueueListener;
import dev.replicator.replication.TaskRecord;
import dev.replicator.replication.TaskState;
import io.micronaut.transaction.TransactionDefinition.Propagation;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Counts what tasks pruned from the queue contributed to the metrics into per-minute buckets, in
 * the transaction that prunes them, and the failures of tasks a retry puts back in the queue, in
 * the retry's transaction: nothing is lost or counted twice. Latency figures are of live
 * replication only.
 */
@Singleton
public class PrunedTaskMetrics implements QueueListener {

  private final Jdbi jdbi;

  public PrunedTaskMetrics(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  @Transactional(propagation = Propagation.MANDATORY)
  public void pruned(List<TaskRecord> tasks) {
    List<TaskRecord> replicated =
        tasks.stream().filter(t -> t.state() == TaskState.COMPLETED).toList();
    if (replicated.isEmpty()) {
      return;
    }
    addToBuckets(
        replicated,
        """
        SELECT add_to_metric_buckets(array(
        SELECT ROW(p.tenant_id, p.rule_id, p.destination_trust_id, p.destination_bucket, 60,
                   date_trunc('minute', p.completed_at), count(*), coalesce(sum(p.size), 0),
                   count(*) FILTER (WHERE NOT p.batch AND p.latency > r.replication_time_minutes * 60),
                   coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY p.latency)
                            FILTER (WHERE NOT p.batch), 0),
                   0)::replication_metric_buckets
          FROM (SELECT *, replication_seconds(source_last_modified, completed_at) AS latency
                  FROM unnest(:tenantIds::uuid[], :ruleIds::uuid[], :destinationTrustIds::uuid[],
                              :destinationBuckets::text[], :sizes::bigint[],
                              :sourceLastModified::timestamptz[], :completedAt::timestamptz[],
                              :batch::boolean[])
                    AS t(tenant_id, rule_id, destination_trust_id, destination_bucket, size,
                         source_last_modified, completed_at, batch)) p
          JOIN rules r ON r.tenant_id = p.tenant_id AND r.id = p.rule_id
         GROUP BY p.tenant_id, p.rule_id, p.destination_trust_id, p.destination_bucket,
                  date_trunc('minute', p.completed_at)))""",
        query ->
            query
                .bindArray("sizes", Long.class, column(replicated, TaskRecord::size))
                .bindArray(
                    "sourceLastModified",
                    Instant.class,
                    column(replicated, TaskRecord::sourceLastModified))
                .bindArray(
                    "completedAt", Instant.class, column(replicated, TaskRecord::completedAt))
                .bindArray("batch", Boolean.class, column(replicated, TaskRecord::batch)));
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
    addToBuckets(
        failed,
        """
        SELECT add_to_metric_buckets(array(
        SELECT ROW(p.tenant_id, p.rule_id, p.destination_trust_id, p.destination_bucket, 60,
                   date_trunc('minute', p.failed_at), 0, 0, 0, 0, count(*))::replication_metric_buckets
          FROM unnest(:tenantIds::uuid[], :ruleIds::uuid[], :destinationTrustIds::uuid[],
                      :destinationBuckets::text[], :failedAt::timestamptz[])
            AS p(tenant_id, rule_id, destination_trust_id, destination_bucket, failed_at)
         GROUP BY p.tenant_id, p.rule_id, p.destination_trust_id, p.destination_bucket,
                  date_trunc('minute', p.failed_at)))""",
        query ->
            query.bindArray("failedAt", Instant.class, column(failed, TaskRecord::completedAt)));
  }

  /**
   * Runs a statement that adds the tasks' figures to the metric buckets: the tasks' tenants, rules,
   * destination trusts and buckets are bound as arrays in task order, their other columns by {@code
   * columns}.
   */
  private void addToBuckets(List<TaskRecord> tasks, String sql, UnaryOperator<Query> columns) {
    jdbi.useHandle(
        handle ->
            columns
                .apply(bindDestinations(handle.createQuery(sql), tasks))
                .mapTo(Integer.class)
                .one());
  }

  private static Query bindDestinations(Query query, List<TaskRecord> tasks) {
    return query
        .bindArray("tenantIds", UUID.class, column(tasks, TaskRecord::tenantId))
        .bindArray("ruleIds", UUID.class, column(tasks, TaskRecord::ruleId))
        .bindArray("destinationTrustIds", UUID.class, column(tasks, TaskRecord::destinationTrustId))
        .bindArray(
            "destinationBuckets", String.class, column(tasks, TaskRecord::destinationBucket));
  }
}
