package dev.replicator.replication;

import dev.replicator.platform.Backoff;
import dev.replicator.platform.database.Notifications;
import dev.replicator.platform.roles.WorkerRole;
import dev.replicator.trust.BucketRef;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims replication tasks and copies them, {@code concurrency} keys at a time. It claims tasks
 * ahead of its free slots (as many as it has slots), so that a slot freed by a finished copy starts
 * the next one at once and claims are made in batches of about three quarters of the slots rather
 * than one or two per copy (each claim statement has a fixed cost besides its cost per task: its
 * planning alone took 2.5 ms). A claim takes a few milliseconds, so the quarter left lasts until it
 * returns. Leases are renewed while tasks are held, started or not; a copy whose lease is lost
 * (taken over, or not renewable in time) stops and writes nothing. A worker that dies simply stops
 * renewing, and its tasks are claimed again by another once the lease expires. Outcomes are written
 * in batches, one statement for all copies that finished since the last write.
 */
@WorkerRole
@Singleton
public class Worker implements ApplicationEventListener<ServerStartupEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  /**
   * How soon after a claim a worker whose held tasks suffice claims again for a slot only live
   * tasks may take, when tasks were queued meanwhile.
   */
  private static final Duration LIVE_CLAIM_INTERVAL = Duration.ofMillis(50);

  private final TaskQueue queue;
  private final KeyReplication keys;
  private final WorkerSettings settings;
  private final Notifications notifications;
  private final Clock clock;
  private final String owner =
      ManagementFactory.getRuntimeMXBean().getName()
          + "/"
          + UUID.randomUUID().toString().substring(0, 8);

  /** The tasks this worker holds, claimed or taken with their key, and their leases. */
  private final Map<ReplicationTask, Lease> inFlight = new ConcurrentHashMap<>();

  /** Copy slots in use: one per claimed key, however many of its versions it copies. */
  private final AtomicInteger busySlots = new AtomicInteger();

  private final AtomicInteger busyBatchSlots = new AtomicInteger();

  /**
   * Destinations that answered SlowDown: no new copies to them from this worker until the time
   * given.
   */
  private final Map<BucketRef, Instant> pausedUntil = new ConcurrentHashMap<>();

  private final BlockingQueue<TaskQueue.Finished> finished = new LinkedBlockingQueue<>();

  /**
   * Set when tasks were queued (the queue's notification): a free live slot is worth a claim then,
   * and otherwise only once a {@code pollInterval} (for retries that came due and expired leases).
   */
  private final AtomicBoolean queuedSinceClaim = new AtomicBoolean(true);

  /** Released when a copy ends, to start or claim for its slot at once. */
  private final Semaphore slotFreed = new Semaphore(0);

  /**
   * Tasks claimed ahead of free slots, held (leased) but not started yet: live ones, and batch
   * ones.
   */
  private final Deque<ReplicationTask> readyLive = new ConcurrentLinkedDeque<>();

  private final Deque<ReplicationTask> readyBatch = new ConcurrentLinkedDeque<>();
  private ExecutorService copies;
  private ScheduledExecutorService control;
  private volatile boolean running;

  public Worker(
      TaskQueue queue,
      KeyReplication keys,
      WorkerSettings settings,
      Notifications notifications,
      Clock clock) {
    this.queue = queue;
    this.keys = keys;
    this.settings = settings;
    this.notifications = notifications;
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
    control.execute(this::claimLoop);
    notifications.subscribe(
        TaskQueue.QUEUED_CHANNEL,
        () -> {
          queuedSinceClaim.set(true);
          slotFreed.release();
        });
    control.scheduleWithFixedDelay(this::writeOutcomes, 50, 50, TimeUnit.MILLISECONDS);
    long renewEvery = Math.max(1, settings.lease().toMillis() / 3);
    control.scheduleWithFixedDelay(
        this::renewSafely, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
    LOG.info(
        "Replication worker {} started with {} concurrent copies", owner, settings.concurrency());
  }

  /**
   * Starts held tasks whenever a copy slot is free. Claims when at most a quarter of the tasks
   * claimed ahead are left, and for a slot that only a live task may take: when tasks were queued
   * (the queue's notification; at most every {@link #LIVE_CLAIM_INTERVAL}) and otherwise every
   * {@code pollInterval} (for retries that came due and expired leases). A backfill that keeps the
   * batch slots busy thus claims in batches as its copies end, not every 50 ms for the live slots.
   */
  private void claimLoop() {
    long lastClaim = System.nanoTime() - settings.pollInterval().toNanos();
    while (running) {
      startReady();
      boolean runningLow = readyLive.size() + readyBatch.size() <= ahead() / 4;
      boolean liveSlotFree = readyLive.isEmpty() && busySlots.get() < settings.concurrency();
      long sinceClaim = System.nanoTime() - lastClaim;
      long liveDue =
          (queuedSinceClaim.get() ? LIVE_CLAIM_INTERVAL : settings.pollInterval()).toNanos();
      boolean tooSoon = sinceClaim < liveDue;
      int claimed = 0;
      if (runningLow || (liveSlotFree && !tooSoon)) {
        queuedSinceClaim.set(false);
        claimed = claimSafely();
        lastClaim = System.nanoTime();
        tooSoon = false;
      }
      startReady();
      if (claimed > 0
          && busySlots.get() + readyLive.size() + readyBatch.size()
              < settings.concurrency() + ahead()) {
        continue;
      }
      // woken too soon to look for live tasks again: look once it is due, not only at the next
      // wake-up
      long wait =
          liveSlotFree && tooSoon
              ? Math.max(1, (liveDue - sinceClaim) / 1_000_000)
              : settings.pollInterval().toMillis();
      try {
        slotFreed.tryAcquire(wait, TimeUnit.MILLISECONDS);
        slotFreed.drainPermits();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** How many tasks this worker holds beyond its copy slots. */
  private int ahead() {
    return settings.concurrency();
  }

  /**
   * Starts held tasks in the free copy slots, live ones first; batch tasks never take the slots
   * reserved for live ones, so a large backfill does not delay new writes. A held task whose
   * destination asked to slow down meanwhile goes back to the queue until then.
   */
  private void startReady() {
    Instant now = clock.instant();
    while (busySlots.get() < settings.concurrency()) {
      ReplicationTask task = readyLive.poll();
      if (task == null && busyBatchSlots.get() < settings.batchConcurrency()) {
        task = readyBatch.poll();
      }
      if (task == null) {
        return;
      }
      Instant paused = pausedUntil.get(task.destination());
      if (paused != null && paused.isAfter(now)) {
        finished.add(
            new TaskQueue.Finished(task, TaskResult.deferred(Duration.between(now, paused))));
        continue;
      }
      busySlots.incrementAndGet();
      if (task.batch()) {
        busyBatchSlots.incrementAndGet();
      }
      ReplicationTask started = task;
      copies.submit(() -> process(started));
    }
  }

  /**
   * Claims enough tasks to fill the free copy slots and hold {@link #ahead} more; returns how many.
   * Live tasks come first, and batch tasks up to the batch slots plus as many ahead.
   */
  private int claimSafely() {
    try {
      Instant now = clock.instant();
      pausedUntil.values().removeIf(until -> until.isBefore(now));
      int held = busySlots.get() + readyLive.size() + readyBatch.size();
      int batchHeld = busyBatchSlots.get() + readyBatch.size();
      List<ReplicationTask> claimed =
          queue.claim(
              owner,
              settings.concurrency() + ahead() - held,
              settings.batchConcurrency() + ahead() - batchHeld,
              settings.lease(),
              pausedUntil.keySet());
      for (ReplicationTask task : claimed) {
        hold(task);
        (task.batch() ? readyBatch : readyLive).add(task);
      }
      return claimed.size();
    } catch (RuntimeException e) {
      LOG.warn("Claiming replication tasks failed; trying again shortly: {}", e.getMessage());
      return 0;
    }
  }

  private Lease hold(ReplicationTask task) {
    Lease lease =
        new Lease(clock, clock.instant(), settings.lease(), settings.lease().dividedBy(4));
    inFlight.put(task, lease);
    return lease;
  }

  /** Renews every lease held; a task the queue no longer gives this worker stops copying. */
  private void renewSafely() {
    try {
      Instant at = clock.instant();
      Set<ReplicationTask> tasks = Set.copyOf(inFlight.keySet());
      Set<UUID> held = queue.renew(owner, tasks, settings.lease());
      for (ReplicationTask task : tasks) {
        Lease lease = inFlight.get(task);
        if (lease == null) {
          continue;
        }
        if (held.contains(task.id())) {
          lease.renewed(at, settings.lease());
        } else if (!finishedButNotWritten(task) && lease.held()) {
          LOG.info(
              "Task {} ({}) is no longer this worker's; its copy stops",
              task.id(),
              task.sourceKey());
          lease.lose();
        }
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "Renewing leases failed; copies stop if this lasts until their leases run out: {}",
          e.getMessage());
    }
  }

  private boolean finishedButNotWritten(ReplicationTask task) {
    return finished.stream().anyMatch(done -> done.task().equals(task));
  }

  /** Copies the claimed task and the other versions of its key queued at its destination. */
  private void process(ReplicationTask claimed) {
    List<ReplicationTask> key = new CopyOnWriteArrayList<>(List.of(claimed));
    KeyReplication.Hold hold =
        new KeyReplication.Hold() {
          @Override
          public String owner() {
            return owner;
          }

          @Override
          public Lease lease(ReplicationTask task) {
            return inFlight.get(task);
          }

          @Override
          public List<ReplicationTask> adoptRest(ReplicationTask task) {
            List<ReplicationTask> adopted = queue.adoptKey(owner, task, settings.lease());
            for (ReplicationTask each : adopted) {
              hold(each);
              key.add(each);
            }
            return adopted;
          }
        };
    try {
      if (claimed.keyHasOtherVersions()) {
        hold.adoptRest(claimed);
      }
      List<TaskQueue.Finished> results = keys.copy(List.copyOf(key), hold);
      for (TaskQueue.Finished done : results) {
        if (done.result().throttled()) {
          pausedUntil.merge(
              done.task().destination(),
              clock.instant().plus(done.result().retryAfter()),
              (a, b) -> a.isAfter(b) ? a : b);
        }
      }
      finished.addAll(results);
      key.removeAll(results.stream().map(TaskQueue.Finished::task).toList());
      key.forEach(inFlight::remove);
    } catch (RuntimeException e) {
      LOG.warn(
          "Copying {} failed unexpectedly; it will be retried: {}",
          claimed.sourceKey(),
          e.toString());
      for (ReplicationTask task : key) {
        finished.add(
            new TaskQueue.Finished(
                task,
                TaskResult.retryLater(
                    Backoff.delay(task.attempts()), "Unexpected error: " + e.getMessage())));
      }
    } finally {
      busySlots.decrementAndGet();
      if (claimed.batch()) {
        busyBatchSlots.decrementAndGet();
      }
      slotFreed.release();
    }
  }

  /**
   * Writes the outcomes gathered so far in one statement; they stay leased (and renewed) until
   * written.
   */
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
          LOG.info(
              "Lost the lease of task {} before its outcome was written; another worker owns it now",
              done.task().id());
        }
        inFlight.remove(done.task());
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "Could not write {} task outcomes yet; trying again: {}", batch.size(), e.getMessage());
      finished.addAll(batch);
    }
  }

  /**
   * Stops claiming and lets running copies finish briefly; what does not finish is taken over after
   * its lease.
   */
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
      // tasks held but not started go back to the queue untried, rather than waiting for their
      // leases to run out
      for (Deque<ReplicationTask> ready : List.of(readyLive, readyBatch)) {
        for (ReplicationTask task = ready.poll(); task != null; task = ready.poll()) {
          finished.add(new TaskQueue.Finished(task, TaskResult.deferred(Duration.ZERO)));
        }
      }
      writeOutcomes();
    }
  }

  /** Daemon threads named {@code prefix-N} for thread dumps. */
  static ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
