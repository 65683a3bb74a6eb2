package dev.replicator.metrics;

import dev.replicator.rule.Rule;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Computes a rule's metrics from the task queue, the durable record of every replication: a restart
 * neither resets nor inflates them. Latency is the time from a version's Last-Modified to its
 * replica being written ({@code replication_seconds(source_last_modified, completed_at)}, migration
 * V020), and a measure of live replication only ({@code batch_job_id IS NULL}): batch jobs copy
 * versions that may be years old.
 */
@Singleton
public class RuleMetricsStore {

  /**
   * A pending version counts as retrying from its third failed attempt on, so that one slow-down
   * answer does not make a healthy rule look stuck.
   */
  private static final int RETRYING_AFTER_ATTEMPTS = 3;

  private final Jdbi jdbi;
  private final Clock clock;

  public RuleMetricsStore(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  @Transactional
  public RuleMetrics metrics(Rule rule, Instant from, Instant to) {
    Instant now = clock.instant();
    List<RuleMetrics.DestinationMetrics> destinations =
        jdbi.withHandle(
            handle ->
                rule.destinations().stream()
                    .map(
                        destination ->
                            destination(handle, new Scope(rule, destination, from, to), now))
                    .toList());
    return new RuleMetrics(from, to, destinations);
  }

  private static RuleMetrics.DestinationMetrics destination(
      Handle handle, Scope scope, Instant now) {
    Pruned pruned = pruned(handle, scope);
    return scope
        .query(
            handle,
            """
            SELECT count(*) FILTER (WHERE state IN ('PENDING', 'RUNNING')) AS pending,
                   coalesce(sum(size) FILTER (WHERE state IN ('PENDING', 'RUNNING')), 0) AS bytes_pending,
                   count(*) FILTER (WHERE state = 'COMPLETED' AND completed_at BETWEEN :from AND :to)
                       AS replicated,
                   coalesce(sum(size) FILTER (WHERE state = 'COMPLETED' AND completed_at BETWEEN :from AND :to), 0)
                       AS bytes_replicated,
                   count(*) FILTER (WHERE state = 'FAILED' AND completed_at BETWEEN :from AND :to) AS failed,
                   coalesce(replication_seconds(min(source_last_modified)
                       FILTER (WHERE batch_job_id IS NULL AND state IN ('PENDING', 'RUNNING')), :now), 0) AS latency,
                   coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY replication_seconds(source_last_modified, completed_at))
                       FILTER (WHERE batch_job_id IS NULL AND state = 'COMPLETED' AND completed_at BETWEEN :from AND :to), 0)
                       AS latency_p50,
                   coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY replication_seconds(source_last_modified, completed_at))
                       FILTER (WHERE batch_job_id IS NULL AND state = 'COMPLETED' AND completed_at BETWEEN :from AND :to), 0)
                       AS latency_p99,
                   count(*) FILTER (WHERE batch_job_id IS NULL
                       AND ((state IN ('PENDING', 'RUNNING') AND replication_seconds(source_last_modified, :now) > :threshold)
                            OR (state = 'COMPLETED' AND completed_at BETWEEN :from AND :to
                                AND replication_seconds(source_last_modified, completed_at) > :threshold)))
                       AS missed_threshold,
                   count(*) FILTER (WHERE batch_job_id IS NULL AND state = 'COMPLETED' AND completed_at BETWEEN :from AND :to
                       AND replication_seconds(source_last_modified, completed_at) > :threshold)
                       AS replicated_after_threshold,
                   count(*) FILTER (WHERE state = 'PENDING' AND last_error IS NOT NULL
                       AND attempts >= :retryingAfterAttempts) AS retrying
              FROM replication_tasks
             WHERE tenant_id = :tenantId AND rule_id = :ruleId AND destination_trust_id = :destinationTrustId
               AND destination_bucket = :destinationBucket AND NOT (state = 'SKIPPED')""")
        .bind("now", now)
        .bind("threshold", scope.rule().replicationTime().thresholdMinutes() * 60L)
        .bind("retryingAfterAttempts", RETRYING_AFTER_ATTEMPTS)
        .map(
            (row, context) ->
                new RuleMetrics.DestinationMetrics(
                    scope.destination().bucket(),
                    row.getLong("pending"),
                    row.getLong("bytes_pending"),
                    row.getLong("replicated") + pruned.replicated(),
                    row.getLong("bytes_replicated") + pruned.bytesReplicated(),
                    row.getLong("failed") + pruned.failed(),
                    row.getLong("retrying"),
                    row.getDouble("latency"),
                    row.getDouble("latency_p50"),
                    row.getDouble("latency_p99"),
                    row.getLong("missed_threshold") + pruned.replicatedAfterThreshold(),
                    row.getLong("replicated_after_threshold") + pruned.replicatedAfterThreshold(),
                    series(handle, scope),
                    pendingSeries(handle, scope)))
        .one();
  }

  /**
   * What tasks pruned from the queue contributed in the range: operations and bytes replicated,
   * operations replicated after the threshold, and the failures of tasks a retry put back in the
   * queue (failed tasks are never pruned; percentiles come from the tasks still queued).
   */
  private static Pruned pruned(Handle handle, Scope scope) {
    return scope
        .query(
            handle,
            """
            SELECT coalesce(sum(operations_replicated), 0) AS replicated,
                   coalesce(sum(bytes_replicated), 0) AS bytes_replicated,
                   coalesce(sum(operations_replicated_after_threshold), 0) AS replicated_after_threshold,
                   coalesce(sum(operations_failed), 0) AS failed
              FROM replication_metric_buckets
             WHERE bucket_start BETWEEN :from AND :to AND tenant_id = :tenantId AND rule_id = :ruleId
               AND destination_trust_id = :destinationTrustId AND destination_bucket = :destinationBucket""")
        .map(
            (row, context) ->
                new Pruned(
                    row.getLong("replicated"),
                    row.getLong("bytes_replicated"),
                    row.getLong("replicated_after_threshold"),
                    row.getLong("failed")))
        .one();
  }

  private record Pruned(
      long replicated, long bytesReplicated, long replicatedAfterThreshold, long failed) {}

  private static List<RuleMetrics.Point> series(Handle handle, Scope scope) {
    return scope
        .query(
            handle,
            """
            SELECT minute, sum(replicated) AS replicated, sum(bytes) AS bytes, sum(failed) AS failed,
                   max(p99) AS p99
              FROM (SELECT date_trunc('minute', completed_at) AS minute,
                           count(*) FILTER (WHERE state = 'COMPLETED') AS replicated,
                           coalesce(sum(size) FILTER (WHERE state = 'COMPLETED'), 0) AS bytes,
                           count(*) FILTER (WHERE state = 'FAILED') AS failed,
                           coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY replication_seconds(source_last_modified, completed_at))
                               FILTER (WHERE batch_job_id IS NULL AND state = 'COMPLETED'), 0) AS p99
                      FROM replication_tasks
                     WHERE completed_at BETWEEN :from AND :to AND state IN ('COMPLETED', 'FAILED')
                       AND tenant_id = :tenantId AND rule_id = :ruleId AND destination_trust_id = :destinationTrustId
                       AND destination_bucket = :destinationBucket
                     GROUP BY minute
                    UNION ALL
                    SELECT bucket_start, operations_replicated, bytes_replicated, operations_failed, latency_p99_seconds
                      FROM replication_metric_buckets
                     WHERE bucket_start BETWEEN :from AND :to
                       AND tenant_id = :tenantId AND rule_id = :ruleId AND destination_trust_id = :destinationTrustId
                       AND destination_bucket = :destinationBucket) points
             GROUP BY minute ORDER BY minute""")
        .map(
            (row, context) ->
                new RuleMetrics.Point(
                    row.getTimestamp("minute").toInstant(),
                    row.getLong("replicated"),
                    row.getLong("bytes"),
                    row.getLong("failed"),
                    row.getDouble("p99")))
        .list();
  }

  /**
   * The pending samples in steps aligned to the epoch, as the dashboard's charts step: a minute up
   * to a day, 10 minutes up to a week, an hour beyond.
   */
  private static List<RuleMetrics.PendingPoint> pendingSeries(Handle handle, Scope scope) {
    return scope
        .query(
            handle,
            """
            SELECT date_bin(make_interval(mins => :stepMinutes), minute, TIMESTAMPTZ 'epoch') AS step,
                   max(operations_pending) AS operations_pending, max(bytes_pending) AS bytes_pending
              FROM replication_pending_samples
             WHERE minute BETWEEN date_trunc('minute', :from::timestamptz) AND :to
               AND tenant_id = :tenantId AND rule_id = :ruleId AND destination_trust_id = :destinationTrustId
               AND destination_bucket = :destinationBucket
             GROUP BY step ORDER BY step""")
        .bind("stepMinutes", pendingStepMinutes(Duration.between(scope.from(), scope.to())))
        .map(
            (row, context) ->
                new RuleMetrics.PendingPoint(
                    row.getTimestamp("step").toInstant(),
                    row.getLong("operations_pending"),
                    row.getLong("bytes_pending")))
        .list();
  }

  static int pendingStepMinutes(Duration range) {
    if (range.compareTo(Duration.ofDays(1)) <= 0) {
      return 1;
    }
    return range.compareTo(Duration.ofDays(7)) <= 0 ? 10 : 60;
  }

  /** One destination of a rule, over a range of time: what every statement here is about. */
  private record Scope(Rule rule, Rule.Destination destination, Instant from, Instant to) {

    /** The statement, with the destination and the range bound. */
    Query query(Handle handle, String sql) {
      return handle
          .createQuery(sql)
          .bind("tenantId", rule.tenantId())
          .bind("ruleId", rule.id())
          .bind("destinationTrustId", destination.trustId())
          .bind("destinationBucket", destination.bucket())
          .bind("from", from)
          .bind("to", to);
    }
  }
}
