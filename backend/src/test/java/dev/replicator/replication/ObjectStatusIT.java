package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Api;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestS3;
import dev.replicator.testing.TestServer;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Object status, the failure drilldown, and FAILED → fix → retry. */
class ObjectStatusIT {

  static TestServer server;
  static TestS3 s3;
  static S3Client client;
  static String tenant;
  static Api admin;
  static String trust;

  @BeforeAll
  static void start() {
    s3 = TestS3.get();
    client = s3.client();
    Map<String, Object> config = new HashMap<>(TestServer.LOOPBACK_ALLOWED);
    config.put("replicator.scan.tick", "200ms");
    config.put("replicator.worker.poll-interval", "100ms");
    config.put("replicator.metrics.refresh", "200ms");
    config.put("replicator.metrics.pending-sample-tick", "200ms");
    server = TestServer.start(config);
    Fixtures fixtures = new Fixtures(server);
    tenant = fixtures.tenant();
    admin = fixtures.as(fixtures.token(tenant, "ADMIN"));
    trust = Fixtures.trust(admin, tenant, s3.trustBody("s3"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A rule of the tenant, named after {@code name}, that never scans. */
  static JsonNode unscannedRule(String name, String source, String destination) {
    return Fixtures.rule(
        admin,
        tenant,
        Fixtures.ruleBody(
            Fixtures.unique(name), 0, trust, source, Fixtures.destination(trust, destination)));
  }

  @Test
  void failedObjectsAreListedWithTheirReasonAndReplicatedAfterTheFixAndARetry() {
    String source = s3.bucket(true);
    String healthy = s3.bucket(true);
    String unversioned = s3.bucket(false);
    JsonNode rule =
        Fixtures.liveRule(
            admin,
            tenant,
            Fixtures.ruleBody(
                "drilldown",
                30,
                trust,
                source,
                Fixtures.destination(trust, healthy),
                Fixtures.destination(trust, unversioned)));
    String objects = "/api/v1/tenants/" + tenant + "/rules/" + rule.get("id").asText() + "/objects";
    String ruleMetrics =
        "/api/v1/tenants/" + tenant + "/rules/" + rule.get("id").asText() + "/metrics";
    for (String key : List.of("a/1", "a/2", "b/1")) {
      client.putObject(b -> b.bucket(source).key(key), RequestBody.fromString(key));
    }
    Sql.update(
        server.database(), "UPDATE rule_scans SET next_scan_at = now() - interval '1 second'");
    Eventually.await(
        "all outcomes",
        Duration.ofSeconds(30),
        () -> {
          JsonNode counts = admin.get(objects + "/summary").json().get("byStatus");
          return counts.get("COMPLETED").asInt() + counts.get("FAILED").asInt() == 6;
        },
        Eventually.tasksOf(server.database()));

    JsonNode metrics = admin.get(ruleMetrics).json();
    JsonNode good = metrics.get("destinations").get(0);
    JsonNode bad = metrics.get("destinations").get(1);
    assertThat(good.get("bucket").asText()).isEqualTo(healthy);
    assertThat(good.get("operationsReplicated").asInt()).isEqualTo(3);
    assertThat(good.get("bytesReplicated").asLong()).isEqualTo(9);
    assertThat(good.get("operationsPending").asInt()).isZero();
    assertThat(good.get("latencyP50Seconds").asDouble()).isPositive();
    assertThat(good.get("series")).isNotEmpty();
    assertThat(bad.get("operationsFailed").asInt()).isEqualTo(3);
    assertThat(bad.get("operationsReplicated").asInt()).isZero();
    JsonNode health = healthOf(rule.get("id").asText());
    assertThat(health.get("state").asText())
        .as("the worst of its destinations")
        .isEqualTo("FAILING");
    assertThat(health.at("/destinations/0/state").asText()).isEqualTo("HEALTHY");
    assertThat(health.at("/destinations/1/state").asText()).isEqualTo("FAILING");
    assertThat(health.at("/destinations/1/operationsFailed").asInt()).isEqualTo(3);
    int replicatedInTheHour = 0;
    for (JsonNode minute : health.at("/destinations/0/throughput")) {
      replicatedInTheHour += minute.get("operationsReplicated").asInt();
    }
    assertThat(replicatedInTheHour).isEqualTo(3);
    assertThat(health.at("/destinations/0/throughput").size())
        .as("every minute of the hour")
        .isBetween(60, 61);
    String ruleLabel = "rule=\"" + rule.get("id").asText() + "\"";
    Eventually.await(
        "the Prometheus series",
        Duration.ofSeconds(10),
        () ->
            server
                .api()
                .get("/prometheus")
                .body()
                .lines()
                .anyMatch(
                    line ->
                        line.startsWith("replicator_replication_operations_replicated{")
                            && line.contains(ruleLabel)
                            && line.contains("destination=\"" + healthy + "\"")
                            && line.endsWith(" 3.0")),
        () -> "");
    assertThat(
            server
                .api()
                .get("/prometheus")
                .body()
                .lines()
                .filter(
                    line ->
                        line.startsWith("replicator_replication_operations_failed{")
                            && line.contains(ruleLabel))
                .toList())
        .anySatisfy(
            line ->
                assertThat(line).contains("destination=\"" + unversioned + "\"").endsWith(" 3.0"));
    server.restart();
    String metricsOfThatRange =
        ruleMetrics + "?from=" + metrics.get("from").asText() + "&to=" + metrics.get("to").asText();
    JsonNode afterRestart = admin.get(metricsOfThatRange).json();
    assertThat(afterRestart.get("destinations").get(0).get("operationsReplicated").asInt())
        .as("durable")
        .isEqualTo(3);
    assertThat(afterRestart.get("destinations").get(1).get("operationsFailed").asInt())
        .isEqualTo(3);

    JsonNode summary = admin.get(objects + "/summary").json();
    assertThat(summary.get("byStatus").get("COMPLETED").asInt()).isEqualTo(3);
    assertThat(summary.get("byStatus").get("FAILED").asInt()).isEqualTo(3);
    assertThat(summary.get("byFailureReason").get("DstBucketUnversioned").asInt()).isEqualTo(3);

    JsonNode failed = admin.get(objects + "?status=FAILED&prefix=a/").json().get("items");
    assertThat(failed).hasSize(2);
    assertThat(failed.get(0).get("destinationBucket").asText()).isEqualTo(unversioned);
    assertThat(failed.get(0).get("failureReason").asText()).isEqualTo("DstBucketUnversioned");
    assertThat(failed.get(0).get("lastError").asText()).contains("enable it");
    JsonNode completed =
        admin.get(objects + "?status=COMPLETED&destination=" + healthy + "&limit=2").json();
    assertThat(completed.get("items")).hasSize(2);
    assertThat(completed.get("items").get(0).get("destinationVersionId").asText()).isNotBlank();
    assertThat(completed.get("items").get(0).get("replicatedAt").isNull()).isFalse();
    assertThat(
            admin
                .get(
                    objects
                        + "?status=COMPLETED&destination="
                        + healthy
                        + "&limit=2&cursor="
                        + completed.get("nextCursor").asText())
                .json()
                .get("items"))
        .hasSize(1);

    client.putBucketVersioning(
        b -> b.bucket(unversioned).versioningConfiguration(v -> v.status("Enabled")));
    Api operator = new Fixtures(server).as(new Fixtures(server).token(tenant, "OPERATOR"));
    Api.Response one = operator.post(objects + "/retry", Map.of("keys", List.of("b/1")));
    assertThat(one.json().get("queued").asInt()).isEqualTo(1);
    Api.Response retried =
        operator.post(objects + "/retry", Map.of("failureReason", "DstBucketUnversioned"));

    assertThat(retried.status()).isEqualTo(202);
    assertThat(retried.json().get("queued").asInt()).as("the rest: a/1 and a/2").isEqualTo(2);
    Eventually.await(
        "the retried objects",
        Duration.ofSeconds(60),
        () -> admin.get(objects + "/summary").json().get("byStatus").get("COMPLETED").asInt() == 6,
        Eventually.tasksOf(server.database()));
    assertThat(s3.keys(unversioned)).containsExactlyInAnyOrder("a/1", "a/2", "b/1");
    assertThat(admin.get("/api/v1/tenants/" + tenant + "/audit").body()).contains("objects.retry");

    // The failures happened before the retry, and stay there in the metrics (issue 13: a retry
    // once made them vanish, and a second failure showed them all in the retry's minute).
    JsonNode afterRetry = admin.get(metricsOfThatRange).json().get("destinations").get(1);
    assertThat(afterRetry.get("operationsFailed").asInt())
        .as("failures before the retry")
        .isEqualTo(3);
    int inSeries = 0;
    for (JsonNode point : afterRetry.get("series")) {
      inSeries += point.get("operationsFailed").asInt();
    }
    assertThat(inSeries).as("failures in the series of that range").isEqualTo(3);
    JsonNode lastHour = admin.get(ruleMetrics).json().get("destinations").get(1);
    assertThat(lastHour.get("operationsFailed").asInt())
        .as("each failure counted once")
        .isEqualTo(3);
    assertThat(lastHour.get("operationsReplicated").asInt()).isEqualTo(3);
  }

  @Test
  void aVersionBackingOffAfterTransientErrorsIsPendingWithItsAttemptsLastErrorAndNextAttempt()
      throws Exception {
    String source = s3.bucket(true);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String unreachableTrust =
        Fixtures.trust(
            admin,
            tenant,
            s3.trustBody(Fixtures.unique("unreachable"), "http://127.0.0.1:" + closedPort));
    JsonNode rule =
        Fixtures.liveRule(
            admin,
            tenant,
            Fixtures.ruleBody(
                Fixtures.unique("stuck"),
                30,
                trust,
                source,
                Fixtures.destination(trust, s3.bucket(true)),
                Fixtures.destination(unreachableTrust, "replicas")));
    String objects = "/api/v1/tenants/" + tenant + "/rules/" + rule.get("id").asText() + "/objects";
    client.putObject(b -> b.bucket(source).key("stuck/1"), RequestBody.fromString("stuck"));
    Sql.update(
        server.database(), "UPDATE rule_scans SET next_scan_at = now() - interval '1 second'");

    String pendingOnes = objects + "?status=PENDING&destination=replicas&prefix=stuck/";
    Eventually.await(
        "a second attempt, backing off",
        Duration.ofSeconds(30),
        () -> {
          JsonNode items = admin.get(pendingOnes).json().get("items");
          return items.size() == 1
              && items.get(0).get("attempts").asInt() >= 2
              && !items.get(0).get("nextAttemptAt").isNull();
        },
        Eventually.tasksOf(server.database()));

    JsonNode pending = admin.get(pendingOnes).json().get("items").get(0);
    assertThat(pending.get("key").asText()).isEqualTo("stuck/1");
    assertThat(pending.get("status").asText()).isEqualTo("PENDING");
    assertThat(pending.get("failureReason").isNull()).isTrue();
    assertThat(pending.get("lastError").asText()).contains("refused the connection");
    assertThat(Instant.parse(pending.get("nextAttemptAt").asText()))
        .isAfter(Instant.parse(pending.get("sourceLastModified").asText()));
    Eventually.await(
        "the replica at the reachable destination",
        Duration.ofSeconds(30),
        () -> admin.get(objects + "?status=COMPLETED").json().get("items").size() == 1,
        Eventually.tasksOf(server.database()));
    JsonNode completed = admin.get(objects + "?status=COMPLETED").json().get("items").get(0);
    assertThat(completed.get("nextAttemptAt").isNull())
        .as("only for a version waiting in the queue")
        .isTrue();
    Eventually.await(
        "the overview showing the stuck destination FAILING, from its third failed attempt",
        Duration.ofSeconds(60),
        () ->
            healthOf(rule.get("id").asText()).at("/destinations/1/operationsRetrying").asInt() == 1,
        Eventually.tasksOf(server.database()));
    JsonNode health = healthOf(rule.get("id").asText());
    assertThat(health.get("state").asText()).isEqualTo("FAILING");
    assertThat(health.at("/destinations/0/state").asText()).isEqualTo("HEALTHY");
    assertThat(health.at("/destinations/1/state").asText()).isEqualTo("FAILING");
    assertThat(health.at("/destinations/1/operationsPending").asInt()).isEqualTo(1);
    assertThat(health.at("/destinations/1/operationsFailed").asInt())
        .as("retrying, not failed")
        .isZero();
    assertThat(health.at("/destinations/1/replicationLatencySeconds").asDouble()).isPositive();

    String metrics = "/api/v1/tenants/" + tenant + "/rules/" + rule.get("id").asText() + "/metrics";
    Eventually.await(
        "the stuck version in the pending history",
        Duration.ofSeconds(30),
        () -> admin.get(metrics).json().at("/destinations/1/pendingSeries").size() > 0,
        () -> admin.get(metrics).body());
    JsonNode latest = last(admin.get(metrics).json().at("/destinations/1/pendingSeries"));
    assertThat(latest.get("operationsPending").asInt()).isEqualTo(1);
    assertThat(latest.get("bytesPending").asInt()).isEqualTo("stuck".length());
    assertThat(Instant.parse(latest.get("at").asText()))
        .isAfter(Instant.now().minus(Duration.ofMinutes(2)));

    // a retry of the key tries the version again at once rather than after its backoff
    // (a worker may hold the version just then: once it is pending again, it waits an hour)
    Eventually.await(
        "the version waiting an hour for its next attempt",
        Duration.ofSeconds(30),
        () ->
            Sql.update(
                    server.database(),
                    "UPDATE replication_tasks SET not_before = now() + interval '1 hour'"
                        + " WHERE state = 'PENDING' AND source_key = 'stuck/1'")
                == 1,
        Eventually.tasksOf(server.database()));
    int attempts = admin.get(pendingOnes).json().at("/items/0/attempts").asInt();
    Api.Response byReason =
        admin.post(objects + "/retry", Map.of("failureReason", "DstBucketUnversioned"));
    assertThat(byReason.json().get("hurried").asInt()).as("pending ones have no reason").isZero();
    Api.Response retried = admin.post(objects + "/retry", Map.of("keys", List.of("stuck/1")));
    assertThat(retried.status()).isEqualTo(202);
    assertThat(retried.json().get("queued").asInt()).isZero();
    assertThat(retried.json().get("hurried").asInt()).isEqualTo(1);
    Eventually.await(
        "another attempt long before the hour's backoff",
        Duration.ofSeconds(30),
        () -> admin.get(pendingOnes).json().at("/items/0/attempts").asInt() > attempts,
        Eventually.tasksOf(server.database()));
  }

  @Test
  void thePendingHistoryKeepsTheMostOfEachStepAndForgetsSamplesAfter32Days() {
    String source = s3.bucket(true);
    JsonNode rule = unscannedRule("history", source, "history");
    String ruleId = rule.get("id").asText();
    Instant dayBefore =
        Instant.now().minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    // two samples of one 10-minute step a day ago, and one from before the 32 days kept
    for (String[] sample :
        new String[][] {
          {dayBefore.plusSeconds(60).toString(), "3", "300"},
          {dayBefore.plusSeconds(7 * 60).toString(), "5", "200"},
          {Instant.now().minus(Duration.ofDays(40)).toString(), "9", "900"}
        }) {
      Sql.update(
          server.database(),
          """
          INSERT INTO replication_pending_samples (tenant_id, rule_id, destination_trust_id, destination_bucket,
              minute, operations_pending, bytes_pending)
          VALUES ('%s', '%s', '%s', 'history', date_trunc('minute', '%s'::timestamptz), %s, %s)"""
              .formatted(tenant, ruleId, trust, sample[0], sample[1], sample[2]));
    }
    String metrics = "/api/v1/tenants/" + tenant + "/rules/" + ruleId + "/metrics";

    JsonNode twoDays =
        admin
            .get(
                metrics
                    + "?from="
                    + Instant.now().minus(Duration.ofDays(2))
                    + "&to="
                    + Instant.now())
            .json()
            .at("/destinations/0/pendingSeries");
    assertThat(twoDays).hasSize(1);
    assertThat(twoDays.get(0).get("at").asText()).isEqualTo(dayBefore.toString());
    assertThat(twoDays.get(0).get("operationsPending").asInt()).isEqualTo(5);
    assertThat(twoDays.get(0).get("bytesPending").asInt()).isEqualTo(300);
    JsonNode oneHour =
        admin
            .get(metrics + "?from=" + dayBefore + "&to=" + dayBefore.plus(Duration.ofHours(1)))
            .json()
            .at("/destinations/0/pendingSeries");
    assertThat(oneHour)
        .extracting(point -> point.get("operationsPending").asInt())
        .containsExactly(3, 5);

    Eventually.await(
        "the 40-day-old sample deleted",
        Duration.ofSeconds(30),
        () ->
            Sql.count(
                    server.database(),
                    "SELECT count(*) FROM replication_pending_samples WHERE rule_id = '"
                        + ruleId
                        + "'")
                == 2,
        () -> "");
    admin.delete("/api/v1/tenants/" + tenant + "/rules/" + ruleId);
    assertThat(
            Sql.count(
                server.database(),
                "SELECT count(*) FROM replication_pending_samples WHERE rule_id = '"
                    + ruleId
                    + "'"))
        .as("the rule's history goes with it")
        .isZero();
  }

  private static JsonNode last(JsonNode array) {
    return array.get(array.size() - 1);
  }

  /** The rule's entry in the overview ({@code GET .../rules/health}). */
  private static JsonNode healthOf(String ruleId) {
    for (JsonNode item :
        admin.get("/api/v1/tenants/" + tenant + "/rules/health?limit=100").json().get("items")) {
      if (item.get("ruleId").asText().equals(ruleId)) {
        return item;
      }
    }
    throw new AssertionError("rule " + ruleId + " is not in the overview");
  }

  @Test
  void badFiltersAreRefusedAndViewersMayNotRetry() {
    String source = s3.bucket(true);
    JsonNode rule = unscannedRule("filters", source, s3.bucket(true));
    String objects = "/api/v1/tenants/" + tenant + "/rules/" + rule.get("id").asText() + "/objects";
    Api.Response lost = admin.unchecked().get(objects + "?status=LOST");
    assertThat(lost.status()).isEqualTo(400);
    assertThat(lost.body()).contains("must be one of PENDING, COMPLETED, FAILED, REPLICA, SKIPPED");
    Api viewer = new Fixtures(server).as(new Fixtures(server).token(tenant, "VIEWER"));
    assertThat(viewer.post(objects + "/retry").status()).isEqualTo(403);
    assertThat(admin.post(objects + "/retry").json().get("queued").asInt()).isZero();
  }
}
