package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replicator.testing.Api;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.KeyHistory;
import dev.replicator.testing.S3Events;
import dev.replicator.testing.Sql;
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
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * Change events replicate new versions at once: rules here never scan (scanIntervalSeconds 0), so
 * only the events can make the replicas appear.
 */
class ChangeEventsIT {

  static final ObjectMapper JSON = new ObjectMapper();

  static TestServer server;
  static TestS3 s3;
  static S3Client client;
  static String tenant;
  static Api operator;
  static Api admin;
  static String trust;

  @BeforeAll
  static void start() {
    s3 = TestS3.get();
    client = s3.client();
    Map<String, Object> config = new HashMap<>(TestServer.LOOPBACK_ALLOWED);
    config.put("replicator.worker.poll-interval", "100ms");
    server = TestServer.start(config);
    Fixtures fixtures = new Fixtures(server);
    tenant = fixtures.tenant();
    admin = fixtures.as(fixtures.token(tenant, "ADMIN"));
    operator = fixtures.as(fixtures.token(tenant, "OPERATOR"));
    trust = Fixtures.trust(admin, tenant, s3.trustBody(Fixtures.unique("s3")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static void eventsOnlyRule(String source, String destination, boolean deleteMarkers) {
    Fixtures.liveRule(
        admin,
        tenant,
        Fixtures.with(
            Fixtures.ruleBody(
                Fixtures.unique("events"),
                0,
                trust,
                source,
                Fixtures.destination(trust, destination)),
            "deleteMarkerReplication",
            deleteMarkers));
  }

  static Map<String, Object> record(
      String name, String bucket, String key, String versionId, Instant time, String sequencer) {
    return S3Events.record(name, bucket, key, versionId, 1, time, sequencer);
  }

  static List<ObjectVersion> versions(String bucket, String key) {
    return client.listObjectVersions(b -> b.bucket(bucket).prefix(key)).versions().stream()
        .filter(v -> v.key().equals(key))
        .toList();
  }

  static void await(String what, java.util.function.BooleanSupplier condition) {
    Eventually.await(
        what, Duration.ofSeconds(30), condition, Eventually.tasksOf(server.database()));
  }

  @Test
  void awsEventsWithDuplicatesAndDisorderReplicateEachVersionOnceInOrder() {
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    eventsOnlyRule(source, destination, false);
    String key = "dir/my report.txt";
    String v1 =
        client
            .putObject(b -> b.bucket(source).key(key), RequestBody.fromString("first"))
            .versionId();
    Instant t1 = Instant.now();
    Eventually.sleep(Duration.ofMillis(20));
    String v2 =
        client
            .putObject(b -> b.bucket(source).key(key), RequestBody.fromString("second"))
            .versionId();
    Instant t2 = Instant.now();
    String encoded = "dir/my+report.txt";
    Map<String, Object> notification =
        Map.of(
            "Records",
            List.of(
                record("ObjectCreated:Put", source, encoded, v2, t2, "02"),
                record("ObjectCreated:Put", source, encoded, v1, t1, "01"),
                record("ObjectCreated:Put", source, encoded, v2, t2, "02")));

    Api.Response accepted = operator.post("/api/v1/tenants/" + tenant + "/events", notification);

    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    assertThat(accepted.json().get("records").asInt()).isEqualTo(3);
    assertThat(accepted.json().get("enqueued").asInt()).isEqualTo(2);
    await("two replicas", () -> versions(destination, key).size() == 2);
    List<ObjectVersion> replicas = versions(destination, key);
    assertThat(client.getObjectAsBytes(b -> b.bucket(destination).key(key)).asUtf8String())
        .isEqualTo("second");
    assertThat(replicas).hasSize(2);
  }

  @Test
  void snsEnvelopesAndMinioNamesAreUnderstoodAndDeleteMarkersFollowTheRule() throws Exception {
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    eventsOnlyRule(source, destination, true);
    String version =
        client
            .putObject(b -> b.bucket(source).key("gone"), RequestBody.fromString("x"))
            .versionId();
    Instant created = Instant.now();
    client.deleteObject(b -> b.bucket(source).key("gone"));
    String marker =
        client
            .listObjectVersions(b -> b.bucket(source).prefix("gone"))
            .deleteMarkers()
            .get(0)
            .versionId();
    String minio =
        JSON.writeValueAsString(
            Map.of(
                "EventName",
                "s3:ObjectCreated:Put",
                "Key",
                source + "/gone",
                "Records",
                List.of(record("s3:ObjectCreated:Put", source, "gone", version, created, "01"))));
    Map<String, Object> sns =
        Map.of(
            "Type",
            "Notification",
            "MessageId",
            "m-1",
            "TopicArn",
            "arn:aws:sns:us-east-1:1:t",
            "Message",
            JSON.writeValueAsString(
                Map.of(
                    "Records",
                    List.of(
                        record(
                            "ObjectRemoved:DeleteMarkerCreated",
                            source,
                            "gone",
                            marker,
                            Instant.now(),
                            "02")))));

    assertThat(
            operator
                .send("POST", "/api/v1/tenants/" + tenant + "/events", minio, "application/json")
                .status())
        .isEqualTo(202);
    assertThat(operator.post("/api/v1/tenants/" + tenant + "/events", sns).status()).isEqualTo(202);

    await(
        "the delete marker",
        () ->
            !client
                .listObjectVersions(b -> b.bucket(destination).prefix("gone"))
                .deleteMarkers()
                .isEmpty());
    assertThat(versions(destination, "gone")).hasSize(1);
  }

  @Test
  void eventsForOtherBucketsAndUnversionedObjectsAreIgnoredAndViewersMayNotPost() {
    Map<String, Object> notification =
        Map.of(
            "Records",
            List.of(
                record("ObjectCreated:Put", "not-a-source-bucket", "k", "v1", Instant.now(), "01"),
                Map.of(
                    "eventName",
                    "ObjectCreated:Put",
                    "eventTime",
                    Instant.now().toString(),
                    "s3",
                    Map.of("bucket", Map.of("name", "b"), "object", Map.of("key", "k")))));
    Api.Response accepted = operator.post("/api/v1/tenants/" + tenant + "/events", notification);
    assertThat(accepted.json().get("matched").asInt()).isZero();
    assertThat(
            Sql.count(
                server.database(), "SELECT count(*) FROM replication_tasks WHERE source_key = 'k'"))
        .isZero();

    Api viewer = new Fixtures(server).as(new Fixtures(server).token(tenant, "VIEWER"));
    assertThat(viewer.post("/api/v1/tenants/" + tenant + "/events", notification).status())
        .isEqualTo(403);
    Api.Response malformed =
        operator
            .unchecked()
            .post("/api/v1/tenants/" + tenant + "/events", Map.of("Records", "nope"));
    assertThat(malformed.status()).isEqualTo(400);
  }

  @Test
  void aVersionThatNoLongerExistsFailsWithSrcKeyNotFound() {
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    eventsOnlyRule(source, destination, false);
    String version =
        client
            .putObject(b -> b.bucket(source).key("vanished"), RequestBody.fromString("x"))
            .versionId();
    Instant written = Instant.now();
    client.deleteObject(b -> b.bucket(source).key("vanished").versionId(version));

    operator.post(
        "/api/v1/tenants/" + tenant + "/events",
        Map.of(
            "Records",
            List.of(record("ObjectCreated:Put", source, "vanished", version, written, "01"))));

    await(
        "the failure",
        () ->
            "SrcKeyNotFound"
                .equals(
                    Sql.text(
                        server.database(),
                        "SELECT failure_reason FROM replication_tasks WHERE source_key = 'vanished' AND state = 'FAILED'")));
    assertThat(versions(destination, "vanished")).isEmpty();
  }

  @Test
  void anOlderVersionWhoseEventComesLateIsCopiedBeforeTheNewerOneAndOnlyOnce() {
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    eventsOnlyRule(source, destination, false);
    String older =
        client
            .putObject(b -> b.bucket(source).key("late"), RequestBody.fromString("older"))
            .versionId();
    Instant olderTime = Instant.now();
    String newer =
        client
            .putObject(b -> b.bucket(source).key("late"), RequestBody.fromString("newer"))
            .versionId();
    operator.post(
        "/api/v1/tenants/" + tenant + "/events",
        Map.of(
            "Records",
            List.of(record("ObjectCreated:Put", source, "late", newer, Instant.now(), "02"))));
    await("both replicas", () -> versions(destination, "late").size() == 2);

    operator.post(
        "/api/v1/tenants/" + tenant + "/events",
        Map.of(
            "Records",
            List.of(record("ObjectCreated:Put", source, "late", older, olderTime, "01"))));

    await(
        "the older version's task recorded as replicated",
        () ->
            Sql.count(
                    server.database(),
                    "SELECT count(*) FROM replication_tasks WHERE source_version_id = '"
                        + older
                        + "' AND state = 'COMPLETED'")
                == 1);
    KeyHistory.assertReplicated(client, source, destination, "late");
    assertThat(client.getObjectAsBytes(b -> b.bucket(destination).key("late")).asUtf8String())
        .isEqualTo("newer");
  }
}
