package dev.replicator.replication;

import io.micronaut.core.annotation.Nullable;
import java.time.Duration;

/**
 * What became of a claimed task. {@code error} is the last error, or for a skipped version why it
 * was skipped; {@code attempted} is false for a task put back without being tried (it keeps its
 * attempt count and last error).
 */
public record TaskResult(
    TaskState state,
    @Nullable String outcome,
    @Nullable String failureReason,
    @Nullable String error,
    @Nullable String destinationVersionId,
    Duration retryAfter,
    boolean throttled,
    boolean attempted) {

  public static TaskResult replicated(String destinationVersionId) {
    return new TaskResult(
        TaskState.COMPLETED,
        "REPLICATED",
        null,
        null,
        destinationVersionId,
        Duration.ZERO,
        false,
        true);
  }

  public static TaskResult alreadyReplicated(String destinationVersionId) {
    return new TaskResult(
        TaskState.COMPLETED,
        "ALREADY_REPLICATED",
        null,
        null,
        destinationVersionId,
        Duration.ZERO,
        false,
        true);
  }

  public static TaskResult skipped(String outcome) {
    return skipped(outcome, null);
  }

  public static TaskResult skipped(String outcome, @Nullable String why) {
    return new TaskResult(TaskState.SKIPPED, outcome, null, why, null, Duration.ZERO, false, true);
  }

  public static TaskResult failed(String failureReason, String error) {
    return new TaskResult(
        TaskState.FAILED, null, failureReason, error, null, Duration.ZERO, false, true);
  }

  public static TaskResult retryLater(Duration delay, String error) {
    return new TaskResult(TaskState.PENDING, null, null, error, null, delay, false, true);
  }

  /**
   * The destination asked to slow down (SlowDown, 503, 429): the worker pauses all its copies to
   * it.
   */
  public static TaskResult throttled(Duration delay, String error) {
    return new TaskResult(TaskState.PENDING, null, null, error, null, delay, true, true);
  }

  /**
   * Put back untried, to be copied after an older version of its key that has to be retried first.
   */
  public static TaskResult deferred(Duration delay) {
    return new TaskResult(TaskState.PENDING, null, null, null, null, delay, false, false);
  }

  public boolean completed() {
    return state == TaskState.COMPLETED;
  }
}
