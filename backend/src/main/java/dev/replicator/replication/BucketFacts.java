package dev.replicator.replication;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * A yes-or-no fact about buckets (keyed {@code trustId/bucket}), asked of the store at most once a
 * minute per bucket. Copies that need a fact while it is being asked wait for that answer rather
 * than asking too: a backfill's first copies all start at once, and would otherwise each ask.
 */
final class BucketFacts {

  private static final Duration VALID_FOR = Duration.ofMinutes(1);

  private record Known(boolean value, Instant validUntil) {}

  private final Clock clock;
  private final Map<String, Known> known = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Boolean>> asking = new ConcurrentHashMap<>();

  BucketFacts(Clock clock) {
    this.clock = clock;
  }

  /**
   * The fact for the bucket: as last asked within the minute, else from {@code ask} (whose
   * exceptions propagate).
   */
  boolean of(String bucketKey, BooleanSupplier ask) {
    Known fact = fresh(bucketKey);
    if (fact != null) {
      return fact.value();
    }
    CompletableFuture<Boolean> mine = new CompletableFuture<>();
    CompletableFuture<Boolean> running = asking.putIfAbsent(bucketKey, mine);
    if (running != null) {
      try {
        return running.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException failure ? failure : e;
      }
    }
    try {
      fact = fresh(bucketKey);
      boolean value = fact != null ? fact.value() : ask.getAsBoolean();
      known.put(bucketKey, new Known(value, clock.instant().plus(VALID_FOR)));
      mine.complete(value);
      return value;
    } catch (RuntimeException | Error e) {
      // whatever ends the ask, the copies waiting for it must not wait on
      mine.completeExceptionally(e);
      throw e;
    } finally {
      asking.remove(bucketKey, mine);
    }
  }

  private Known fresh(String bucketKey) {
    Known fact = known.get(bucketKey);
    return fact != null && fact.validUntil().isAfter(clock.instant()) ? fact : null;
  }
}
