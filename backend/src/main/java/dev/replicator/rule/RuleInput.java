package dev.replicator.rule;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A rule as the API receives it; absent optional settings take AWS's defaults. */
@Serdeable
public record RuleInput(
    @NotBlank @Size(max = 255) String name,
    @Nullable RuleStatus status,
    @Nullable Integer priority,
    @NotNull @Valid SourceInput source,
    @Nullable @Valid FilterInput filter,
    @NotNull @Size(min = 1, max = 20) List<@Valid @NotNull DestinationInput> destinations,
    @Nullable Boolean deleteMarkerReplication,
    @Nullable Boolean replicaModifications,
    @Nullable @Valid ReplicationTimeInput replicationTime,
    @Nullable Integer scanIntervalSeconds) {

  @Serdeable
  public record SourceInput(@NotNull UUID trustId, @NotBlank String bucket) {}

  @Serdeable
  public record FilterInput(@Nullable String prefix, @Nullable Map<String, String> tags) {}

  @Serdeable
  public record DestinationInput(
      @NotNull UUID trustId,
      @NotBlank String bucket,
      @Nullable String storageClass,
      @Nullable Boolean ownerOverride,
      @Nullable String kmsKeyId) {}

  @Serdeable
  public record ReplicationTimeInput(
      @NotNull Boolean enabled, @Nullable Integer thresholdMinutes) {}

  RuleDraft toDraft() {
    return new RuleDraft(
        name.strip(),
        status == null ? RuleStatus.ENABLED : status,
        priority == null ? 0 : priority,
        new Rule.Source(source.trustId(), source.bucket()),
        filter == null ? Rule.Filter.ALL : RuleDraft.filter(filter.prefix(), filter.tags()),
        destinations.stream()
            .map(
                d ->
                    new Rule.Destination(
                        d.trustId(),
                        d.bucket(),
                        d.storageClass(),
                        d.ownerOverride() != null && d.ownerOverride(),
                        blankToNull(d.kmsKeyId())))
            .toList(),
        deleteMarkerReplication != null && deleteMarkerReplication,
        replicaModifications != null && replicaModifications,
        replicationTime == null
            ? new Rule.ReplicationTime(false, Rule.ReplicationTime.DEFAULT_MINUTES)
            : new Rule.ReplicationTime(
                replicationTime.enabled(),
                replicationTime.thresholdMinutes() == null
                    ? Rule.ReplicationTime.DEFAULT_MINUTES
                    : replicationTime.thresholdMinutes()),
        scanIntervalSeconds == null
            ? RuleDraft.DEFAULT_SCAN_INTERVAL_SECONDS
            : scanIntervalSeconds);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
