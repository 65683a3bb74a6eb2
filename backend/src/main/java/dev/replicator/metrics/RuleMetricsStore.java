package dev.replicator.metrics;

import dev.replicator.platform.persistence.Rows;
import dev.replicator.rule.Rule;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes a rule's metrics from the task queue, the durable record of every replication: a restart
 * neither resets nor inflates them. Latency is the time from a version's Last-Modified to its
 * replica being written.
 */
@Singleton
public class RuleMetricsStore {

  private static final String LATENCY = "extract(epoch FROM (completed_at - source_last_modified))";

  /** Latency is a measure of live replication: batch jobs copy versions that may be years old. */
  private static final String LIVE = "batch_job_id IS NULL";

  /**
   * A pending version counts as retrying from its third failed attempt on, so that one slow-down
   * answer does not make a healthy rule look stuck.
   */
  private static final int RETRYING_AFTER_ATTEMPTS = 3;

  private final JdbcOperations jdbc;
  private final Clock clock;

  public RuleMetricsStore(JdbcOperations jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Transactional
  public RuleMetrics metrics(Rule rule, Instant from, Instant to) {
    Instant now = clock.instant();
    long threshold = rule.replicationTime().thresholdMinutes() * 60L;
    List<RuleMetrics.DestinationMetrics> destinations = new ArrayList<>();
    for (Rule.Destination destination : rule.destinations()) {
      destinations.add(
          jdbc.prepareStatement(
              """
          SELECT count(*) FILTER (WHERE state IN ('PENDING', 'RUNNING')),
                 coalesce(sum(size) FILTER (WHERE state IN ('PENDING', 'RUNNING')), 0),
                 count(*) FILTER (WHERE state = 'COMPLETED' AND completed_at BETWEEN ? AND ?),
                 coalesce(sum(size) FILTER (WHERE state = 'COMPLETED' AND completed_at BETWEEN ? AND ?), 0),
                 count(*) FILTER (WHERE state = 'FAILED' AND completed_at BETWEEN ? AND ?),
                 coalesce(extract(epoch FROM (? - min(source_last_modified) FILTER (WHERE %2$s AND state IN ('PENDING', 'RUNNING')))), 0),
                 coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY %1$s) FILTER (WHERE %2$s AND state = 'COMPLETED' AND completed_at BETWEEN ? AND ?), 0),
                 coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY %1$s) FILTER (WHERE %2$s AND state = 'COMPLETED' AND completed_at BETWEEN ? AND ?), 0),
                 count(*) FILTER (WHERE %2$s AND ((state IN ('PENDING', 'RUNNING') AND extract(epoch FROM (? - source_last_modified)) > ?)
                                     OR (state = 'COMPLETED' AND completed_at BETWEEN ? AND ? AND %1$s > ?))),
                 count(*) FILTER (WHERE %2$s AND state = 'COMPLETED' AND completed_at BETWEEN ? AND ? AND %1$s > ?),
                 count(*) FILTER (WHERE state = 'PENDING' AND last_error IS NOT NULL AND attempts >= %3$d)
            FROM replication_tasks
           WHERE tenant_id = ? AND rule_id = ? AND destination_trust_id = ? AND destination_bucket = ?
             AND NOT (state = 'SKIPPED')"""
                  .formatted(LATENCY, LIVE, RETRYING_AFTER_ATTEMPTS),
              statement -> {
                Timestamp f = Timestamp.from(from);
                Timestamp t = Timestamp.from(to);
                Timestamp n = Timestamp.from(now);
                int i = 1;
                for (int k = 0; k < 3; k++) {
                  statement.setTimestamp(i++, f);
                  statement.setTimestamp(i++, t);
                }
                statement.setTimestamp(i++, n);
                for (int k = 0; k < 2; k++) {
                  statement.setTimestamp(i++, f);
                  statement.setTimestamp(i++, t);
                }
                statement.setTimestamp(i++, n);
                statement.setLong(i++, threshold);
                statement.setTimestamp(i++, f);
                statement.setTimestamp(i++, t);
                statement.setLong(i++, threshold);
                statement.setTimestamp(i++, f);
                statement.setTimestamp(i++, t);
                statement.setLong(i++, threshold);
                bindDestination(statement, i, rule, destination);
                long[] pruned = pruned(rule, destination, from, to);
                try (ResultSet rs = statement.executeQuery()) {
                  rs.next();
                  return new RuleMetrics.DestinationMetrics(
                      destination.bucket(),
                      rs.getLong(1),
                      rs.getLong(2),
                      rs.getLong(3) + pruned[0],
                      rs.getLong(4) + pruned[1],
                      rs.getLong(5) + pruned[3],
                      rs.getLong(11),
                      rs.getDouble(6),
                      rs.getDouble(7),
                      rs.getDouble(8),
                      rs.getLong(9) + pruned[2],
                      rs.getLong(10) + pruned[2],
                      series(rule, destination, from, to),
                      pendingSeries(rule, destination, from, to));
                }
              }));
    }
    return new RuleMetrics(from, to, destinations);
  }

  /**
   * What tasks pruned from the queue contributed in the range: operations and bytes replicated,
   * operations replicated after the threshold, and the failures of tasks a retry put back in the
   * queue (failed tasks are never pruned; percentiles come from the tasks still queued).
   */
  private long[] pruned(Rule rule, Rule.Destination destination, Instant from, Instant to) {
    return jdbc.prepareStatement(
        """
        SELECT coalesce(sum(operations_replicated), 0), coalesce(sum(bytes_replicated), 0),
               coalesce(sum(operations_replicated_after_threshold), 0), coalesce(sum(operations_failed), 0)
          FROM replication_metric_buckets
         WHERE bucket_start BETWEEN ? AND ? AND tenant_id = ? AND rule_id = ? AND destination_trust_id = ? AND destination_bucket = ?""",
        statement -> {
          statement.setTimestamp(1, Timestamp.from(from));
          statement.setTimestamp(2, Timestamp.from(to));
          bindDestination(statement, 3, rule, destination);
          try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
          }
        });
  }

