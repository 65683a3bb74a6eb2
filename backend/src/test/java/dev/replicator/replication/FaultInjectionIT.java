package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Api;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.FaultProxy;
import dev.replicator.testing.FaultProxy.Fault;
import dev.replicator.testing.FaultProxy.Operation;
import dev.replicator.testing.KeyHistory;
import dev.replicator.testing.ServerProcess;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestPostgres;
import dev.replicator.testing.TestRgw;
import dev.replicator.testing.TestS3;
import dev.replicator.testing.TestServer;
import dev.replicator.testing.TestStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Tag;

/**
 * The promise the product is judged by: <em>the destination ends up holding exactly the source's version history —
 * every version once, in the source's order, the source's current version or delete marker current — whatever
 * happens on the way.</em>
 *
 * <p>The packaged jar runs as three processes on one PostgreSQL: an API and scheduler, and two workers. The source and
 * destination trusts reach the store through {@link FaultProxy}s that reset connections, tear request bodies, lose
 * answers after the write happened (CreateMultipartUpload and CompleteMultipartUpload included), cut answers and
 * answer SlowDown, at a seeded rate. Keys get several versions and delete markers within one second, some of them
 * multipart-sized; half of the writes are announced by S3 event notifications with millisecond times (some lost,
 * some duplicated, some late); a worker is killed with SIGKILL in the middle of a multipart copy and started again,
 * and PostgreSQL is restarted during the run. Scans catch what the events miss. Once every task has ended, each key
 * is checked against the source: its history ({@link KeyHistory#assertReplicated}), each version's tags and user
 * metadata, no multipart upload left at the destination, and the object status API agreeing with the destination.
 *
 * <p>{@code -Dfaults.seed=N} replays a run's plan (faults and writes; the interleaving of concurrent copies differs);
 * {@code faults.rate}, {@code faults.keys}, {@code faults.rounds}, {@code faults.large} and {@code faults.stores}
 * ({@code s3mock}, {@code rgw}) size it; {@code bench/soak} runs it repeatedly with larger counts and new seeds.
 */
class FaultInjectionIT {

  private static final long SEED = Long.getLong("faults.seed", new SecureRandom().nextLong());
  private static final double RATE = Double.parseDouble(System.getProperty("faults.rate", "0.1"));
  private static final int KEYS = Integer.getInteger("faults.keys", 10);
  private static final int ROUNDS = Integer.getInteger("faults.rounds", 6);
  private static final int LARGE = Integer.getInteger("faults.large", 5);
  /** The share of writes announced by an event notification (before some are lost, doubled or delayed). */
  private static final double ANNOUNCE = Double.parseDouble(System.getProperty("faults.announce", "0.5"));
  /**
   * A key written once and deleted twice, all announced in order, whose second DeleteObject at the destination is
   * answered SlowDown once: its retry must still create the second delete marker.
   */
  static final String TWICE_DELETED = "markers/twice-deleted";
  private static final Duration QUIESCENCE = Duration.ofSeconds(Integer.getInteger("faults.quiesce-seconds", 150));
  private static final Duration STARTUP = Duration.ofSeconds(150);
  private static final int MIB = 1024 * 1024;

  @TempDir Path work;

