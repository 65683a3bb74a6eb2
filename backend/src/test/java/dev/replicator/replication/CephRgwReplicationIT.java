package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Api;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestRgw;
import dev.replicator.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Tagging;

/**
 * Live replication between two versioned buckets on a real Ceph RADOS Gateway (16.2), the product
 * in-process. What arrived is judged against the source bucket itself (its ListObjectVersions per
 * key, the bytes, headers, metadata and tags of every version), never against the product's own
 * records. Skipped where the Ceph packages are missing.
 */
class CephRgwReplicationIT {

  static final Duration TIMEOUT = Duration.ofSeconds(30);

  static TestRgw rgw;
  static S3Client client;
  static TestServer server;
  static String tenant;
  static Api admin;
  static String trust;

  @BeforeAll
  static void start() {
    if (!TestRgw.available()) {
      return; // each test is skipped with the reason, in skipIfNoRgw
    }
    rgw = TestRgw.get();
    client = rgw.client();
    Map<String, Object> config = new HashMap<>(TestServer.LOOPBACK_ALLOWED);
    config.put("replicator.scan.tick", "200ms");
    config.put("replicator.scan.initial-delay", "0s");
    config.put("replicator.worker.poll-interval", "100ms");
    server = TestServer.start(config);
    Fixtures fixtures = new Fixtures(server);
    tenant = fixtures.tenant();
    admin = fixtures.as(fixtures.token(tenant, "ADMIN"));
    trust = Fixtures.trust(admin, tenant, rgw.trustBody(Fixtures.unique("rgw")));
  }

