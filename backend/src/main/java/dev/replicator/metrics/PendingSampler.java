package dev.replicator.metrics;

import dev.replicator.platform.roles.SchedulerRole;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records, several times a minute, how many versions (and bytes) wait for each rule's destinations,
 * keeping the most seen within each minute: the history of pending work that the rule page charts.
 * Samples older than the longest range the metrics cover are deleted. Schedulers that sample the
 * same minute agree: each keeps the higher figure.
 */
@SchedulerRole
@Singleton
public class PendingSampler {

  /** The longest range the metrics endpoint serves, and a day to spare. */
  static final Duration KEPT = Duration.ofDays(32);

  private static final Logger LOG = LoggerFactory.getLogger(PendingSampler.class);

  private final JdbcOperations jdbc;
  private final Clock clock;

  public PendingSampler(JdbcOperations jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Scheduled(
      fixedDelay = "${replicator.metrics.pending-sample-tick:15s}",
      initialDelay = "${replicator.metrics.pending-sample-tick:15s}")
  void tick() {
    try {
      sample();
    } catch (RuntimeException e) {
      LOG.warn(
          "Sampling the pending replications failed; trying again shortly: {}", e.getMessage());
    }
  }

  @Transactional
  public void sample() {
    Instant now = clock.instant();
    jdbc.prepareStatement(
        """
        INSERT INTO replication_pending_samples AS s (tenant_id, rule_id, destination_trust_id, destination_bucket,
            minute, operations_pending, bytes_pending)
        SELECT tenant_id, rule_id, destination_trust_id, destination_bucket, date_trunc('minute', ?::timestamptz),
               count(*), coalesce(sum(size), 0)
          FROM replication_tasks
         WHERE state IN ('PENDING', 'RUNNING')
         GROUP BY tenant_id, rule_id, destination_trust_id, destination_bucket
        ON CONFLICT (tenant_id, rule_id, destination_trust_id, destination_bucket, minute) DO UPDATE
           SET operations_pending = greatest(s.operations_pending, excluded.operations_pending),
               bytes_pending = greatest(s.bytes_pending, excluded.bytes_pending)""",
        statement -> {
          statement.setTimestamp(1, Timestamp.from(now));
          return statement.executeUpdate();
        });
    jdbc.prepareStatement(
        "DELETE FROM replication_pending_samples WHERE minute < ?",
        statement -> {
          statement.setTimestamp(1, Timestamp.from(now.minus(KEPT)));
          return statement.executeUpdate();
        });
  }
}
