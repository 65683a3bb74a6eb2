package dev.replicator.metrics;

import dev.replicator.platform.HousekeepingSettings;
import dev.replicator.platform.roles.SchedulerRole;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
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

  private final JdbcOperations jdbc;
  private final Clock clock;
  private final HousekeepingSettings settings;

  public MetricBucketCompactor(JdbcOperations jdbc, Clock clock, HousekeepingSettings settings) {
    this.jdbc = jdbc;
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
    merge(60, 3600, "hour", settings.minuteMetrics());
    merge(3600, 86400, "day", settings.hourMetrics());
  }

  private void merge(int from, int to, String unit, Duration olderThan) {
    jdbc.prepareStatement(
        """
        WITH old AS (
            DELETE FROM replication_metric_buckets WHERE width_seconds = ? AND bucket_start < ?
            RETURNING *)
        %1$s
        SELECT tenant_id, rule_id, destination_trust_id, destination_bucket, ?, date_trunc('%2$s', bucket_start),
               sum(operations_replicated), sum(bytes_replicated), sum(operations_replicated_after_threshold), max(latency_p99_seconds),
               sum(operations_failed)
          FROM old
         GROUP BY tenant_id, rule_id, destination_trust_id, destination_bucket, date_trunc('%2$s', bucket_start)
        %3$s"""
            .formatted(MetricBuckets.INSERT, unit, MetricBuckets.ADD_TO_EXISTING),
        statement -> {
          statement.setInt(1, from);
          statement.setTimestamp(2, Timestamp.from(clock.instant().minus(olderThan)));
          statement.setInt(3, to);
          return statement.executeUpdate();
        });
  }
}
