package dev.replicator.replication;

import dev.replicator.platform.HousekeepingSettings;
import dev.replicator.platform.roles.SchedulerRole;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every housekeeping tick, moves the tasks that ended (replicated or skipped) more than the
 * retention ago from the queue to its history, a batch at a time ({@link TaskQueue#prune}).
 */
@SchedulerRole
@Singleton
public class QueuePruner {

  private static final Logger LOG = LoggerFactory.getLogger(QueuePruner.class);

  private final TaskQueue queue;
  private final Clock clock;
  private final HousekeepingSettings settings;

  public QueuePruner(TaskQueue queue, Clock clock, HousekeepingSettings settings) {
    this.queue = queue;
    this.clock = clock;
    this.settings = settings;
  }

  @Scheduled(
      fixedDelay = "${replicator.housekeeping.tick:1m}",
      initialDelay = "${replicator.housekeeping.tick:1m}")
  void tick() {
    try {
      int moved;
      int total = 0;
      do {
        moved = queue.prune(clock.instant().minus(settings.retention()), settings.batchSize());
        total += moved;
      } while (moved == settings.batchSize());
      if (total > 0) {
        LOG.info("Moved {} ended tasks from the queue to the history", total);
      }
    } catch (RuntimeException e) {
      LOG.warn("Pruning the task queue failed; trying again at the next tick: {}", e.getMessage());
    }
  }
}
