package dev.replicator.replication;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The life of a replication task, and the one table of its changes: {@link TaskQueue} creates tasks
 * through {@link #created} and changes their state only through {@link #to}, naming the {@link
 * Change}; an illegal one throws.
 *
 * <pre>
 *   (new) ──enqueue──▶ PENDING ──claim──▶ RUNNING ──finish──┬─▶ COMPLETED  (replicated, or found already replicated)
 *                       ▲  ▲                 │              ├─▶ SKIPPED    (filtered out, a replica, superseded, not in the rule)
 *                       │  └──finish─────────┘              └─▶ FAILED     (permanent error, with an AWS failure reason)
 *                       │     (retry later)
 *                       └──────requeue────── COMPLETED, SKIPPED, FAILED  (FAILED: a user's retry; any: a batch job)
 *   PENDING ──withdraw──▶ COMPLETED, SKIPPED, FAILED   (a cancelled batch job gives back the state it requeued from)
 *   (new) ──enqueue──▶ FAILED   (a batch job's manifest names a version the source lacks)
 * </pre>
 *
 * A RUNNING task whose lease expired is claimed again by another worker: its lease changes hands,
 * its state does not. Leaving the queue is no change of state either: tasks that ended COMPLETED or
 * SKIPPED move to the history when pruned, and PENDING tasks a cancelled batch job created are
 * withdrawn before any worker started them.
 */
public enum TaskState {
  PENDING,
  RUNNING,
  COMPLETED,
  SKIPPED,
  FAILED;

  /** The states a task is created in. */
  public static final Set<TaskState> INITIAL =
      Collections.unmodifiableSet(EnumSet.of(PENDING, FAILED));

  /**
   * The queue's changes of a task's state, each with the states it starts from and those it may
   * lead to.
   */
  public enum Change {
    /** A worker takes a queued task ({@link TaskQueue#claim}, {@link TaskQueue#adoptKey}). */
    CLAIM(EnumSet.of(PENDING), EnumSet.of(RUNNING)),
    /**
     * A worker records an outcome, or puts the task back to be retried later ({@link
     * TaskQueue#finishAll}).
     */
    FINISH(EnumSet.of(RUNNING), EnumSet.of(PENDING, COMPLETED, SKIPPED, FAILED)),
    /**
     * An ended task is queued again ({@link TaskQueue#requeueFailed}, {@link
     * TaskQueue#enqueueBatch}).
     */
    REQUEUE(EnumSet.of(COMPLETED, SKIPPED, FAILED), EnumSet.of(PENDING)),
    /**
     * A cancelled batch job gives a requeued task it had not started back its state ({@link
     * TaskQueue#withdraw}).
     */
    WITHDRAW(EnumSet.of(PENDING), EnumSet.of(COMPLETED, SKIPPED, FAILED));

    private final Set<TaskState> from;
    private final Set<TaskState> to;

    Change(Set<TaskState> from, Set<TaskState> to) {
      this.from = from;
      this.to = to;
    }

    public boolean allows(TaskState from, TaskState to) {
      return this.from.contains(from) && this.to.contains(to);
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code target}, if {@code change} may take a task there from this state; throws otherwise. */
  public TaskState to(TaskState target, Change change) {
    if (!change.allows(this, target)) {
      throw new IllegalStateException(
          "A " + change + " cannot take a task from " + this + " to " + target);
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
}
