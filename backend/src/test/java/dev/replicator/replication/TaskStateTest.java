package dev.replicator.replication;

import static dev.replicator.replication.TaskState.COMPLETED;
import static dev.replicator.replication.TaskState.FAILED;
import static dev.replicator.replication.TaskState.PENDING;
import static dev.replicator.replication.TaskState.RUNNING;
import static dev.replicator.replication.TaskState.SKIPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The transition table of a replication task, every pair of states. */
class TaskStateTest {

  /** Who makes each allowed change; every pair not listed is refused. */
  private static final Map<TaskState, Set<TaskState>> ALLOWED = Map.of(
      PENDING, EnumSet.of(RUNNING, COMPLETED, SKIPPED, FAILED), // claim; withdraw gives back what a batch job requeued
      RUNNING, EnumSet.of(PENDING, COMPLETED, SKIPPED, FAILED), // finish: retry later, or an outcome
      COMPLETED, EnumSet.of(PENDING), // requeue by a batch job
      SKIPPED, EnumSet.of(PENDING), // requeue by a batch job (replicas)
      FAILED, EnumSet.of(PENDING)); // requeue: a user's retry, or a batch job

  @Test
  void everyPairOfStatesIsAllowedOrRefusedAsTheTableSays() {
    for (TaskState from : TaskState.values()) {
      for (TaskState to : TaskState.values()) {
        if (ALLOWED.get(from).contains(to)) {
          assertThat(from.to(to)).as(from + " → " + to).isEqualTo(to);
        } else {
          assertThatThrownBy(() -> from.to(to)).as(from + " → " + to)
              .isInstanceOf(IllegalStateException.class)
              .hasMessage("A task cannot go from " + from + " to " + to);
        }
      }
    }
  }

  @Test
  void tasksAreCreatedPendingOrFailedOnly() {
    assertThat(TaskState.INITIAL).containsExactlyInAnyOrder(PENDING, FAILED);
    assertThat(TaskState.created(PENDING)).isEqualTo(PENDING);
    assertThat(TaskState.created(FAILED)).as("a manifest version the source lacks").isEqualTo(FAILED);
    for (TaskState state : EnumSet.of(RUNNING, COMPLETED, SKIPPED)) {
      assertThatThrownBy(() -> TaskState.created(state)).isInstanceOf(IllegalStateException.class)
          .hasMessage("A task cannot be created " + state);
    }
  }

  @Test
  void theEndedStatesAreTheOnesARequeueStartsFrom() {
    for (TaskState state : TaskState.values()) {
      assertThat(state.ended()).as(state.name()).isEqualTo(state == COMPLETED || state == SKIPPED || state == FAILED);
      if (state.ended()) {
        assertThat(state.to(PENDING)).isEqualTo(PENDING);
        assertThat(PENDING.to(state)).as("withdraw gives " + state + " back").isEqualTo(state);
      }
    }
  }
}
