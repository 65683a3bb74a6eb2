package dev.replicator.replication;

import java.util.List;

/**
 * Another feature's part in the queue's changes. The queue calls its listeners inside the
 * transaction of the change, so what a listener writes (the replication events an outcome causes,
 * the metrics of pruned tasks) commits or rolls back with it — none is lost, none is written twice.
 * Listeners read what they are given and never write the queue.
 */
public interface QueueListener {

  /**
   * Outcomes {@link TaskQueue#finishAll} has just recorded, as written: ended tasks, and those put
   * back PENDING to be retried later.
   */
  default void finished(List<TaskRecord> tasks) {}

  /** Ended tasks {@link TaskQueue#prune} has just moved from the queue to the history. */
  default void pruned(List<TaskRecord> tasks) {}

  /**
   * FAILED tasks {@link TaskQueue#requeueFailed} has just put back in the queue, as they were
   * before (their failure reason and when they failed).
   */
  default void requeued(List<TaskRecord> tasks) {}
}
