package dev.replicator.replication;

import dev.replicator.trust.BucketRef;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.UUID;

/**
 * A claimed task: one source version to copy to one destination of one rule. {@code
 * keyHasOtherVersions} says whether other versions of the key are known at that destination
 * (queued, copied or skipped), so their order matters.
 */
public record ReplicationTask(
    UUID tenantId,
    UUID id,
    UUID ruleId,
    UUID destinationTrustId,
    String destinationBucket,
    String sourceKey,
    String sourceVersionId,
    boolean deleteMarker,
    @Nullable Long size,
    @Nullable String sourceEtag,
    Instant sourceLastModified,
    int attempts,
    int version,
    @Nullable String multipartUploadId,
    @Nullable UUID batchJobId,
    boolean includeReplicas,
    boolean keyHasOtherVersions) {

  /** The destination bucket, as reached through its trust. */
  public BucketRef destination() {
    return new BucketRef(destinationTrustId, destinationBucket);
  }

  public boolean batch() {
    return batchJobId != null;
  }
}
