package dev.replicator.replication;

import static dev.replicator.replication.TaskState.COMPLETED;
import static dev.replicator.replication.TaskState.Change.CLAIM;
import static dev.replicator.replication.TaskState.Change.FINISH;
import static dev.replicator.replication.TaskState.Change.REQUEUE;
import static dev.replicator.replication.TaskState.Change.WITHDRAW;
import static dev.replicator.replication.TaskState.FAILED;
import static dev.replicator.replication.TaskState.PENDING;
import static dev.replicator.replication.TaskState.RUNNING;
import static dev.replicator.replication.TaskState.SKIPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The transition table of a replication task: every change, from every state, to every state. */
class TaskStateTest {

  private record Edge(TaskState.Change change, TaskState from, TaskState to) {}

  /** The diagram, edge by edge; everything else is refused. */
  private static final Set<Edge> ALLOWED =
      Set.of(
          new Edge(CLAIM, PENDING, RUNNING),
          new Edge(FINISH, RUNNING, PENDING), // retry later
          new Edge(FINISH, RUNNING, COMPLETED),
          new Edge(FINISH, RUNNING, SKIPPED),
          new Edge(FINISH, RUNNING, FAILED),
          new Edge(REQUEUE, FAILED, PENDING), // a user's retry, or a batch job
          new Edge(REQUEUE, COMPLETED, PENDING), // a batch job
          new Edge(REQUEUE, SKIPPED, PENDING), // a batch job (replicas)
          new Edge(
              WITHDRAW, PENDING, COMPLETED), // a cancelled batch job gives back what it requeued
          new Edge(WITHDRAW, PENDING, SKIPPED),
          new Edge(WITHDRAW, PENDING, FAILED));

  @Test
  void everyChangeIsAllowedOrRefusedAsTheDiagramSays() {
    for (TaskState.Change change : TaskState.Change.values()) {
      for (TaskState from : TaskState.values()) {
        for (TaskState to : TaskState.values()) {
          String edge = change + ": " + from + " → " + to;
          if (ALLOWED.contains(new Edge(change, from, to))) {
            assertThat(from.to(to, change)).as(edge).isEqualTo(to);
          } else {
            assertThatThrownBy(() -> from.to(to, change))
                .as(edge)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("A " + change + " cannot take a task from " + from + " to " + to);
          }
        }
      }
    }
  }

  @Test
  void aWithdrawalUndoesExactlyWhatARequeueDid() {
    for (TaskState ended : List.of(COMPLETED, SKIPPED, FAILED)) {
      assertThat(REQUEUE.allows(ended, PENDING)).isTrue();
      assertThat(WITHDRAW.allows(PENDING, ended)).isTrue();
    }
    for (TaskState state : EnumSet.of(PENDING, RUNNING)) {
      assertThat(REQUEUE.allows(state, PENDING)).as(state.name()).isFalse();
      assertThat(WITHDRAW.allows(PENDING, state)).as(state.name()).isFalse();
    }
  }

  @Test
  void tasksAreCreatedPendingOrFailedOnly() {
    assertThat(TaskState.INITIAL).containsExactlyInAnyOrder(PENDING, FAILED);
    assertThat(TaskState.created(PENDING)).isEqualTo(PENDING);
    assertThat(TaskState.created(FAILED))
        .as("a manifest version the source lacks")
        .isEqualTo(FAILED);
    for (TaskState state : EnumSet.of(RUNNING, COMPLETED, SKIPPED)) {
      assertThatThrownBy(() -> TaskState.created(state))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("A task cannot be created " + state);
    }
  }
}
