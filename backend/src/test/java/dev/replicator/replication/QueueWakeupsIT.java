package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Api;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.TestS3;
import dev.replicator.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * An idle worker learns of queued tasks from PostgreSQL's NOTIFY, not from its poll: with a poll
 * interval of ten minutes, a version announced by an event is still replicated within seconds.
 */
class QueueWakeupsIT {

  static TestServer server;
  static TestS3 s3;

  @BeforeAll
  static void start() {
    s3 = TestS3.get();
    Map<String, Object> config = new HashMap<>(TestServer.LOOPBACK_ALLOWED);
    config.put("replicator.worker.poll-interval", "10m");
    server = TestServer.start(config);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anEventIsCopiedAtOnceByAWorkerThatWouldPollOnlyInTenMinutes() {
    Fixtures fixtures = new Fixtures(server);
    String tenant = fixtures.tenant();
    Api admin = fixtures.as(fixtures.token(tenant, "ADMIN"));
    String trust =
        admin
            .post("/api/v1/tenants/" + tenant + "/trusts", s3.trustBody(Fixtures.unique("s3")))
            .json()
            .get("id")
            .asText();
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    JsonNode rule =
        admin
            .post(
                "/api/v1/tenants/" + tenant + "/rules",
                Map.of(
                    "name",
                    Fixtures.unique("events"),
                    "scanIntervalSeconds",
                    0,
                    "source",
                    Map.of("trustId", trust, "bucket", source),
                    "destinations",
                    List.of(Map.of("trustId", trust, "bucket", destination))))
            .json();
    Eventually.untilTheSecondAfter(Instant.parse(rule.get("liveSince").asText()));
    String version =
        s3.client()
            .putObject(b -> b.bucket(source).key("woken"), RequestBody.fromString("at once"))
            .versionId();

    Api.Response accepted =
        admin.post(
            "/api/v1/tenants/" + tenant + "/events",
            Map.of(
                "Records",
                List.of(
                    Map.of(
                        "eventVersion",
                        "2.1",
                        "eventSource",
                        "aws:s3",
                        "eventName",
                        "ObjectCreated:Put",
                        "eventTime",
                        Instant.now().toString(),
                        "s3",
                        Map.of(
                            "bucket",
                            Map.of("name", source),
                            "object",
                            Map.of("key", "woken", "versionId", version, "size", 7))))));

    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    Eventually.await(
        "the replica, long before the next poll",
        Duration.ofSeconds(30),
        () -> s3.keys(destination).contains("woken"),
        Eventually.tasksOf(server.database()));
    assertThat(s3.client().getObjectAsBytes(b -> b.bucket(destination).key("woken")).asUtf8String())
        .isEqualTo("at once");
  }
}
