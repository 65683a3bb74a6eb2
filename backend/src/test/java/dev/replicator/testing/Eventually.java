package dev.replicator.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting in tests for what happens asynchronously (replication), with what was seen when it did
 * not happen.
 */
public final class Eventually {

  private Eventually() {}

  public static void await(
      String what, Duration timeout, BooleanSupplier condition, Supplier<String> diagnostics) {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(
            "Timed out after " + timeout + " waiting for " + what + "; " + diagnostics.get());
      }
      sleep(Duration.ofMillis(50));
    }
  }

  /** The replication tasks of a test database, one line each, for failure messages. */
  public static Supplier<String> tasksOf(TestPostgres.Database database) {
    return () ->
        "tasks: "
            + Sql.text(
                database,
                "SELECT string_agg(source_key || ':' || state || ':' || attempts || ':' "
                    + "|| coalesce(failure_reason, '') || ':' || coalesce(last_error, ''), ' | ') FROM replication_tasks");
  }

  /**
   * Versions count as live from the second a rule was created on (listings give Last-Modified to
   * the second), so a test writes its objects from the next second on.
   */
  public static void untilTheSecondAfter(Instant liveSince) {
    Instant next = liveSince.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    Duration wait = Duration.between(Instant.now(), next);
    if (!wait.isNegative()) {
      sleep(wait.plusMillis(10));
    }
  }

  public static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
