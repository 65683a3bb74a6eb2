package dev.replicator.platform;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a piece of work on a thread of its own every {@code interval}, and at once when {@linkplain
 * #wake woken}; never two runs at a time, and wake-ups that arrive during a run cause one more run
 * after it, so none is lost. Scheduled methods cannot be woken; this is for work that another
 * process's commit should start without waiting for the next tick.
 */
public final class Ticker {

  private static final Logger LOG = LoggerFactory.getLogger(Ticker.class);

  private final Semaphore woken = new Semaphore(0);
  private final Duration interval;
  private final Runnable work;
  private final Thread thread;
  private volatile boolean running = true;

  private Ticker(String name, Duration interval, Runnable work) {
    this.interval = interval;
    this.work = work;
    this.thread = new Thread(this::loop, name);
    this.thread.setDaemon(true);
  }

  /** Starts running {@code work} at once, then every {@code interval} and whenever woken. */
  public static Ticker start(String name, Duration interval, Runnable work) {
    Ticker ticker = new Ticker(name, interval, work);
    ticker.thread.start();
    return ticker;
  }

  public void wake() {
    woken.release();
  }

  /** Stops after the run in progress, if any. */
  public void stop() {
    running = false;
    thread.interrupt();
  }

  private void loop() {
    while (running) {
      try {
        work.run();
      } catch (RuntimeException e) {
        LOG.warn("{} failed; running again at the next tick: {}", thread.getName(), e.toString());
      }
      try {
        woken.tryAcquire(interval.toMillis(), TimeUnit.MILLISECONDS);
        woken.drainPermits();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
