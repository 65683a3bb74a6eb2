package dev.replicator.replication;

import io.micronaut.core.annotation.Nullable;
import java.time.Duration;

/** What became of a claimed task. */
public record TaskResult(
    TaskState state,
    @Nullable String outcome,
    @Nullable String failureReason,
    @Nullable String error,
    @Nullable String destinationVersionId,
    Duration retryAfter,
    boolean throttled) {

  public static TaskResult replicated(String destinationVersionId) {
    return new TaskResult(TaskState.COMPLETED, "REPLICATED", null, null, destinationVersionId, Duration.ZERO, false);
  }

  public static TaskResult alreadyReplicated(String destinationVersionId) {
    return new TaskResult(TaskState.COMPLETED, "ALREADY_REPLICATED", null, null, destinationVersionId, Duration.ZERO, false);
  }

  public static TaskResult skipped(String outcome) {
    return new TaskResult(TaskState.SKIPPED, outcome, null, null, null, Duration.ZERO, false);
  }

  public static TaskResult failed(String failureReason, String error) {
    return new TaskResult(TaskState.FAILED, null, failureReason, error, null, Duration.ZERO, false);
  }

  public static TaskResult retryLater(Duration delay, String error) {
    return new TaskResult(TaskState.PENDING, null, null, error, null, delay, false);
  }

  /** The destination asked to slow down (SlowDown, 503, 429): the worker pauses all its copies to it. */
  public static TaskResult throttled(Duration delay, String error) {
    return new TaskResult(TaskState.PENDING, null, null, error, null, delay, true);
  }
}
