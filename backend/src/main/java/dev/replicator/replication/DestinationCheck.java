package dev.replicator.replication;

import dev.replicator.trust.BucketRef;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * Destinations are checked when objects are replicated, not when rules are saved: a missing or
 * unversioned destination fails its tasks with DstBucketNotFound or DstBucketUnversioned. A good
 * answer is cached briefly so the check costs one request per destination per minute, not one per
 * object.
 */
@Singleton
class DestinationCheck {

  private static final Duration VALID_FOR = Duration.ofSeconds(60);

  private final Clock clock;
  private final Map<BucketRef, Instant> versionedUntil = new ConcurrentHashMap<>();

  DestinationCheck(Clock clock) {
    this.clock = clock;
  }

  /**
   * Empty when the destination is usable, else the failure. Throws SDK errors for the caller to
   * classify.
   */
  Optional<TaskResult> problem(S3Client destination, BucketRef destinationBucket) {
    String bucket = destinationBucket.bucket();
    Instant until = versionedUntil.get(destinationBucket);
    if (until != null && until.isAfter(clock.instant())) {
      return Optional.empty();
    }
    BucketVersioningStatus status = destination.getBucketVersioning(b -> b.bucket(bucket)).status();
    if (status != BucketVersioningStatus.ENABLED) {
      versionedUntil.remove(destinationBucket);
      return Optional.of(
          TaskResult.failed(
              "DstBucketUnversioned",
              "Versioning is not enabled on destination bucket "
                  + bucket
                  + "; enable it (replication needs versioning at both ends), then retry the failed objects."));
    }
    versionedUntil.put(destinationBucket, clock.instant().plus(VALID_FOR));
    return Optional.empty();
  }
}
