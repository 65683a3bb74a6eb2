package dev.replicator.metrics;

import dev.replicator.platform.roles.ApiRole;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes replication figures as Prometheus series labelled by tenant, rule and destination,
 * refreshed from the durable task records and the metric buckets of pruned tasks (so every API
 * process reports the same numbers, and a restart changes none of them). Latency is live
 * replication's: batch jobs copy versions that may be years old.
 */
@ApiRole
@Singleton
public class ReplicationGauges {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicationGauges.class);

  private final JdbcOperations jdbc;
  private final Clock clock;
  private final Map<String, MultiGauge> gauges;

  public ReplicationGauges(JdbcOperations jdbc, Clock clock, MeterRegistry registry) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.gauges =
        Map.of(
            "pending",
                gauge(
                    registry,
                    "replicator.replication.operations.pending",
                    "Versions waiting to be replicated"),
            "bytes_pending",
                gauge(
                    registry,
                    "replicator.replication.bytes.pending",
                    "Bytes waiting to be replicated"),
            "replicated",
                gauge(
                    registry,
                    "replicator.replication.operations.replicated",
                    "Versions replicated"),
            "bytes_replicated",
                gauge(registry, "replicator.replication.bytes.replicated", "Bytes replicated"),
            "failed",
                gauge(
                    registry,
                    "replicator.replication.operations.failed",
                    "Versions whose replication failed"),
            "latency",
                gauge(
                    registry,
                    "replicator.replication.latency.seconds",
                    "How far the destination is behind: age of its oldest pending version"));
  }

  private static MultiGauge gauge(MeterRegistry registry, String name, String description) {
    return MultiGauge.builder(name).description(description).register(registry);
  }

  @Scheduled(
      fixedDelay = "${replicator.metrics.refresh:30s}",
      initialDelay = "${replicator.metrics.refresh:30s}")
  void refreshSafely() {
    try {
      refresh();
    } catch (RuntimeException e) {
      LOG.warn(
          "Refreshing the replication metrics failed; the previous values stay: {}",
          e.getMessage());
    }
  }

  @Transactional
  public void refresh() {
    Map<String, List<MultiGauge.Row<?>>> rows =
        Map.of(
            "pending",
            new ArrayList<>(),
            "bytes_pending",
            new ArrayList<>(),
            "replicated",
            new ArrayList<>(),
            "bytes_replicated",
            new ArrayList<>(),
            "failed",
            new ArrayList<>(),
            "latency",
            new ArrayList<>());
    jdbc.prepareStatement(
        """
        SELECT tenant_id, rule_id, destination_bucket, sum(pending), sum(bytes_pending), sum(replicated), sum(bytes_replicated),
               sum(failed), max(latency)
          FROM (SELECT tenant_id, rule_id, destination_bucket,
                       count(*) FILTER (WHERE state IN ('PENDING', 'RUNNING')) AS pending,
                       coalesce(sum(size) FILTER (WHERE state IN ('PENDING', 'RUNNING')), 0) AS bytes_pending,
                       count(*) FILTER (WHERE state = 'COMPLETED') AS replicated,
                       coalesce(sum(size) FILTER (WHERE state = 'COMPLETED'), 0) AS bytes_replicated,
                       count(*) FILTER (WHERE state = 'FAILED') AS failed,
                       coalesce(extract(epoch FROM (? - min(source_last_modified)
                           FILTER (WHERE state IN ('PENDING', 'RUNNING') AND batch_job_id IS NULL))), 0) AS latency
                  FROM replication_tasks GROUP BY tenant_id, rule_id, destination_bucket
                UNION ALL
                SELECT tenant_id, rule_id, destination_bucket, 0, 0, sum(operations_replicated), sum(bytes_replicated), 0, 0
                  FROM replication_metric_buckets GROUP BY tenant_id, rule_id, destination_bucket) figures
         GROUP BY tenant_id, rule_id, destination_bucket""",
        statement -> {
          statement.setTimestamp(1, Timestamp.from(clock.instant()));
          try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
              Tags tags =
                  Tags.of(
                      "tenant",
                      rs.getString(1),
                      "rule",
                      rs.getString(2),
                      "destination",
                      rs.getString(3));
              rows.get("pending").add(MultiGauge.Row.of(tags, rs.getLong(4)));
              rows.get("bytes_pending").add(MultiGauge.Row.of(tags, rs.getLong(5)));
              rows.get("replicated").add(MultiGauge.Row.of(tags, rs.getLong(6)));
              rows.get("bytes_replicated").add(MultiGauge.Row.of(tags, rs.getLong(7)));
              rows.get("failed").add(MultiGauge.Row.of(tags, rs.getLong(8)));
              rows.get("latency").add(MultiGauge.Row.of(tags, rs.getDouble(9)));
            }
          }
          return null;
        });
    rows.forEach((name, values) -> gauges.get(name).register(values, true));
  }
}
