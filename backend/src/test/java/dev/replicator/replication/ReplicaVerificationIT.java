package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replicator.testing.CountingProxy;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.RandomFiles;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestRgw;
import dev.replicator.testing.Testbed;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * A copy is complete when the destination shows that the replica holds what the source version has.
 * Real servers that drop or garble what they are sent without an error: S3Mock stores {@code
 * x-amz-tagging} without URL-decoding it; Ceph RGW 16 ignores it on CreateMultipartUpload and on
 * CopyObject with REPLACE, and renames metadata with {@code _} in its name. Every outcome is judged
 * by reading the destination, not the product's records.
 */
class ReplicaVerificationIT {

  static final long PART_SIZE = 5L * 1024 * 1024;
  static final long LARGE_SIZE = 2 * PART_SIZE + 1_234_567;
  static final Duration TIMEOUT = Duration.ofSeconds(90);

  /** Tags whose x-amz-tagging form needs URL-encoding. */
  static final Map<String, String> TAGS = Map.of("label", "a b+c", "team", "data");

  static Testbed testbed;
  static S3Client s3;

  @TempDir Path work;

  @BeforeAll
  static void start() {
    testbed =
        Testbed.start(
            Map.of(
                "replicator.worker.multipart-threshold", PART_SIZE,
                "replicator.worker.copy-cutoff", PART_SIZE,
                "replicator.worker.server-side-copy-above", 0,
                "replicator.worker.part-size", PART_SIZE));
    s3 = testbed.client;
  }

