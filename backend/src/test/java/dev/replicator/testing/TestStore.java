package dev.replicator.testing;

import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * An S3-compatible server the replication tests run against: each has its own quirks (see shared
 * NOTES).
 */
public interface TestStore {

  /** Its name in test reports. */
  String name();

  /**
   * A client of the test itself, to arrange buckets and objects and to read what Replicator did.
   */
  S3Client client();

  /** Creates a bucket with a unique name, versioned or not. */
  default String bucket(boolean versioned) {
    String name = bucketPrefix() + UUID.randomUUID().toString().substring(0, 18);
    client().createBucket(b -> b.bucket(name));
    if (versioned) {
      client()
          .putBucketVersioning(
              b ->
                  b.bucket(name)
                      .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }
    return name;
  }

  /** How this store's bucket names start, so a failure message tells the store. */
  String bucketPrefix();

  /** The request body that creates a trust to this server. */
  Map<String, Object> trustBody(String name);

  /**
   * The request body that creates a trust to this server, reached at {@code endpoint} (a proxy in
   * front of it, or an address where nothing answers).
   */
  default Map<String, Object> trustBody(String name, String endpoint) {
    return Fixtures.with(trustBody(name), "endpoint", endpoint);
  }
}
