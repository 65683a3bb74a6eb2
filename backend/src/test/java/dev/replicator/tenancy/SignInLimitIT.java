package dev.replicator.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replicator.testing.Api;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The documented sign-in limits (10 failures per email, 50 per client address, within 15 minutes)
 * hold when the attempts arrive all at once, at two API processes sharing one database: at most
 * that many passwords are checked.
 */
class SignInLimitIT {

  static final int IN_FLIGHT = 64;
  static final int ATTEMPTS = 100;

  static TestServer server;
  static TestServer second;
  static Fixtures fixtures;
  static String tenant;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    second = TestServer.start(server.database(), Map.of());
    fixtures = new Fixtures(server);
    tenant = fixtures.tenant();
  }

  @AfterAll
  static void stop() {
    second.close();
    server.close();
  }

  @BeforeEach
  void noEarlierFailures() {
    Sql.update(server.database(), "DELETE FROM login_failures");
  }

  @Test
  void concurrentWrongPasswordsForOneEmailAreEvaluatedAtMostTenTimesAndThenTheRightOneIsRefused()
      throws Exception {
    String email = Fixtures.unique("target") + "@example.com";
    fixtures.user(tenant, email, "ADMIN");

    Map<Integer, Long> statuses =
        storm(i -> login(i % 2 == 0 ? server : second, email, "wrong-password-" + i));

    assertThat(statuses)
        .as("401 = a password was checked, 429 = refused before")
        .containsOnlyKeys(401, 429);
    assertThat(statuses.get(401)).isEqualTo(10);
    Api.Response right = login(server, email, Fixtures.PASSWORD);
    assertThat(right.status()).as(right.body()).isEqualTo(429);
    assertThat(right.header("Retry-After")).isNotNull();
    assertThat(login(second, email, Fixtures.PASSWORD).status()).isEqualTo(429);
    String other = Fixtures.unique("bystander") + "@example.com";
    fixtures.user(tenant, other, "VIEWER");
    assertThat(login(second, other, Fixtures.PASSWORD).status())
        .as("other emails from the address still sign in")
        .isEqualTo(200);
  }

  @Test
  void concurrentWrongSignInsFromOneAddressAreEvaluatedAtMostFiftyTimesAndThenItIsRefused()
      throws Exception {
    String email = Fixtures.unique("user") + "@example.com";
    fixtures.user(tenant, email, "VIEWER");

    Map<Integer, Long> statuses =
        storm(
            i ->
                login(
                    i % 2 == 0 ? server : second,
                    Fixtures.unique("guess") + "@example.com",
                    "guess"));

    assertThat(statuses).containsOnlyKeys(401, 429);
    assertThat(statuses.get(401)).isEqualTo(50);
    assertThat(login(server, email, Fixtures.PASSWORD).status())
        .as("the address is locked, also for a right password")
        .isEqualTo(429);
  }

  @Test
  void rightSignInsAreNoFailuresSoMoreThanEitherLimitOfThemSucceed() {
    String email = Fixtures.unique("busy") + "@example.com";
    fixtures.user(tenant, email, "VIEWER");

    for (int i = 0; i < 60; i++) {
      Api.Response response = login(i % 2 == 0 ? server : second, email, Fixtures.PASSWORD);
      assertThat(response.status()).as("sign-in %d: %s", i, response.body()).isEqualTo(200);
    }
    assertThat(Sql.count(server.database(), "SELECT count(*) FROM login_failures")).isZero();
  }

  /**
   * {@value #ATTEMPTS} sign-ins, {@value #IN_FLIGHT} at a time, released together; how many got
   * which status.
   */
  static Map<Integer, Long> storm(IntFunction<Api.Response> attempt) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
    try {
      CountDownLatch ready = new CountDownLatch(IN_FLIGHT);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < ATTEMPTS; i++) {
        int n = i;
        answers.add(
            pool.submit(
                () -> {
                  if (n < IN_FLIGHT) {
                    ready.countDown();
                    go.await();
                  }
                  return attempt.apply(n).status();
                }));
      }
      ready.await();
      go.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> answer : answers) {
        statuses.add(answer.get());
      }
      return statuses.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
    } finally {
      pool.shutdownNow();
    }
  }

  static Api.Response login(TestServer target, String email, String password) {
    return target.api().post("/api/v1/auth/login", Map.of("email", email, "password", password));
  }
}
