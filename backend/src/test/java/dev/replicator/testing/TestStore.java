package dev.replicator.testing;

import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;

/** An S3-compatible server the replication tests run against: each has its own quirks (see shared NOTES). */
public interface TestStore {

  /** Its name in test reports. */
  String name();

  /** A client of the test itself, to arrange buckets and objects and to read what Replicator did. */
  S3Client client();

  /** Creates a bucket with a unique name, versioned or not. */
  String bucket(boolean versioned);

  /** The request body that creates a trust to this server. */
  Map<String, Object> trustBody(String name);
}
