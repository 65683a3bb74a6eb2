package dev.replicator.replication;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.UUID;

/**
 * A task as the queue has just written it, for other features' bookkeeping (see {@link
 * QueueListener}).
 */
public record TaskRecord(
    UUID tenantId,
    UUID id,
    UUID ruleId,
    UUID destinationTrustId,
    String destinationBucket,
    String sourceKey,
    String sourceVersionId,
    @Nullable Long size,
    @Nullable String sourceEtag,
    Instant sourceLastModified,
    TaskState state,
    @Nullable String failureReason,
    @Nullable Instant completedAt,
    @Nullable UUID batchJobId) {

  public boolean batch() {
    return batchJobId != null;
  }
}