  @AfterAll
  static void stop() {
    testbed.close();
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void onS3MockTagsTheStoreGarbledOnTheWriteAreSetAgain(boolean sourceOnS3Mock) throws Exception {
    // A source on S3Mock too is copied on the server (CopyObject, UploadPartCopy above the copy
    // cutoff); a source on RGW streams through the worker (PutObject, UploadPart).
    String sourceTrust;
    String source;
    S3Client sourceClient;
    if (sourceOnS3Mock) {
      sourceTrust = testbed.trust;
      source = testbed.s3.bucket(true);
      sourceClient = s3;
    } else {
      TestRgw.assumeAvailable();
      TestRgw rgw = TestRgw.get();
      sourceTrust = trust(rgw.trustBody(Fixtures.unique("rgw")));
      source = rgw.bucket(true);
      sourceClient = rgw.client();
    }
    String destination = testbed.s3.bucket(true);
    String rule = rule(sourceTrust, source, testbed.trust, destination);
    awaitFirstScanPass(rule);
    Path large = work.resolve("large.bin");
    RandomFiles.write(large, LARGE_SIZE, 3);
    sourceClient.putObject(
        b ->
            b.bucket(source)
                .key("small.txt")
                .contentType("text/plain")
                .metadata(Map.of("owner", "finance")),
        RequestBody.fromString("small"));
    sourceClient.putObject(
        b ->
            b.bucket(source)
                .key("large.bin")
                .contentType("application/x-tar")
                .metadata(Map.of("owner", "finance")),
        RequestBody.fromFile(large));
    for (String key : List.of("small.txt", "large.bin")) {
      sourceClient.putObjectTagging(
          b -> b.bucket(source).key(key).tagging(t -> t.tagSet(tags(TAGS))));
      assertThat(tagsOf(sourceClient, source, key))
          .as("the tags the source stores")
          .isEqualTo(TAGS);
    }
    scanNow();

    awaitTasks(rule, "state = 'COMPLETED'", 2);

    for (String key : List.of("small.txt", "large.bin")) {
      assertThat(tagsOf(s3, destination, key))
          .as("the tags of the replica of %s", key)
          .isEqualTo(TAGS);
      HeadObjectResponse replica = s3.headObject(b -> b.bucket(destination).key(key));
      assertThat(replica.metadata())
          .containsEntry("owner", "finance")
          .containsEntry(
              ReplicaStamp.SOURCE_VERSION_ID,
              versions(sourceClient, source, key).get(0).versionId());
      assertThat(replica.contentLength())
          .isEqualTo(sourceClient.headObject(b -> b.bucket(source).key(key)).contentLength());
    }
    assertThat(s3.headObject(b -> b.bucket(destination).key("large.bin")).eTag())
        .as("written as a multipart upload")
        .endsWith("-3\"");
  }

  @Test
  void onS3MockAnExpiresThatIsNoDateArrivesAsTheSourceShowsIt() {
    String source = testbed.s3.bucket(true);
    String destination = testbed.s3.bucket(true);
    String rule = rule(testbed.trust, source, testbed.trust, destination);
    s3.putObject(
        b ->
            b.bucket(source)
                .key("expired.html")
                .contentType("text/html")
                .overrideConfiguration(o -> o.putHeader("Expires", "0")),
        RequestBody.fromString("<p>stale</p>"));
    assertThat(s3.headObject(b -> b.bucket(source).key("expired.html")).expiresString())
        .isEqualTo("0");
    scanNow();

    awaitTasks(rule, "state = 'COMPLETED'", 1);

    assertThat(s3.headObject(b -> b.bucket(destination).key("expired.html")).expiresString())
        .isEqualTo("0");
  }

  @Test
  void aSmallUntaggedObjectCostsItsCopyAndOneHeadOfTheReplica() throws Exception {
    try (CountingProxy proxy = new CountingProxy(testbed.s3.endpoint())) {
      String trust = trust(testbed.s3.trustBody(Fixtures.unique("counted"), proxy.endpoint()));
      String source = testbed.s3.bucket(true);
      String destination = testbed.s3.bucket(true);
      String rule = rule(trust, source, trust, destination);
      s3.putObject(b -> b.bucket(source).key("plain.txt"), RequestBody.fromString("plain"));
      s3.putObject(
          b -> b.bucket(source).key("tagged.txt").tagging("team=data"),
          RequestBody.fromString("tagged"));
      scanNow();

      awaitTasks(rule, "state = 'COMPLETED' AND attempts = 1", 2);

      assertThat(proxy.failures()).isEmpty();
      System.out.printf(
          "Requests per small object (S3_COMPATIBLE, no owner override):%n  source plain.txt: %s%n"
              + "  destination plain.txt: %s%n  destination tagged.txt: %s%n",
          requests(proxy, source, "plain.txt"),
          requests(proxy, destination, "plain.txt"),
          requests(proxy, destination, "tagged.txt"));
      assertThat(requests(proxy, destination, "plain.txt"))
          .as("requests to the replica of an untagged object")
          .containsExactly("PUT", "HEAD ?versionId");
      assertThat(requests(proxy, destination, "tagged.txt"))
          .as("requests to the replica of a tagged object")
          .containsExactly("PUT", "HEAD ?versionId", "GET ?tagging&versionId");
      assertThat(tagsOf(s3, destination, "tagged.txt")).isEqualTo(Map.of("team", "data"));
    }
  }

  @Test
  void onRgwATaggedMultipartObjectArrivesWithItsTags() throws Exception {
    TestRgw.assumeAvailable();
    TestRgw rgw = TestRgw.get();
    S3Client client = rgw.client();
    String trust = trust(rgw.trustBody(Fixtures.unique("rgw")));
    String source = rgw.bucket(true);
    String destination = rgw.bucket(true);
    String rule = rule(trust, source, trust, destination);
    Path large = work.resolve("tagged.bin");
    String md5 = RandomFiles.write(large, LARGE_SIZE, 5);
    client.putObject(
        b ->
            b.bucket(source)
                .key("tagged.bin")
                .contentType("application/x-tar")
                .cacheControl("max-age=60")
                .metadata(Map.of("owner", "finance"))
                .tagging(tagging(TAGS)),
        RequestBody.fromFile(large));
    assertThat(tagsOf(client, source, "tagged.bin"))
        .as("the tags RGW stores with PutObject")
        .isEqualTo(TAGS);
    scanNow();

    awaitTasks(rule, "state = 'COMPLETED'", 1);

    ObjectVersion replica = versions(client, destination, "tagged.bin").get(0);
    assertThat(tagsOf(client, destination, "tagged.bin", replica.versionId()))
        .as("the replica's tags")
        .isEqualTo(TAGS);
    HeadObjectResponse head =
        client.headObject(
            b -> b.bucket(destination).key("tagged.bin").versionId(replica.versionId()));
    assertThat(head.eTag()).as("written as a multipart upload of three parts").endsWith("-3\"");
    assertThat(head.contentType()).isEqualTo("application/x-tar");
    assertThat(head.cacheControl()).isEqualTo("max-age=60");
    assertThat(head.metadata())
        .containsEntry("owner", "finance")
        .containsEntry(
            ReplicaStamp.SOURCE_VERSION_ID,
            versions(client, source, "tagged.bin").get(0).versionId());
    try (var in =
        client.getObject(
            b -> b.bucket(destination).key("tagged.bin").versionId(replica.versionId()))) {
      assertThat(RandomFiles.md5(in)).isEqualTo(md5);
    }
  }

  @Test
  void onRgwServerSideCopiesAreGivenTheTagsCopyObjectAndCreateMultipartUploadIgnored()
      throws Exception {
    TestRgw.assumeAvailable();
    TestRgw rgw = TestRgw.get();
    S3Client client = rgw.client();
    Map<String, Object> body = new HashMap<>(rgw.trustBody(Fixtures.unique("rgw-aws")));
    body.put("compatibility", "AWS");
    String trust = trust(body);
    String source = rgw.bucket(true);
    String destination = rgw.bucket(true);
    String rule = rule(trust, source, trust, destination);
    Path large = work.resolve("copied.bin");
    RandomFiles.write(large, LARGE_SIZE, 9);
    client.putObject(
        b -> b.bucket(source).key("copied.txt").contentType("text/plain").tagging(tagging(TAGS)),
        RequestBody.fromString("copied on the server"));
    client.putObject(
        b -> b.bucket(source).key("copied.bin").tagging(tagging(TAGS)),
        RequestBody.fromFile(large));
    scanNow();

    awaitTasks(rule, "state = 'COMPLETED'", 2);

    for (String key : List.of("copied.txt", "copied.bin")) {
      ObjectVersion replica = versions(client, destination, key).get(0);
      assertThat(tagsOf(client, destination, key, replica.versionId()))
          .as("the tags of the replica of %s", key)
          .isEqualTo(TAGS);
      assertThat(
              Sql.text(
                  testbed.server.database(),
                  "SELECT destination_version_id FROM replication_tasks WHERE rule_id = '"
                      + rule
                      + "' AND source_key = '"
                      + key
                      + "'"))
          .as("the replica version recorded for %s (RGW's CopyObject answers none)", key)
          .isEqualTo(replica.versionId());
    }
  }

  @Test
  void metadataTheDestinationRenamedFailsTheTaskSayingWhatDifferedAndWhatToDo() {
    TestRgw.assumeAvailable();
    TestRgw rgw = TestRgw.get();
    String rgwTrust = trust(rgw.trustBody(Fixtures.unique("rgw")));
    String source = testbed.s3.bucket(true);
    String destination = rgw.bucket(true);
    String rule = rule(testbed.trust, source, rgwTrust, destination);
    s3.putObject(
        b ->
            b.bucket(source)
                .key("costs.csv")
                .contentType("text/csv")
                .metadata(Map.of("cost_centre", "7")),
        RequestBody.fromString("a,b\n"));
    scanNow();

    awaitTasks(rule, "state = 'FAILED'", 1);

    String where = " FROM replication_tasks WHERE rule_id = '" + rule + "'";
    assertThat(Sql.text(testbed.server.database(), "SELECT failure_reason" + where))
        .isEqualTo("DstReplicaMismatch");
    String error = Sql.text(testbed.server.database(), "SELECT last_error" + where);
    assertThat(error)
        .contains("metadata \"cost_centre\" is missing (the store shows it as \"cost-centre\")")
        .contains("PutObject")
        .contains("retry the failed objects");
    assertThat(
            Sql.count(
                testbed.server.database(), "SELECT count(*)" + where + " AND state = 'COMPLETED'"))
        .isZero();
    HeadObjectResponse stored =
        rgw.client().headObject(b -> b.bucket(destination).key("costs.csv"));
    assertThat(stored.metadata())
        .as("what the destination really holds")
        .containsEntry("cost-centre", "7")
        .doesNotContainKey("cost_centre");
    assertThat(error).contains(stored.versionId());
  }

  // --- helpers
  // --------------------------------------------------------------------------------------------------

  /**
   * The requests to one object: method and query parameter names, in order, e.g. {@code HEAD
   * ?versionId}.
   */
  static List<String> requests(CountingProxy proxy, String bucket, String key) {
    return proxy.requests().stream()
        .filter(r -> r.path().equals("/" + bucket + "/" + key))
        .map(
            r ->
                r.method()
                    + (r.queryNames().isEmpty()
                        ? ""
                        : " ?" + String.join("&", new java.util.TreeSet<>(r.queryNames()))))
        .toList();
  }

  static Map<String, String> tagsOf(S3Client client, String bucket, String key) {
    return tagsOf(client, bucket, key, null);
  }

  static Map<String, String> tagsOf(S3Client client, String bucket, String key, String versionId) {
    return client
        .getObjectTagging(b -> b.bucket(bucket).key(key).versionId(versionId))
        .tagSet()
        .stream()
        .collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> a, TreeMap::new));
  }

  static List<Tag> tags(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
        .toList();
  }

  static software.amazon.awssdk.services.s3.model.Tagging tagging(Map<String, String> tags) {
    return software.amazon.awssdk.services.s3.model.Tagging.builder().tagSet(tags(tags)).build();
  }

  static List<ObjectVersion> versions(S3Client client, String bucket, String key) {
    return client.listObjectVersions(b -> b.bucket(bucket).prefix(key)).versions().stream()
        .filter(v -> v.key().equals(key))
        .toList();
  }

  static String trust(Map<String, Object> body) {
    return Fixtures.trust(testbed.admin, testbed.tenant, body);
  }

  /** Creates a live rule scanned every 30 seconds; returns its id. */
  static String rule(
      String sourceTrust, String source, String destinationTrust, String destination) {
    return Fixtures.liveRule(
            testbed.admin,
            testbed.tenant,
            Fixtures.ruleBody(
                Fixtures.unique("verify"),
                30,
                sourceTrust,
                source,
                Fixtures.destination(destinationTrust, destination)))
        .get("id")
        .asText();
  }

  /**
   * Waits for the rule's first scan pass (of a still empty bucket) to end: the next comes only with
   * {@link #scanNow()}, so no pass sees a version between its write and the tags set on it after.
   */
  static void awaitFirstScanPass(String rule) {
    Eventually.await(
        "the first scan pass of rule " + rule,
        TIMEOUT,
        () ->
            Sql.count(
                    testbed.server.database(),
                    "SELECT count(*) FROM rule_scans WHERE rule_id = '"
                        + rule
                        + "' AND last_completed_at IS NOT NULL AND pass_started_at IS NULL")
                == 1,
        () -> "no scan pass of rule " + rule + " ended");
  }

  static void scanNow() {
    Sql.update(
        testbed.server.database(),
        "UPDATE rule_scans SET next_scan_at = now() - interval '1 second'");
  }

  static void awaitTasks(String rule, String condition, long count) {
    Eventually.await(
        count + " tasks with " + condition,
        TIMEOUT,
        () ->
            Sql.count(
                    testbed.server.database(),
                    "SELECT count(*) FROM replication_tasks WHERE rule_id = '"
                        + rule
                        + "' AND "
                        + condition)
                == count,
        Eventually.tasksOf(testbed.server.database()));
  }
}
