package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Api;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.S3Events;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestS3;
import dev.replicator.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * Live replication end to end: scan, queue, workers and copies, against a real S3-compatible
 * server.
 */
class ReplicationIT {

  static TestServer server;
  static TestS3 s3;
  static S3Client client;
  static Fixtures fixtures;
  static String tenant;
  static Api admin;
  static String trust;

  @BeforeAll
  static void start() {
    s3 = TestS3.get();
    client = s3.client();
    Map<String, Object> config = new HashMap<>(TestServer.LOOPBACK_ALLOWED);
    config.put("replicator.scan.tick", "200ms");
    config.put("replicator.scan.initial-delay", "0s");
    config.put("replicator.worker.poll-interval", "100ms");
    server = TestServer.start(config);
    fixtures = new Fixtures(server);
    tenant = fixtures.tenant();
    admin = fixtures.as(fixtures.token(tenant, "ADMIN"));
    trust = Fixtures.trust(admin, tenant, s3.trustBody(Fixtures.unique("s3")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode rule(String source, List<String> destinations, Map<String, Object> settings) {
    Map<String, Object> body = new HashMap<>(settings);
    body.put("name", Fixtures.unique("rule"));
    body.put("source", Map.of("trustId", trust, "bucket", source));
    body.put(
        "destinations",
        destinations.stream().map(d -> Map.of("trustId", trust, "bucket", d)).toList());
    body.putIfAbsent("scanIntervalSeconds", 30);
    return Fixtures.liveRule(admin, tenant, body);
  }

  static void scanNow() {
    Sql.update(
        server.database(), "UPDATE rule_scans SET next_scan_at = now() - interval '1 second'");
  }

  static void await(String what, BooleanSupplier condition) {
    Eventually.await(
        what, Duration.ofSeconds(45), condition, Eventually.tasksOf(server.database()));
  }

  static List<ObjectVersion> versions(String bucket, String key) {
    return client.listObjectVersions(b -> b.bucket(bucket).prefix(key)).versions().stream()
        .filter(v -> v.key().equals(key))
        .toList();
  }

  static String content(String bucket, String key, String versionId) {
    return client
        .getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(versionId))
        .asUtf8String();
  }

  static long tasks(String ruleId, String state) {
    return Sql.count(
        server.database(),
        "SELECT count(*) FROM replication_tasks WHERE rule_id = '"
            + ruleId
            + "' AND state = '"
            + state
            + "'");
  }

  @Test
  void aNewVersionIsReplicatedWithItsContentHeadersMetadataAndTags() {
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    rule(source, List.of(destination), Map.of());
    Instant expires = Instant.parse("2030-01-01T00:00:00Z");
    String sourceVersion =
        client
            .putObject(
                b ->
                    b.bucket(source)
                        .key("reports/q3.csv")
                        .contentType("text/csv")
                        .cacheControl("max-age=60")
                        .contentDisposition("attachment; filename=q3.csv")
                        .contentEncoding("identity")
                        .contentLanguage("en")
                        .expires(expires)
                        .metadata(Map.of("owner", "finance"))
                        .tagging("team=data&class=internal"),
                RequestBody.fromString("a,b\n1,2\n"))
            .versionId();
    scanNow();

    await("the replica", () -> !versions(destination, "reports/q3.csv").isEmpty());

    HeadObjectResponse replica =
        client.headObject(b -> b.bucket(destination).key("reports/q3.csv"));
    HeadObjectResponse original = client.headObject(b -> b.bucket(source).key("reports/q3.csv"));
    assertThat(content(destination, "reports/q3.csv", replica.versionId())).isEqualTo("a,b\n1,2\n");
    assertThat(replica.eTag()).isEqualTo(original.eTag());
    assertThat(replica.contentType()).isEqualTo("text/csv");
    assertThat(replica.cacheControl()).isEqualTo("max-age=60");
    assertThat(replica.contentDisposition()).isEqualTo("attachment; filename=q3.csv");
    assertThat(replica.contentLanguage()).isEqualTo("en");
    assertThat(replica.contentEncoding())
        .isEqualTo(original.contentEncoding())
        .isEqualTo("identity");
    assertThat(replica.expiresString()).isEqualTo(original.expiresString()).isNotNull();
    assertThat(replica.metadata())
        .containsEntry("owner", "finance")
        .containsEntry("replicator-source-version-id", sourceVersion);
    assertThat(client.getObjectTagging(b -> b.bucket(destination).key("reports/q3.csv")).tagSet())
        .extracting(Tag::key)
        .containsExactlyInAnyOrder("team", "class");
  }

  @Test
  void rapidOverwritesReachTheDestinationInSourceOrder() {
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    JsonNode rule = rule(source, List.of(destination), Map.of());
    for (int i = 1; i <= 6; i++) {
      String body = "version " + i;
      client.putObject(b -> b.bucket(source).key("counter"), RequestBody.fromString(body));
    }
    scanNow();

    await("six replicas", () -> versions(destination, "counter").size() == 6);

    List<String> sourceOrder =
        versions(source, "counter").stream()
            .map(v -> content(source, "counter", v.versionId()))
            .toList();
    List<String> replicaOrder =
        versions(destination, "counter").stream()
            .map(v -> content(destination, "counter", v.versionId()))
            .toList();
    assertThat(replicaOrder).isEqualTo(sourceOrder);
    assertThat(content(destination, "counter", versions(destination, "counter").get(0).versionId()))
        .isEqualTo("version 6");
    assertThat(tasks(rule.get("id").asText(), "COMPLETED")).isEqualTo(6);
  }

  @Test
  void versionsFromBeforeTheRuleAreLeftToBatchJobs() {
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    client.putObject(b -> b.bucket(source).key("old"), RequestBody.fromString("before"));
    Eventually.untilTheSecondAfter(Instant.now());
    rule(source, List.of(destination), Map.of());
    client.putObject(b -> b.bucket(source).key("new"), RequestBody.fromString("after"));
    scanNow();

    await("the new object's replica", () -> !versions(destination, "new").isEmpty());
    assertThat(versions(destination, "old")).isEmpty();
  }

  @Test
  void deleteMarkersAreReplicatedOnlyWhenTheRuleSaysSo() {
    String source = s3.bucket(true);
    String withMarkers = s3.bucket(true);
    String withoutMarkers = s3.bucket(true);
    rule(source, List.of(withMarkers), Map.of("deleteMarkerReplication", true, "priority", 2));
    rule(source, List.of(withoutMarkers), Map.of("priority", 1));
    client.putObject(b -> b.bucket(source).key("doomed"), RequestBody.fromString("soon gone"));
    client.deleteObject(b -> b.bucket(source).key("doomed"));
    scanNow();

    await(
        "the delete marker",
        () ->
            !client
                .listObjectVersions(b -> b.bucket(withMarkers).prefix("doomed"))
                .deleteMarkers()
                .isEmpty());
    await(
        "the object in the other destination", () -> !versions(withoutMarkers, "doomed").isEmpty());
    assertThat(
            client
                .listObjectVersions(b -> b.bucket(withoutMarkers).prefix("doomed"))
                .deleteMarkers())
        .isEmpty();
    assertThat(versions(withMarkers, "doomed")).hasSize(1);
  }

  @Test
  void prefixAndTagFiltersSelectWhatIsReplicatedToEveryDestination() {
    String source = s3.bucket(true);
    String first = s3.bucket(true);
    String second = s3.bucket(true);
    JsonNode rule =
        rule(
            source,
            List.of(first, second),
            Map.of("filter", Map.of("prefix", "logs/", "tags", Map.of("keep", "yes"))));
    client.putObject(
        b -> b.bucket(source).key("logs/keep.txt").tagging("keep=yes"),
        RequestBody.fromString("1"));
    client.putObject(
        b -> b.bucket(source).key("logs/drop.txt").tagging("keep=no"), RequestBody.fromString("2"));
    client.putObject(
        b -> b.bucket(source).key("other/keep.txt").tagging("keep=yes"),
        RequestBody.fromString("3"));
    scanNow();

    await(
        "both replicas",
        () ->
            !versions(first, "logs/keep.txt").isEmpty()
                && !versions(second, "logs/keep.txt").isEmpty());
    await("the filtered version settled", () -> tasks(rule.get("id").asText(), "SKIPPED") == 2);
    assertThat(s3.keys(first)).containsExactly("logs/keep.txt");
    assertThat(s3.keys(second)).containsExactly("logs/keep.txt");
  }

  @Test
  void anUnversionedOrMissingDestinationFailsWithTheAwsReason() {
    String source = s3.bucket(true);
    String unversioned = s3.bucket(false);
    JsonNode rule = rule(source, List.of(unversioned, "no-such-destination-bucket"), Map.of());
    client.putObject(b -> b.bucket(source).key("k"), RequestBody.fromString("v"));
    scanNow();

    await("both failures", () -> tasks(rule.get("id").asText(), "FAILED") == 2);
    assertThat(
            Sql.text(
                server.database(),
                "SELECT string_agg(failure_reason, ',' ORDER BY failure_reason) FROM replication_tasks WHERE rule_id = '"
                    + rule.get("id").asText()
                    + "'"))
        .isEqualTo("DstBucketNotFound,DstBucketUnversioned");
    assertThat(
            Sql.text(
                server.database(),
                "SELECT last_error FROM replication_tasks WHERE failure_reason = 'DstBucketUnversioned' AND rule_id = '"
                    + rule.get("id").asText()
                    + "'"))
        .contains("enable it");
  }

  @Test
  void twoWayRulesConvergeBecauseReplicasAreNotReplicatedAgain() {
    String left = s3.bucket(true);
    String right = s3.bucket(true);
    rule(left, List.of(right), Map.of());
    JsonNode back = rule(right, List.of(left), Map.of());
    client.putObject(b -> b.bucket(left).key("ping"), RequestBody.fromString("once"));
    scanNow();

    await("the replica on the right", () -> !versions(right, "ping").isEmpty());
    scanNow();
    await(
        "the way back skipped as a replica", () -> tasks(back.get("id").asText(), "SKIPPED") == 1);
    assertThat(versions(left, "ping")).hasSize(1);
    assertThat(versions(right, "ping")).hasSize(1);
  }

  @Test
  void versionsWrittenWhileARuleIsDisabledAreCaughtUpWhenItIsEnabled() {
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    JsonNode rule = rule(source, List.of(destination), Map.of());
    String path = "/api/v1/tenants/" + tenant + "/rules/" + rule.get("id").asText();
    Map<String, Object> disabled =
        new HashMap<>(
            Map.of(
                "name",
                rule.get("name").asText(),
                "status",
                "DISABLED",
                "source",
                Map.of("trustId", trust, "bucket", source),
                "destinations",
                List.of(Map.of("trustId", trust, "bucket", destination)),
                "scanIntervalSeconds",
                30));
    assertThat(admin.put(path, disabled).status()).isEqualTo(200);
    client.putObject(b -> b.bucket(source).key("while-paused"), RequestBody.fromString("later"));
    scanNow();
    sleep(Duration.ofSeconds(1));
    assertThat(versions(destination, "while-paused")).isEmpty();

    disabled.put("status", "ENABLED");
    assertThat(admin.put(path, disabled).status()).isEqualTo(200);
    scanNow();

    await("the caught-up replica", () -> !versions(destination, "while-paused").isEmpty());
  }

  static void sleep(Duration duration) {
    Eventually.sleep(duration);
  }

  /**
   * A stand-in rule document holding only liveSince, to wait for the next second before creating a
   * rule.
   */
  private static final class JsonNodeOf {
    static JsonNode liveSince(Instant instant) {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .createObjectNode()
          .put("liveSince", instant.toString());
    }
  }

  @Test
  void objectLockRetentionAndLegalHoldAreKept() {
    String source = "lock-src-" + System.nanoTime() % 1000000;
    String destination = "lock-dst-" + System.nanoTime() % 1000000;
    for (String bucket : List.of(source, destination)) {
      client.createBucket(b -> b.bucket(bucket).objectLockEnabledForBucket(true));
      client.putBucketVersioning(
          b -> b.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
    }
    // Events only: the rule learns of the version when the test announces it, once it is locked.
    rule(source, List.of(destination), Map.of("scanIntervalSeconds", 0));
    Instant retainUntil = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
    String version =
        client
            .putObject(b -> b.bucket(source).key("contract.pdf"), RequestBody.fromString("signed"))
            .versionId();
    client.putObjectRetention(
        b ->
            b.bucket(source)
                .key("contract.pdf")
                .versionId(version)
                .retention(r -> r.mode("GOVERNANCE").retainUntilDate(retainUntil)));
    client.putObjectLegalHold(
        b ->
            b.bucket(source).key("contract.pdf").versionId(version).legalHold(h -> h.status("ON")));
    Api.Response announced =
        admin.post(
            "/api/v1/tenants/" + tenant + "/events",
            S3Events.createdNow(source, "contract.pdf", version, 6));
    assertThat(announced.status()).as(announced.body()).isEqualTo(202);

    // The replica's lock is set after it is written (stores differ in which PUT headers they
    // honour): wait for the task.
    await(
        "the locked replica",
        () ->
            Sql.count(
                    server.database(),
                    "SELECT count(*) FROM replication_tasks WHERE destination_bucket = '"
                        + destination
                        + "' AND state = 'COMPLETED'")
                == 1);
    var retention =
        client.getObjectRetention(b -> b.bucket(destination).key("contract.pdf")).retention();
    assertThat(retention.modeAsString()).isEqualTo("GOVERNANCE");
    assertThat(retention.retainUntilDate()).isEqualTo(retainUntil);
    assertThat(
            client
                .getObjectLegalHold(b -> b.bucket(destination).key("contract.pdf"))
                .legalHold()
                .statusAsString())
        .isEqualTo("ON");
  }

  @Test
  void deletingARuleTakesItsQueuedTasksWithIt() {
    String source = s3.bucket(true);
    JsonNode rule = rule(source, List.of("never-created-bucket"), Map.of());
    client.putObject(b -> b.bucket(source).key("orphan"), RequestBody.fromString("x"));
    scanNow();
    await(
        "the task",
        () ->
            Sql.count(
                    server.database(),
                    "SELECT count(*) FROM replication_tasks WHERE rule_id = '"
                        + rule.get("id").asText()
                        + "'")
                == 1);

    assertThat(
            admin
                .delete("/api/v1/tenants/" + tenant + "/rules/" + rule.get("id").asText())
                .status())
        .isEqualTo(204);
    assertThat(
            Sql.count(
                server.database(),
                "SELECT count(*) FROM replication_tasks WHERE rule_id = '"
                    + rule.get("id").asText()
                    + "'"))
        .isZero();
  }

  @Test
  void aclGrantsAreReplicatedUnlessTheDestinationTakesOwnership() {
    String source = s3.bucket(true);
    String keepsAcl = s3.bucket(true);
    String takesOwnership = s3.bucket(true);
    rule(source, List.of(keepsAcl), Map.of("priority", 2));
    Map<String, Object> override = new HashMap<>();
    override.put("name", Fixtures.unique("owner"));
    override.put("priority", 1);
    override.put("scanIntervalSeconds", 30);
    override.put("source", Map.of("trustId", trust, "bucket", source));
    override.put(
        "destinations",
        List.of(Map.of("trustId", trust, "bucket", takesOwnership, "ownerOverride", true)));
    Fixtures.liveRule(admin, tenant, override);
    String version =
        client
            .putObject(b -> b.bucket(source).key("public.txt"), RequestBody.fromString("hi"))
            .versionId();
    var owner = client.getObjectAcl(b -> b.bucket(source).key("public.txt")).owner();
    client.putObjectAcl(
        b ->
            b.bucket(source)
                .key("public.txt")
                .versionId(version)
                .accessControlPolicy(
                    p ->
                        p.owner(owner)
                            .grants(
                                software.amazon.awssdk.services.s3.model.Grant.builder()
                                    .grantee(g -> g.type("CanonicalUser").id(owner.id()))
                                    .permission("FULL_CONTROL")
                                    .build(),
                                software.amazon.awssdk.services.s3.model.Grant.builder()
                                    .grantee(
                                        g ->
                                            g.type("Group")
                                                .uri(
                                                    "http://acs.amazonaws.com/groups/global/AllUsers"))
                                    .permission("READ")
                                    .build())));
    scanNow();

    assertThat(publicRead(source)).isTrue();
    await(
        "both replicas finished",
        () ->
            Sql.count(
                    server.database(),
                    "SELECT count(*) FROM replication_tasks WHERE source_key = "
                        + "'public.txt' AND state = 'COMPLETED'")
                == 2);
    assertThat(publicRead(keepsAcl)).isTrue();
    assertThat(publicRead(takesOwnership)).isFalse();
  }

  static boolean publicRead(String bucket) {
    return client.getObjectAcl(b -> b.bucket(bucket).key("public.txt")).grants().stream()
        .anyMatch(
            g ->
                g.grantee().uri() != null
                    && g.grantee().uri().endsWith("AllUsers")
                    && g.permissionAsString().equals("READ"));
  }

  @Test
  void deletingASpecificSourceVersionIsNeverReplicated() {
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    JsonNode rule = rule(source, List.of(destination), Map.of("deleteMarkerReplication", true));
    String version =
        client
            .putObject(b -> b.bucket(source).key("kept"), RequestBody.fromString("keep me"))
            .versionId();
    scanNow();
    await("the replica", () -> tasks(rule.get("id").asText(), "COMPLETED") == 1);

    client.deleteObject(b -> b.bucket(source).key("kept").versionId(version));
    String passBefore =
        Sql.text(
            server.database(),
            "SELECT last_completed_at::text FROM rule_scans WHERE rule_id = '"
                + rule.get("id").asText()
                + "'");
    scanNow();
    await(
        "another scan pass",
        () ->
            !passBefore.equals(
                Sql.text(
                    server.database(),
                    "SELECT last_completed_at::text FROM rule_scans WHERE rule_id = '"
                        + rule.get("id").asText()
                        + "'")));

    assertThat(versions(destination, "kept")).hasSize(1);
    assertThat(client.listObjectVersions(b -> b.bucket(destination).prefix("kept")).deleteMarkers())
        .isEmpty();
  }
}
