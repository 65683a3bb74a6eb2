package dev.replicator.replication;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a replication task:
 *
 * <pre>
 *   PENDING ──claim──▶ RUNNING ──▶ COMPLETED   (replicated, or found already replicated)
 *      ▲                  │  ├───▶ SKIPPED     (filtered out, a replica, or no longer in the rule)
 *      └──retry / lease───┘  └───▶ FAILED      (permanent error, with an AWS failure reason)
 *   FAILED ──retry requested by a user──▶ PENDING
 * </pre>
 */
public enum TaskState {
  PENDING,
  RUNNING,
  COMPLETED,
  SKIPPED,
  FAILED;

  private Set<TaskState> next() {
    return switch (this) {
      case PENDING -> EnumSet.of(RUNNING);
      case RUNNING -> EnumSet.of(PENDING, COMPLETED, SKIPPED, FAILED);
      case FAILED -> EnumSet.of(PENDING);
      case COMPLETED, SKIPPED -> EnumSet.noneOf(TaskState.class);
    };
  }

  public TaskState to(TaskState target) {
    if (!next().contains(target)) {
      throw new IllegalStateException("A task cannot go from " + this + " to " + target);
    }
    return target;
  }
}