  static Stream<String> stores() {
    return Arrays.stream(System.getProperty("faults.stores", "s3mock").split(",")).map(String::trim).filter(s -> !s.isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stores")
  void theDestinationEndsUpWithExactlyTheSourcesHistoryWhateverHappensOnTheWay(String storeName) throws Exception {
    TestStore store;
    String endpoint;
    if (storeName.equals("rgw")) {
      TestRgw.assumeAvailable();
      TestRgw rgw = TestRgw.get();
      store = rgw;
      endpoint = rgw.endpoint();
    } else {
      TestS3 s3 = TestS3.get();
      store = s3;
      endpoint = s3.endpoint();
    }
    System.out.printf("FaultInjectionIT [%s]: seed %d (replay with -Dfaults.seed=%d), rate %.2f, %d keys, %d rounds, %d large%n",
        store.name(), SEED, SEED, RATE, KEYS, ROUNDS, LARGE);
    try (Run run = new Run(store, endpoint, work)) {
      run.execute();
    }
  }

  /** One run: its store, proxies, database, processes, workload, and what happened on the way. */
  private static final class Run implements AutoCloseable {
    private final Instant began = Instant.now();
    private final TestStore store;
    private final S3Client client;
    private final Path work;
    private final String source;
    private final String destination;
    private final FaultProxy sourceProxy;
    private final FaultProxy destinationProxy;
    private final int postgresPort;
    private EmbeddedPostgres postgres;
    private final TestPostgres.Database database;
    private final List<ServerProcess> processes = new ArrayList<>();
    private ServerProcess api;
    private final ServerProcess[] workers = new ServerProcess[2];
    private int killedWorker = -1;
    private Api admin;
    private String tenant;
    private String ruleId;
    private Workload workload;
    private Announcer announcer;
    private final List<String> timeline = new ArrayList<>();
    private final List<Diagnosis> diagnoses = new ArrayList<>();

    Run(TestStore store, String endpoint, Path work) throws Exception {
      this.store = store;
      this.client = store.client();
      this.work = work;
      this.source = store.bucket(true);
      this.destination = store.bucket(true);
      FaultProxy.Plan destinationPlan = FaultProxy.Plan.seeded(SEED).rate(RATE)
          // The faults that must be among them whatever the dice say: lost answers to the multipart calls and writes.
          .at(Operation.CREATE_MULTIPART_UPLOAD, 0, Fault.LOST_ANSWER)
          .at(Operation.COMPLETE_MULTIPART_UPLOAD, 0, Fault.LOST_ANSWER)
          .at(Operation.COMPLETE_MULTIPART_UPLOAD, 2, Fault.CUT_ANSWER)
          .at(Operation.CREATE_MULTIPART_UPLOAD, 2, Fault.LOST_ANSWER)
          .at(Operation.PUT_OBJECT, 3, Fault.LOST_ANSWER)
          .at(Operation.DELETE_OBJECT, 1, Fault.LOST_ANSWER)
          .at(Operation.DELETE_OBJECT, 3, Fault.SLOW_DOWN)
          .at(Operation.DELETE_OBJECT, "/" + destination + "/" + encodePath(TWICE_DELETED), 1, Fault.SLOW_DOWN);
      this.destinationProxy = new FaultProxy("destination", endpoint, destinationPlan);
      this.sourceProxy = new FaultProxy("source", endpoint, FaultProxy.Plan.seeded(SEED + 1).rate(RATE));
      destinationProxy.enabled(false);
      sourceProxy.enabled(false);
      try (ServerSocket socket = new ServerSocket(0)) {
        postgresPort = socket.getLocalPort();
      }
      postgres = startPostgres();
      database = new TestPostgres.Database(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "");
    }

    private EmbeddedPostgres startPostgres() throws Exception {
      return EmbeddedPostgres.builder().setDataDirectory(work.resolve("postgres")).setCleanDataDirectory(false)
          .setPort(postgresPort).start();
    }

    private void mark(String what) {
      String line = String.format("%6.1f s  %s", Duration.between(began, Instant.now()).toMillis() / 1000.0, what);
      timeline.add(line);
      System.out.println("FaultInjectionIT: " + line);
    }

    private Map<String, String> environment(String roles) {
      Map<String, String> environment = new HashMap<>();
      environment.put("DATASOURCE_URL", database.url());
      environment.put("DATASOURCE_USERNAME", database.username());
      environment.put("DATASOURCE_PASSWORD", database.password());
      environment.put("REPLICATOR_MASTER_KEY", TestServer.MASTER_KEY);
      environment.put("REPLICATOR_ADMIN_TOKEN", TestServer.ADMIN_TOKEN);
      environment.put("REPLICATOR_ALLOWED_ENDPOINT_CIDRS", "127.0.0.0/8");
      environment.put("REPLICATOR_ROLES", roles);
      environment.put("REPLICATOR_WORKER_CONCURRENCY", "4");
      environment.put("REPLICATOR_WORKER_LEASE", "4s");
      environment.put("REPLICATOR_MULTIPART_THRESHOLD", Integer.toString(5 * MIB));
      environment.put("REPLICATOR_PART_SIZE", Integer.toString(5 * MIB));
      environment.put("REPLICATOR_PART_CONCURRENCY", "2");
      environment.put("REPLICATOR_DB_POOL_SIZE", "6");
      return environment;
    }

    private static final List<String> QUICK = List.of("-Dreplicator.worker.poll-interval=200ms", "-Dreplicator.scan.tick=300ms",
        "-Dreplicator.scan.initial-delay=0s", "-Dreplicator.worker.shutdown-grace=0s",
        "-Ddatasources.default.connection-timeout=2000");

    private ServerProcess startProcess(String roles, String log) throws Exception {
      ServerProcess process = ServerProcess.start(environment(roles), work.resolve(log), "-Xmx256m", QUICK);
      synchronized (processes) {
        processes.add(process);
      }
      return process;
    }

    private ServerProcess startWorker(int index, String log) {
      try {
        return startProcess("worker", log);
      } catch (Exception e) {
        throw new IllegalStateException("worker " + index + " did not start", e);
      }
    }

    void execute() throws Exception {
      api = startProcess("api,scheduler", "api.log");
      CompletableFuture<ServerProcess> first = CompletableFuture.supplyAsync(() -> startWorker(0, "worker-0.log"));
      CompletableFuture<ServerProcess> second = CompletableFuture.supplyAsync(() -> startWorker(1, "worker-1.log"));
      workers[0] = first.get(STARTUP.toSeconds(), TimeUnit.SECONDS);
      workers[1] = second.get(STARTUP.toSeconds(), TimeUnit.SECONDS);
      mark("started PostgreSQL, the API+scheduler and two worker processes (pids " + workers[0].pid() + ", " + workers[1].pid() + ")");
      arrange();
      sourceProxy.enabled(true);
      destinationProxy.enabled(true);
      workload = new Workload(new Random(SEED), client, source, KEYS, LARGE);
      announcer = new Announcer(new Random(SEED ^ 0x5DEECE66DL), source);

      announcer.inOrder(workload.twiceDeleted(), admin, tenant);
      int round = 0;
      int beforeKill = Math.max(1, ROUNDS / 3);
      for (; round < beforeKill; round++) {
        announcer.announce(workload.round(round, round == 0 ? 2 : 0), admin, tenant);
      }
      mark("wrote " + round + " rounds");
      killAWorkerInTheMiddleOfAMultipartCopy(round);

      int beforeRestart = Math.max(round + 1, 2 * ROUNDS / 3);
      for (; round < beforeRestart; round++) {
        announcer.announce(workload.round(round, 0), admin, tenant);
      }
      mark("wrote rounds up to " + round + " with one worker down");
      postgres.close();
      mark("stopped PostgreSQL");
      // Written while the database is down: the API cannot take their events, the scan has to find them.
      announcer.announce(workload.round(round++, 0), admin, tenant);
      postgres = startPostgres();
      mark("started PostgreSQL again");
      int killed = killedWorker;
      CompletableFuture<ServerProcess> restarted = CompletableFuture.supplyAsync(() -> startWorker(killed, "worker-" + killed + "-restarted.log"));

      int last = Math.max(round + 1, ROUNDS);
      for (; round < last; round++) {
        announcer.announce(workload.round(round, 0), admin, tenant);
      }
      announcer.flush(admin, tenant);
      mark("wrote " + round + " rounds: " + workload.summary() + "; events: " + announcer.summary());
      workers[killed] = restarted.get(STARTUP.toSeconds(), TimeUnit.SECONDS);
      mark("restarted the killed worker (pid " + workers[killed].pid() + ")");

      awaitQuiescence();
      mark("quiescent: " + Sql.text(database, "SELECT string_agg(state || coalesce('/' || outcome, '') || ' ' || n, ', ') FROM "
          + "(SELECT state, outcome, count(*) n FROM replication_tasks GROUP BY 1, 2 ORDER BY 1, 2) s"));
      Map<String, List<String>> problems = check();
      mark("checked " + workload.keys().size() + " keys");
      String report = report(problems);
      System.out.println(report);
      assertThat(problems).as(report).isEmpty();
    }

    private void arrange() {
      admin = api.api().withToken(TestServer.ADMIN_TOKEN);
      tenant = admin.post("/api/v1/tenants", Map.of("name", "faults")).json().get("id").asText();
      Map<String, Object> sourceTrust = new HashMap<>(store.trustBody("source"));
      sourceTrust.put("endpoint", sourceProxy.endpoint());
      Map<String, Object> destinationTrust = new HashMap<>(store.trustBody("destination"));
      destinationTrust.put("endpoint", destinationProxy.endpoint());
      Api.Response createdSource = admin.post(path("/trusts"), sourceTrust);
      assertThat(createdSource.status()).as(createdSource.body()).isEqualTo(201);
      Api.Response createdDestination = admin.post(path("/trusts"), destinationTrust);
      assertThat(createdDestination.status()).as(createdDestination.body()).isEqualTo(201);
      Api.Response rule = admin.post(path("/rules"), Map.of("name", "under-faults", "scanIntervalSeconds", 30,
          "deleteMarkerReplication", true,
          "source", Map.of("trustId", createdSource.json().get("id").asText(), "bucket", source),
          "destinations", List.of(Map.of("trustId", createdDestination.json().get("id").asText(), "bucket", destination))));
      assertThat(rule.status()).as(rule.body()).isEqualTo(201);
      ruleId = rule.json().get("id").asText();
      await("the rule's first scan", Duration.ofSeconds(60), () -> Sql.count(database,
          "SELECT count(*) FROM rule_scans WHERE rule_id = '" + ruleId + "' AND last_completed_at IS NOT NULL") == 1);
      Eventually.untilTheSecondAfter(Instant.parse(rule.json().get("liveSince").asText()));
      mark("created the tenant, the trusts (through the proxies) and the rule");
    }

    private String path(String path) {
      return "/api/v1/tenants/" + tenant + path;
    }

    /**
     * Waits for a worker to hold a running multipart copy (its upload id recorded on the task), writing more large
     * versions while none does, and kills that worker with SIGKILL.
     */
    private void killAWorkerInTheMiddleOfAMultipartCopy(int round) throws Exception {
      Instant deadline = Instant.now().plusSeconds(90);
      Instant nextLarge = Instant.now().plusSeconds(4);
      while (true) {
        String owner = Sql.text(database, "SELECT lease_owner FROM replication_tasks WHERE state = 'RUNNING' "
            + "AND multipart_upload_id IS NOT NULL AND lease_until > now() LIMIT 1");
        if (owner != null) {
          for (int i = 0; i < workers.length; i++) {
            if (owner.startsWith(workers[i].pid() + "@")) {
              String held = Sql.text(database, "SELECT string_agg(source_key || ' ' || source_version_id || coalesce(' upload '"
                  + " || multipart_upload_id, ''), '; ') FROM replication_tasks WHERE lease_owner = '" + owner + "' AND state = 'RUNNING'");
              workers[i].kill();
              mark("killed worker " + i + " (pid " + workers[i].pid() + ", SIGKILL) while it copied: " + held);
              workers[i] = null;
              killedWorker = i;
              return;
            }
          }
        }
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError("No worker held a running multipart copy within 90 s, so none could be killed in the middle "
              + "of one; " + report(Map.of()));
        }
        if (Instant.now().isAfter(nextLarge)) {
          announcer.announce(workload.round(round, 1), admin, tenant);
          if (ANNOUNCE <= 0) {
            Sql.update(database, "UPDATE rule_scans SET next_scan_at = now() WHERE rule_id = '" + ruleId + "'");
          }
          nextLarge = Instant.now().plusSeconds(4);
        }
        Eventually.sleep(Duration.ofMillis(30));
      }
    }

    /**
     * Every task ended, after a scan pass that started after the last write (so every version has been found): wait
     * for no pass in progress, ask for one, and wait for it to complete and for the queue to drain.
     */
    private void awaitQuiescence() {
      // A fresh pass from the start of the listing, due now, once no scheduler holds the rule's scan lease. (Every pass
      // claimed from here on starts after the last write; one that fails on the way resumes from its own markers.)
      String[] requested = new String[1];
      await("the rule's scan lease free, to ask for a fresh pass", Duration.ofSeconds(90), () -> {
        requested[0] = Sql.text(database, "UPDATE rule_scans SET next_scan_at = now(), key_marker = NULL, version_id_marker = NULL, "
            + "pass_started_at = NULL WHERE rule_id = '" + ruleId + "' AND (lease_until IS NULL OR lease_until < now()) RETURNING now()::text");
        return requested[0] != null;
      });
      await("a scan pass that started after the last write", QUIESCENCE, () -> {
        boolean done = Sql.count(database, "SELECT count(*) FROM rule_scans WHERE rule_id = '" + ruleId
            + "' AND last_completed_at > '" + requested[0] + "'::timestamptz") == 1;
        if (!done) {
          // A pass that failed on the way is retried after a minute; ask again.
          Sql.update(database, "UPDATE rule_scans SET next_scan_at = now() WHERE rule_id = '" + ruleId
              + "' AND next_scan_at > now() AND (lease_until IS NULL OR lease_until < now())");
        }
        return done;
      });
      mark("a scan pass completed after the last write");
      await("every task ended", QUIESCENCE, () -> Sql.count(database, "SELECT count(*) FROM replication_tasks WHERE rule_id = '"
          + ruleId + "' AND state IN ('PENDING', 'RUNNING')") == 0);
    }

    private void await(String what, Duration timeout, BooleanSupplier condition) {
      Eventually.await(what, timeout, () -> {
        try {
          return condition.getAsBoolean();
        } catch (RuntimeException e) {
          return false;
        }
      }, () -> report(Map.of()) + "\n" + taskSummary());
    }

    private String taskSummary() {
      try {
        return "tasks not ended: " + Sql.text(database, "SELECT string_agg(source_key || ' ' || source_version_id || ' ' || state "
            + "|| ' attempts=' || attempts || ' not_before=' || not_before || ' error=' || coalesce(last_error, ''), E'\\n') "
            + "FROM replication_tasks WHERE state IN ('PENDING', 'RUNNING')");
      } catch (RuntimeException e) {
        return "tasks unavailable: " + e.getMessage();
      }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The checks, against the source

    private Map<String, List<String>> check() {
      Map<String, List<String>> problems = new LinkedHashMap<>();
      Map<String, JsonNode> statuses = objectStatuses();
      Map<String, JsonNode> allStatuses = new HashMap<>(statuses);
      Map<String, String> replicaOf = new HashMap<>();
      for (String key : workload.keys()) {
        List<KeyHistory.Entry> sourceHistory = KeyHistory.of(client, source, key);
        List<KeyHistory.Entry> destinationHistory = KeyHistory.of(client, destination, key);
        Map<String, String> destinationVersionOf = new HashMap<>();
        for (KeyHistory.Entry entry : destinationHistory) {
          if (!entry.deleteMarker()) {
            String stamp = client.headObject(b -> b.bucket(destination).key(key).versionId(entry.versionId())).metadata()
                .get("replicator-source-version-id");
            if (stamp != null) {
              destinationVersionOf.put(stamp, entry.versionId());
              replicaOf.put(entry.versionId(), stamp);
            }
          }
        }
        try {
          KeyHistory.assertReplicated(client, source, client, destination, key);
        } catch (AssertionError e) {
          add(problems, "history (KeyHistory.assertReplicated)", key, e.getMessage());
          diagnose(key, sourceHistory, destinationHistory, replicaOf, allStatuses);
        }
        checkTagsAndMetadata(problems, key, sourceHistory, destinationVersionOf);
        checkStatuses(problems, key, sourceHistory, destinationHistory, destinationVersionOf, statuses);
      }
      for (JsonNode status : statuses.values()) {
        add(problems, "object status", status.get("key").asText(), "an item for a version the source does not have: " + status);
      }
      List<MultipartUpload> uploads = client.listMultipartUploads(b -> b.bucket(destination)).uploads();
      for (MultipartUpload upload : uploads) {
        add(problems, "multipart uploads left at the destination (ListMultipartUploads)", upload.key(),
            "upload " + upload.uploadId() + " initiated " + upload.initiated());
      }
      return problems;
    }

    /**
     * Why a key's history differs, for the report (not an assertion): only by the versions the product SKIPPED (as
     * SUPERSEDED: found after a newer version of the key was replicated), or beyond them.
     */
    private void diagnose(String key, List<KeyHistory.Entry> sourceHistory, List<KeyHistory.Entry> destinationHistory,
        Map<String, String> replicaOf, Map<String, JsonNode> statuses) {
      List<String> expected = new ArrayList<>();
      int skipped = 0;
      int markersCompleted = 0;
      int markersAlready = 0;
      for (KeyHistory.Entry entry : sourceHistory) {
        JsonNode status = statuses.get(key + "\n" + entry.versionId());
        String state = status == null ? "UNLISTED" : status.get("status").asText();
        if (state.equals("SKIPPED")) {
          skipped++;
          continue;
        }
        if (entry.deleteMarker() && state.equals("COMPLETED")) {
          markersCompleted++;
          markersAlready += "ALREADY_REPLICATED".equals(status.get("outcome").asText()) ? 1 : 0;
        }
        expected.add(label(entry.deleteMarker(), entry.versionId(), entry.latest()));
      }
      List<String> actual = destinationHistory.stream()
          .map(entry -> label(entry.deleteMarker(), replicaOf.get(entry.versionId()), entry.latest())).toList();
      if (expected.equals(actual)) {
        diagnoses.add(new Diagnosis(key, true, key + ": differs from the source only by the " + skipped
            + " versions/markers the product SKIPPED (see the object status; SUPERSEDED: found after a newer version of the key "
            + "had been replicated, so never copied)"));
      } else {
        long destinationMarkers = destinationHistory.stream().filter(KeyHistory.Entry::deleteMarker).count();
        diagnoses.add(new Diagnosis(key, false, key + ": differs beyond its " + skipped + " SKIPPED versions/markers; without them "
            + "the source's history is " + expected + " but the destination holds " + actual + "; " + markersCompleted
            + " delete markers COMPLETED (" + markersAlready + " of them as ALREADY_REPLICATED on a retry, which takes whatever "
            + "delete marker is current at the destination for its own), " + destinationMarkers + " at the destination"
            + (store instanceof TestS3 ? " (S3Mock also creates no marker when it deletes a key that has no version there)" : "")));
      }
    }

    private static String label(boolean deleteMarker, String sourceVersionId, boolean latest) {
      return (deleteMarker ? "marker" : "version " + sourceVersionId) + (latest ? " (current)" : "");
    }

    private static void add(Map<String, List<String>> problems, String check, String key, String problem) {
      problems.computeIfAbsent(check, c -> new ArrayList<>()).add(key + ": " + problem);
    }

    private void checkTagsAndMetadata(Map<String, List<String>> problems, String key, List<KeyHistory.Entry> sourceHistory,
        Map<String, String> destinationVersionOf) {
      for (KeyHistory.Entry entry : sourceHistory) {
        String replica = destinationVersionOf.get(entry.versionId());
        if (entry.deleteMarker() || replica == null) {
          continue;
        }
        HeadObjectResponse original = client.headObject(b -> b.bucket(source).key(key).versionId(entry.versionId()));
        HeadObjectResponse copy = client.headObject(b -> b.bucket(destination).key(key).versionId(replica));
        Map<String, String> copiedMetadata = new TreeMap<>(copy.metadata());
        copiedMetadata.remove("replicator-source-version-id");
        copiedMetadata.remove("replicator-source-last-modified");
        if (!new TreeMap<>(original.metadata()).equals(copiedMetadata)) {
          add(problems, "tags and user metadata", key, "version " + entry.versionId() + " has user metadata " + original.metadata()
              + " at the source and " + copiedMetadata + " at the destination");
        }
        if (!String.valueOf(original.contentType()).equals(String.valueOf(copy.contentType()))) {
          add(problems, "tags and user metadata", key, "version " + entry.versionId() + " has Content-Type " + original.contentType()
              + " at the source and " + copy.contentType() + " at the destination");
        }
        Map<String, String> sourceTags = tags(source, key, entry.versionId());
        Map<String, String> destinationTags = tags(destination, key, replica);
        if (!sourceTags.equals(destinationTags)) {
          add(problems, "tags and user metadata", key, "version " + entry.versionId() + " has tags " + sourceTags
              + " at the source and " + destinationTags + " at the destination");
        }
      }
    }

    private Map<String, String> tags(String bucket, String key, String versionId) {
      return client.getObjectTagging(b -> b.bucket(bucket).key(key).versionId(versionId)).tagSet().stream()
          .collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b, TreeMap::new));
    }

    /** All items of the rule's object status, by key and version id (removed from the map as the checks match them). */
    private Map<String, JsonNode> objectStatuses() {
      Map<String, JsonNode> items = new LinkedHashMap<>();
      String cursor = null;
      do {
        Api.Response page = admin.get(path("/rules/" + ruleId + "/objects?limit=1000"
            + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))));
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        for (JsonNode item : page.json().get("items")) {
          JsonNode previous = items.put(item.get("key").asText() + "\n" + item.get("versionId").asText(), item);
          if (previous != null) {
            throw new AssertionError("The object status lists " + item.get("key").asText() + " version "
                + item.get("versionId").asText() + " twice: " + previous + " and " + item);
          }
        }
        JsonNode next = page.json().get("nextCursor");
        cursor = next == null || next.isNull() ? null : next.asText();
      } while (cursor != null);
      return items;
    }

    private void checkStatuses(Map<String, List<String>> problems, String key, List<KeyHistory.Entry> sourceHistory,
        List<KeyHistory.Entry> destinationHistory, Map<String, String> destinationVersionOf, Map<String, JsonNode> statuses) {
      long completedMarkers = 0;
      for (KeyHistory.Entry entry : sourceHistory) {
        JsonNode status = statuses.remove(key + "\n" + entry.versionId());
        String what = (entry.deleteMarker() ? "delete marker " : "version ") + entry.versionId();
        if (status == null) {
          add(problems, "object status", key, what + " is not listed at all");
          continue;
        }
        String state = status.get("status").asText();
        boolean atDestination = destinationVersionOf.containsKey(entry.versionId());
        switch (state) {
          case "COMPLETED" -> {
            if (entry.deleteMarker()) {
              completedMarkers++;
            } else if (!atDestination) {
              add(problems, "object status", key, what + " is COMPLETED but the destination holds no replica of it: " + status);
            } else if (!destinationVersionOf.get(entry.versionId()).equals(status.get("destinationVersionId").asText())) {
              add(problems, "object status", key, what + " is COMPLETED as destination version "
                  + status.get("destinationVersionId").asText() + " but its replica is " + destinationVersionOf.get(entry.versionId()));
            }
          }
          case "SKIPPED" -> {
            if (status.get("detail").isNull() || status.get("outcome").isNull()) {
              add(problems, "object status", key, what + " is SKIPPED without saying why: " + status);
            }
            if (atDestination) {
              add(problems, "object status", key, what + " is SKIPPED but the destination holds a replica of it: " + status);
            }
          }
          default -> add(problems, "object status", key, what + " is " + state + " after every task ended: " + status);
        }
      }
      long destinationMarkers = destinationHistory.stream().filter(KeyHistory.Entry::deleteMarker).count();
      if (completedMarkers != destinationMarkers) {
        add(problems, "object status", key, completedMarkers + " delete markers are COMPLETED but the destination holds "
            + destinationMarkers);
      }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reports

    private String report(Map<String, List<String>> problems) {
      StringBuilder out = new StringBuilder();
      out.append("FaultInjectionIT on ").append(store.name()).append(" with seed ").append(SEED)
          .append(" (replay with -Dfaults.seed=").append(SEED).append("), rate ").append(RATE).append('\n');
      out.append(destinationProxy.report()).append('\n').append(sourceProxy.report()).append('\n');
      if (workload != null) {
        out.append("writes: ").append(workload.summary()).append("; events: ").append(announcer.summary()).append('\n');
      }
      out.append("timeline:\n  ").append(String.join("\n  ", timeline)).append('\n');
      if (problems.isEmpty()) {
        return out.toString();
      }
      long onlySkipped = diagnoses.stream().filter(Diagnosis::onlySkipped).count();
      out.append("DIAGNOSIS of the history differences: ").append(onlySkipped).append(" keys differ only by SKIPPED versions, ")
          .append(diagnoses.size() - onlySkipped).append(" beyond them\n");
      diagnoses.forEach(d -> out.append("  ").append(d.text()).append('\n'));
      out.append("PROBLEMS:\n");
      problems.forEach((check, lines) -> {
        out.append("== ").append(check).append(" (").append(lines.size()).append(")\n");
        lines.forEach(line -> out.append("  ").append(line.replace("\n", "\n    ")).append('\n'));
      });
      List<String> keys = problems.values().stream().flatMap(List::stream).map(line -> line.substring(0, line.indexOf(':')))
          .distinct().toList();
      out.append("EVIDENCE per key (source and destination histories newest first, tasks, faults injected into its requests):\n");
      for (String key : keys) {
        out.append("-- ").append(key).append('\n');
        try {
          out.append("  source:      ").append(describe(source, key)).append('\n');
          out.append("  destination: ").append(describe(destination, key)).append('\n');
        } catch (RuntimeException e) {
          out.append("  (listing failed: ").append(e.getMessage()).append(")\n");
        }
        out.append("  tasks:\n    ").append(tasksOf(key).replace("\n", "\n    ")).append('\n');
        String encoded = encodePath(key);
        for (FaultProxy proxy : List.of(destinationProxy, sourceProxy)) {
          proxy.injections().stream().filter(i -> i.target().contains("/" + encoded))
              .forEach(i -> out.append("  fault at the ").append(proxy == destinationProxy ? "destination" : "source").append(": ")
                  .append(i).append('\n'));
        }
      }
      return out.toString();
    }

    private String describe(String bucket, String key) {
      return KeyHistory.of(client, bucket, key).stream().map(e -> {
        String stamp = e.deleteMarker() || !bucket.equals(destination) ? "" : " (replica of " + client.headObject(b -> b.bucket(bucket)
            .key(key).versionId(e.versionId())).metadata().get("replicator-source-version-id") + ")";
        return (e.deleteMarker() ? "marker " : "") + e.versionId() + stamp + (e.latest() ? " CURRENT" : "");
      }).collect(Collectors.joining(", "));
    }

    private String tasksOf(String key) {
      try {
        String rows = Sql.text(database, "SELECT string_agg(format('%s%s %s%s attempts=%s origin=%s enqueued=%s completed=%s "
            + "destination_version=%s reason=%s error=%s', CASE WHEN is_delete_marker THEN 'marker ' ELSE '' END, source_version_id, "
            + "state, coalesce('/' || outcome, ''), attempts, origin, enqueued_at, completed_at, destination_version_id, "
            + "failure_reason, last_error), E'\\n' ORDER BY enqueued_at) FROM replication_tasks WHERE source_key = '"
            + key.replace("'", "''") + "'");
        return rows == null ? "(none)" : rows;
      } catch (RuntimeException e) {
        return "(unavailable: " + e.getMessage() + ")";
      }
    }

    @Override
    public void close() throws Exception {
      for (ServerProcess process : processes) {
        process.kill();
      }
      sourceProxy.close();
      destinationProxy.close();
      postgres.close();
    }
  }

  /** Why a key's history differs (see {@code Run#diagnose}). */
  record Diagnosis(String key, boolean onlySkipped, String text) {}

  /** A key as it appears in a path-style request target. */
  static String encodePath(String key) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
  }

  // -----------------------------------------------------------------------------------------------------------------
  // The workload

  /** A version or delete marker the test wrote to the source. */
  record Write(String key, String versionId, boolean deleteMarker, long size, String etag, Instant time, boolean multipart) {}

  /**
   * Writes rounds of versions and delete markers to the source, seeded: each round gives every key one to three
   * writes in quick succession (so within one second), small objects mostly, multipart-sized ones up to a budget,
   * delete markers, and now and then two delete markers in a row. Every version carries its own tags, user
   * metadata and Content-Type, so a replica with another version's attributes shows.
   */
  static final class Workload {
    private final Random random;
    private final S3Client client;
    private final String bucket;
    private final List<String> keys = new ArrayList<>();
    private final List<Write> writes = new ArrayList<>();
    private int largeLeft;
    private int sequence;

    Workload(Random random, S3Client client, String bucket, int keys, int large) {
      this.random = random;
      this.client = client;
      this.bucket = bucket;
      this.largeLeft = large;
      for (int i = 0; i < keys; i++) {
        this.keys.add(switch (i % 4) {
          case 0 -> "reports/daily-" + i + ".csv";
          case 1 -> "media/clip " + i + ".bin";
          case 2 -> "k" + i;
          default -> "deep/a/b/c/object-" + i;
        });
      }
    }

    /** Every key written, the aimed scenario's included. */
    List<String> keys() {
      List<String> all = new ArrayList<>(keys);
      all.add(TWICE_DELETED);
      return all;
    }

    /** The aimed scenario: a version and two delete markers of {@link #TWICE_DELETED}, in that order. */
    List<Write> twiceDeleted() {
      List<Write> written = List.of(put(TWICE_DELETED, 0, 100, false), delete(TWICE_DELETED), delete(TWICE_DELETED));
      writes.addAll(written);
      return written;
    }

    /** One round: writes to every key (shuffled), with at least {@code forceLarge} multipart-sized versions. */
    List<Write> round(int round, int forceLarge) {
      List<Write> written = new ArrayList<>();
      List<String> order = new ArrayList<>(keys);
      Collections.shuffle(order, random);
      for (String key : order) {
        int actions = 1 + random.nextInt(3);
        for (int a = 0; a < actions; a++) {
          double dice = random.nextDouble();
          boolean exists = writes.stream().anyMatch(w -> w.key().equals(key)) || written.stream().anyMatch(w -> w.key().equals(key));
          if (!exists && dice >= 0.72) {
            // S3Mock and moto create no delete marker for a key without versions.
            dice = 0.5;
          }
          if (forceLarge > 0 || (dice < 0.12 && largeLeft > 0)) {
            forceLarge--;
            largeLeft--;
            written.add(put(key, round, 5 * MIB + 1 + random.nextInt(6 * MIB), random.nextBoolean()));
          } else if (dice < 0.72) {
            written.add(put(key, round, random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(48 * 1024), false));
          } else if (dice < 0.92) {
            written.add(delete(key));
          } else {
            written.add(delete(key));
            written.add(delete(key));
          }
        }
      }
      writes.addAll(written);
      return written;
    }

    private Write put(String key, int round, int size, boolean multipart) {
      int seq = ++sequence;
      byte[] body = new byte[size];
      random.nextBytes(body);
      byte[] label = ("seq " + seq + " of " + key + "\n").getBytes(StandardCharsets.UTF_8);
      System.arraycopy(label, 0, body, 0, Math.min(label.length, body.length));
      Map<String, String> metadata = Map.of("seq", Integer.toString(seq), "round", Integer.toString(round), "writer", "fault-injection");
      String tagging = "seq=" + seq + "&round=" + round + (seq % 3 == 0 ? "&kind=third" : "");
      String contentType = seq % 2 == 0 ? "text/plain" : "application/x-seq-" + seq;
      if (multipart) {
        String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key(key).metadata(metadata).tagging(tagging)
            .contentType(contentType)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        int partSize = 5 * MIB;
        for (int part = 1, offset = 0; offset < size; part++, offset += partSize) {
          int number = part;
          int length = Math.min(partSize, size - offset);
          String etag = client.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
              RequestBody.fromBytes(Arrays.copyOfRange(body, offset, offset + length))).eTag();
          parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        }
        var completed = client.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
            .multipartUpload(m -> m.parts(parts)));
        return new Write(key, completed.versionId(), false, size, completed.eTag(), now(), true);
      }
      var put = client.putObject(b -> b.bucket(bucket).key(key).metadata(metadata).tagging(tagging).contentType(contentType),
          RequestBody.fromBytes(body));
      return new Write(key, put.versionId(), false, size, put.eTag(), now(), false);
    }

    /** A delete marker; its id is read from the listing (S3Mock's DeleteObject answers another id). */
    private Write delete(String key) {
      client.deleteObject(b -> b.bucket(bucket).key(key));
      Instant time = now();
      String marker = client.listObjectVersions(b -> b.bucket(bucket).prefix(key)).deleteMarkers().stream()
          .filter(m -> m.key().equals(key) && Boolean.TRUE.equals(m.isLatest()))
          .map(m -> m.versionId())
          .findFirst()
          .orElseThrow(() -> new AssertionError("No current delete marker for " + key + " after deleting it"));
      return new Write(key, marker, true, 0, null, time, false);
    }

    private static Instant now() {
      return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    String summary() {
      long markers = writes.stream().filter(Write::deleteMarker).count();
      long large = writes.stream().filter(w -> w.size() > 5L * MIB).count();
      long multipart = writes.stream().filter(Write::multipart).count();
      return writes.size() + " writes to " + keys.size() + " keys (" + (writes.size() - markers) + " versions, " + large
          + " of them multipart-sized, " + multipart + " written as multipart uploads; " + markers + " delete markers)";
    }
  }

  /**
   * Announces half of the writes by S3 event notifications, as a notification pipeline would deliver them: some lost,
   * some twice, some late (in a later batch), batches shuffled. A POST that fails (the database is down) is a lost
   * event too.
   */
  static final class Announcer {
    private final Random random;
    private final String bucket;
    private final List<Map<String, Object>> late = new ArrayList<>();
    private int announced;
    private int lost;
    private int duplicated;
    private int delayed;
    private int refused;
    private int posts;
    private int sequencer;

    Announcer(Random random, String bucket) {
      this.random = random;
      this.bucket = bucket;
    }

    void announce(List<Write> writes, Api api, String tenant) {
      List<Map<String, Object>> batch = new ArrayList<>(late);
      late.clear();
      for (Write write : writes) {
        if (random.nextDouble() >= ANNOUNCE) {
          continue;
        }
        announced++;
        Map<String, Object> record = record(write);
        double dice = random.nextDouble();
        if (dice < 0.1) {
          lost++;
        } else if (dice < 0.25) {
          duplicated++;
          batch.add(record);
          batch.add(record);
        } else if (dice < 0.4) {
          delayed++;
          late.add(record);
        } else {
          batch.add(record);
        }
      }
      Collections.shuffle(batch, random);
      post(batch, api, tenant);
    }

    /** Announces every one of {@code writes}, once each, in order, in one notification. */
    void inOrder(List<Write> writes, Api api, String tenant) {
      announced += writes.size();
      posts++;
      try {
        Api.Response response = api.post("/api/v1/tenants/" + tenant + "/events",
            Map.of("Records", writes.stream().map(this::record).toList()));
        if (response.status() != 202) {
          refused += writes.size();
        }
      } catch (RuntimeException | AssertionError e) {
        refused += writes.size();
      }
    }

    void flush(Api api, String tenant) {
      List<Map<String, Object>> batch = new ArrayList<>(late);
      late.clear();
      post(batch, api, tenant);
    }

    private void post(List<Map<String, Object>> batch, Api api, String tenant) {
      for (int from = 0; from < batch.size(); ) {
        int to = Math.min(batch.size(), from + 1 + random.nextInt(5));
        List<Map<String, Object>> records = batch.subList(from, to);
        posts++;
        try {
          Api.Response response = api.post("/api/v1/tenants/" + tenant + "/events", Map.of("Records", records));
          if (response.status() != 202) {
            refused += records.size();
          }
        } catch (RuntimeException | AssertionError e) {
          refused += records.size();
        }
        from = to;
      }
    }

    private Map<String, Object> record(Write write) {
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("key", URLEncoder.encode(write.key(), StandardCharsets.UTF_8).replace("%2F", "/"));
      object.put("versionId", write.versionId());
      object.put("sequencer", String.format("%016X", ++sequencer));
      if (!write.deleteMarker()) {
        object.put("size", write.size());
        object.put("eTag", write.etag() == null ? "" : write.etag().replace("\"", ""));
      }
      String name = write.deleteMarker() ? "ObjectRemoved:DeleteMarkerCreated"
          : write.multipart() ? "ObjectCreated:CompleteMultipartUpload" : "ObjectCreated:Put";
      return Map.of("eventVersion", "2.1", "eventSource", "aws:s3", "awsRegion", "us-east-1", "eventTime", write.time().toString(),
          "eventName", name, "s3", Map.of("s3SchemaVersion", "1.0", "bucket", Map.of("name", bucket, "arn", "arn:aws:s3:::" + bucket),
              "object", object));
    }

    String summary() {
      return announced + " announced (" + lost + " lost, " + duplicated + " sent twice, " + delayed + " sent late), " + posts
          + " POSTs, " + refused + " records refused while the database was down";
    }
  }
}
