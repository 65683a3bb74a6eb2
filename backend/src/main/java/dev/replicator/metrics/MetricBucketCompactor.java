package dev.replicator.metrics;

import dev.replicator.platform.HousekeepingSettings;
import dev.replicator.platform.roles.SchedulerRole;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges metric buckets as they age — minutes into hours, hours into days — so the series stay
 * cheap to keep and to read. Sums stay exact; a merged bucket's p99 latency is the highest of its
 * parts.
 */
@SchedulerRole
@Singleton
public class MetricBucketCompactor {

  private static final Logger LOG = LoggerFactory.getLogger(MetricBucketCompactor.class);

  private final Jdbi jdbi;
  private final Clock clock;
  private final HousekeepingSettings settings;

  public MetricBucketCompactor(Jdbi jdbi, Clock clock, HousekeepingSettings settings) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.settings = settings;
  }

  @Scheduled(
      fixedDelay = "${replicator.housekeeping.compaction-tick:1h}",
      initialDelay = "${replicator.housekeeping.tick:1m}")
  void tick() {
    try {
      compact();
    } catch (RuntimeException e) {
      LOG.warn("Compacting the metric buckets failed; trying again later: {}", e.getMessage());
    }
  }

  @Transactional
  public void compact() {
    merge(Duration.ofMinutes(1), Duration.ofHours(1), "hour", settings.minuteMetrics());
    merge(Duration.ofHours(1), Duration.ofDays(1), "day", settings.hourMetrics());
  }

  /**
   * Merges the buckets of width {@code from} older than {@code olderThan} into buckets of width
   * {@code to}, which starts at a whole {@code unit}.
   */
  private void merge(Duration from, Duration to, String unit, Duration olderThan) {
    jdbi.useHandle(
        handle ->
            handle
                .createQuery(
                    """
                    WITH old AS (
                        DELETE FROM replication_metric_buckets
                         WHERE width_seconds = :fromSeconds AND bucket_start < :olderThan
                        RETURNING *),
                    widened AS (SELECT *, date_trunc(:unit, bucket_start) AS wide_start FROM old)
                    SELECT add_to_metric_buckets(array(
                    SELECT ROW(tenant_id, rule_id, destination_trust_id, destination_bucket, :toSeconds, wide_start,
                               sum(operations_replicated), sum(bytes_replicated),
                               sum(operations_replicated_after_threshold), max(latency_p99_seconds),
                               sum(operations_failed))::replication_metric_buckets
                      FROM widened
                     GROUP BY tenant_id, rule_id, destination_trust_id, destination_bucket, wide_start))""")
                .bind("fromSeconds", from.toSeconds())
                .bind("olderThan", clock.instant().minus(olderThan))
                .bind("toSeconds", (int) to.toSeconds())
                .bind("unit", unit)
                .mapTo(Integer.class)
                .one());
  }
}
