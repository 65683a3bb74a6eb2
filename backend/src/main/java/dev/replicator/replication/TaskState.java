package dev.replicator.replication;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a replication task, and the one table of its changes: {@link TaskQueue} makes every change through
 * {@link #created} or {@link #to}, and an illegal one throws.
 *
 * <pre>
 *   (new) ──enqueue──▶ PENDING ──claim──▶ RUNNING ──▶ COMPLETED   (replicated, or found already replicated)
 *                        ▲  ▲                │  ├───▶ SKIPPED     (filtered out, a replica, superseded, no longer in the rule)
 *                        │  └──retry later───┘  └───▶ FAILED      (permanent error, with an AWS failure reason)
 *                        │
 *   COMPLETED, SKIPPED, FAILED ──requeue──▶ PENDING   (FAILED: a user's retry; any of them: a batch job)
 *   PENDING ──withdraw──▶ COMPLETED, SKIPPED, FAILED   (a cancelled batch job gives back the state it requeued from)
 *   (new) ──enqueue a version the source lacks──▶ FAILED   (a manifest line naming a missing version)
 * </pre>
 *
 * A RUNNING task whose lease expired is claimed again by another worker: its lease changes hands, its state does
 * not. Leaving the queue is not a change of state either: tasks that ended COMPLETED or SKIPPED move to the history
 * when pruned, and PENDING tasks a cancelled batch job created before they were started are withdrawn.
 */
public enum TaskState {
  PENDING,
  RUNNING,
  COMPLETED,
  SKIPPED,
  FAILED;

  /** The states a task is created in. */
  public static final Set<TaskState> INITIAL = Collections.unmodifiableSet(EnumSet.of(PENDING, FAILED));

  private Set<TaskState> next() {
    return switch (this) {
      case PENDING -> EnumSet.of(RUNNING, COMPLETED, SKIPPED, FAILED);
      case RUNNING -> EnumSet.of(PENDING, COMPLETED, SKIPPED, FAILED);
      case COMPLETED, SKIPPED, FAILED -> EnumSet.of(PENDING);
    };
  }

  /** {@code target}, if a task may go there from this state; throws otherwise. */
  public TaskState to(TaskState target) {
    if (!next().contains(target)) {
      throw new IllegalStateException("A task cannot go from " + this + " to " + target);
    }
    return target;
  }

  /** {@code state}, if a task may be created in it; throws otherwise. */
  public static TaskState created(TaskState state) {
    if (!INITIAL.contains(state)) {
      throw new IllegalStateException("A task cannot be created " + state);
    }
    return state;
  }

  /** Whether a task in this state has ended: it is not copied unless requeued. */
  public boolean ended() {
    return this == COMPLETED || this == SKIPPED || this == FAILED;
  }
}
