package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Api;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.FlakyProxy;
import dev.replicator.testing.RandomFiles;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestS3;
import dev.replicator.testing.TestServer;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * No multipart upload is left on a destination: not when answers are lost, not when the task goes
 * away.
 */
class DestinationUploadsIT {

  @TempDir Path work;

  static Map<String, Object> config() {
    Map<String, Object> config = new HashMap<>(WorkerTakeoverIT.config());
    config.put("replicator.housekeeping.upload-sweep", "300ms");
    return config;
  }

  @Test
  void lostAnswersToCreateMultipartUploadLeaveNoUploadBehind() throws Exception {
    TestS3 s3 = TestS3.get();
    S3Client client = s3.client();
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    Path data = work.resolve("large.bin");
    String md5 = RandomFiles.write(data, 12L * 1024 * 1024, 7);
    AtomicInteger lost = new AtomicInteger();
    FlakyProxy.Faults loseTwoCreations =
        (number, method, uri) ->
            method.equals("POST")
                    && uri.contains("uploads")
                    && !uri.contains("uploadId")
                    && lost.incrementAndGet() <= 2
                ? FlakyProxy.Fault.LOSE_ANSWER
                : FlakyProxy.Fault.NONE;
    try (FlakyProxy proxy = new FlakyProxy(s3.endpoint(), loseTwoCreations);
        TestServer server = TestServer.start(config())) {
      Fixtures.untilLive(
          ResilienceIT.ruleThroughProxy(
              server, s3, proxy.endpoint(), Fixtures.unique("lost"), source, destination));
      client.putObject(b -> b.bucket(source).key("large.bin"), RequestBody.fromFile(data));
      Sql.update(
          server.database(), "UPDATE rule_scans SET next_scan_at = now() - interval '1 second'");

      WorkerTakeoverIT.await(
          "the copy, after two lost creations",
          () ->
              "COMPLETED"
                  .equals(Sql.text(server.database(), "SELECT state FROM replication_tasks")),
          server);

      assertThat(lost.get())
          .as("creations whose answer was lost, and the one that went through")
          .isGreaterThanOrEqualTo(3);
      assertThat(client.listObjectVersions(b -> b.bucket(destination)).versions()).hasSize(1);
      try (InputStream replica = client.getObject(b -> b.bucket(destination).key("large.bin"))) {
        assertThat(RandomFiles.md5(replica)).isEqualTo(md5);
      }
      assertThat(client.listMultipartUploads(b -> b.bucket(destination)).uploads())
          .as("uploads left on the destination")
          .isEmpty();
      assertThat(Sql.count(server.database(), "SELECT count(*) FROM destination_uploads")).isZero();
    }
  }

  @Test
  void theUploadOfACopyWhoseRuleWasDeletedIsAbortedByTheSweep() throws Exception {
    TestS3 s3 = TestS3.get();
    S3Client client = s3.client();
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    Path data = work.resolve("large.bin");
    RandomFiles.write(data, 60L * 1024 * 1024, 11);

    TestServer worker = TestServer.start(config());
    Fixtures.TenantRule replicating = WorkerTakeoverIT.replicating(worker, s3, source, destination);
    String tenant = replicating.tenant();
    JsonNode rule = replicating.rule();
    client.putObject(b -> b.bucket(source).key("large.bin"), RequestBody.fromFile(data));
    Sql.update(
        worker.database(), "UPDATE rule_scans SET next_scan_at = now() - interval '1 second'");
    WorkerTakeoverIT.await(
        "the copy under way",
        () ->
            !client.listMultipartUploads(b -> b.bucket(destination)).uploads().isEmpty()
                && Sql.count(
                        worker.database(),
                        "SELECT count(*) FROM destination_uploads WHERE upload_id IS NOT NULL")
                    == 1,
        worker);
    worker.close();

    Map<String, Object> noWorker = new HashMap<>(config());
    noWorker.put("replicator.roles", "api,scheduler");
    try (TestServer scheduler = TestServer.start(worker.database(), noWorker)) {
      Fixtures afterRestart = new Fixtures(scheduler);
      Api again = afterRestart.as(afterRestart.token(tenant, "ADMIN"));
      assertThat(
              again
                  .delete("/api/v1/tenants/" + tenant + "/rules/" + rule.get("id").asText())
                  .status())
          .isEqualTo(204);

      WorkerTakeoverIT.await(
          "the abandoned upload aborted",
          () -> client.listMultipartUploads(b -> b.bucket(destination)).uploads().isEmpty(),
          scheduler);
      WorkerTakeoverIT.await(
          "its record settled",
          () -> Sql.count(scheduler.database(), "SELECT count(*) FROM destination_uploads") == 0,
          scheduler);
      assertThat(client.listObjectVersions(b -> b.bucket(destination)).versions()).isEmpty();
    }
  }
}
