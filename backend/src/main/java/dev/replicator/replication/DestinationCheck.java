package dev.replicator.replication;

import dev.replicator.trust.BucketRef;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * Destinations are checked when objects are replicated, not when rules are saved: a missing or
 * unversioned destination fails its tasks with DstBucketNotFound or DstBucketUnversioned. A good
 * answer is cached briefly so the check costs one request per destination per minute, not one per
 * object, and the copies that start together share one answer.
 */
@Singleton
class DestinationCheck {

  private final BucketFacts versioned;

  DestinationCheck(Clock clock) {
    this.versioned = BucketFacts.rememberingOnlyYes(clock);
  }

  /**
   * Empty when the destination is usable, else the failure. Throws SDK errors for the caller to
   * classify.
   */
  Optional<TaskResult> problem(S3Client destination, BucketRef destinationBucket) {
    String bucket = destinationBucket.bucket();
    boolean enabled =
        versioned.of(
            destinationBucket,
            () ->
                destination.getBucketVersioning(b -> b.bucket(bucket)).status()
                    == BucketVersioningStatus.ENABLED);
    if (!enabled) {
      return Optional.of(
          TaskResult.failed(
              "DstBucketUnversioned",
              "Versioning is not enabled on destination bucket "
                  + bucket
                  + "; enable it (replication needs versioning at both ends), then retry the failed objects."));
    }
    return Optional.empty();
  }
}
