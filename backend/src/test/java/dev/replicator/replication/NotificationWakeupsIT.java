package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Api;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.S3Events;
import dev.replicator.testing.TestS3;
import dev.replicator.testing.TestServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Idle workers and schedulers learn of new work from PostgreSQL's NOTIFY, not from their polls:
 * with a worker poll and a batch tick of ten minutes, a version announced by an event is still
 * replicated within seconds, and a batch job is prepared as it is created and ends with its last
 * outcome.
 */
class NotificationWakeupsIT {

  static TestServer server;
  static TestS3 s3;

  @BeforeAll
  static void start() {
    s3 = TestS3.get();
    Map<String, Object> config = new HashMap<>(TestServer.LOOPBACK_ALLOWED);
    config.put("replicator.worker.poll-interval", "10m");
    config.put("replicator.batch.tick", "10m");
    server = TestServer.start(config);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A tenant's admin and a rule from {@code source} to {@code destination} that never scans. */
  private static Fixtures.TenantRule setUp(String source, String destination) {
    return new Fixtures(server)
        .tenantRule(
            s3.trustBody(Fixtures.unique("s3")), Fixtures.unique("woken"), 0, source, destination);
  }

  @Test
  void anEventIsCopiedAtOnceByAWorkerThatWouldPollOnlyInTenMinutes() {
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    Fixtures.TenantRule setup = setUp(source, destination);
    String tenant = setup.tenant();
    Api admin = setup.admin();
    Fixtures.untilLive(setup.rule());
    String version =
        s3.client()
            .putObject(b -> b.bucket(source).key("woken"), RequestBody.fromString("at once"))
            .versionId();

    Api.Response accepted =
        admin.post(
            "/api/v1/tenants/" + tenant + "/events",
            S3Events.createdNow(source, "woken", version, 7));

    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    Eventually.await(
        "the replica, long before the next poll",
        Duration.ofSeconds(30),
        () -> s3.keys(destination).contains("woken"),
        Eventually.tasksOf(server.database()));
    assertThat(s3.client().getObjectAsBytes(b -> b.bucket(destination).key("woken")).asUtf8String())
        .isEqualTo("at once");
  }

  @Test
  void aBatchJobIsPreparedAsItIsCreatedAndCompletedWithItsLastOutcome() {
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    for (String key : List.of("one", "two", "three")) {
      s3.client().putObject(b -> b.bucket(source).key(key), RequestBody.fromString(key));
    }
    Fixtures.TenantRule setup = setUp(source, destination);

    JsonNode job =
        setup
            .admin()
            .post(
                "/api/v1/tenants/" + setup.tenant() + "/batch-jobs",
                Map.of(
                    "ruleId",
                    setup.rule().get("id").asText(),
                    "filter",
                    Map.of("replicationStatuses", List.of("NONE"))))
            .json();

    String path = "/api/v1/tenants/" + setup.tenant() + "/batch-jobs/" + job.get("id").asText();
    Eventually.await(
        "the job COMPLETED, long before the next tick",
        Duration.ofSeconds(30),
        () -> setup.admin().get(path).json().get("status").asText().equals("COMPLETED"),
        Eventually.tasksOf(server.database()));
    JsonNode done = setup.admin().get(path).json();
    assertThat(done.get("succeeded").asInt()).as(done.toString()).isEqualTo(3);
    for (String key : List.of("one", "two", "three")) {
      assertThat(s3.client().getObjectAsBytes(b -> b.bucket(destination).key(key)).asUtf8String())
          .isEqualTo(key);
    }
  }
}