  @BeforeEach
  void skipIfNoRgw() {
    TestRgw.assumeAvailable();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void smallObjectsArriveWithTheirBytesMetadataContentHeadersAndTags() {
    String source = rgw.bucket(true);
    String destination = rgw.bucket(true);
    JsonNode rule = rule(source, destination, false);
    Instant expires = Instant.parse("2030-01-01T00:00:00Z");
    put(
        source,
        "reports/q3.csv",
        "a,b\n1,2\n",
        b ->
            b.contentType("text/csv")
                .cacheControl("max-age=60")
                .contentDisposition("attachment; filename=q3.csv")
                .contentEncoding("identity")
                .contentLanguage("en")
                .expires(expires)
                .metadata(Map.of("owner", "finance"))
                .tagging(tags(Map.of("team", "data", "class", "internal"))));
    put(
        source,
        "images/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        b ->
            b.contentType("image/svg+xml")
                .metadata(Map.of("origin", "design", "revision", "7"))
                .tagging(tags(Map.of("kind", "asset"))));
    put(source, "notes/empty.txt", "", b -> b.contentType("text/plain; charset=utf-8"));
    put(
        source,
        "docs/with space & ü.txt",
        "Grüße",
        b ->
            b.contentType("text/plain; charset=utf-8")
                .contentLanguage("de")
                .metadata(Map.of("note", "spaces and an umlaut"))
                .tagging(tags(Map.of("label", "a b+c"))));
    List<String> keys =
        List.of("reports/q3.csv", "images/logo.svg", "notes/empty.txt", "docs/with space & ü.txt");
    assertThat(history(source, "reports/q3.csv").get(0).tags())
        .as("tags stored on the source")
        .hasSize(2);
    assertThat(history(source, "docs/with space & ü.txt").get(0).tags())
        .as("tags stored on the source")
        .containsExactly(Map.entry("label", "a b+c"));
    scanNow();

    // Completed, not merely present: RGW's CopyObject drops the tags, which the worker sets after.
    awaitCompleted(rule, keys.size());

    for (String key : keys) {
      assertThat(history(destination, key))
          .as("the versions of %s on the destination against the source's", key)
          .containsExactlyElementsOf(history(source, key));
      assertSourceVersionStamps(source, destination, key);
    }
    assertThat(rgw.keys(destination)).containsExactlyInAnyOrderElementsOf(keys);
  }

  @Test
  void threeVersionsWrittenWithinOneSecondArriveInTheSourcesOrder() {
    String source = rgw.bucket(true);
    String destination = rgw.bucket(true);
    JsonNode rule = rule(source, destination, false);
    Eventually.untilTheSecondAfter(Instant.now());
    for (int i = 1; i <= 3; i++) {
      int n = i;
      put(
          source,
          "counter",
          "version " + n,
          b ->
              b.contentType(n == 2 ? "application/json" : "text/plain")
                  .metadata(Map.of("n", Integer.toString(n)))
                  .tagging(tags(Map.of("n", Integer.toString(n)))));
    }
    List<ObjectVersion> written = versions(source, "counter");
    assertThat(written).as("the source's versions").hasSize(3);
    assertThat(written.get(0).lastModified().truncatedTo(ChronoUnit.SECONDS))
        .as(
            "the three versions were written within one second (RGW lists milliseconds: %s)",
            written.stream().map(ObjectVersion::lastModified).toList())
        .isEqualTo(written.get(2).lastModified().truncatedTo(ChronoUnit.SECONDS));
    assertThat(history(source, "counter"))
        .extracting(Snapshot::body)
        .containsExactly("version 3", "version 2", "version 1");
    scanNow();

    awaitCompleted(rule, 3);

    assertThat(history(destination, "counter"))
        .as("the versions of counter on the destination, newest first, against the source's")
        .containsExactlyElementsOf(history(source, "counter"));
    assertThat(client.getObjectAsBytes(b -> b.bucket(destination).key("counter")).asUtf8String())
        .as("the destination's current version")
        .isEqualTo("version 3");
    assertSourceVersionStamps(source, destination, "counter");
  }

  @Test
  void aDeleteMarkerIsReplicatedOverTheVersionItHides() {
    String source = rgw.bucket(true);
    String destination = rgw.bucket(true);
    rule(source, destination, true);
    put(
        source,
        "doomed",
        "soon gone",
        b ->
            b.contentType("text/plain")
                .metadata(Map.of("fate", "deleted"))
                .tagging(tags(Map.of("state", "doomed"))));
    client.deleteObject(b -> b.bucket(source).key("doomed"));
    assertThat(markers(source, "doomed")).as("the source's delete marker").hasSize(1);
    scanNow();

    await("the delete marker", () -> !markers(destination, "doomed").isEmpty());
    await("the version under it", () -> !versions(destination, "doomed").isEmpty());

    assertThat(history(destination, "doomed"))
        .as("the versions of doomed on the destination against the source's")
        .containsExactlyElementsOf(history(source, "doomed"));
    assertThat(markers(destination, "doomed"))
        .as("delete markers on the destination (latest or not)")
        .extracting(DeleteMarkerEntry::isLatest)
        .containsExactlyElementsOf(
            markers(source, "doomed").stream().map(DeleteMarkerEntry::isLatest).toList())
        .containsExactly(true);
    assertThatThrownBy(() -> client.getObjectAsBytes(b -> b.bucket(destination).key("doomed")))
        .as("reading the deleted key on the destination")
        .isInstanceOf(NoSuchKeyException.class);
  }

  /**
   * RGW offers only STANDARD unless its operator adds storage classes, and answers others with a
   * bare 400 InvalidArgument.
   */
  @Test
  void aStorageClassTheStoreDoesNotOfferFailsNamingTheStorageClass() {
    String source = rgw.bucket(true);
    String destination = rgw.bucket(true);
    JsonNode rule = rule(source, destination, false, "STANDARD_IA");
    put(source, "archive/old.txt", "rarely read", b -> b.contentType("text/plain"));
    scanNow();
    String objects =
        "/api/v1/tenants/"
            + tenant
            + "/rules/"
            + rule.get("id").asText()
            + "/objects?status=FAILED";

    await("the failed copy", () -> admin.get(objects).json().get("items").size() > 0);

    JsonNode failed = admin.get(objects).json().get("items").get(0);
    assertThat(failed.get("failureReason").asText()).isEqualTo("DstPutObjectNotPermitted");
    assertThat(failed.get("lastError").asText())
        .contains("does not offer storage class STANDARD_IA")
        .contains("400 InvalidArgument")
        .contains("storageClass");
    assertThat(versions(destination, "archive/old.txt")).isEmpty();
  }

  // --- what a version is, as the store shows it
  // --------------------------------------------------------------------

  /**
   * One version of a key as a client of the store sees it: everything replication must carry,
   * nothing it adds.
   */
  record Snapshot(
      boolean latest,
      String body,
      long size,
      String eTag,
      String contentType,
      String cacheControl,
      String contentDisposition,
      String contentEncoding,
      String contentLanguage,
      String expires,
      Map<String, String> metadata,
      Map<String, String> tags) {}

  /** A key's versions (not its delete markers) in ListObjectVersions order, newest first. */
  static List<Snapshot> history(String bucket, String key) {
    return versions(bucket, key).stream().map(v -> snapshot(bucket, key, v)).toList();
  }

  static Snapshot snapshot(String bucket, String key, ObjectVersion version) {
    ResponseBytes<GetObjectResponse> object =
        client.getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(version.versionId()));
    GetObjectResponse head = object.response();
    Map<String, String> metadata =
        head.metadata().entrySet().stream()
            .filter(e -> !e.getKey().startsWith("replicator-"))
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    Map<String, String> tags =
        client
            .getObjectTagging(b -> b.bucket(bucket).key(key).versionId(version.versionId()))
            .tagSet()
            .stream()
            .collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> a, TreeMap::new));
    return new Snapshot(
        version.isLatest(),
        object.asUtf8String(),
        version.size(),
        version.eTag(),
        head.contentType(),
        head.cacheControl(),
        head.contentDisposition(),
        head.contentEncoding(),
        head.contentLanguage(),
        head.expiresString(),
        metadata,
        tags);
  }

  /** Each replica names the source version it was copied from, position by position. */
  static void assertSourceVersionStamps(String source, String destination, String key) {
    assertThat(versions(destination, key))
        .as("the source version each replica of %s names", key)
        .extracting(
            v ->
                client
                    .headObject(b -> b.bucket(destination).key(key).versionId(v.versionId()))
                    .metadata()
                    .get("replicator-source-version-id"))
        .containsExactlyElementsOf(
            versions(source, key).stream().map(ObjectVersion::versionId).toList());
  }

  static List<ObjectVersion> versions(String bucket, String key) {
    return client.listObjectVersions(b -> b.bucket(bucket).prefix(key)).versions().stream()
        .filter(v -> v.key().equals(key))
        .toList();
  }

  static List<DeleteMarkerEntry> markers(String bucket, String key) {
    return client.listObjectVersions(b -> b.bucket(bucket).prefix(key)).deleteMarkers().stream()
        .filter(m -> m.key().equals(key))
        .toList();
  }

  // --- arranging
  // --------------------------------------------------------------------------------------------------

  static void put(
      String bucket,
      String key,
      String body,
      java.util.function.Consumer<PutObjectRequest.Builder> headers) {
    client.putObject(b -> headers.accept(b.bucket(bucket).key(key)), RequestBody.fromString(body));
  }

  static Tagging tags(Map<String, String> tags) {
    return Tagging.builder()
        .tagSet(
            tags.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList())
        .build();
  }

  static JsonNode rule(String source, String destination, boolean deleteMarkers) {
    return rule(source, destination, deleteMarkers, null);
  }

  static JsonNode rule(
      String source, String destination, boolean deleteMarkers, String storageClass) {
    Map<String, Object> target = new HashMap<>(Map.of("trustId", trust, "bucket", destination));
    if (storageClass != null) {
      target.put("storageClass", storageClass);
    }
    Map<String, Object> body = new HashMap<>();
    body.put("name", Fixtures.unique("rule"));
    body.put("source", Map.of("trustId", trust, "bucket", source));
    body.put("destinations", List.of(target));
    body.put("scanIntervalSeconds", 30);
    body.put("deleteMarkerReplication", deleteMarkers);
    // Versions count as live from the second the rule was created on: write from the next second
    // on.
    return Fixtures.liveRule(admin, tenant, body);
  }

  static void scanNow() {
    Sql.update(
        server.database(), "UPDATE rule_scans SET next_scan_at = now() - interval '1 second'");
  }

  /** Until the rule has {@code count} tasks and all of them completed. */
  static void awaitCompleted(JsonNode rule, int count) {
    String tasks =
        "SELECT count(*) FROM replication_tasks WHERE rule_id = '" + rule.get("id").asText() + "'";
    await(
        count + " completed tasks",
        () ->
            Sql.count(server.database(), tasks + " AND state = 'COMPLETED'") == count
                && Sql.count(server.database(), tasks) == count);
  }

  static void await(String what, BooleanSupplier condition) {
    Eventually.await(what, TIMEOUT, condition, Eventually.tasksOf(server.database()));
  }
}
