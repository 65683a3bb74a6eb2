package dev.replicator.rule;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A rule as the API shows it. */
@Serdeable
public record RuleView(
    UUID id,
    String name,
    RuleStatus status,
    int priority,
    SourceView source,
    FilterView filter,
    List<DestinationView> destinations,
    boolean deleteMarkerReplication,
    boolean replicaModifications,
    ReplicationTimeView replicationTime,
    int scanIntervalSeconds,
    Instant liveSince,
    Instant createdAt,
    Instant updatedAt) {

  @Serdeable
  public record SourceView(UUID trustId, String bucket) {}

  @Serdeable
  public record FilterView(@Nullable String prefix, Map<String, String> tags) {}

  @Serdeable
  public record DestinationView(
      UUID trustId,
      String bucket,
      @Nullable String storageClass,
      boolean ownerOverride,
      @Nullable String kmsKeyId) {}

  @Serdeable
  public record ReplicationTimeView(boolean enabled, int thresholdMinutes) {}

  static RuleView of(Rule rule) {
    return new RuleView(
        rule.id(),
        rule.name(),
        rule.status(),
        rule.priority(),
        new SourceView(rule.source().trustId(), rule.source().bucket()),
        new FilterView(rule.filter().prefix(), rule.filter().tags()),
        rule.destinations().stream()
            .map(
                d ->
                    new DestinationView(
                        d.trustId(), d.bucket(), d.storageClass(), d.ownerOverride(), d.kmsKeyId()))
            .toList(),
        rule.deleteMarkerReplication(),
        rule.replicaModifications(),
        new ReplicationTimeView(
            rule.replicationTime().enabled(), rule.replicationTime().thresholdMinutes()),
        rule.scanIntervalSeconds(),
        rule.liveSince(),
        rule.createdAt(),
        rule.updatedAt());
  }
}
