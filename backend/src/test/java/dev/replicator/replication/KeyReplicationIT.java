package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replicator.rule.Rule;
import dev.replicator.rule.RuleService;
import dev.replicator.testing.Api;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.KeyHistory;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestS3;
import dev.replicator.testing.TestServer;
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

/**
 * One key's copy driven step by step (an api-only process: no worker claims on its own), so that a version can be
 * queued in the moment between a claim and the copy's listing of the key — which a running worker meets by chance.
 */
class KeyReplicationIT {

  static TestServer server;
  static TaskQueue queue;
  static KeyReplication keys;
  static TestS3 s3;
  static Rule rule;
  static String source;
  static String destination;

  @BeforeAll
  static void start() {
    s3 = TestS3.get();
    Map<String, Object> config = new HashMap<>(TestServer.LOOPBACK_ALLOWED);
    config.put("replicator.roles", "api");
    server = TestServer.start(config);
    Fixtures fixtures = new Fixtures(server);
    String tenant = fixtures.tenant();
    Api admin = fixtures.as(fixtures.token(tenant, "ADMIN"));
    String trust = admin.post("/api/v1/tenants/" + tenant + "/trusts", s3.trustBody("s3")).json().get("id").asText();
    source = s3.bucket(true);
    destination = s3.bucket(true);
    Api.Response created = admin.post("/api/v1/tenants/" + tenant + "/rules", Map.of("name", "key", "scanIntervalSeconds", 0,
        "deleteMarkerReplication", true, "source", Map.of("trustId", trust, "bucket", source),
        "destinations", List.of(Map.of("trustId", trust, "bucket", destination))));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    queue = server.context().getBean(TaskQueue.class);
    keys = server.context().getBean(KeyReplication.class);
    rule = server.context().getBean(RuleService.class).get(UUID.fromString(tenant), UUID.fromString(created.json().get("id").asText()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /**
   * The claimed version has an unannounced version below it, and a newer one is announced right after the claim with
   * an unannounced delete marker between the two: taking the newer one along makes the marker older than a held
   * version, so it is queued and copied in its place too, instead of being found later and skipped.
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
    queue.enqueue(rule, List.of(new SourceVersion(key, claimedVersion, false, 15L, null, liveSince.plusSeconds(1))), "EVENT");
    List<ReplicationTask> claimed = queue.claim("copier", 10, 0, Duration.ofMinutes(5), Set.of());
    assertThat(claimed).extracting(ReplicationTask::sourceVersionId).containsExactly(claimedVersion);
    queue.enqueue(rule, List.of(new SourceVersion(key, newer, false, 16L, null, liveSince.plusSeconds(2))), "EVENT");

    List<TaskQueue.Finished> finished = keys.copy(claimed, hold("copier"));
    queue.finishAll("copier", finished);

    assertThat(finished).as("every entry of the key, each copied").hasSize(4)
        .allSatisfy(done -> assertThat(done.result().completed()).as(done.toString()).isTrue());
    KeyHistory.assertReplicated(client, source, destination, key);
  }

  /**
   * A worker wrote a key's version, marker, version and two more markers and died before recording any of it. The one
   * taking over finds every write at the destination: each version by its stamp, each marker — markers are alike —
   * as the oldest one no replica record names, so that no marker is written twice and none is left unclaimed.
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
    List<KeyHistory.Entry> markers = new ArrayList<>(KeyHistory.of(client, source, key).stream()
        .filter(KeyHistory.Entry::deleteMarker).toList());
    assertThat(markers).hasSize(3);
    Collections.reverse(markers);
    List<KeyHistory.Entry> entries = List.of(new KeyHistory.Entry(first, false, false), markers.get(0),
        new KeyHistory.Entry(second, false, false), markers.get(1), markers.get(2));
    // only the newest is announced: the dead worker's copy queued and took the four before it along
    KeyHistory.Entry newest = entries.get(4);
    queue.enqueue(rule, List.of(new SourceVersion(key, newest.versionId(), true, null, null, liveSince.plusSeconds(1))), "EVENT");
    List<ReplicationTask> claimed = queue.claim("died", 10, 10, Duration.ofMinutes(5), Set.of());
    assertThat(claimed).extracting(ReplicationTask::sourceVersionId).containsExactly(newest.versionId());
    List<TaskQueue.Finished> lost = keys.copy(claimed, hold("died"));
    assertThat(lost).as("the dead worker wrote every entry").hasSize(5)
        .allSatisfy(done -> assertThat(done.result().completed()).as(done.toString()).isTrue());
    assertThat(KeyHistory.of(client, destination, key)).hasSize(5);
    // the worker died without recording any of it: its leases run out
    assertThat(Sql.update(server.database(), "UPDATE replication_tasks SET lease_until = now() - interval '1 second' "
        + "WHERE lease_owner = 'died'")).isEqualTo(5);

    List<TaskQueue.Finished> finished = new ArrayList<>();
    for (int claims = 0; claims < 10; claims++) {
      List<ReplicationTask> retaken = queue.claim("survivor", 10, 10, Duration.ofMinutes(5), Set.of());
      if (retaken.isEmpty()) {
        break;
      }
      List<TaskQueue.Finished> done = keys.copy(retaken, hold("survivor"));
      queue.finishAll("survivor", done);
      finished.addAll(done);
    }
    assertThat(finished).as("every entry found where the dead worker wrote it").hasSize(5)
        .allSatisfy(done -> assertThat(done.result().outcome()).as(done.toString()).isEqualTo("ALREADY_REPLICATED"));
    assertThat(finished.stream().map(done -> done.result().destinationVersionId()).distinct()).hasSize(5);
    KeyHistory.assertReplicated(client, source, destination, key);
    assertThat(finished).extracting(done -> done.task().sourceVersionId())
        .containsExactlyElementsOf(entries.stream().map(KeyHistory.Entry::versionId).toList());
  }

  private static String put(S3Client client, String key, String content) {
    return client.putObject(b -> b.bucket(source).key(key), RequestBody.fromString(content)).versionId();
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
        return new Lease(Clock.systemUTC(), Instant.now(), Duration.ofMinutes(5), Duration.ofSeconds(1));
      }

      @Override
      public List<ReplicationTask> adoptRest(ReplicationTask task) {
        return queue.adoptKey(owner, task, Duration.ofMinutes(5));
      }
    };
  }
}
