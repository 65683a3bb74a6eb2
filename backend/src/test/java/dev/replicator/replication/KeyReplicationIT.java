package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.rule.Rule;
import dev.replicator.rule.RuleService;
import dev.replicator.testing.Api;
import dev.replicator.testing.FaultProxy;
import dev.replicator.testing.FaultProxy.Fault;
import dev.replicator.testing.FaultProxy.Operation;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.KeyHistory;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestS3;
import dev.replicator.testing.TestServer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Grant;
import software.amazon.awssdk.services.s3.model.Permission;
import software.amazon.awssdk.services.s3.model.Type;

/**
 * One key's copy driven step by step (an api-only process: no worker claims on its own), so that a
 * version can be queued in the moment between a claim and the copy's listing of the key — which a
 * running worker meets by chance.
 */
class KeyReplicationIT {

  static TestServer server;
  static TaskQueue queue;
  static KeyReplication keys;
  static TestS3 s3;
  static Rule rule;
  static String source;
  static String destination;

  /**
   * The rule of {@link #aGrantReadThatFailsAfterTheWriteIsAppliedByTheRetryToTheSameReplica}: its
   * source through a proxy.
   */
  static Rule aclRule;

  static FaultProxy aclProxy;

  @BeforeAll
  static void start() throws IOException {
    s3 = TestS3.get();
    Map<String, Object> config = new HashMap<>(TestServer.LOOPBACK_ALLOWED);
    config.put("replicator.roles", "api");
    server = TestServer.start(config);
    Fixtures fixtures = new Fixtures(server);
    String tenant = fixtures.tenant();
    Api admin = fixtures.as(fixtures.token(tenant, "ADMIN"));
    String trust = Fixtures.trust(admin, tenant, s3.trustBody("s3"));
    source = s3.bucket(true);
    destination = s3.bucket(true);
    JsonNode created =
        Fixtures.rule(
            admin,
            tenant,
            Fixtures.withDeleteMarkers(
                Fixtures.ruleBody(
                    "key", 0, trust, source, Fixtures.destination(trust, destination))));
    queue = server.context().getBean(TaskQueue.class);
    keys = server.context().getBean(KeyReplication.class);
    rule = stored(tenant, created);

    // the source's first three GetObjectAcl answers (the SDK's attempts of one call) are 503
    // SlowDown
    aclProxy =
        new FaultProxy(
            "source",
            s3.endpoint(),
            FaultProxy.Plan.seeded(1)
                .at(Operation.GET_OBJECT_ACL, 0, Fault.SLOW_DOWN)
                .at(Operation.GET_OBJECT_ACL, 1, Fault.SLOW_DOWN)
                .at(Operation.GET_OBJECT_ACL, 2, Fault.SLOW_DOWN));
    String proxiedTrust =
        Fixtures.trust(admin, tenant, s3.trustBody("through a proxy", aclProxy.endpoint()));
    JsonNode aclCreated =
        Fixtures.rule(
            admin,
            tenant,
            Fixtures.ruleBody(
                "acl",
                0,
                proxiedTrust,
                s3.bucket(true),
                Fixtures.destination(trust, s3.bucket(true))));
    aclRule = stored(tenant, aclCreated);
  }

  /** {@code created} as the rule service has it. */
  private static Rule stored(String tenant, JsonNode created) {
    return server
        .context()
        .getBean(RuleService.class)
        .get(UUID.fromString(tenant), UUID.fromString(created.get("id").asText()));
  }

  @AfterAll
  static void stop() throws IOException {
    server.close();
    aclProxy.close();
  }