  private List<RuleMetrics.Point> series(
      Rule rule, Rule.Destination destination, Instant from, Instant to) {
    return jdbc.prepareStatement(
        """
        SELECT minute, sum(replicated), sum(bytes), sum(failed), max(p99) FROM (
            SELECT date_trunc('minute', completed_at) AS minute,
                   count(*) FILTER (WHERE state = 'COMPLETED') AS replicated,
                   coalesce(sum(size) FILTER (WHERE state = 'COMPLETED'), 0) AS bytes,
                   count(*) FILTER (WHERE state = 'FAILED') AS failed,
                   coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY %1$s) FILTER (WHERE %2$s AND state = 'COMPLETED'), 0) AS p99
              FROM replication_tasks
             WHERE completed_at BETWEEN ? AND ? AND state IN ('COMPLETED', 'FAILED')
               AND tenant_id = ? AND rule_id = ? AND destination_trust_id = ? AND destination_bucket = ?
             GROUP BY minute
            UNION ALL
            SELECT bucket_start, operations_replicated, bytes_replicated, operations_failed, latency_p99_seconds
              FROM replication_metric_buckets
             WHERE bucket_start BETWEEN ? AND ?
               AND tenant_id = ? AND rule_id = ? AND destination_trust_id = ? AND destination_bucket = ?) points
         GROUP BY minute ORDER BY minute"""
            .formatted(LATENCY, LIVE),
        statement -> {
          statement.setTimestamp(1, Timestamp.from(from));
          statement.setTimestamp(2, Timestamp.from(to));
          bindDestination(statement, 3, rule, destination);
          statement.setTimestamp(7, Timestamp.from(from));
          statement.setTimestamp(8, Timestamp.from(to));
          bindDestination(statement, 9, rule, destination);
          return Rows.list(
              statement,
              rs ->
                  new RuleMetrics.Point(
                      rs.getTimestamp(1).toInstant(),
                      rs.getLong(2),
                      rs.getLong(3),
                      rs.getLong(4),
                      rs.getDouble(5)));
        });
  }

  /**
   * The pending samples in steps aligned to the epoch, as the dashboard's charts step: a minute up
   * to a day, 10 minutes up to a week, an hour beyond.
   */
  private List<RuleMetrics.PendingPoint> pendingSeries(
      Rule rule, Rule.Destination destination, Instant from, Instant to) {
    return jdbc.prepareStatement(
        """
        SELECT date_bin(make_interval(mins => ?), minute, TIMESTAMPTZ 'epoch') AS step,
               max(operations_pending), max(bytes_pending)
          FROM replication_pending_samples
         WHERE minute BETWEEN date_trunc('minute', ?::timestamptz) AND ?
           AND tenant_id = ? AND rule_id = ? AND destination_trust_id = ? AND destination_bucket = ?
         GROUP BY step ORDER BY step""",
        statement -> {
          statement.setInt(1, pendingStepMinutes(Duration.between(from, to)));
          statement.setTimestamp(2, Timestamp.from(from));
          statement.setTimestamp(3, Timestamp.from(to));
          bindDestination(statement, 4, rule, destination);
          return Rows.list(
              statement,
              rs ->
                  new RuleMetrics.PendingPoint(
                      rs.getTimestamp(1).toInstant(), rs.getLong(2), rs.getLong(3)));
        });
  }

  static int pendingStepMinutes(Duration range) {
    if (range.compareTo(Duration.ofDays(1)) <= 0) {
      return 1;
    }
    return range.compareTo(Duration.ofDays(7)) <= 0 ? 10 : 60;
  }

  private static void bindDestination(
      PreparedStatement statement, int first, Rule rule, Rule.Destination destination)
      throws SQLException {
    statement.setObject(first, rule.tenantId());
    statement.setObject(first + 1, rule.id());
    statement.setObject(first + 2, destination.trustId());
    statement.setString(first + 3, destination.bucket());
  }
}
