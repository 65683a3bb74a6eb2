package dev.replicator.batch;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A batch replication job as the API shows it. The counts are of tasks (one per version and
 * destination): counted from the queue while the job runs, frozen when it ends.
 */
@Serdeable
public record BatchJob(
    UUID id,
    UUID ruleId,
    @Nullable String description,
    BatchJobStatus status,
    @Nullable String statusDetail,
    @Nullable Filter filter,
    List<String> destinations,
    Manifest manifest,
    @Nullable Report report,
    @Nullable String reportLocation,
    @Nullable String reportError,
    long totalObjects,
    long pending,
    long succeeded,
    long failed,
    long skipped,
    Instant createdAt,
    @Nullable String createdBy,
    @Nullable Instant startedAt,
    @Nullable Instant completedAt) {

  /** Which versions of the rule's source a generated manifest holds. */
  @Serdeable
  public record Filter(
      List<ReplicationStatus> replicationStatuses,
      @Nullable Instant createdAfter,
      @Nullable Instant createdBefore,
      @Nullable String prefix) {

    public boolean includes(ReplicationStatus status) {
      return replicationStatuses.contains(status);
    }
  }

  /**
   * Where the job's versions come from: the listing (GENERATED), the request (UPLOADED) or a bucket
   * object.
   */
  @Serdeable
  public record Manifest(
      ManifestSource source,
      @Nullable UUID trustId,
      @Nullable String bucket,
      @Nullable String key,
      @Nullable String versionId) {}

  /** Where the completion report is written when the job ends. */
  @Serdeable
  public record Report(UUID trustId, String bucket, @Nullable String prefix, ReportScope scope) {}

  public enum ReplicationStatus {
    NONE,
    FAILED,
    COMPLETED,
    REPLICA
  }

  public enum ManifestSource {
    GENERATED,
    UPLOADED,
    BUCKET
  }

  public enum ReportScope {
    ALL_TASKS,
    FAILED_TASKS_ONLY
  }
}
