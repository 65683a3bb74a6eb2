package dev.replicator.replication;

import jakarta.inject.Singleton;
import java.time.Clock;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;

/**
 * Whether a source bucket's objects have ACLs of their own. A bucket whose Object Ownership is "bucket owner
 * enforced" (the default for new AWS buckets) has ACLs disabled, so its versions need no GetObjectAcl; the setting is
 * known per bucket for a minute. Stores without Object Ownership (Ceph RGW 16, S3Mock) keep object ACLs.
 */
@Singleton
class ObjectAcls {

  private final BucketFacts aclsEnabled;

  ObjectAcls(Clock clock) {
    this.aclsEnabled = new BucketFacts(clock);
  }

  boolean enabled(S3Client source, String cacheKey, String bucket) {
    return aclsEnabled.of(cacheKey, () -> {
      try {
        return source.getBucketOwnershipControls(b -> b.bucket(bucket)).ownershipControls().rules().stream()
            .noneMatch(r -> r.objectOwnership() == ObjectOwnership.BUCKET_OWNER_ENFORCED);
      } catch (SdkException e) {
        // not configured, not supported or not permitted: the versions' own ACLs say what they are
        return true;
      }
    });
  }
}
