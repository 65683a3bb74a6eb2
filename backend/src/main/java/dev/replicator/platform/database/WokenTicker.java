package dev.replicator.platform.database;

import dev.replicator.platform.Ticker;
import java.time.Duration;
import java.util.List;

/**
 * A {@link Ticker} that other transactions wake through PostgreSQL notifications: it runs its work
 * every {@code interval} and as soon as any of its channels is notified. The owner starts it when
 * the server has started and stops it with the bean; starting twice starts it once.
 */
public final class WokenTicker {

  private final String name;
  private final Duration interval;
  private final Runnable work;
  private final Notifications notifications;
  private final List<String> channels;
  private Ticker ticker;

  public WokenTicker(
      String name,
      Duration interval,
      Runnable work,
      Notifications notifications,
      String... channels) {
    this.name = name;
    this.interval = interval;
    this.work = work;
    this.notifications = notifications;
    this.channels = List.of(channels);
  }

  public synchronized void start() {
    if (ticker == null) {
      ticker = Ticker.start(name, interval, work);
      channels.forEach(channel -> notifications.subscribe(channel, ticker::wake));
    }
  }

  /** Stops after the run in progress, if any. */
  public synchronized void stop() {
    if (ticker != null) {
      ticker.stop();
    }
  }
}
