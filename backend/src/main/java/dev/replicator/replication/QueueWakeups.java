package dev.replicator.replication;

import dev.replicator.platform.roles.WorkerRole;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the worker when tasks are queued anywhere (PostgreSQL LISTEN on {@link
 * TaskQueue#QUEUED_CHANNEL}, which the queue notifies when it commits new or requeued tasks), so
 * that new writes are claimed at once rather than at the next poll. It holds one connection of its
 * own, outside the pool; when that breaks (a database restart), it connects again a second later,
 * and the worker's polling covers the gap.
 */
@WorkerRole
@Singleton
class QueueWakeups {

  private static final Logger LOG = LoggerFactory.getLogger(QueueWakeups.class);
  private static final int WAIT_MILLIS = 1000;

  private final String url;
  private final String username;
  private final String password;
  private volatile boolean running;
  private Thread thread;

  QueueWakeups(
      @Value("${datasources.default.url}") String url,
      @Value("${datasources.default.username:}") String username,
      @Value("${datasources.default.password:}") String password) {
    this.url = url;
    this.username = username;
    this.password = password;
  }

  /**
   * Calls {@code wake} whenever tasks were queued, from a thread of its own, until {@link #stop}.
   */
  synchronized void start(Runnable wake) {
    if (running) {
      return;
    }
    running = true;
    thread = new Thread(() -> listen(wake), "replication-wakeups");
    thread.setDaemon(true);
    thread.start();
  }

  private void listen(Runnable wake) {
    boolean warned = false;
    while (running) {
      try (Connection connection = DriverManager.getConnection(url, username, password)) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + TaskQueue.QUEUED_CHANNEL);
        }
        warned = false;
        PGConnection listening = connection.unwrap(PGConnection.class);
        wake.run(); // whatever was queued while not listening
        while (running) {
          PGNotification[] notifications = listening.getNotifications(WAIT_MILLIS);
          if (notifications != null && notifications.length > 0) {
            wake.run();
          }
        }
      } catch (SQLException e) {
        if (running && !warned) {
          LOG.info(
              "Not listening for queued tasks ({}); polling meanwhile, and listening again shortly",
              e.getMessage());
          warned = true;
        }
        pause();
      }
    }
  }

  private void pause() {
    try {
      TimeUnit.SECONDS.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @PreDestroy
  synchronized void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
  }
}
