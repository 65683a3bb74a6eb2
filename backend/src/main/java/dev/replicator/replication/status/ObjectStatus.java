package dev.replicator.replication.status;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * The replication status of one source version at one destination, with AWS's status values:
 * PENDING (queued or being copied), COMPLETED, FAILED (with the failure reason) or REPLICA (the
 * version is itself a replica) — and SKIPPED for a version the rule decided not to copy, with the
 * {@code outcome} (SUPERSEDED, FILTERED, NOT_IN_RULE) and the {@code detail} saying why. A
 * completed version's outcome is REPLICATED or ALREADY_REPLICATED. A PENDING version waiting in the
 * queue has the time a worker may next try it ({@code nextAttemptAt}, later than now while it backs
 * off after a transient error); one being copied now has none.
 */
@Serdeable
public record ObjectStatus(
    String key,
    String versionId,
    boolean isDeleteMarker,
    @Nullable Long size,
    String destinationBucket,
    String status,
    @Nullable String outcome,
    @Nullable String detail,
    @Nullable String failureReason,
    @Nullable String lastError,
    int attempts,
    @Nullable Instant nextAttemptAt,
    Instant sourceLastModified,
    @Nullable Instant replicatedAt,
    @Nullable String destinationVersionId) {

  /** The statuses a client may filter by. */
  public static final java.util.List<String> STATUSES =
      java.util.List.of("PENDING", "COMPLETED", "FAILED", "REPLICA", "SKIPPED");
}
