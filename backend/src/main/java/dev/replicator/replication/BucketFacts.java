package dev.replicator.replication;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/** A yes-or-no fact about buckets (keyed {@code trustId/bucket}), asked of the store at most once a minute per bucket. */
final class BucketFacts {

  private static final Duration VALID_FOR = Duration.ofMinutes(1);

  private record Known(boolean value, Instant validUntil) {}

  private final Clock clock;
  private final Map<String, Known> known = new ConcurrentHashMap<>();

  BucketFacts(Clock clock) {
    this.clock = clock;
  }

  /** The fact for the bucket: as last asked within the minute, else from {@code ask} (whose exceptions propagate). */
  boolean of(String bucketKey, BooleanSupplier ask) {
    Instant now = clock.instant();
    Known fact = known.get(bucketKey);
    if (fact != null && fact.validUntil().isAfter(now)) {
      return fact.value();
    }
    boolean value = ask.getAsBoolean();
    known.put(bucketKey, new Known(value, now.plus(VALID_FOR)));
    return value;
  }
}
