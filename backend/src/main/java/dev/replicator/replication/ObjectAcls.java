package dev.replicator.replication;

import dev.replicator.trust.BucketRef;
import dev.replicator.trust.FailureText;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.Permission;

/**
 * A source version's ACL grants other than its owner's full control: what a replica must carry as
 * well when the destination does not take ownership. A bucket whose Object Ownership is "bucket
 * owner enforced" (the default for new AWS buckets) has ACLs disabled, so its versions need no
 * GetObjectAcl; the setting is known per bucket for a minute. Stores without Object Ownership (Ceph
 * RGW 16, S3Mock) keep object ACLs; stores without ACLs (NotImplemented) have no grants.
 *
 * <p>The grants are only applied after the replica is written, so they are looked up on a thread of
 * their own while the version is copied: the lookup's round trip overlaps the GET and PUT instead
 * of adding to them. That matters beyond the network's latency: Ceph RGW's default frontend (beast
 * without {@code tcp_nodelay}) answers GetObjectAcl in two TCP segments, and the client's delayed
 * ACK holds the second for 40 ms — four times a whole GET and PUT of a small object on the same
 * server.
 */
@Singleton
class ObjectAcls {

  private final BucketFacts aclsEnabled;
  private final ExecutorService lookups =
      Executors.newCachedThreadPool(Worker.named("source-acl-lookup"));

  ObjectAcls(Clock clock) {
    this.aclsEnabled = new BucketFacts(clock);
  }

  /**
   * Starts the lookup of the version's grants; the future fails with the lookup's {@link
   * SdkException}.
   */
  CompletableFuture<List<Grant>> grants(
      S3Client source, BucketRef bucket, String key, String versionId) {
    return CompletableFuture.supplyAsync(
        () ->
            enabled(source, bucket)
                ? nonOwnerGrants(source, bucket.bucket(), key, versionId)
                : List.of(),
        lookups);
  }

  private boolean enabled(S3Client source, BucketRef bucket) {
    return aclsEnabled.of(
        bucket,
        () -> {
          try {
            return source
                .getBucketOwnershipControls(b -> b.bucket(bucket.bucket()))
                .ownershipControls()
                .rules()
                .stream()
                .noneMatch(r -> r.objectOwnership() == ObjectOwnership.BUCKET_OWNER_ENFORCED);
          } catch (SdkException e) {
            // not configured, not supported or not permitted: the versions' own ACLs say what they
            // are
            return true;
          }
        });
  }

  private static List<Grant> nonOwnerGrants(
      S3Client source, String bucket, String key, String versionId) {
    try {
      GetObjectAclResponse acl =
          source.getObjectAcl(b -> b.bucket(bucket).key(key).versionId(versionId));
      String ownerId = acl.owner() == null ? null : acl.owner().id();
      return acl.grants().stream()
          .filter(
              g ->
                  !(g.permission() == Permission.FULL_CONTROL
                      && g.grantee() != null
                      && ownerId != null
                      && ownerId.equals(g.grantee().id())))
          .toList();
    } catch (SdkException e) {
      if (FailureText.status(e) == 501 || "NotImplemented".equals(FailureText.errorCode(e))) {
        return List.of();
      }
      throw e;
    }
  }

  @PreDestroy
  void close() {
    lookups.shutdownNow();
  }
}
