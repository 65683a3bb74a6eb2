package dev.replicator.metrics;

import dev.replicator.platform.roles.ApiRole;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jdbi.v3.core.Jdbi;
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

  private final Jdbi jdbi;
  private final Clock clock;
  private final Map<String, MultiGauge> gauges;

  public ReplicationGauges(Jdbi jdbi, Clock clock, MeterRegistry registry) {
    this.jdbi = jdbi;
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

  /** One destination's figures, as the gauges publish them. */
  record Figures(
      String tenantId,
      String ruleId,
      String destinationBucket,
      long pending,
      long bytesPending,
      long replicated,
      long bytesReplicated,
      long failed,
      double latency) {

    Tags tags() {
      return Tags.of("tenant", tenantId, "rule", ruleId, "destination", destinationBucket);
    }
  }

  @Transactional
  public void refresh() {
    List<Figures> figures =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery(
                        """
                        SELECT tenant_id, rule_id, destination_bucket, sum(pending) AS pending,
                               sum(bytes_pending) AS bytes_pending, sum(replicated) AS replicated,
                               sum(bytes_replicated) AS bytes_replicated, sum(failed) AS failed,
                               max(latency) AS latency
                          FROM (SELECT tenant_id, rule_id, destination_bucket,
                                       count(*) FILTER (WHERE state IN ('PENDING', 'RUNNING')) AS pending,
                                       coalesce(sum(size) FILTER (WHERE state IN ('PENDING', 'RUNNING')), 0)
                                           AS bytes_pending,
                                       count(*) FILTER (WHERE state = 'COMPLETED') AS replicated,
                                       coalesce(sum(size) FILTER (WHERE state = 'COMPLETED'), 0) AS bytes_replicated,
                                       count(*) FILTER (WHERE state = 'FAILED') AS failed,
                                       coalesce(replication_seconds(min(source_last_modified)
                                           FILTER (WHERE state IN ('PENDING', 'RUNNING') AND batch_job_id IS NULL),
                                           :now), 0) AS latency
                                  FROM replication_tasks GROUP BY tenant_id, rule_id, destination_bucket
                                UNION ALL
                                SELECT tenant_id, rule_id, destination_bucket, 0, 0, sum(operations_replicated),
                                       sum(bytes_replicated), 0, 0
                                  FROM replication_metric_buckets GROUP BY tenant_id, rule_id, destination_bucket)
                               figures
                         GROUP BY tenant_id, rule_id, destination_bucket""")
                    .bind("now", clock.instant())
                    .map(
                        (row, context) ->
                            new Figures(
                                row.getString("tenant_id"),
                                row.getString("rule_id"),
                                row.getString("destination_bucket"),
                                row.getLong("pending"),
                                row.getLong("bytes_pending"),
                                row.getLong("replicated"),
                                row.getLong("bytes_replicated"),
                                row.getLong("failed"),
                                row.getDouble("latency")))
                    .list());
    publish("pending", figures, Figures::pending);
    publish("bytes_pending", figures, Figures::bytesPending);
    publish("replicated", figures, Figures::replicated);
    publish("bytes_replicated", figures, Figures::bytesReplicated);
    publish("failed", figures, Figures::failed);
    publish("latency", figures, Figures::latency);
  }

  private void publish(String gauge, List<Figures> figures, ToDoubleFunction<Figures> value) {
    gauges
        .get(gauge)
        .register(
            figures.stream()
                .<MultiGauge.Row<?>>map(f -> MultiGauge.Row.of(f.tags(), value.applyAsDouble(f)))
                .toList(),
            true);
  }
}
