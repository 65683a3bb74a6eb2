package dev.replicator.metrics;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * The replication metrics of one rule, per destination, as AWS S3 Replication reports them (and a
 * few more).
 */
@Serdeable
public record RuleMetrics(Instant from, Instant to, List<DestinationMetrics> destinations) {

  /**
   * @param operationsRetrying pending versions attempted at least three times whose last attempt
   *     failed (an unreachable destination, a refused write): work that is stuck now, before it
   *     fails
   * @param replicationLatencySeconds how far the destination is behind now: the age of its oldest
   *     pending version
   * @param operationsMissedThreshold versions whose replication took (or is taking) longer than the
   *     threshold
   * @param pendingSeries the most versions pending at once in each step of the range (a minute up
   *     to a day, 10 minutes up to a week, an hour beyond), oldest first; steps in which nothing
   *     was pending are left out
   */
  @Serdeable
  public record DestinationMetrics(
      String bucket,
      long operationsPending,
      long bytesPending,
      long operationsReplicated,
      long bytesReplicated,
      long operationsFailed,
      long operationsRetrying,
      double replicationLatencySeconds,
      double latencyP50Seconds,
      double latencyP99Seconds,
      long operationsMissedThreshold,
      long operationsReplicatedAfterThreshold,
      List<Point> series,
      List<PendingPoint> pendingSeries) {}

  /** One minute of a destination's activity. */
  @Serdeable
  public record Point(
      Instant at,
      long operationsReplicated,
      long bytesReplicated,
      long operationsFailed,
      double latencyP99Seconds) {}

  /** The most versions, and bytes, waiting at once in one step starting at {@code at}. */
  @Serdeable
  public record PendingPoint(Instant at, long operationsPending, long bytesPending) {}
}
