package dev.replicator.notification;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.replicator.testing.Api;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.Sql;
import dev.replicator.testing.Testbed;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Replication events delivered to a real HTTP endpoint: signed, retried, and visible in the
 * delivery history.
 */
class WebhookIT {

  record Received(String event, String signature, String body) {}

  static Testbed bed;
  static HttpServer receiver;
  static final List<Received> received = new CopyOnWriteArrayList<>();
  static final AtomicInteger failuresToAnswer = new AtomicInteger();
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hooks",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          received.add(
              new Received(
                  exchange.getRequestHeaders().getFirst("X-Replicator-Event"),
                  exchange.getRequestHeaders().getFirst("X-Replicator-Signature"),
                  body));
          int status = failuresToAnswer.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 204;
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    receiver.start();
    bed = Testbed.start(Map.of());
  }

  @AfterAll
  static void stop() {
    bed.close();
    receiver.stop(0);
  }

  @Test
  void aFailedReplicationIsDeliveredSignedAndRetriedUntilAcknowledged() throws Exception {
    String source = bed.s3.bucket(true);
    String unversioned = bed.s3.bucket(false);
    String etag =
        bed.s3
            .client()
            .putObject(b -> b.bucket(source).key("doomed"), RequestBody.fromString("x"))
            .eTag();
    JsonNode rule = rule(source, unversioned, false);
    Api.Response created =
        bed.admin.post(
            bed.path("/webhooks"),
            Map.of(
                "url",
                url(),
                "events",
                List.of("OperationFailedReplication"),
                "ruleIds",
                List.of(rule.get("id").asText()),
                "description",
                "on-call"));
    assertThat(created.status()).isEqualTo(201);
    String secret = created.json().get("secret").asText();
    String webhook = created.json().get("id").asText();
    assertThat(bed.admin.get(bed.path("/webhooks/" + webhook)).body())
        .doesNotContain(secret)
        .doesNotContain("secret");
    assertThat(endpoint(webhook).get("state").asText()).isEqualTo("NO_ATTEMPTS");
    assertThat(
            Sql.text(
                bed.server.database(),
                "SELECT encode(secret_ciphertext, 'escape') FROM webhooks WHERE id = '"
                    + webhook
                    + "'"))
        .doesNotContain(secret);

    failuresToAnswer.set(1);
    received.clear();
    bed.admin.post(
        bed.path("/batch-jobs"),
        Map.of(
            "ruleId",
            rule.get("id").asText(),
            "filter",
            Map.of("replicationStatuses", List.of("NONE"))));
    Eventually.await(
        "the event delivered",
        Duration.ofSeconds(30),
        () -> deliveries(webhook).findValuesAsText("status").contains("DELIVERED"),
        () -> deliveries(webhook).toString());

    assertThat(received).hasSize(2).as("refused once, then acknowledged");
    Received event = received.get(1);
    assertThat(event.body()).isEqualTo(received.get(0).body());
    assertThat(event.event()).isEqualTo("OperationFailedReplication");
    assertSigned(event, secret);
    JsonNode record = JSON.readTree(event.body()).get("Records").get(0);
    assertThat(record.get("eventName").asText())
        .isEqualTo("Replication:OperationFailedReplication");
    assertThat(record.get("s3").get("bucket").get("name").asText()).isEqualTo(source);
    assertThat(record.get("s3").get("object").get("key").asText()).isEqualTo("doomed");
    assertThat(etag).startsWith("\"");
    assertThat(record.get("s3").get("object").get("eTag").asText())
        .as("unquoted, as in S3's notifications")
        .isEqualTo(etag.replace("\"", ""));
    JsonNode data = record.get("replicationEventData");
    assertThat(data.get("replicationRuleId").asText()).isEqualTo(rule.get("id").asText());
    assertThat(data.get("destinationBucket").asText()).isEqualTo("arn:aws:s3:::" + unversioned);
    assertThat(data.get("failureReason").asText()).isEqualTo("DstBucketUnversioned");
    assertThat(data.get("s3Operation").asText()).isEqualTo("OBJECT_PUT");

    JsonNode endpoint = endpoint(webhook);
    assertThat(endpoint.get("state").asText()).as(endpoint.toString()).isEqualTo("HEALTHY");
    assertThat(endpoint.get("lastResponseStatus").asInt()).isEqualTo(204);
    assertThat(endpoint.get("failingSince").isNull()).isTrue();
    assertThat(endpoint.get("lastError").isNull()).isTrue();
    JsonNode delivery = deliveries(webhook).get(0);
    assertThat(delivery.get("attempts").asInt()).isEqualTo(2);
    assertThat(delivery.get("responseStatus").asInt()).isEqualTo(204);
    assertThat(delivery.get("failureReason").asText()).isEqualTo("DstBucketUnversioned");
    assertThat(deliveries(webhook, "DELIVERED").findValuesAsText("id"))
        .containsExactly(delivery.get("id").asText());
    assertThat(deliveries(webhook, "PENDING")).isEmpty();

    String rotated =
        bed.admin.post(bed.path("/webhooks/" + webhook + "/secret")).json().get("secret").asText();
    assertThat(rotated).isNotEqualTo(secret);
    received.clear();
    Api operator = bed.as("OPERATOR");
    assertThat(operator.post(bed.path("/webhooks/" + webhook + "/test")).status()).isEqualTo(202);
    Eventually.await("the test event", Duration.ofSeconds(20), () -> !received.isEmpty(), () -> "");
    assertThat(received.get(0).event()).isEqualTo("TestEvent");
    assertSigned(received.get(0), rotated);
    assertThat(bed.admin.get(bed.path("/audit")).body())
        .contains("webhook.create")
        .contains("webhook.rotate-secret");
  }

  @Test
  void versionsPendingPastTheThresholdAreReportedOnceAndAgainWhenReplicatedLate() throws Exception {
    String source = bed.s3.bucket(true);
    String destination = bed.s3.bucket(true);
    String version =
        bed.s3
            .client()
            .putObject(b -> b.bucket(source).key("slow"), RequestBody.fromString("slow"))
            .versionId();
    failuresToAnswer.set(0);
    JsonNode rule = rule(source, destination, true);
    String ruleId = rule.get("id").asText();
    String webhook =
        bed.admin
            .post(
                bed.path("/webhooks"),
                Map.of(
                    "url",
                    url(),
                    "events",
                    List.of("OperationMissedThreshold", "OperationReplicatedAfterThreshold")))
            .json()
            .get("id")
            .asText();
    // A version written three minutes ago that is still waiting (its rule is held back), against a
    // 1-minute threshold.
    Sql.update(
        bed.server.database(), "UPDATE rules SET status = 'DISABLED' WHERE id = '" + ruleId + "'");
    Sql.update(
        bed.server.database(),
        """
        INSERT INTO replication_tasks (tenant_id, id, rule_id, destination_trust_id, destination_bucket, source_key,
            source_version_id, is_delete_marker, size, source_etag, source_last_modified, origin, state, not_before, enqueued_at)
        VALUES ('%s', gen_random_uuid(), '%s', '%s', '%s', 'slow', '%s', false, 4, 'etag', now() - interval '3 minutes',
                'EVENT', 'PENDING', now(), now())"""
            .formatted(bed.tenant, ruleId, bed.trust, destination, version));
    Eventually.await(
        "the missed threshold",
        Duration.ofSeconds(20),
        () ->
            deliveries(webhook).findValuesAsText("eventName").contains("OperationMissedThreshold"),
        () -> deliveries(webhook).toString());
    Eventually.sleep(Duration.ofMillis(600));
    assertThat(deliveries(webhook)).as("emitted once").hasSize(1);

    Sql.update(
        bed.server.database(), "UPDATE rules SET status = 'ENABLED' WHERE id = '" + ruleId + "'");
    Eventually.await(
        "the late replication",
        Duration.ofSeconds(20),
        () ->
            deliveries(webhook)
                .findValuesAsText("eventName")
                .contains("OperationReplicatedAfterThreshold"),
        () -> deliveries(webhook).toString());
    Eventually.await(
        "both delivered",
        Duration.ofSeconds(20),
        () -> deliveries(webhook).findValuesAsText("status").stream().allMatch("DELIVERED"::equals),
        () -> deliveries(webhook).toString());
    JsonNode late =
        received.stream()
            .filter(r -> "OperationReplicatedAfterThreshold".equals(r.event()))
            .findFirst()
            .map(r -> readTree(r.body()))
            .orElseThrow()
            .get("Records")
            .get(0)
            .get("replicationEventData");
    assertThat(late.get("threshold").asLong()).isEqualTo(60);
    assertThat(late.get("replicationTime").asLong()).isGreaterThanOrEqualTo(180);
  }

  @Test
  void badWebhooksAreRefusedAndInternalAddressesNeedTheOperatorsConsent() {
    Api unchecked = bed.admin.unchecked();
    Api.Response metadata =
        unchecked.post(
            bed.path("/webhooks"),
            Map.of(
                "url",
                "http://169.254.169.254/latest/meta-data",
                "events",
                List.of("OperationFailedReplication")));
    assertThat(metadata.status()).isEqualTo(400);
    assertThat(metadata.json().get("detail").asText())
        .contains("REPLICATOR_ALLOWED_ENDPOINT_CIDRS");
    assertThat(
            unchecked
                .post(
                    bed.path("/webhooks"),
                    Map.of(
                        "url",
                        "ftp://hooks.example.com/x",
                        "events",
                        List.of("OperationFailedReplication")))
                .json()
                .get("errors")
                .get(0)
                .get("field")
                .asText())
        .isEqualTo("url");
    Api.Response event =
        unchecked.post(
            bed.path("/webhooks"), Map.of("url", url(), "events", List.of("ObjectCreated")));
    assertThat(event.status()).isEqualTo(400);
    assertThat(event.json().get("errors").get(0).get("field").asText()).isEqualTo("events");
    assertThat(
            unchecked
                .post(
                    bed.path("/webhooks"),
                    Map.of(
                        "url",
                        url(),
                        "events",
                        List.of("OperationFailedReplication"),
                        "ruleIds",
                        List.of("00000000-0000-0000-0000-000000000001")))
                .status())
        .isEqualTo(400);
    for (String zoned :
        List.of(
            "http://[fe80::1%25lo]/hooks",
            "http://[::1%25lo]:" + receiver.getAddress().getPort() + "/hooks")) {
      Api.Response refused =
          unchecked.post(
              bed.path("/webhooks"),
              Map.of("url", zoned, "events", List.of("OperationFailedReplication")));
      assertThat(refused.status()).as(zoned).isEqualTo(400);
      assertThat(refused.json().get("errors").get(0).get("field").asText()).isEqualTo("url");
    }
    Api viewer = bed.as("VIEWER");
    assertThat(
            viewer
                .post(
                    bed.path("/webhooks"),
                    Map.of("url", url(), "events", List.of("OperationFailedReplication")))
                .status())
        .isEqualTo(403);
  }

  @Test
  void aDeliveryThatReachesNobodySaysSoWithTheHostAsWrittenAndNoResolvedAddress() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    String webhook =
        bed.admin
            .post(
                bed.path("/webhooks"),
                Map.of(
                    "url",
                    "http://localhost:" + closed + "/hooks",
                    "events",
                    List.of("OperationFailedReplication")))
            .json()
            .get("id")
            .asText();
    bed.as("OPERATOR").post(bed.path("/webhooks/" + webhook + "/test"));

    Eventually.await(
        "a failed attempt",
        Duration.ofSeconds(20),
        () -> deliveries(webhook).findValues("lastError").stream().anyMatch(JsonNode::isTextual),
        () -> deliveries(webhook).toString());
    String error = deliveries(webhook).get(0).get("lastError").asText();
    assertThat(error)
        .isEqualTo(
            "Could not reach the endpoint: the connection to localhost:" + closed + " was refused.")
        .doesNotContain("127.0.0.1")
        .doesNotContain("0:0:0:0")
        .doesNotContain("[");

    JsonNode down = endpoint(webhook);
    assertThat(down.get("state").asText()).as(down.toString()).isEqualTo("FAILING");
    assertThat(down.get("lastError").asText()).isEqualTo(error);
    assertThat(down.get("lastResponseStatus").isNull()).isTrue();
    assertThat(down.get("failingSince").isTextual()).isTrue();
    JsonNode listed = null;
    for (JsonNode item : bed.admin.get(bed.path("/webhooks?limit=100")).json().get("items")) {
      if (item.get("id").asText().equals(webhook)) {
        listed = item;
      }
    }
    assertThat(listed).isNotNull();
    assertThat(listed.get("endpoint")).isEqualTo(down);

    Api.Response moved =
        bed.admin.put(
            bed.path("/webhooks/" + webhook),
            Map.of("url", url(), "events", List.of("OperationFailedReplication")));
    assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    assertThat(moved.json().get("endpoint").get("state").asText())
        .as("a new URL is a new endpoint")
        .isEqualTo("NO_ATTEMPTS");
    failuresToAnswer.set(0);
    bed.as("OPERATOR").post(bed.path("/webhooks/" + webhook + "/test"));
    Eventually.await(
        "the new endpoint shown healthy",
        Duration.ofSeconds(20),
        () -> endpoint(webhook).get("state").asText().equals("HEALTHY"),
        () -> endpoint(webhook).toString());
    assertThat(endpoint(webhook).get("failingSince").isNull()).isTrue();
  }

  private static JsonNode endpoint(String webhook) {
    Api.Response response = bed.admin.get(bed.path("/webhooks/" + webhook));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().get("endpoint");
  }

  private static void assertSigned(Received event, String secret) throws Exception {
    String[] parts = event.signature().split(",");
    String t = parts[0].substring(2);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String expected =
        HexFormat.of()
            .formatHex(mac.doFinal((t + "." + event.body()).getBytes(StandardCharsets.UTF_8)));
    assertThat(parts[1]).isEqualTo("v1=" + expected);
  }

  private static JsonNode readTree(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode deliveries(String webhook) {
    return bed.admin.get(bed.path("/webhooks/" + webhook + "/deliveries")).json().get("items");
  }

  private static JsonNode deliveries(String webhook, String status) {
    return bed.admin
        .get(bed.path("/webhooks/" + webhook + "/deliveries?status=" + status))
        .json()
        .get("items");
  }

  private static JsonNode rule(String source, String destination, boolean replicationTime) {
    Map<String, Object> body =
        new HashMap<>(
            Fixtures.ruleBody(
                Fixtures.unique("events"),
                0,
                bed.trust,
                source,
                Fixtures.destination(bed.trust, destination)));
    if (replicationTime) {
      body.put("replicationTime", Map.of("enabled", true, "thresholdMinutes", 1));
    }
    return Fixtures.rule(bed.admin, bed.tenant, body);
  }

  private static String url() {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/replication";
  }
}