  /**
   * The claimed version has an unannounced version below it, and a newer one is announced right
   * after the claim with an unannounced delete marker between the two: taking the newer one along
   * makes the marker older than a held version, so it is queued and copied in its place too,
   * instead of being found later and skipped.
   */
  @Test
  void aMarkerBetweenTheClaimedVersionAndOneTakenAlongIsCopiedInItsPlace() {
    S3Client client = s3.client();
    String key = "between.txt";
    Instant liveSince = rule.liveSince();
    put(client, key, "unannounced");
    String claimedVersion = put(client, key, "announced first");
    client.deleteObject(b -> b.bucket(source).key(key));
    String newer = put(client, key, "announced second");
    queue.enqueue(
        rule,
        List.of(new SourceVersion(key, claimedVersion, false, 15L, null, liveSince.plusSeconds(1))),
        "EVENT");
    List<ReplicationTask> claimed = queue.claim("copier", 10, 0, Duration.ofMinutes(5), Set.of());
    assertThat(claimed)
        .extracting(ReplicationTask::sourceVersionId)
        .containsExactly(claimedVersion);
    queue.enqueue(
        rule,
        List.of(new SourceVersion(key, newer, false, 16L, null, liveSince.plusSeconds(2))),
        "EVENT");

    List<TaskQueue.Finished> finished = keys.copy(claimed, hold("copier"));
    queue.finishAll("copier", finished);

    assertThat(finished)
        .as("every entry of the key, each copied")
        .hasSize(4)
        .allSatisfy(done -> assertThat(done.result().completed()).as(done.toString()).isTrue());
    KeyHistory.assertReplicated(client, source, destination, key);
  }

  /**
   * A worker wrote a key's version, marker, version and two more markers and died before recording
   * any of it. The one taking over finds every write at the destination: each version by its stamp,
   * each marker — markers are alike — as the oldest one no replica record names, so that no marker
   * is written twice and none is left unclaimed.
   */
  @Test
  void markersWrittenByAWorkerThatDiedAreEachClaimedOnceInOrder() {
    S3Client client = s3.client();
    String key = "markers-of-a-dead-worker.txt";
    Instant liveSince = rule.liveSince();
    String first = put(client, key, "first");
    client.deleteObject(b -> b.bucket(source).key(key));
    String second = put(client, key, "second");
    client.deleteObject(b -> b.bucket(source).key(key));
    client.deleteObject(b -> b.bucket(source).key(key));
    // S3Mock lists a key's delete markers apart from its versions, each list newest first
    List<KeyHistory.Entry> markers =
        new ArrayList<>(
            KeyHistory.of(client, source, key).stream()
                .filter(KeyHistory.Entry::deleteMarker)
                .toList());
    assertThat(markers).hasSize(3);
    Collections.reverse(markers);
    List<KeyHistory.Entry> entries =
        List.of(
            new KeyHistory.Entry(first, false, false),
            markers.get(0),
            new KeyHistory.Entry(second, false, false),
            markers.get(1),
            markers.get(2));
    // only the newest is announced: the dead worker's copy queued and took the four before it along
    KeyHistory.Entry newest = entries.get(4);
    queue.enqueue(
        rule,
        List.of(
            new SourceVersion(key, newest.versionId(), true, null, null, liveSince.plusSeconds(1))),
        "EVENT");
    List<ReplicationTask> claimed = queue.claim("died", 10, 10, Duration.ofMinutes(5), Set.of());
    assertThat(claimed)
        .extracting(ReplicationTask::sourceVersionId)
        .containsExactly(newest.versionId());
    List<TaskQueue.Finished> lost = keys.copy(claimed, hold("died"));
    assertThat(lost)
        .as("the dead worker wrote every entry")
        .hasSize(5)
        .allSatisfy(done -> assertThat(done.result().completed()).as(done.toString()).isTrue());
    assertThat(KeyHistory.of(client, destination, key)).hasSize(5);
    // the worker died without recording any of it: its leases run out
    assertThat(
            Sql.update(
                server.database(),
                "UPDATE replication_tasks SET lease_until = now() - interval '1 second' "
                    + "WHERE lease_owner = 'died'"))
        .isEqualTo(5);

    List<TaskQueue.Finished> finished = new ArrayList<>();
    for (int claims = 0; claims < 10; claims++) {
      List<ReplicationTask> retaken =
          queue.claim("survivor", 10, 10, Duration.ofMinutes(5), Set.of());
      if (retaken.isEmpty()) {
        break;
      }
      List<TaskQueue.Finished> done = keys.copy(retaken, hold("survivor"));
      queue.finishAll("survivor", done);
      finished.addAll(done);
    }
    assertThat(finished)
        .as("every entry found where the dead worker wrote it")
        .hasSize(5)
        .allSatisfy(
            done ->
                assertThat(done.result().outcome())
                    .as(done.toString())
                    .isEqualTo("ALREADY_REPLICATED"));
    assertThat(finished.stream().map(done -> done.result().destinationVersionId()).distinct())
        .hasSize(5);
    KeyHistory.assertReplicated(client, source, destination, key);
    assertThat(finished)
        .extracting(done -> done.task().sourceVersionId())
        .containsExactlyElementsOf(entries.stream().map(KeyHistory.Entry::versionId).toList());
  }

