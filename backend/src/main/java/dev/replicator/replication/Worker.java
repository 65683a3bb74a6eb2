package dev.replicator.replication;

import dev.replicator.platform.roles.WorkerRole;
import dev.replicator.rule.Rule;
import dev.replicator.rule.RuleService;
import dev.replicator.trust.Trust;
import dev.replicator.trust.TrustRepository;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims replication tasks and copies them, {@code concurrency} at a time. Leases are renewed while copies run; a
 * worker that dies simply stops renewing, and its tasks are claimed again by another once the lease expires.
 * Outcomes are written in batches, one statement for all copies that finished since the last write.
 */
@WorkerRole
@Singleton
public class Worker implements ApplicationEventListener<ServerStartupEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  private final TaskQueue queue;
  private final ObjectReplicator replicator;
  private final RuleService rules;
  private final TrustRepository trusts;
  private final WorkerSettings settings;
  private final Clock clock;
  private final String owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
  private final Set<ReplicationTask> inFlight = ConcurrentHashMap.newKeySet();
  /** Destinations that answered SlowDown: no new copies to them from this worker until the time given. */
  private final Map<String, Instant> pausedUntil = new ConcurrentHashMap<>();
  private final BlockingQueue<TaskQueue.Finished> finished = new LinkedBlockingQueue<>();
  private ExecutorService copies;
  private ScheduledExecutorService control;
  private volatile boolean running;

  public Worker(TaskQueue queue, ObjectReplicator replicator, RuleService rules, TrustRepository trusts, WorkerSettings settings,
      Clock clock) {
    this.queue = queue;
    this.replicator = replicator;
    this.rules = rules;
    this.trusts = trusts;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public synchronized void onApplicationEvent(ServerStartupEvent event) {
    if (running) {
      return;
    }
    running = true;
    copies = Executors.newFixedThreadPool(settings.concurrency(), named("replication-copy"));
    control = Executors.newScheduledThreadPool(3, named("replication-control"));
    control.scheduleWithFixedDelay(this::claimSafely, 0, settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    control.scheduleWithFixedDelay(this::writeOutcomes, 50, 50, TimeUnit.MILLISECONDS);
    long renewEvery = Math.max(1, settings.lease().toMillis() / 3);
    control.scheduleWithFixedDelay(this::renewSafely, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
    LOG.info("Replication worker {} started with {} concurrent copies", owner, settings.concurrency());
  }

  /**
   * Claims as many tasks as there are free copy slots, until none are left. Live tasks come first, and batch tasks
   * never take the slots reserved for live ones, so a large backfill does not delay new writes.
   */
  private void claimSafely() {
    try {
      while (running) {
        Instant now = clock.instant();
        pausedUntil.values().removeIf(until -> until.isBefore(now));
        int free = settings.concurrency() - inFlight.size();
        List<ReplicationTask> claimed = new ArrayList<>(queue.claim(owner, free, settings.lease(), pausedUntil.keySet()));
        long batchInFlight = inFlight.stream().filter(ReplicationTask::batch).count();
        int batchFree = (int) Math.min(free - claimed.size(), settings.batchConcurrency() - batchInFlight);
        claimed.addAll(queue.claimBatch(owner, batchFree, settings.lease(), pausedUntil.keySet()));
        if (claimed.isEmpty()) {
          return;
        }
        for (ReplicationTask task : claimed) {
          inFlight.add(task);
          copies.submit(() -> process(task));
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Claiming replication tasks failed; trying again shortly: {}", e.getMessage());
    }
  }

  private void renewSafely() {
    try {
      queue.renew(owner, Set.copyOf(inFlight), settings.lease());
    } catch (RuntimeException e) {
      LOG.warn("Renewing leases failed; tasks may be taken over if this persists: {}", e.getMessage());
    }
  }

  private void process(ReplicationTask task) {
    TaskResult result;
    try {
      result = execute(task);
    } catch (RuntimeException e) {
      LOG.warn("Task {} failed unexpectedly; it will be retried: {}", task.id(), e.toString());
      result = TaskResult.retryLater(Backoff.delay(task.attempts()), "Unexpected error: " + e.getMessage());
    }
    if (result.throttled()) {
      pausedUntil.merge(task.destinationTrustId() + "/" + task.destinationBucket(), clock.instant().plus(result.retryAfter()),
          (a, b) -> a.isAfter(b) ? a : b);
    }
    finished.add(new TaskQueue.Finished(task, result));
  }

  /** Writes the outcomes gathered so far in one statement; they stay leased (and renewed) until written. */
  private void writeOutcomes() {
    List<TaskQueue.Finished> batch = new ArrayList<>();
    finished.drainTo(batch, 500);
    if (batch.isEmpty()) {
      return;
    }
    try {
      Set<UUID> written = queue.finishAll(owner, batch);
      for (TaskQueue.Finished done : batch) {
        if (!written.contains(done.task().id())) {
          LOG.info("Lost the lease of task {} before its outcome was written; another worker owns it now", done.task().id());
        }
        inFlight.remove(done.task());
      }
    } catch (RuntimeException e) {
      LOG.warn("Could not write {} task outcomes yet; trying again: {}", batch.size(), e.getMessage());
      finished.addAll(batch);
    }
  }

  private TaskResult execute(ReplicationTask task) {
    Optional<Rule> rule = rules.find(task.tenantId(), task.ruleId());
    if (rule.isEmpty()) {
      return TaskResult.skipped("NOT_IN_RULE");
    }
    Optional<Trust> source = trusts.findByTenantIdAndId(task.tenantId(), rule.get().source().trustId());
    Optional<Trust> destination = trusts.findByTenantIdAndId(task.tenantId(), task.destinationTrustId());
    if (source.isEmpty() || destination.isEmpty()) {
      return TaskResult.skipped("NOT_IN_RULE");
    }
    if (queue.newerVersionReplicated(task)) {
      // Found late (a lost event, then a scan): copying it now would make it the destination's latest version.
      return TaskResult.skipped("SUPERSEDED");
    }
    return replicator.replicate(task, rule.get(), source.get(), destination.get(),
        uploadId -> queue.recordUpload(task, owner, uploadId));
  }

  /** Stops claiming and lets running copies finish briefly; what does not finish is taken over after its lease. */
  @PreDestroy
  public synchronized void stop() {
    running = false;
    if (control != null) {
      control.shutdownNow();
      copies.shutdown();
      try {
        if (!copies.awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
          copies.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        copies.shutdownNow();
      }
      writeOutcomes();
    }
  }

  private static java.util.concurrent.ThreadFactory named(String prefix) {
    java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
