package dev.replicator.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.replication.WorkerSettings;
import dev.replicator.testing.Api;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.FaultProxy;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.S3Events;
import dev.replicator.testing.Sql;
import dev.replicator.testing.Testbed;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** Batch replication jobs against a real S3 server: filters, manifests, reports, cancel. */
class BatchJobIT {

  static Testbed bed;

  @BeforeAll
  static void start() {
    bed = Testbed.start(Map.of("replicator.batch.page-size", "100"));
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  @Test
  void existingVersionsAreReplicatedWithAReportAndCompletedOnesGoToADestinationAddedLater() {
    String source = bed.s3.bucket(true);
    String first = bed.s3.bucket(true);
    String reports = bed.s3.bucket(false);
    for (String key : List.of("a/1", "a/2", "b/1", "b/2", "c,\"quoted\" key")) {
      put(source, key, key);
    }
    JsonNode rule = rule(source, first);

    JsonNode job =
        bed.admin
            .post(
                bed.path("/batch-jobs"),
                Map.of(
                    "ruleId",
                    rule.get("id").asText(),
                    "description",
                    "backfill",
                    "filter",
                    Map.of("replicationStatuses", List.of("NONE")),
                    "report",
                    Map.of(
                        "trustId",
                        bed.trust,
                        "bucket",
                        reports,
                        "prefix",
                        "reports",
                        "scope",
                        "ALL_TASKS")))
            .json();
    assertThat(job.get("status").asText()).isEqualTo("PREPARING");
    JsonNode done = awaitEnd(job, "COMPLETED");
    assertThat(done.get("totalObjects").asInt()).isEqualTo(5);
    assertThat(done.get("succeeded").asInt()).isEqualTo(5);
    assertThat(done.get("failed").asInt()).isZero();
    assertThat(bed.s3.keys(first))
        .containsExactlyInAnyOrder("a/1", "a/2", "b/1", "b/2", "c,\"quoted\" key");

    String report = bed.admin.get(jobPath(job) + "/report").body();
    List<String> lines = report.lines().toList();
    assertThat(lines.get(0))
        .isEqualTo("bucket,key,versionId,destinationBucket,status,failureReason");
    assertThat(lines).hasSize(6);
    assertThat(lines)
        .contains(
            source
                + ",\"c,\"\"quoted\"\" key\","
                + version(source, "c,\"quoted\" key")
                + ","
                + first
                + ",COMPLETED,");
    Eventually.await(
        "the report in the report bucket",
        Duration.ofSeconds(20),
        () -> !bed.admin.get(jobPath(job)).json().get("reportLocation").isNull(),
        () -> bed.admin.get(jobPath(job)).body());
    String key = "reports/job-" + job.get("id").asText() + "/report.csv";
    assertThat(bed.admin.get(jobPath(job)).json().get("reportLocation").asText())
        .isEqualTo("s3://" + reports + "/" + key);
    assertThat(bed.client.getObjectAsBytes(b -> b.bucket(reports).key(key)).asUtf8String())
        .isEqualTo(report);

    String second = bed.s3.bucket(true);
    Map<String, Object> update = ruleBody(source, first, second);
    bed.admin.put(bed.path("/rules/" + rule.get("id").asText()), update);
    JsonNode again =
        job(
            rule.get("id").asText(),
            Map.of("replicationStatuses", List.of("COMPLETED"), "prefix", "a/"));
    JsonNode secondDone = awaitEnd(again, "COMPLETED");
    assertThat(secondDone.get("totalObjects").asInt())
        .as("a/1 and a/2, to both destinations")
        .isEqualTo(4);
    assertThat(secondDone.get("succeeded").asInt()).isEqualTo(4);
    assertThat(bed.s3.keys(second)).containsExactlyInAnyOrder("a/1", "a/2");

    JsonNode none = job(rule.get("id").asText(), Map.of("replicationStatuses", List.of("NONE")));
    assertThat(awaitEnd(none, "COMPLETED").get("totalObjects").asInt())
        .as("every version has been replicated")
        .isZero();
    assertThat(
            Sql.count(
                bed.server.database(),
                "SELECT count(*) FROM replication_tasks WHERE rule_id = '"
                    + rule.get("id").asText()
                    + "'"))
        .as("one task per version and destination, never two")
        .isEqualTo(7);

    JsonNode listed =
        bed.admin
            .get(bed.path("/batch-jobs?ruleId=" + rule.get("id").asText() + "&limit=2"))
            .json();
    assertThat(listed.get("items")).hasSize(2);
    assertThat(listed.get("items").get(0).get("id").asText())
        .as("newest first")
        .isEqualTo(none.get("id").asText());
    assertThat(
            bed.admin
                .get(
                    bed.path(
                        "/batch-jobs?ruleId="
                            + rule.get("id").asText()
                            + "&cursor="
                            + listed.get("nextCursor").asText()))
                .json()
                .get("items")
                .get(0)
                .get("id")
                .asText())
        .isEqualTo(job.get("id").asText());
    assertThat(bed.admin.get(bed.path("/audit")).body()).contains("batch.create");
  }

  @Test
  void failedVersionsAreReplicatedAgainOnceTheCauseIsFixed() {
    String source = bed.s3.bucket(true);
    String unversioned = bed.s3.bucket(false);
    put(source, "x/1", "one");
    put(source, "x/2", "two");
    JsonNode rule = rule(source, unversioned);
    JsonNode job = job(rule.get("id").asText(), Map.of("replicationStatuses", List.of("NONE")));
    JsonNode failed = awaitEnd(job, "COMPLETED");
    assertThat(failed.get("failed").asInt()).isEqualTo(2);
    List<String> failures =
        bed.admin
            .get(jobPath(job) + "/report?scope=FAILED_TASKS_ONLY")
            .body()
            .lines()
            .skip(1)
            .toList();
    assertThat(failures)
        .hasSize(2)
        .allSatisfy(line -> assertThat(line).endsWith(",FAILED,DstBucketUnversioned"));

    bed.client.putBucketVersioning(
        b -> b.bucket(unversioned).versioningConfiguration(v -> v.status("Enabled")));
    JsonNode retry = job(rule.get("id").asText(), Map.of("replicationStatuses", List.of("FAILED")));
    JsonNode fixed = awaitEnd(retry, "COMPLETED");
    assertThat(fixed.get("succeeded").asInt()).isEqualTo(2);
    assertThat(bed.s3.keys(unversioned)).containsExactlyInAnyOrder("x/1", "x/2");
    assertThat(
            bed.admin
                .get(jobPath(job) + "/report?scope=FAILED_TASKS_ONLY")
                .body()
                .lines()
                .skip(1)
                .toList())
        .as("an ended job's report does not change")
        .hasSize(2);
  }

  @Test
  void replicasAreCopiedOnlyWhenTheJobAsksForThem() {
    String source = bed.s3.bucket(true);
    String destination = bed.s3.bucket(true);
    bed.client.putObject(
        b ->
            b.bucket(source)
                .key("replica")
                .metadata(Map.of("replicator-source-version-id", "elsewhere")),
        RequestBody.fromString("copied here from another bucket"));
    JsonNode rule = rule(source, destination);
    JsonNode none = job(rule.get("id").asText(), Map.of("replicationStatuses", List.of("NONE")));
    assertThat(awaitEnd(none, "COMPLETED").get("skipped").asInt()).isEqualTo(1);
    assertThat(
            bed.admin
                .get(bed.path("/rules/" + rule.get("id").asText() + "/objects?status=REPLICA"))
                .json()
                .get("items"))
        .hasSize(1);

    JsonNode replicas =
        job(rule.get("id").asText(), Map.of("replicationStatuses", List.of("REPLICA")));
    assertThat(awaitEnd(replicas, "COMPLETED").get("succeeded").asInt()).isEqualTo(1);
    assertThat(bed.s3.keys(destination)).containsExactly("replica");
  }

  @Test
  void manifestsNameVersionsAndMissingOnesFail() {
    String source = bed.s3.bucket(true);
    String destination = bed.s3.bucket(true);
    String v1 = put(source, "m/1", "first");
    put(source, "m/1", "second");
    put(source, "m 2", "space");
    JsonNode rule = rule(source, destination);
    String csv = source + ",m/1," + v1 + "\n" + source + ",m+2\n" + source + ",m/gone\n";
    JsonNode job =
        bed.admin
            .post(
                bed.path("/batch-jobs"),
                Map.of("ruleId", rule.get("id").asText(), "manifest", Map.of("csv", csv)))
            .json();
    assertThat(job.get("manifest").get("source").asText()).isEqualTo("UPLOADED");
    JsonNode done = awaitEnd(job, "COMPLETED");
    assertThat(done.get("succeeded").asInt()).isEqualTo(2);
    assertThat(done.get("failed").asInt()).isEqualTo(1);
    assertThat(bed.admin.get(jobPath(job) + "/report?scope=FAILED_TASKS_ONLY").body())
        .contains(",m/gone,null," + destination + ",FAILED,SrcKeyNotFound");
    assertThat(bed.client.getObjectAsBytes(b -> b.bucket(destination).key("m/1")).asUtf8String())
        .as("the version named")
        .isEqualTo("first");

    String manifests = bed.s3.bucket(false);
    bed.client.putObject(
        b -> b.bucket(manifests).key("list.csv"), RequestBody.fromString(source + ",m+2\n"));
    JsonNode stored =
        bed.admin
            .post(
                bed.path("/batch-jobs"),
                Map.of(
                    "ruleId",
                    rule.get("id").asText(),
                    "manifest",
                    Map.of("trustId", bed.trust, "bucket", manifests, "key", "list.csv")))
            .json();
    assertThat(awaitEnd(stored, "COMPLETED").get("succeeded").asInt()).isEqualTo(1);
    JsonNode missing =
        bed.admin
            .post(
                bed.path("/batch-jobs"),
                Map.of(
                    "ruleId",
                    rule.get("id").asText(),
                    "manifest",
                    Map.of("trustId", bed.trust, "bucket", manifests, "key", "absent.csv")))
            .json();
    JsonNode failedJob = awaitEnd(missing, "FAILED");
    assertThat(failedJob.get("statusDetail").asText())
        .contains("absent.csv")
        .contains("create the job again");
  }

  @Test
  void cancellingWithdrawsTasksNotYetStartedAndRestoresWhatTheyWere() throws Exception {
    String source = bed.s3.bucket(true);
    String unversioned = bed.s3.bucket(false);
    for (int i = 0; i < 4; i++) {
      put(source, "k/" + i, "v" + i);
    }
    // Versions written in the second the rule is created count as live, and live ones stay queued
    // on cancel.
    Eventually.untilTheSecondAfter(java.time.Instant.now());
    try (FaultProxy sourceProxy =
        new FaultProxy("source", bed.s3.endpoint(), FaultProxy.Plan.seeded(1))) {
      JsonNode rule = ruleThrough(sourceProxy, source, unversioned);
      JsonNode first =
          job(
              rule.get("id").asText(),
              Map.of("replicationStatuses", List.of("NONE"), "prefix", "k/0"));
      assertThat(awaitEnd(first, "COMPLETED").get("failed").asInt()).isEqualTo(1);
      String ruleId = rule.get("id").asText();
      // the job's listing is held until the rule is disabled, so that no task of it runs
      sourceProxy.hold(
          (operation, path) ->
              operation == FaultProxy.Operation.LIST_OBJECT_VERSIONS
                  && path.startsWith("/" + source));
      JsonNode job = job(ruleId, Map.of("replicationStatuses", List.of("NONE", "FAILED")));
      Eventually.await(
          "the job's listing held",
          Duration.ofSeconds(20),
          () -> sourceProxy.held() > 0,
          () -> bed.admin.get(jobPath(job)).body());
      Sql.update(
          bed.server.database(),
          "UPDATE rules SET status = 'DISABLED' WHERE id = '" + ruleId + "'");
      sourceProxy.release();
      Eventually.await(
          "the job prepared",
          Duration.ofSeconds(20),
          () -> bed.admin.get(jobPath(job)).json().get("status").asText().equals("RUNNING"),
          () -> bed.admin.get(jobPath(job)).body());
      assertThat(bed.admin.get(jobPath(job)).json().get("pending").asInt()).isEqualTo(4);
      cancelAndCheckWhatIsRestored(job, ruleId);
    }
  }

  @Test
  void aReportWhoseTrustIsDeletedWhileTheJobRunsIsGivenUpWithTheReason() throws Exception {
    String source = bed.s3.bucket(true);
    String destination = bed.s3.bucket(true);
    String reports = bed.s3.bucket(false);
    put(source, "held", "held");
    String reportTrust =
        Fixtures.trust(bed.admin, bed.tenant, bed.s3.trustBody(Fixtures.unique("reports")));
    try (FaultProxy sourceProxy =
        new FaultProxy("source", bed.s3.endpoint(), FaultProxy.Plan.seeded(1))) {
      sourceProxy.hold((operation, path) -> operation == FaultProxy.Operation.GET_OBJECT);
      JsonNode rule = ruleThrough(sourceProxy, source, destination);
      Api.Response created =
          bed.admin.post(
              bed.path("/batch-jobs"),
              Map.of(
                  "ruleId",
                  rule.get("id").asText(),
                  "filter",
                  Map.of("replicationStatuses", List.of("NONE")),
                  "report",
                  Map.of("trustId", reportTrust, "bucket", reports)));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      JsonNode job = created.json();
      Eventually.await(
          "the job's copy held",
          Duration.ofSeconds(30),
          () -> sourceProxy.held() == 1,
          () -> bed.admin.get(jobPath(job)).body());
      assertThat(bed.admin.delete(bed.path("/trusts/" + reportTrust)).status()).isEqualTo(204);
      sourceProxy.release();

      assertThat(awaitEnd(job, "COMPLETED").get("succeeded").asInt()).isEqualTo(1);
      Eventually.await(
          "the report's failure recorded",
          Duration.ofSeconds(30),
          () -> !bed.admin.get(jobPath(job)).json().get("reportError").isNull(),
          () -> bed.admin.get(jobPath(job)).body());
      JsonNode ended = bed.admin.get(jobPath(job)).json();
      assertThat(ended.get("reportError").asText())
          .isEqualTo(
              "Writing the report to s3://"
                  + reports
                  + "/job-"
                  + job.get("id").asText()
                  + "/report.csv failed: Trust "
                  + reportTrust
                  + " no longer exists. Gave up; download it from the API instead.");
      assertThat(ended.get("reportLocation").isNull()).isTrue();
      assertThat(
              Sql.count(
                  bed.server.database(),
                  "SELECT count(*) FROM batch_jobs WHERE id = '"
                      + job.get("id").asText()
                      + "' AND report_due_at IS NOT NULL"))
          .as("no further attempt is due")
          .isZero();
      assertThat(bed.s3.keys(reports)).isEmpty();
    }
  }

  private static void cancelAndCheckWhatIsRestored(JsonNode job, String ruleId) {
    Api.Response cancelled = bed.admin.post(jobPath(job) + "/cancel");
    assertThat(cancelled.status()).isEqualTo(202);
    assertThat(cancelled.json().get("status").asText()).isEqualTo("CANCELLED");
    assertThat(
            Sql.count(
                bed.server.database(),
                "SELECT count(*) FROM replication_tasks WHERE rule_id = '" + ruleId + "'"))
        .as("the three tasks the job created are gone, the failed one is back")
        .isEqualTo(1);
    assertThat(
            Sql.text(
                bed.server.database(),
                "SELECT state || '/' || failure_reason FROM replication_tasks WHERE rule_id = '"
                    + ruleId
                    + "'"))
        .isEqualTo("FAILED/DstBucketUnversioned");
    assertThat(bed.admin.unchecked().post(jobPath(job) + "/cancel").status())
        .as("already ended")
        .isEqualTo(409);
    Eventually.await(
        "the results recorded",
        Duration.ofSeconds(20),
        () ->
            Sql.count(
                    bed.server.database(),
                    "SELECT count(*) FROM batch_jobs WHERE results_recorded AND id = '"
                        + job.get("id").asText()
                        + "'")
                == 1,
        () -> "");
    assertThat(bed.admin.get(jobPath(job)).json().get("totalObjects").asInt()).isZero();
  }

  @Test
  void liveReplicationKeepsGoingWhileABackfillRuns() throws Exception {
    String source = bed.s3.bucket(true);
    String destination = bed.s3.bucket(true);
    for (int i = 0; i < 300; i++) {
      put(source, "old/" + i, "old");
    }
    // the rule reads its source through a proxy, which holds the backfill's reads back on cue: the
    // backfill then keeps its copy slots busy for as long as the test needs, on any machine
    try (FaultProxy sourceProxy =
        new FaultProxy("source", bed.s3.endpoint(), FaultProxy.Plan.seeded(1))) {
      JsonNode rule = ruleThrough(sourceProxy, source, destination);
      String ruleId = rule.get("id").asText();
      Eventually.untilTheSecondAfter(java.time.Instant.parse(rule.get("liveSince").asText()));
      JsonNode job = job(ruleId, Map.of("replicationStatuses", List.of("NONE")));
      Eventually.await(
          "the backfill under way",
          Duration.ofSeconds(30),
          () -> bed.admin.get(jobPath(job)).json().get("succeeded").asInt() > 0,
          () -> bed.admin.get(jobPath(job)).body());
      String oldVersions = "/" + source + "/old/";
      sourceProxy.hold(
          (operation, path) ->
              operation == FaultProxy.Operation.GET_OBJECT && path.startsWith(oldVersions));
      Eventually.await(
          "every batch copy slot held by a backfill read",
          Duration.ofSeconds(30),
          () ->
              sourceProxy.held()
                  == bed.server.context().getBean(WorkerSettings.class).batchConcurrency(),
          () -> sourceProxy.held() + " reads held back");

      for (int i = 0; i < 5; i++) {
        String key = "new/" + i;
        String version = put(source, key, "new");
        bed.admin.post(bed.path("/events"), S3Events.createdNow(source, key, version, 3));
      }
      String live =
          "FROM replication_tasks WHERE rule_id = '" + ruleId + "' AND batch_job_id IS NULL";
      Eventually.await(
          "every new write replicated while the backfill's copies are all held",
          Duration.ofSeconds(30),
          () ->
              Sql.count(
                      bed.server.database(), "SELECT count(*) " + live + " AND state = 'COMPLETED'")
                  == 5,
          () -> Sql.count(bed.server.database(), "SELECT count(*) " + live) + " live tasks");
      JsonNode during = bed.admin.get(jobPath(job)).json();
      assertThat(during.get("status").asText()).isEqualTo("RUNNING");
      assertThat(during.get("succeeded").asInt()).isLessThan(300);

      sourceProxy.release();
      awaitEnd(job, "COMPLETED");
      JsonNode metrics =
          bed.admin
              .get(bed.path("/rules/" + ruleId + "/metrics"))
              .json()
              .get("destinations")
              .get(0);
      assertThat(metrics.get("operationsReplicated").asInt()).isEqualTo(305);
      assertThat(metrics.get("latencyP99Seconds").asDouble())
          .as("latency is live replication's, not the age of the backfilled versions")
          .isLessThan(
              Duration.between(
                      java.time.Instant.parse(rule.get("liveSince").asText()),
                      java.time.Instant.now())
                  .toSeconds());
    }
  }

  @Test
  void jobsAreListedNewestFirstByRuleAndStatus() {
    String firstSource = bed.s3.bucket(true);
    String secondSource = bed.s3.bucket(true);
    put(firstSource, "k", "v");
    put(secondSource, "k", "v");
    String first = rule(firstSource, bed.s3.bucket(true)).get("id").asText();
    String second = rule(secondSource, bed.s3.bucket(true)).get("id").asText();
    Map<String, Object> all = Map.of("replicationStatuses", List.of("NONE", "COMPLETED"));
    String older = awaitEnd(job(first, all), "COMPLETED").get("id").asText();
    String newer = awaitEnd(job(first, all), "COMPLETED").get("id").asText();
    String others = awaitEnd(job(second, all), "COMPLETED").get("id").asText();

    assertThat(jobIds("?ruleId=" + first)).containsExactly(newer, older);
    assertThat(jobIds("?ruleId=" + second + "&status=COMPLETED")).containsExactly(others);
    assertThat(jobIds("?ruleId=" + first + "&status=RUNNING")).isEmpty();
    assertThat(jobIds("?status=COMPLETED")).contains(newer, older, others);
    assertThat(jobIds("?ruleId=" + first + "&limit=1")).containsExactly(newer);
  }

  private static List<String> jobIds(String query) {
    List<String> ids = new java.util.ArrayList<>();
    bed.admin
        .get(bed.path("/batch-jobs" + query))
        .json()
        .get("items")
        .forEach(job -> ids.add(job.get("id").asText()));
    return ids;
  }

  @Test
  void badJobsAreRefusedWithTheReason() {
    String source = bed.s3.bucket(true);
    JsonNode rule = rule(source, bed.s3.bucket(true));
    String ruleId = rule.get("id").asText();
    Api unchecked = bed.admin.unchecked();
    Api.Response neither = unchecked.post(bed.path("/batch-jobs"), Map.of("ruleId", ruleId));
    assertThat(neither.status()).isEqualTo(400);
    assertThat(neither.contentType()).startsWith("application/problem+json");
    assertThat(neither.json().get("errors").get(0).get("field").asText()).isEqualTo("filter");
    Api.Response badLine =
        unchecked.post(
            bed.path("/batch-jobs"),
            Map.of(
                "ruleId", ruleId, "manifest", Map.of("csv", source + ",ok\nother-bucket,key\n")));
    assertThat(badLine.status()).isEqualTo(400);
    assertThat(badLine.json().get("detail").asText()).contains("line 2").contains("other-bucket");
    Api.Response wrongDestination =
        unchecked.post(
            bed.path("/batch-jobs"),
            Map.of(
                "ruleId",
                ruleId,
                "filter",
                Map.of("replicationStatuses", List.of("NONE")),
                "destinations",
                List.of("nope")));
    assertThat(wrongDestination.json().get("errors").get(0).get("field").asText())
        .isEqualTo("destinations");
    assertThat(
            unchecked
                .post(
                    bed.path("/batch-jobs"),
                    Map.of(
                        "ruleId", ruleId, "filter", Map.of("replicationStatuses", List.of("LOST"))))
                .status())
        .isEqualTo(400);
    assertThat(
            unchecked
                .post(
                    bed.path("/batch-jobs"),
                    Map.of(
                        "ruleId",
                        "00000000-0000-0000-0000-000000000001",
                        "filter",
                        Map.of("replicationStatuses", List.of("NONE"))))
                .json()
                .get("errors")
                .get(0)
                .get("field")
                .asText())
        .isEqualTo("ruleId");
    Sql.update(
        bed.server.database(), "UPDATE rules SET status = 'DISABLED' WHERE id = '" + ruleId + "'");
    Api.Response disabled =
        unchecked.post(
            bed.path("/batch-jobs"),
            Map.of("ruleId", ruleId, "filter", Map.of("replicationStatuses", List.of("NONE"))));
    assertThat(disabled.status()).isEqualTo(409);
    assertThat(disabled.json().get("detail").asText()).contains("Enable the rule");
    assertThat(
            Sql.count(
                bed.server.database(),
                "SELECT count(*) FROM batch_jobs WHERE rule_id = '" + ruleId + "'"))
        .isZero();
    assertThat(unchecked.get(bed.path("/batch-jobs?status=DONE")).status()).isEqualTo(400);
    assertThat(unchecked.get(bed.path("/batch-jobs/00000000-0000-0000-0000-000000000001")).status())
        .isEqualTo(404);
  }

  private static String put(String bucket, String key, String content) {
    return bed.client
        .putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content))
        .versionId();
  }

  private static String version(String bucket, String key) {
    return bed.client.headObject(b -> b.bucket(bucket).key(key)).versionId();
  }

  private static JsonNode rule(String source, String... destinations) {
    return Fixtures.rule(bed.admin, bed.tenant, ruleBody(source, destinations));
  }

  /** Creates a batch job over {@code ruleId}'s source versions that match {@code filter}. */
  private static JsonNode job(String ruleId, Map<String, Object> filter) {
    return bed.admin
        .post(bed.path("/batch-jobs"), Map.of("ruleId", ruleId, "filter", filter))
        .json();
  }

  /** A rule that reads its source through {@code proxy}, which can hold the reads back on cue. */
  private static JsonNode ruleThrough(FaultProxy proxy, String source, String destination) {
    String sourceTrust =
        Fixtures.trust(
            bed.admin,
            bed.tenant,
            bed.s3.trustBody(Fixtures.unique("source through a proxy"), proxy.endpoint()));
    return Fixtures.rule(
        bed.admin,
        bed.tenant,
        Fixtures.with(
            ruleBody(source, destination), "source", Fixtures.destination(sourceTrust, source)));
  }

  private static Map<String, Object> ruleBody(String source, String... destinations) {
    return Map.of(
        "name",
        "batch-" + source,
        "scanIntervalSeconds",
        0,
        "source",
        Map.of("trustId", bed.trust, "bucket", source),
        "destinations",
        java.util.Arrays.stream(destinations)
            .map(d -> Map.of("trustId", bed.trust, "bucket", d))
            .toList());
  }

  private static JsonNode awaitEnd(JsonNode job, String status) {
    Eventually.await(
        "batch job " + status,
        Duration.ofSeconds(60),
        () -> {
          JsonNode now = bed.admin.get(jobPath(job)).json();
          return now.get("status").asText().equals(status)
              && now.get("pending").asInt() == 0
              && (status.equals("FAILED")
                  || Sql.count(
                          bed.server.database(),
                          "SELECT count(*) FROM batch_jobs WHERE results_recorded AND id = '"
                              + job.get("id").asText()
                              + "'")
                      == 1);
        },
        () ->
            bed.admin.get(jobPath(job)).body()
                + "\n"
                + Eventually.tasksOf(bed.server.database()).get());
    return bed.admin.get(jobPath(job)).json();
  }

  private static String jobPath(JsonNode job) {
    return bed.path("/batch-jobs/" + job.get("id").asText());
  }
}
