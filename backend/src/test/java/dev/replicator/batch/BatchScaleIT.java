package dev.replicator.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Api;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.ServerProcess;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestPostgres;
import dev.replicator.testing.TestS3;
import dev.replicator.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A job over a large bucket is prepared page by page by a server with a small heap, and a crash in
 * the middle of the preparation neither loses nor duplicates a task.
 */
class BatchScaleIT {

  /**
   * S3Mock lists versions in time proportional to the bucket per page and stores about a hundred
   * versions a second on these machines, so the suite uses a bucket it can fill in a minute; {@code
   * -Dreplicator.scale.versions=100000} runs the same test at the size the issue names (it takes
   * hours with S3Mock, minutes against MinIO).
   */
  private static final int VERSIONS = Integer.getInteger("replicator.scale.versions", 4_000);

  @TempDir Path work;

  @Test
  void aLargeBucketIsPreparedWithABoundedHeapAndResumesAfterACrash() throws Exception {
    TestS3 s3 = TestS3.get();
    String source = s3.bucket(true);
    fill(s3.client(), source);
    TestPostgres.Database database = TestPostgres.freshDatabase();
    Map<String, String> environment =
        ServerProcess.environment(
            database,
            Map.of(
                // No worker: the test is about preparing the job, and the queue must hold every
                // task at the end.
                "REPLICATOR_ROLES",
                "api,scheduler",
                "REPLICATOR_BATCH_LEASE",
                "10s",
                "REPLICATOR_BATCH_PAGE_SIZE",
                Integer.toString(Math.max(100, VERSIONS / 10))));

    String jobPath;
    try (ServerProcess first =
        ServerProcess.start(environment, work.resolve("first.log"), "-Xmx80m")) {
      Api admin = first.api().withToken(TestServer.ADMIN_TOKEN);
      String tenant = Fixtures.tenant(admin, "scale");
      String trust = Fixtures.trust(admin, tenant, s3.trustBody("s3"));
      JsonNode rule =
          Fixtures.rule(
              admin,
              tenant,
              Fixtures.ruleBody(
                  "scale", 0, trust, source, Fixtures.destination(trust, s3.bucket(true))));
      JsonNode job =
          admin
              .post(
                  "/api/v1/tenants/" + tenant + "/batch-jobs",
                  Map.of(
                      "ruleId",
                      rule.get("id").asText(),
                      "filter",
                      Map.of("replicationStatuses", List.of("NONE"))))
              .json();
      jobPath = "/api/v1/tenants/" + tenant + "/batch-jobs/" + job.get("id").asText();
      Eventually.await(
          "a fifth of the job prepared",
          Duration.ofSeconds(120),
          () -> admin.get(jobPath).json().get("totalObjects").asInt() >= VERSIONS / 5,
          () -> admin.get(jobPath).body());
      first.kill();
      assertThat(first.output()).doesNotContain("OutOfMemoryError");
    }
    long beforeRestart = Sql.count(database, "SELECT count(*) FROM replication_tasks");
    assertThat(beforeRestart)
        .as("killed in the middle")
        .isBetween((long) VERSIONS / 5, (long) VERSIONS - 1);

    try (ServerProcess second =
        ServerProcess.start(environment, work.resolve("second.log"), "-Xmx80m")) {
      Api admin = second.api().withToken(TestServer.ADMIN_TOKEN);
      Eventually.await(
          "the job prepared",
          Duration.ofSeconds(300),
          () -> admin.get(jobPath).json().get("status").asText().equals("RUNNING"),
          () -> admin.get(jobPath).body());
      JsonNode job = admin.get(jobPath).json();
      assertThat(job.get("totalObjects").asInt()).isEqualTo(VERSIONS);
      assertThat(job.get("pending").asInt()).isEqualTo(VERSIONS);
      assertThat(Sql.count(database, "SELECT count(DISTINCT source_key) FROM replication_tasks"))
          .isEqualTo(VERSIONS);
      assertThat(second.output())
          .contains("Resuming the preparation of batch job " + job.get("id").asText())
          .doesNotContain("OutOfMemoryError");
    }
  }

  /**
   * Writes one version per key from a few threads. (S3Mock's ListObjectVersions skips keys when a
   * page ends inside a key's versions, so a multi-version bucket cannot be listed reliably through
   * it.)
   */
  private static void fill(S3Client client, String bucket) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> writes =
          IntStream.range(0, 8)
              .<Future<?>>mapToObj(
                  t ->
                      threads.submit(
                          () -> {
                            for (int i = t; i < VERSIONS; i += 8) {
                              String key = "k/%06d".formatted(i);
                              client.putObject(b -> b.bucket(bucket).key(key), RequestBody.empty());
                            }
                          }))
              .toList();
      for (Future<?> write : writes) {
        write.get();
      }
    } finally {
      threads.shutdown();
    }
  }
}