  /**
   * A worker wrote a key's version, marker and newer version, and only the marker's outcome was
   * lost. When the marker is retried, a newer version is already recorded as replicated, which
   * would make it a superseded marker to skip; but the marker is at the destination, in its place,
   * so the retry finds it there (the oldest unrecorded marker below the recorded replicas) instead.
   */
  @Test
  void aMarkerWrittenBeforeNewerVersionsWereRecordedIsFoundNotSkipped() {
    S3Client client = s3.client();
    String key = "marker-below-recorded.txt";
    Instant liveSince = rule.liveSince();
    put(client, key, "first");
    client.deleteObject(b -> b.bucket(source).key(key));
    String newest = put(client, key, "newest");
    queue.enqueue(
        rule,
        List.of(new SourceVersion(key, newest, false, 6L, null, liveSince.plusSeconds(1))),
        "EVENT");
    List<ReplicationTask> claimed = queue.claim("lost", 10, 10, Duration.ofMinutes(5), Set.of());
    List<TaskQueue.Finished> written = keys.copy(claimed, hold("lost"));
    assertThat(written)
        .as("the version, the marker and the newest version, each written")
        .hasSize(3)
        .allSatisfy(done -> assertThat(done.result().completed()).as(done.toString()).isTrue());
    queue.finishAll("lost", written.stream().filter(done -> !done.task().deleteMarker()).toList());
    assertThat(
            Sql.update(
                server.database(),
                "UPDATE replication_tasks SET lease_until = now() - interval '1 second' "
                    + "WHERE lease_owner = 'lost' AND state = 'RUNNING'"))
        .as("the marker's task, whose outcome was lost")
        .isEqualTo(1);

    List<ReplicationTask> retried = queue.claim("retrier", 10, 10, Duration.ofMinutes(5), Set.of());
    List<TaskQueue.Finished> finished = keys.copy(retried, hold("retrier"));
    queue.finishAll("retrier", finished);

    assertThat(finished)
        .singleElement()
        .satisfies(
            done -> {
              assertThat(done.task().deleteMarker()).isTrue();
              assertThat(done.result().outcome())
                  .as(done.toString())
                  .isEqualTo("ALREADY_REPLICATED");
              assertThat(done.result().destinationVersionId())
                  .isEqualTo(
                      KeyHistory.of(client, destination, key).stream()
                          .filter(KeyHistory.Entry::deleteMarker)
                          .findFirst()
                          .orElseThrow()
                          .versionId());
            });
    KeyHistory.assertReplicated(client, source, destination, key);
  }

