package dev.replicator.replication;

import java.util.Map;

/**
 * The user metadata Replicator adds to every replica: which source version it copies and when that
 * version was written. It is how a replica is recognised (replicas are never replicated again, so
 * two-way rules converge) and how a retry finds out that an earlier attempt already wrote the
 * replica.
 *
 * <pre>
 *   x-amz-meta-replicator-source-version-id     the source version id
 *   x-amz-meta-replicator-source-last-modified  the source version's Last-Modified, ISO-8601
 * </pre>
 */
final class ReplicaStamp {

  static final String SOURCE_VERSION_ID = "replicator-source-version-id";
  static final String SOURCE_LAST_MODIFIED = "replicator-source-last-modified";

  private ReplicaStamp() {}

  static boolean isReplica(Map<String, String> metadata, String replicationStatus) {
    return metadata.containsKey(SOURCE_VERSION_ID) || "REPLICA".equalsIgnoreCase(replicationStatus);
  }

  static boolean copies(Map<String, String> metadata, String sourceVersionId) {
    return sourceVersionId.equals(metadata.get(SOURCE_VERSION_ID));
  }
}
