package dev.replicator.batch;

import dev.replicator.platform.database.Notifications;
import dev.replicator.replication.QueueListener;
import dev.replicator.replication.TaskRecord;
import io.micronaut.transaction.TransactionDefinition.Propagation;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Wakes the batch monitors when a worker ends tasks of a batch job, so that the job shows COMPLETED
 * as soon as its last outcome is written rather than at the monitor's next tick.
 */
@Singleton
class BatchTaskOutcomes implements QueueListener {

  private final Jdbi jdbi;

  BatchTaskOutcomes(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  @Transactional(propagation = Propagation.MANDATORY)
  public void finished(List<TaskRecord> tasks) {
    if (tasks.stream().anyMatch(task -> task.batch() && task.completedAt() != null)) {
      Notifications.send(jdbi, BatchJobStore.TASKS_ENDED_CHANNEL);
    }
  }
}
