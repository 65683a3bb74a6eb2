package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replicator.testing.Api;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.GateProxy;
import dev.replicator.testing.LogCapture;
import dev.replicator.testing.RandomFiles;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestS3;
import dev.replicator.testing.TestServer;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Workers that crash or run side by side: nothing is lost, nothing is copied twice, no upload is
 * left open.
 */
class WorkerTakeoverIT {

  @TempDir Path work;

  static Map<String, Object> config() {
    Map<String, Object> config = new HashMap<>(TestServer.LOOPBACK_ALLOWED);
    config.put("replicator.scan.tick", "200ms");
    config.put("replicator.scan.initial-delay", "0s");
    config.put("replicator.worker.poll-interval", "100ms");
    config.put("replicator.worker.lease", "2s");
    config.put("replicator.worker.shutdown-grace", "0s");
    config.put("replicator.worker.multipart-threshold", 5 * 1024 * 1024);
    config.put("replicator.worker.part-size", 5 * 1024 * 1024);
    config.put("replicator.worker.part-concurrency", 1);
    // The uploads taken over here stream through the worker (both buckets are on S3Mock).
    config.put("replicator.worker.server-side-copy", false);
    return config;
  }

  static void await(String what, BooleanSupplier condition, TestServer server) {
    Eventually.await(
        what, Duration.ofSeconds(60), condition, Eventually.tasksOf(server.database()));
  }

  /**
   * Creates a tenant of {@code server} with a trust to {@code s3} and a rule from {@code source} to
   * {@code destination} scanned every 30 seconds, and waits until the rule is live.
   */
  static Fixtures.TenantRule replicating(
      TestServer server, TestS3 s3, String source, String destination) {
    Fixtures.TenantRule created =
        new Fixtures(server)
            .tenantRule(
                s3.trustBody(Fixtures.unique("s3")),
                Fixtures.unique("rule"),
                30,
                source,
                destination);
    Fixtures.untilLive(created.rule());
    return created;
  }

  @Test
  void aWorkerKilledInTheMiddleOfAMultipartCopyIsTakenOverAndTheObjectReplicatedExactlyOnce()
      throws Exception {
    TestS3 s3 = TestS3.get();
    S3Client client = s3.client();
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    Path data = work.resolve("large.bin");
    String sourceMd5 = RandomFiles.write(data, 100L * 1024 * 1024, 42);

    TestServer first = TestServer.start(config());
    replicating(first, s3, source, destination);
    client.putObject(b -> b.bucket(source).key("large.bin"), RequestBody.fromFile(data));
    Sql.update(
        first.database(), "UPDATE rule_scans SET next_scan_at = now() - interval '1 second'");

    await(
        "the first parts of the copy", () -> uploadedParts(first, client, destination) >= 2, first);
    first.close();
    // Killed mid-copy: the task is still leased (RUNNING) or was handed back (PENDING); the upload
    // is kept to resume.
    assertThat(Sql.text(first.database(), "SELECT state FROM replication_tasks"))
        .isIn("RUNNING", "PENDING");
    assertThat(Sql.text(first.database(), "SELECT multipart_upload_id FROM replication_tasks"))
        .isNotNull();

    try (TestServer second = TestServer.start(first.database(), config())) {
      await(
          "the copy taken over and completed",
          () ->
              "COMPLETED"
                  .equals(Sql.text(second.database(), "SELECT state FROM replication_tasks")),
          second);

      assertThat(Sql.count(second.database(), "SELECT attempts FROM replication_tasks"))
          .isGreaterThanOrEqualTo(2);
      assertThat(client.listObjectVersions(b -> b.bucket(destination)).versions()).hasSize(1);
      assertThat(client.listMultipartUploads(b -> b.bucket(destination)).uploads()).isEmpty();
      try (InputStream replica = client.getObject(b -> b.bucket(destination).key("large.bin"))) {
        assertThat(RandomFiles.md5(replica)).isEqualTo(sourceMd5);
      }
    }
  }

