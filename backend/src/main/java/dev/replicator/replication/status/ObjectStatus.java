package dev.replicator.replication.status;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * The replication status of one source version at one destination, with AWS's status values: PENDING (queued or
 * being copied), COMPLETED, FAILED (with the failure reason) or REPLICA (the version is itself a replica).
 */
@Serdeable
public record ObjectStatus(
    String key,
    String versionId,
    boolean isDeleteMarker,
    @Nullable Long size,
    String destinationBucket,
    String status,
    @Nullable String failureReason,
    @Nullable String lastError,
    int attempts,
    Instant sourceLastModified,
    @Nullable Instant replicatedAt,
    @Nullable String destinationVersionId) {

  /** The statuses a client may filter by. */
  public static final java.util.Set<String> STATUSES = java.util.Set.of("PENDING", "COMPLETED", "FAILED", "REPLICA");
}
