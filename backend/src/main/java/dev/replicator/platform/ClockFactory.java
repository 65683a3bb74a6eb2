package dev.replicator.platform;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;

@Factory
public class ClockFactory {

  /**
   * Ticks in microseconds, PostgreSQL's timestamp precision, so a time the API returns equals the
   * one it stores.
   */
  @Singleton
  Clock clock() {
    return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1000));
  }
}
