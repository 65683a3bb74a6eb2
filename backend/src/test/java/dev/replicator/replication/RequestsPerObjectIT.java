package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Api;
import dev.replicator.testing.CountingProxy;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.KeyHistory;
import dev.replicator.testing.MotoServer;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestS3;
import dev.replicator.testing.Testbed;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * What a small version costs in S3 requests, counted by proxies in front of the source and the
 * destination: one GET (whose answer serves as the HEAD) and one PUT, when the source bucket has
 * ACLs disabled, the store shows tag counts, and the destination bucket showed (by the HEAD of a
 * first replica) that it keeps attributes of that shape. Tags are read only where a version has
 * some, or where the store does not say (S3Mock): there they are never lost.
 */
class RequestsPerObjectIT {

  static Testbed testbed;

  @BeforeAll
  static void start() {
    testbed = Testbed.start(Map.of());
  }

  @AfterAll
  static void stop() {
    testbed.close();
  }

  @Test
  void onMotoAnUntaggedVersionInABucketWithoutAclsCostsAGetAndAPut() throws Exception {
    try (MotoServer moto = MotoServer.startOrSkip(3, "moto_server is not installed");
        CountingProxy source = new CountingProxy(moto.endpoint());
        CountingProxy destination = new CountingProxy(moto.endpoint())) {
      AccessKey key = moto.s3User("copier");
      try (S3Client client = moto.s3(key)) {
        String from = MotoServer.versionedBucket(client, "source");
        String to = MotoServer.versionedBucket(client, "replica");
        client.putBucketOwnershipControls(
            b ->
                b.bucket(from)
                    .ownershipControls(
                        o ->
                            o.rules(
                                r -> r.objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED))));
        client.putObject(
            b -> b.bucket(from).key("tagged-one").tagging("team=blue"),
            RequestBody.fromString("tagged"));
        client.putObject(
            b -> b.bucket(from).key("first-plain"), RequestBody.fromString("plain first-plain"));
        for (int i = 0; i < 3; i++) {
          String name = "plain-" + i;
          client.putObject(b -> b.bucket(from).key(name), RequestBody.fromString("plain " + name));
        }
        // written before the rule's first second, so that only the batch jobs copy them (not a
        // scan)
        Eventually.untilTheSecondAfter(Instant.now());
        String rule =
            rule(
                trust(MotoServer.trustBody(source.endpoint(), key)),
                trust(MotoServer.trustBody(destination.endpoint(), key)),
                from,
                to);

        backfill(rule, "tagged-");
        assertThat(client.getObjectTagging(b -> b.bucket(to).key("tagged-one")).tagSet())
            .containsExactly(Tag.builder().key("team").value("blue").build());
        assertThat(source.failures()).isEmpty();
        assertThat(requests(source, from, "tagged-one"))
            .as("the tagged version's tags are read; ACLs are disabled")
            .containsExactlyInAnyOrder("GET", "GET ?tagging");

        backfill(rule, "first-");
        assertThat(requests(source, from, "first-plain")).containsExactly("GET");
        assertThat(requests(destination, to, "first-plain"))
            .as("the first replica of its shape is read back")
            .containsExactlyInAnyOrder("PUT", "HEAD");

        backfill(rule, "plain-");
        for (int i = 0; i < 3; i++) {
          String name = "plain-" + i;
          assertThat(requests(source, from, name))
              .as("source requests for %s", name)
              .containsExactly("GET");
          assertThat(requests(destination, to, name))
              .as(
                  "destination requests for %s: the bucket showed that it keeps this "
                      + "shape of attributes, and the PUT's ETag showed the bytes",
                  name)
              .containsExactly("PUT");
          assertThat(client.getObjectAsBytes(b -> b.bucket(to).key(name)).asUtf8String())
              .isEqualTo("plain " + name);
          assertThat(client.headObject(b -> b.bucket(to).key(name)).metadata())
              .containsKey("replicator-source-version-id");
        }
      }
    }
  }

  @Test
  void onAStoreThatDoesNotShowTagCountsEveryVersionsTagsAreRead() {
    TestS3 s3 = testbed.s3;
    String from = s3.bucket(true);
    String to = s3.bucket(true);
    s3.client().putObject(b -> b.bucket(from).key("first-plain"), RequestBody.fromString("plain"));
    s3.client()
        .putObject(
            b -> b.bucket(from).key("second-tagged").tagging("team=green"),
            RequestBody.fromString("tagged"));
    Eventually.untilTheSecondAfter(Instant.now());
    String rule =
        rule(
            trust(new HashMap<>(s3.trustBody(Fixtures.unique("source")))),
            trust(new HashMap<>(s3.trustBody(Fixtures.unique("destination")))),
            from,
            to);

    backfill(rule, "first-");
    backfill(rule, "second-");

    assertThat(s3.client().getObjectTagging(b -> b.bucket(to).key("second-tagged")).tagSet())
        .containsExactly(Tag.builder().key("team").value("green").build());
  }

  /**
   * Where source and destination share an endpoint, a version up to {@code
   * replicator.worker.server-side-copy-above} (1 MiB) streams — one GET, whose answer serves as the
   * HEAD, and one PUT — where a copy by the store would also take a HEAD of the source and of the
   * replica; a larger one is copied by the store, and none of its bytes pass through the worker.
   */
  @Test
  void onOneEndpointASmallVersionStreamsAndALargerOneIsCopiedByTheStore() throws Exception {
    TestS3 s3 = testbed.s3;
    String from = s3.bucket(true);
    String to = s3.bucket(true);
    byte[] small = new byte[64 * 1024];
    byte[] larger = new byte[2 * 1024 * 1024];
    new Random(3).nextBytes(small);
    new Random(4).nextBytes(larger);
    s3.client().putObject(b -> b.bucket(from).key("one-small.bin"), RequestBody.fromBytes(small));
    s3.client().putObject(b -> b.bucket(from).key("one-larger.bin"), RequestBody.fromBytes(larger));
    Eventually.untilTheSecondAfter(Instant.now());
    try (CountingProxy store = new CountingProxy(s3.endpoint())) {
      String trust = trust(s3.trustBody(Fixtures.unique("one endpoint"), store.endpoint()));
      String rule = rule(trust, trust, from, to);

      backfill(rule, "one-");

      assertThat(store.failures()).isEmpty();
      assertThat(requests(store, from, "one-small.bin"))
          .as("the small version is read once, no HEAD first")
          .contains("GET")
          .doesNotContain("HEAD");
      assertThat(copies(store, to, "one-small.bin")).as("the small version streamed").isZero();
      assertThat(requests(store, from, "one-larger.bin"))
          .as("none of the larger version's bytes read by the worker")
          .doesNotContain("GET");
      assertThat(copies(store, to, "one-larger.bin")).as("the larger version's CopyObject").isOne();
      for (String key : List.of("one-small.bin", "one-larger.bin")) {
        KeyHistory.assertReplicated(s3.client(), from, to, key);
      }
    }
  }

  /**
   * A reconciliation scan that finds nothing new costs its listing pages and nothing else: no HEAD
   * or GET of a version already replicated, and no task.
   */
  @Test
  void aScanThatFindsNothingNewCostsOnlyItsListing() throws Exception {
    TestS3 s3 = testbed.s3;
    String from = s3.bucket(true);
    String to = s3.bucket(true);
    try (CountingProxy source = new CountingProxy(s3.endpoint())) {
      Map<String, Object> body = s3.trustBody(Fixtures.unique("scanned"), source.endpoint());
      String rule =
          Fixtures.liveRule(
                  testbed.admin,
                  testbed.tenant,
                  Fixtures.ruleBody(
                      Fixtures.unique("scanned"),
                      3600,
                      trust(body),
                      from,
                      Fixtures.destination(testbed.trust, to)))
              .get("id")
              .asText();
      for (int round = 0; round < 3; round++) {
        for (int key = 0; key < 4; key++) {
          String name = "scanned-" + key;
          s3.client()
              .putObject(b -> b.bucket(from).key(name), RequestBody.fromString(name + " " + name));
        }
      }
      String tasks = "SELECT count(*) FROM replication_tasks WHERE rule_id = '" + rule + "'";
      scanNow(rule);
      Eventually.await(
          "the scan's 12 versions replicated",
          Duration.ofSeconds(60),
          () -> Sql.count(testbed.server.database(), tasks + " AND state = 'COMPLETED'") == 12,
          Eventually.tasksOf(testbed.server.database()));
      String firstPass = awaitScanPassEnded(rule, null);
      int before = source.requests().size();

      scanNow(rule);
      awaitScanPassEnded(rule, firstPass);

      assertThat(
              source.requests().subList(before, source.requests().size()).stream()
                  .map(r -> r.method() + " " + r.path() + " " + r.queryNames())
                  .toList())
          .as("the source requests of a scan that found nothing new")
          .isNotEmpty()
          .allMatch(r -> r.startsWith("GET /" + from + " ") && r.contains("versions"));
      assertThat(Sql.count(testbed.server.database(), tasks)).as("tasks").isEqualTo(12);
      for (int key = 0; key < 4; key++) {
        KeyHistory.assertReplicated(s3.client(), from, to, "scanned-" + key);
      }
    }
  }

  private static void scanNow(String rule) {
    Sql.update(
        testbed.server.database(),
        "UPDATE rule_scans SET next_scan_at = now() - interval '1 second' WHERE rule_id = '"
            + rule
            + "'");
  }

  /** Waits for a pass of the rule's scan that ended after {@code after}; its end. */
  private static String awaitScanPassEnded(String rule, String after) {
    String ended =
        "SELECT count(*) FROM rule_scans WHERE rule_id = '"
            + rule
            + "' AND pass_started_at IS NULL AND last_completed_at IS NOT NULL"
            + (after == null ? "" : " AND last_completed_at > '" + after + "'::timestamptz");
    Eventually.await(
        "a scan pass of rule " + rule + " ended",
        Duration.ofSeconds(60),
        () -> Sql.count(testbed.server.database(), ended) == 1,
        () -> "no pass ended after " + after);
    return Sql.text(
        testbed.server.database(),
        "SELECT last_completed_at::text FROM rule_scans WHERE rule_id = '" + rule + "'");
  }

  /** The PUTs to {@code key} that were server-side copies (with {@code x-amz-copy-source}). */
  private static long copies(CountingProxy proxy, String bucket, String key) {
    return proxy.requests().stream()
        .filter(r -> r.path().equals("/" + bucket + "/" + key) && r.method().equals("PUT"))
        .filter(r -> r.header("x-amz-copy-source") != null)
        .count();
  }

  /** A batch job over the rule's versions under {@code prefix}, awaited to its end. */
  private static void backfill(String rule, String prefix) {
    Api.Response created =
        testbed.admin.post(
            testbed.path("/batch-jobs"),
            Map.of(
                "ruleId",
                rule,
                "filter",
                Map.of("replicationStatuses", List.of("NONE"), "prefix", prefix)));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String job = testbed.path("/batch-jobs/" + created.json().get("id").asText());
    Eventually.await(
        "batch job over " + prefix + " ended",
        Duration.ofSeconds(60),
        () ->
            List.of("COMPLETED", "FAILED", "CANCELLED")
                .contains(testbed.admin.get(job).json().get("status").asText()),
        () -> testbed.admin.get(job).body());
    JsonNode done = testbed.admin.get(job).json();
    assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("COMPLETED");
    assertThat(done.get("failed").asInt()).as(done.toString()).isZero();
  }

  /** The requests a proxy saw for one key, as "METHOD" or "METHOD ?subresource". */
  private static List<String> requests(CountingProxy proxy, String bucket, String key) {
    return proxy.requests().stream()
        .filter(r -> r.path().equals("/" + bucket + "/" + key))
        .map(
            r ->
                r.method()
                    + r.queryNames().stream()
                        .filter(q -> !q.equals("versionId"))
                        .map(q -> " ?" + q)
                        .reduce("", String::concat))
        .toList();
  }

  private static String trust(Map<String, Object> body) {
    return Fixtures.trust(testbed.admin, testbed.tenant, body);
  }

  /** Creates a rule with the default scan interval; returns its id. */
  private static String rule(
      String sourceTrust, String destinationTrust, String source, String destination) {
    return Fixtures.rule(
            testbed.admin,
            testbed.tenant,
            Map.of(
                "name",
                Fixtures.unique("requests"),
                "source",
                Fixtures.destination(sourceTrust, source),
                "destinations",
                List.of(Fixtures.destination(destinationTrust, destination))))
        .get("id")
        .asText();
  }
}
