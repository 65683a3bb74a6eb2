package dev.replicator.replication;

import dev.replicator.trust.BucketRef;
import dev.replicator.trust.FailureText;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * A source version's Object Lock retention and legal hold. AWS reports them in HEAD; some
 * compatible stores only through GetObjectRetention and GetObjectLegalHold, which are asked only
 * for buckets that have Object Lock enabled (known per bucket for a minute), so unlocked buckets
 * cost nothing extra.
 */
@Singleton
class ObjectLocks {

  /** What a replica must carry; all null when the version is not locked. */
  record Lock(@Nullable String mode, @Nullable Instant retainUntil, @Nullable String legalHold) {}

  private final BucketFacts lockEnabled;

  ObjectLocks(Clock clock) {
    this.lockEnabled = new BucketFacts(clock);
  }

  Lock of(
      S3Client source,
      BucketRef sourceBucket,
      String key,
      String versionId,
      HeadObjectResponse head) {
    if (head.objectLockModeAsString() != null || head.objectLockLegalHoldStatusAsString() != null) {
      return new Lock(
          head.objectLockModeAsString(),
          head.objectLockRetainUntilDate(),
          head.objectLockLegalHoldStatusAsString());
    }
    String bucket = sourceBucket.bucket();
    if (!lockEnabled(source, sourceBucket)) {
      return new Lock(null, null, null);
    }
    String mode = null;
    Instant until = null;
    try {
      var retention =
          source
              .getObjectRetention(b -> b.bucket(bucket).key(key).versionId(versionId))
              .retention();
      if (retention != null) {
        mode = retention.modeAsString();
        until = retention.retainUntilDate();
      }
    } catch (SdkException e) {
      rethrowUnlessAbsent(e);
    }
    String hold = null;
    try {
      var legalHold =
          source
              .getObjectLegalHold(b -> b.bucket(bucket).key(key).versionId(versionId))
              .legalHold();
      hold = legalHold == null ? null : legalHold.statusAsString();
    } catch (SdkException e) {
      rethrowUnlessAbsent(e);
    }
    return new Lock(mode, until, hold);
  }

  private boolean lockEnabled(S3Client source, BucketRef sourceBucket) {
    String bucket = sourceBucket.bucket();
    return lockEnabled.of(
        sourceBucket,
        () -> {
          try {
            var configuration =
                source.getObjectLockConfiguration(b -> b.bucket(bucket)).objectLockConfiguration();
            return configuration != null
                && "Enabled".equals(configuration.objectLockEnabledAsString());
          } catch (SdkException e) {
            rethrowUnlessAbsent(e);
            return false;
          }
        });
  }

  /**
   * "No lock configured" answers (404, or 400 from stores that say InvalidRequest) mean no lock;
   * others propagate.
   */
  private static void rethrowUnlessAbsent(SdkException e) {
    int status = FailureText.status(e);
    if (status != 404 && status != 400 && status != 501) {
      throw e;
    }
  }
}
