package dev.replicator.platform.database;

import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's LISTEN/NOTIFY for this process, so that one process learns at once of what another
 * committed (tasks queued, a batch job created or ended) instead of at its next poll. A transaction
 * {@linkplain #send sends} on a channel, and once it commits every process's subscribers of that
 * channel are called, from one thread that holds a connection of its own outside the pool.
 *
 * <p>Notifications are a shortcut, never the only way work is found: a subscriber also polls. When
 * the connection breaks (a database restart), notifications sent meanwhile are lost, so it connects
 * again a second later and then calls every subscriber once.
 */
@Singleton
public class Notifications {

  private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
  private static final int WAIT_MILLIS = 250;

  private final String url;
  private final String username;
  private final String password;
  private final Map<String, List<Runnable>> subscribers = new ConcurrentHashMap<>();
  private volatile boolean running;
  private Thread thread;

  Notifications(
      @Value("${datasources.default.url}") String url,
      @Value("${datasources.default.username:}") String username,
      @Value("${datasources.default.password:}") String password) {
    this.url = url;
    this.username = username;
    this.password = password;
  }

  /**
   * Tells the subscribers of {@code channel} in every process, once the transaction of {@code
   * connection} commits (and not if it rolls back); several sends of one transaction arrive as one.
   */
  public static void send(Connection connection, String channel) throws SQLException {
    try (Statement notify = connection.createStatement()) {
      notify.execute("NOTIFY " + channel);
    }
  }

  /** {@link #send(Connection, String)} on the connection of the current transaction. */
  public static void send(Jdbi jdbi, String channel) {
    jdbi.useHandle(handle -> handle.execute("NOTIFY " + channel));
  }

  /**
   * Calls {@code wake} whenever a transaction that sent on {@code channel} has committed, and once
   * as soon as it listens (for what was sent before). It runs on the listening thread: it should
   * only hand the work on.
   */
  public synchronized void subscribe(String channel, Runnable wake) {
    if (!channel.matches("[a-z_]+")) {
      throw new IllegalArgumentException("not a channel name: " + channel);
    }
    subscribers.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(wake);
    if (!running) {
      running = true;
      thread = new Thread(this::listen, "database-notifications");
      thread.setDaemon(true);
      thread.start();
    }
  }

  private void listen() {
    boolean warned = false;
    while (running) {
      try (Connection connection = DriverManager.getConnection(url, username, password)) {
        PGConnection listening = connection.unwrap(PGConnection.class);
        Set<String> listened = new HashSet<>();
        warned = false;
        while (running) {
          listenToNewChannels(connection, listened);
          PGNotification[] notifications = listening.getNotifications(WAIT_MILLIS);
          if (notifications != null) {
            Set<String> woken = new HashSet<>();
            for (PGNotification notification : notifications) {
              if (woken.add(notification.getName())) {
                wake(notification.getName());
              }
            }
          }
        }
      } catch (SQLException e) {
        if (running && !warned) {
          LOG.info(
              "Not listening for database notifications ({}); polling meanwhile, and listening"
                  + " again shortly",
              e.getMessage());
          warned = true;
        }
        pause();
      }
    }
  }

  /** LISTENs on the channels subscribed since the last look, then wakes their subscribers once. */
  private void listenToNewChannels(Connection connection, Set<String> listened)
      throws SQLException {
    for (String channel : subscribers.keySet()) {
      if (!listened.contains(channel)) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + channel);
        }
        listened.add(channel);
        wake(channel);
      }
    }
  }

  private void wake(String channel) {
    for (Runnable wake : subscribers.getOrDefault(channel, List.of())) {
      try {
        wake.run();
      } catch (RuntimeException e) {
        LOG.warn("A subscriber of {} failed: {}", channel, e.getMessage());
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
