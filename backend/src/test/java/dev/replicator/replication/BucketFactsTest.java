package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replicator.testing.Eventually;
import dev.replicator.trust.BucketRef;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BucketFactsTest {

  private static final BucketRef BUCKET = new BucketRef(UUID.randomUUID(), "bucket");

  private final BucketFacts facts = new BucketFacts(Clock.systemUTC());

  /**
   * Copies that need a fact while it is asked wait for that answer: the store is asked once, not
   * once per copy.
   */
  @Test
  void copiesThatNeedAFactWhileItIsAskedShareTheAnswer() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    CountDownLatch answer = new CountDownLatch(1);
    List<Thread> waiting = new CopyOnWriteArrayList<>();
    ExecutorService copies =
        Executors.newFixedThreadPool(
            8,
            runnable -> {
              Thread thread = new Thread(runnable);
              waiting.add(thread);
              return thread;
            });
    try {
      List<Future<Boolean>> answers = new ArrayList<>();
      answers.add(
          copies.submit(
              () ->
                  facts.of(
                      BUCKET,
                      () -> {
                        asked.incrementAndGet();
                        await(answer);
                        return true;
                      })));
      Eventually.await(
          "the first ask", Duration.ofSeconds(30), () -> asked.get() == 1, asked::toString);
      for (int i = 1; i < 8; i++) {
        answers.add(
            copies.submit(
                () ->
                    facts.of(
                        BUCKET,
                        () -> {
                          asked.incrementAndGet();
                          await(answer);
                          return true;
                        })));
      }
      // every copy is parked: waiting for the answer, or (were the fact asked again) inside its own
      // ask
      Eventually.await(
          "every copy parked",
          Duration.ofSeconds(30),
          () ->
              waiting.size() == 8
                  && waiting.stream().allMatch(t -> t.getState() == Thread.State.WAITING),
          () -> waiting.stream().map(Thread::getState).toList().toString());
      answer.countDown();
      for (Future<Boolean> each : answers) {
        assertThat(each.get()).isTrue();
      }
      assertThat(asked).hasValue(1);
    } finally {
      copies.shutdownNow();
    }
  }

  /**
   * A failed ask is not remembered: the failure reaches the caller, and the next copy asks again.
   */
  @Test
  void aFailedAskIsAskedAgain() {
    assertThatThrownBy(
            () ->
                facts.of(
                    BUCKET,
                    () -> {
                      throw new IllegalStateException("unreachable");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("unreachable");
    assertThat(facts.of(BUCKET, () -> false)).isFalse();
    assertThat(facts.of(BUCKET, () -> true)).as("remembered for the minute").isFalse();
  }

  /**
   * A destination without versioning is fixed by the user, who then retries: its "no" is asked
   * again, its "yes" is remembered.
   */
  @Test
  void aFactRememberingOnlyYesAsksAgainAfterANo() {
    BucketFacts versioned = BucketFacts.rememberingOnlyYes(Clock.systemUTC());
    assertThat(versioned.of(BUCKET, () -> false)).isFalse();
    assertThat(versioned.of(BUCKET, () -> true)).as("asked again after the fix").isTrue();
    assertThat(versioned.of(BUCKET, () -> false)).as("remembered for the minute").isTrue();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
