package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Api;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.KeyHistory;
import dev.replicator.testing.S3Events;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestMoto;
import dev.replicator.testing.TestRgw;
import dev.replicator.testing.TestS3;
import dev.replicator.testing.TestServer;
import dev.replicator.testing.TestStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The destination gets the source's own version history — every version once, in the source's
 * order, the current version or delete marker current — when events and scans mix, events carry
 * millisecond times and listings whole seconds, and versions of a key are written within one
 * second. Checked against the source's listing on each store.
 */
class VersionOrderIT {

  static TestServer server;
  static Api admin;
  static String tenant;
  static final Map<String, String> trusts = new HashMap<>();

  static Stream<TestStore> stores() {
    List<TestStore> stores = new ArrayList<>(List.of(TestS3.get()));
    TestMoto.get().ifPresent(stores::add);
    if (TestRgw.available()) {
      stores.add(TestRgw.get());
    }
    return stores.stream();
  }

  @BeforeAll
  static void start() {
    Map<String, Object> config = new HashMap<>(TestServer.LOOPBACK_ALLOWED);
    config.put("replicator.scan.tick", "200ms");
    config.put("replicator.worker.poll-interval", "100ms");
    server = TestServer.start(config);
    Fixtures fixtures = new Fixtures(server);
    tenant = fixtures.tenant();
    admin = fixtures.as(fixtures.token(tenant, "ADMIN"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String trust(TestStore store) {
    return trusts.computeIfAbsent(
        store.name(),
        name -> Fixtures.trust(admin, tenant, store.trustBody(Fixtures.unique(name))));
  }

  /**
   * A rule that scans only when the test says so (after its first pass), with delete marker
   * replication.
   */
  static JsonNode rule(TestStore store, String source, String destination) {
    String trust = trust(store);
    Map<String, Object> body =
        Fixtures.ruleBody(
            Fixtures.unique("order"),
            3600,
            trust,
            source,
            Fixtures.destination(trust, destination));
    JsonNode rule = Fixtures.rule(admin, tenant, Fixtures.withDeleteMarkers(body));
    await(
        "the rule's first scan",
        () ->
            Sql.count(
                    server.database(),
                    "SELECT count(*) FROM rule_scans WHERE rule_id = '"
                        + rule.get("id").asText()
                        + "' AND last_completed_at IS NOT NULL")
                == 1);
    Fixtures.untilLive(rule);
    return rule;
  }

  /** A source and a destination bucket on one store, and the rule between them. */
  record Buckets(S3Client client, String source, String destination, JsonNode rule) {

    static Buckets withRule(TestStore store) {
      S3Client client = store.client();
      String source = store.bucket(true);
      String destination = store.bucket(true);
      return new Buckets(
          client, source, destination, VersionOrderIT.rule(store, source, destination));
    }

    /** Writes a version of {@code key} to the source; returns its version id. */
    String put(String key, String content) {
      return VersionOrderIT.put(client, source, key, content);
    }

    /** Deletes {@code key} in the source, which writes a delete marker. */
    void delete(String key) {
      client.deleteObject(b -> b.bucket(source).key(key));
    }

    void assertReplicated(String key) {
      KeyHistory.assertReplicated(client, source, destination, key);
    }
  }

  static void scanNow(JsonNode rule) {
    Sql.update(
        server.database(),
        "UPDATE rule_scans SET next_scan_at = now() - interval '1 second' WHERE rule_id = '"
            + rule.get("id").asText()
            + "'");
  }

  static void awaitQuiet(JsonNode rule, int tasks) {
    String id = rule.get("id").asText();
    await(
        tasks + " ended tasks",
        () ->
            Sql.count(
                    server.database(),
                    "SELECT count(*) FROM replication_tasks WHERE rule_id = '"
                        + id
                        + "' AND state NOT IN ('PENDING', 'RUNNING')")
                == tasks);
  }

  static void await(String what, java.util.function.BooleanSupplier condition) {
    Eventually.await(
        what, Duration.ofSeconds(45), condition, Eventually.tasksOf(server.database()));
  }

  /** Waits for the start of a second, so that the writes that follow share it. */
  static void startOfASecond() {
    Eventually.untilTheSecondAfter(Instant.now().minusSeconds(1).plusMillis(1000));
  }

  static Map<String, Object> created(String bucket, String key, String versionId, Instant time) {
    return S3Events.created(bucket, key, versionId, 2, time);
  }

  static void announce(Map<String, Object> record) {
    Api.Response accepted =
        admin.post("/api/v1/tenants/" + tenant + "/events", Map.of("Records", List.of(record)));
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
  }

  static String put(S3Client client, String bucket, String key, String content) {
    return client
        .putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content))
        .versionId();
  }

  /**
   * Writes {@code key}'s first version and then, within the same second, what {@code unannounced}
   * writes; announces only the first (the other events are lost), waits for its copy, and lets a
   * scan find the rest: {@code tasks} copies in all, after which the destination must hold the
   * source's history of the key.
   */
  static void firstAnnouncedAndTheRestFoundByAScan(
      TestStore store, String key, int tasks, Consumer<Buckets> unannounced) {
    Buckets buckets = Buckets.withRule(store);
    startOfASecond();
    String first = buckets.put(key, "v1");
    Instant announcedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    unannounced.accept(buckets);
    announce(created(buckets.source(), key, first, announcedAt));
    awaitQuiet(buckets.rule(), 1);

    scanNow(buckets.rule());
    awaitQuiet(buckets.rule(), tasks);

    buckets.assertReplicated(key);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void versionsFoundByAScanAfterALostEventArriveInTheSourcesOrder(TestStore store) {
    String key = "reports/daily.csv";
    firstAnnouncedAndTheRestFoundByAScan(
        store,
        key,
        3,
        buckets -> {
          buckets.put(key, "v2");
          buckets.put(key, "v3");
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aDeleteMarkerFoundByAScanAfterAnAnnouncedVersionIsCurrentOnTheDestination(TestStore store) {
    String key = "to-be-deleted.txt";
    firstAnnouncedAndTheRestFoundByAScan(store, key, 2, buckets -> buckets.delete(key));
  }

  /**
   * Versions of one second, a delete marker of the same second and versions of the next. (S3Mock
   * and moto list delete markers apart from versions; a marker and a version of the same second
   * then count as marker-newer unless the version is current — see SourceHistory.)
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void versionsAndMarkersWrittenWithinASecondAndFoundByAScanArriveInTheSourcesOrder(
      TestStore store) {
    Buckets buckets = Buckets.withRule(store);
    startOfASecond();
    String key = "busy-key";
    buckets.put(key, "v1");
    buckets.put(key, "v2");
    buckets.put(key, "v3");
    buckets.delete(key);
    startOfASecond();
    buckets.put(key, "v4");
    buckets.put(key, "v5");
    buckets.put("quiet-key", "only");

    scanNow(buckets.rule());
    awaitQuiet(buckets.rule(), 7);

    buckets.assertReplicated(key);
    buckets.assertReplicated("quiet-key");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void anOlderVersionWhoseEventWasLostIsCopiedBeforeTheNewerAnnouncedOne(TestStore store) {
    Buckets buckets = Buckets.withRule(store);
    String key = "config.json";
    buckets.put(key, "old");
    buckets.delete(key);
    String newer = buckets.put(key, "new");
    announce(created(buckets.source(), key, newer, Instant.now()));

    awaitQuiet(buckets.rule(), 3);

    buckets.assertReplicated(key);
    JsonNode summary =
        admin
            .get(
                "/api/v1/tenants/"
                    + tenant
                    + "/rules/"
                    + buckets.rule().get("id").asText()
                    + "/objects/summary")
            .json();
    assertThat(summary.get("byStatus").get("COMPLETED").asInt()).isEqualTo(3);
    assertThat(summary.get("byStatus").path("SKIPPED").asInt()).isZero();
  }

  /**
   * A batch job asks for a version written before the rule went live, after a newer one was
   * replicated.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void aVersionOlderThanOneReplicatedIsListedAsSupersededAndNotCopied(TestStore store) {
    S3Client client = store.client();
    String source = store.bucket(true);
    String destination = store.bucket(true);
    String key = "config.json";
    String older = put(client, source, key, "old");
    // Listings give seconds: a version of the second the rule went live would count as live.
    Eventually.untilTheSecondAfter(Instant.now());
    JsonNode rule = rule(store, source, destination);
    String newer = put(client, source, key, "new");
    announce(created(source, key, newer, Instant.now()));
    awaitQuiet(rule, 1);

    String jobs = "/api/v1/tenants/" + tenant + "/batch-jobs";
    Api.Response created =
        admin.post(
            jobs,
            Map.of(
                "ruleId",
                rule.get("id").asText(),
                "filter",
                Map.of("replicationStatuses", List.of("NONE"))));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String job = created.json().get("id").asText();
    await(
        "the batch job's end",
        () -> admin.get(jobs + "/" + job).json().get("status").asText().equals("COMPLETED"));

    assertThat(KeyHistory.of(client, destination, key))
        .as("only the newer version was copied")
        .hasSize(1);
    assertThat(client.getObjectAsBytes(b -> b.bucket(destination).key(key)).asUtf8String())
        .isEqualTo("new");
    JsonNode skipped =
        admin
            .get(
                "/api/v1/tenants/"
                    + tenant
                    + "/rules/"
                    + rule.get("id").asText()
                    + "/objects?status=SKIPPED")
            .json()
            .get("items");
    assertThat(skipped).hasSize(1);
    assertThat(skipped.get(0).get("versionId").asText()).isEqualTo(older);
    assertThat(skipped.get(0).get("outcome").asText()).isEqualTo("SUPERSEDED");
    assertThat(skipped.get(0).get("detail").asText()).contains(newer);
  }
}
