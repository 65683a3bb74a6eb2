package dev.replicator.trust;

import java.util.UUID;

/**
 * A bucket as reached through a trust: the trust's id and the bucket's name. The key of what is
 * known or decided per bucket (its facts, a throttled destination, a rule's distinct destinations).
 */
public record BucketRef(UUID trustId, String bucket) {

  /** As {@code trustId/bucket}, the form the task queue compares with its rows. */
  @Override
  public String toString() {
    return trustId + "/" + bucket;
  }
}