  /**
   * The source's ACL is read beside the copy and applied after the write (ObjectAcls): when that
   * read fails, the replica is already written. The retry finds it by its stamp and gives it the
   * grants; no second version is written.
   */
  @Test
  void aGrantReadThatFailsAfterTheWriteIsAppliedByTheRetryToTheSameReplica() {
    S3Client client = s3.client();
    String from = aclRule.source().bucket();
    String to = aclRule.destinations().get(0).bucket();
    String key = "public.txt";
    String version =
        client
            .putObject(b -> b.bucket(from).key(key), RequestBody.fromString("for everyone"))
            .versionId();
    var owner = client.getObjectAcl(b -> b.bucket(from).key(key)).owner();
    client.putObjectAcl(
        b ->
            b.bucket(from)
                .key(key)
                .versionId(version)
                .accessControlPolicy(
                    p ->
                        p.owner(owner)
                            .grants(
                                Grant.builder()
                                    .grantee(g -> g.type(Type.CANONICAL_USER).id(owner.id()))
                                    .permission(Permission.FULL_CONTROL)
                                    .build(),
                                Grant.builder()
                                    .grantee(g -> g.type(Type.GROUP).uri(ALL_USERS))
                                    .permission(Permission.READ)
                                    .build())));
    queue.enqueue(
        aclRule,
        List.of(
            new SourceVersion(key, version, false, 12L, null, aclRule.liveSince().plusSeconds(1))),
        "EVENT");

    List<TaskQueue.Finished> first =
        keys.copy(queue.claim("acl", 10, 0, Duration.ofMinutes(5), Set.of()), hold("acl"));
    assertThat(first).hasSize(1);
    assertThat(first.get(0).result().completed()).as(first.toString()).isFalse();
    assertThat(first.get(0).result().error()).as(first.toString()).contains("SlowDown");
    assertThat(aclProxy.count(Operation.GET_OBJECT_ACL, Fault.SLOW_DOWN)).isEqualTo(3);
    assertThat(KeyHistory.of(client, to, key))
        .as("the replica written before the grants were read")
        .hasSize(1);
    assertThat(publicRead(client, to, key)).isFalse();
    queue.finishAll("acl", first);
    assertThat(
            Sql.update(
                server.database(),
                "UPDATE replication_tasks SET not_before = now() WHERE rule_id = '"
                    + aclRule.id()
                    + "' AND state = 'PENDING'"))
        .isEqualTo(1);

    List<TaskQueue.Finished> retried =
        keys.copy(queue.claim("acl", 10, 0, Duration.ofMinutes(5), Set.of()), hold("acl"));
    queue.finishAll("acl", retried);
    assertThat(retried)
        .singleElement()
        .satisfies(
            done ->
                assertThat(done.result().outcome())
                    .as(done.toString())
                    .isEqualTo("ALREADY_REPLICATED"));
    KeyHistory.assertReplicated(client, from, to, key);
    assertThat(publicRead(client, to, key)).as("the grant applied by the retry").isTrue();
  }

  private static final String ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";

  private static boolean publicRead(S3Client client, String bucket, String key) {
    return client.getObjectAcl(b -> b.bucket(bucket).key(key)).grants().stream()
        .anyMatch(g -> ALL_USERS.equals(g.grantee().uri()) && g.permission() == Permission.READ);
  }

  private static String put(S3Client client, String key, String content) {
    return client
        .putObject(b -> b.bucket(source).key(key), RequestBody.fromString(content))
        .versionId();
  }

  /** What a worker lends a copy: leases, and the adoption of the key's other queued versions. */
  private static KeyReplication.Hold hold(String owner) {
    return new KeyReplication.Hold() {
      @Override
      public String owner() {
        return owner;
      }

      @Override
      public Lease lease(ReplicationTask task) {
        return new Lease(
            Clock.systemUTC(), Instant.now(), Duration.ofMinutes(5), Duration.ofSeconds(1));
      }

      @Override
      public List<ReplicationTask> adoptRest(ReplicationTask task) {
        return queue.adoptKey(owner, task, Duration.ofMinutes(5));
      }
    };
  }
}
