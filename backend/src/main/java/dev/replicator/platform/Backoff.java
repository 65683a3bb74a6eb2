package dev.replicator.platform;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for transient failures: about 1 s, 2 s, 4 s … up to 5 minutes.
 */
public final class Backoff {

  private static final long BASE_MILLIS = 1000;
  private static final long CAP_MILLIS = Duration.ofMinutes(5).toMillis();

  private Backoff() {}

  public static Duration delay(int attempts) {
    long exponential = BASE_MILLIS << Math.min(Math.max(attempts - 1, 0), 20);
    long capped = Math.min(exponential, CAP_MILLIS);
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }
}
