package dev.replicator.replication;

import dev.replicator.trust.BucketRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * A yes-or-no fact about buckets, asked of the store at most once a minute per bucket. Copies that
 * need a fact while it is being asked wait for that answer rather than asking too: a backfill's
 * first copies all start at once, and would otherwise each ask. A fact whose "no" a user is told to
 * fix (a destination without versioning) remembers only "yes" ({@link #rememberingOnlyYes}), so the
 * copies retried after the fix ask again.
 */
final class BucketFacts {

  private static final Duration VALID_FOR = Duration.ofMinutes(1);

  private record Known(boolean value, Instant validUntil) {}

  private final Clock clock;
  private final boolean remembersNo;
  private final Map<BucketRef, Known> known = new ConcurrentHashMap<>();
  private final Map<BucketRef, CompletableFuture<Boolean>> asking = new ConcurrentHashMap<>();

  BucketFacts(Clock clock) {
    this(clock, true);
  }

  private BucketFacts(Clock clock, boolean remembersNo) {
    this.clock = clock;
    this.remembersNo = remembersNo;
  }

  static BucketFacts rememberingOnlyYes(Clock clock) {
    return new BucketFacts(clock, false);
  }

  /**
   * The fact for the bucket: as last asked within the minute, else from {@code ask} (whose
   * exceptions propagate).
   */
  boolean of(BucketRef bucket, BooleanSupplier ask) {
    Known fact = fresh(bucket);
    if (fact != null) {
      return fact.value();
    }
    CompletableFuture<Boolean> mine = new CompletableFuture<>();
    CompletableFuture<Boolean> running = asking.putIfAbsent(bucket, mine);
    if (running != null) {
      try {
        return running.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException failure ? failure : e;
      }
    }
    try {
      fact = fresh(bucket);
      boolean value = fact != null ? fact.value() : ask.getAsBoolean();
      if (value || remembersNo) {
        known.put(bucket, new Known(value, clock.instant().plus(VALID_FOR)));
      } else {
        known.remove(bucket);
      }
      mine.complete(value);
      return value;
    } catch (RuntimeException | Error e) {
      // whatever ends the ask, the copies waiting for it must not wait on
      mine.completeExceptionally(e);
      throw e;
    } finally {
      asking.remove(bucket, mine);
    }
  }

  private Known fresh(BucketRef bucket) {
    Known fact = known.get(bucket);
    return fact != null && fact.validUntil().isAfter(clock.instant()) ? fact : null;
  }
}
