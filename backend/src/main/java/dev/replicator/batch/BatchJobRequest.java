package dev.replicator.batch;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A batch job as the API receives it: a rule, and either a filter over its source or a manifest of
 * versions.
 */
@Serdeable
public record BatchJobRequest(
    @NotNull UUID ruleId,
    @Nullable @Size(max = 1000) String description,
    @Nullable @Valid FilterInput filter,
    @Nullable @Size(min = 1, max = 20) List<@NotBlank String> destinations,
    @Nullable @Valid ManifestInput manifest,
    @Nullable @Valid ReportInput report) {

  @Serdeable
  public record FilterInput(
      @NotNull @Size(min = 1, max = 4)
          List<BatchJob.@NotNull ReplicationStatus> replicationStatuses,
      @Nullable Instant createdAfter,
      @Nullable Instant createdBefore,
      @Nullable String prefix) {}

  /** Either {@code csv} (the manifest itself) or the location of a manifest object. */
  @Serdeable
  public record ManifestInput(
      @Nullable String csv,
      @Nullable UUID trustId,
      @Nullable String bucket,
      @Nullable String key,
      @Nullable String versionId) {}

  @Serdeable
  public record ReportInput(
      @NotNull UUID trustId,
      @NotBlank String bucket,
      @Nullable String prefix,
      @Nullable BatchJob.ReportScope scope) {}
}
