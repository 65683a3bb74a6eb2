package dev.replicator.rule;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A replication rule: one source bucket to one or more destinations, with AWS S3 Replication's
 * semantics.
 *
 * @param liveSince versions written from this time on are replicated live; older ones are for batch
 *     jobs
 */
public record Rule(
    UUID id,
    UUID tenantId,
    String name,
    RuleStatus status,
    int priority,
    Source source,
    Filter filter,
    List<Destination> destinations,
    boolean deleteMarkerReplication,
    boolean replicaModifications,
    ReplicationTime replicationTime,
    int scanIntervalSeconds,
    Instant liveSince,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * Whether a version written at {@code lastModified} is this rule's to replicate live rather than
   * a batch job's. Listings give Last-Modified to the second, so a version written in the second
   * the rule went live counts as live.
   */
  public boolean replicatesLive(Instant lastModified) {
    return !lastModified.isBefore(liveSince.truncatedTo(ChronoUnit.SECONDS));
  }

  public record Source(UUID trustId, String bucket) {}

  /** Objects must match the prefix (if any) and every tag. */
  public record Filter(@Nullable String prefix, Map<String, String> tags) {
    public static final Filter ALL = new Filter(null, Map.of());
  }

  public record Destination(
      UUID trustId,
      String bucket,
      @Nullable String storageClass,
      boolean ownerOverride,
      @Nullable String kmsKeyId) {}

  /**
   * S3 Replication Time Control: replications slower than the threshold are counted and reported.
   */
  public record ReplicationTime(boolean enabled, int thresholdMinutes) {
    public static final int DEFAULT_MINUTES = 15;
  }
}
