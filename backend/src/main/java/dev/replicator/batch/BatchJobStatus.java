package dev.replicator.batch;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a batch replication job, as in S3 Batch Replication:
 *
 * <pre>
 *   PREPARING ──manifest read──▶ RUNNING ──every task ended──▶ COMPLETED
 *      │  └──manifest unusable──▶ FAILED
 *      └──────────┴──cancel──▶ CANCELLED   (tasks not yet started are withdrawn)
 * </pre>
 *
 * Tasks are claimable from the moment they are queued, so copying starts while the manifest is
 * still being read.
 */
public enum BatchJobStatus {
  PREPARING,
  RUNNING,
  COMPLETED,
  FAILED,
  CANCELLED;

  private Set<BatchJobStatus> next() {
    return switch (this) {
      case PREPARING -> EnumSet.of(RUNNING, FAILED, CANCELLED);
      case RUNNING -> EnumSet.of(COMPLETED, CANCELLED);
      case COMPLETED, FAILED, CANCELLED -> EnumSet.noneOf(BatchJobStatus.class);
    };
  }

  public BatchJobStatus to(BatchJobStatus target) {
    if (!next().contains(target)) {
      throw new IllegalStateException("A batch job cannot go from " + this + " to " + target);
    }
    return target;
  }
}
