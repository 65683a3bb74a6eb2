package dev.replicator.replication;

import dev.replicator.platform.roles.SchedulerRole;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every few seconds, refreshes PostgreSQL's statistics of the tables claims read once they have
 * outgrown them.
 */
@SchedulerRole
@Singleton
public class QueueStatistics {

  private static final Logger LOG = LoggerFactory.getLogger(QueueStatistics.class);

  private final TaskQueue queue;

  public QueueStatistics(TaskQueue queue) {
    this.queue = queue;
  }

  @Scheduled(fixedDelay = "5s", initialDelay = "5s")
  void tick() {
    try {
      if (queue.refreshStatistics()) {
        LOG.debug("Refreshed the planner's statistics of the task queue");
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "Refreshing the planner's statistics of the task queue failed; trying again at the next tick: {}",
          e.getMessage());
    }
  }
}
