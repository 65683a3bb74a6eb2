package dev.replicator.replication;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;

/**
 * Whether a source bucket's objects have ACLs of their own. A bucket whose Object Ownership is "bucket owner
 * enforced" (the default for new AWS buckets) has ACLs disabled, so its versions need no GetObjectAcl; the setting is
 * known per bucket for a minute. Stores without Object Ownership (Ceph RGW 16, S3Mock, moto) keep object ACLs.
 */
@Singleton
class ObjectAcls {

  private static final Duration BUCKET_STATE_VALID_FOR = Duration.ofMinutes(1);

  private record BucketState(boolean aclsEnabled, Instant validUntil) {}

  private final Clock clock;
  private final Map<String, BucketState> buckets = new ConcurrentHashMap<>();

  ObjectAcls(Clock clock) {
    this.clock = clock;
  }

  boolean enabled(S3Client source, String cacheKey, String bucket) {
    BucketState known = buckets.get(cacheKey);
    Instant now = clock.instant();
    if (known != null && known.validUntil().isAfter(now)) {
      return known.aclsEnabled();
    }
    boolean enabled;
    try {
      enabled = source.getBucketOwnershipControls(b -> b.bucket(bucket)).ownershipControls().rules().stream()
          .noneMatch(r -> r.objectOwnership() == ObjectOwnership.BUCKET_OWNER_ENFORCED);
    } catch (SdkException e) {
      // not configured, not supported or not permitted: the versions' own ACLs say what they are
      enabled = true;
    }
    buckets.put(cacheKey, new BucketState(enabled, now.plus(BUCKET_STATE_VALID_FOR)));
    return enabled;
  }
}
