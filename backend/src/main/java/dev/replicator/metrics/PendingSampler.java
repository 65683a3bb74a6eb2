package dev.replicator.metrics;

import dev.replicator.platform.roles.SchedulerRole;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
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

  private final Jdbi jdbi;
  private final Clock clock;

  public PendingSampler(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
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
    jdbi.useHandle(
        handle -> {
          handle
              .createUpdate(
                  """
                  INSERT INTO replication_pending_samples AS s (tenant_id, rule_id, destination_trust_id,
                      destination_bucket, minute, operations_pending, bytes_pending)
                  SELECT tenant_id, rule_id, destination_trust_id, destination_bucket,
                         date_trunc('minute', :now::timestamptz), count(*), coalesce(sum(size), 0)
                    FROM replication_tasks
                   WHERE state IN ('PENDING', 'RUNNING')
                   GROUP BY tenant_id, rule_id, destination_trust_id, destination_bucket
                  ON CONFLICT (tenant_id, rule_id, destination_trust_id, destination_bucket, minute) DO UPDATE
                     SET operations_pending = greatest(s.operations_pending, excluded.operations_pending),
                         bytes_pending = greatest(s.bytes_pending, excluded.bytes_pending)""")
              .bind("now", now)
              .execute();
          handle
              .createUpdate("DELETE FROM replication_pending_samples WHERE minute < :keptSince")
              .bind("keptSince", now.minus(KEPT))
              .execute();
        });
  }
}