  @Test
  void twoWorkersSharingTheQueueReplicateEveryVersionOnce() {
    TestS3 s3 = TestS3.get();
    S3Client client = s3.client();
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    TestServer first = TestServer.start(config());
    try (first;
        TestServer second = TestServer.start(first.database(), config())) {
      replicating(first, s3, source, destination);
      for (int i = 0; i < 40; i++) {
        String key = "k" + (i % 10);
        String body = "v" + i;
        client.putObject(b -> b.bucket(source).key(key), RequestBody.fromString(body));
      }
      Sql.update(
          first.database(), "UPDATE rule_scans SET next_scan_at = now() - interval '1 second'");

      await(
          "all 40 versions",
          () ->
              Sql.count(
                      first.database(),
                      "SELECT count(*) FROM replication_tasks WHERE state = 'COMPLETED'")
                  == 40,
          first);

      assertThat(client.listObjectVersions(b -> b.bucket(destination)).versions()).hasSize(40);
      assertThat(
              Sql.count(
                  first.database(), "SELECT count(DISTINCT lease_owner) FROM replication_tasks"))
          .isZero();
      for (int k = 0; k < 10; k++) {
        String key = "k" + k;
        assertThat(client.getObjectAsBytes(b -> b.bucket(destination).key(key)).asUtf8String())
            .isEqualTo(client.getObjectAsBytes(b -> b.bucket(source).key(key)).asUtf8String());
      }
    }
  }

  @Test
  void aCopyWhoseTaskWasTakenOverStopsAndWritesNothing() throws Exception {
    TestS3 s3 = TestS3.get();
    S3Client client = s3.client();
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    Map<String, Object> config = new HashMap<>(config());
    config.put("replicator.worker.lease", "3s");
    try (GateProxy gate = new GateProxy(s3.endpoint(), 512 * 1024);
        LogCapture logs = new LogCapture();
        TestServer server = TestServer.start(config)) {
      Fixtures fixtures = new Fixtures(server);
      String tenant = fixtures.tenant();
      Api admin = fixtures.as(fixtures.token(tenant, "ADMIN"));
      String sourceTrust =
          Fixtures.trust(admin, tenant, s3.trustBody(Fixtures.unique("gated"), gate.endpoint()));
      String destinationTrust = Fixtures.trust(admin, tenant, s3.trustBody(Fixtures.unique("s3")));
      Fixtures.liveRule(
          admin,
          tenant,
          Fixtures.ruleBody(
              Fixtures.unique("stolen"),
              30,
              sourceTrust,
              source,
              Fixtures.destination(destinationTrust, destination)));
      client.putObject(
          b -> b.bucket(source).key("in-flight.bin"),
          RequestBody.fromBytes(new byte[4 * 1024 * 1024]));
      Sql.update(
          server.database(), "UPDATE rule_scans SET next_scan_at = now() - interval '1 second'");
      await("the copy caught mid-transfer", gate::holding, server);

      // Another worker takes the task over (as after a lease expiry seen by it first).
      Sql.update(
          server.database(),
          "UPDATE replication_tasks SET lease_owner = 'another-worker', version = version + 1, "
              + "lease_until = now() + interval '1 hour' WHERE state = 'RUNNING'");
      await(
          "the worker seeing that it lost the task",
          () -> logs.text().contains("is no longer this worker's"),
          server);
      gate.release();
      await(
          "the copy stopped", () -> logs.text().contains("Stopped copying in-flight.bin"), server);

      assertThat(client.listObjectVersions(b -> b.bucket(destination)).versions())
          .as("nothing written")
          .isEmpty();
      assertThat(
              Sql.text(
                  server.database(), "SELECT state || ' ' || lease_owner FROM replication_tasks"))
          .isEqualTo("RUNNING another-worker");
    }
  }

  private static int uploadedParts(TestServer server, S3Client client, String bucket) {
    String uploadId =
        Sql.text(server.database(), "SELECT multipart_upload_id FROM replication_tasks");
    if (uploadId == null) {
      return 0;
    }
    return client
        .listParts(b -> b.bucket(bucket).key("large.bin").uploadId(uploadId))
        .parts()
        .size();
  }
}
