package dev.replicator.metrics;

import dev.replicator.rule.RuleStatus;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A rule's replication now, per destination, for the overview: the figures of its metrics over the
 * last hour and the state they put it in.
 *
 * @param thresholdMinutes the rule's replication-time threshold, which the lag is held against (15
 *     minutes unless the rule sets another, with or without Replication Time Control)
 */
@Serdeable
public record RuleHealth(
    UUID ruleId,
    String name,
    RuleStatus status,
    HealthState state,
    int thresholdMinutes,
    Instant at,
    List<DestinationHealth> destinations) {

  /**
   * @param operationsFailed versions that failed in the last hour
   * @param replicationLatencySeconds the lag now: the age of the oldest pending version
   * @param throughput the last hour, one point a minute, oldest first (minutes without activity
   *     too)
   */
  @Serdeable
  public record DestinationHealth(
      UUID trustId,
      String bucket,
      HealthState state,
      long operationsPending,
      long bytesPending,
      long operationsRetrying,
      double replicationLatencySeconds,
      long operationsFailed,
      List<Minute> throughput) {}

  /** What a destination received in one minute. */
  @Serdeable
  public record Minute(Instant at, long operationsReplicated, long bytesReplicated) {}
}
