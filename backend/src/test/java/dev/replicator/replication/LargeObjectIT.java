package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replicator.testing.Api;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.RandomFiles;
import dev.replicator.testing.ServerProcess;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestPostgres;
import dev.replicator.testing.TestS3;
import dev.replicator.testing.TestServer;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Copies stream: the packaged server, limited to a 256 MiB heap, replicates a 100 MiB object in one
 * PUT and a 180 MiB object as a multipart upload.
 */
class LargeObjectIT {

  @TempDir Path work;

  @Test
  void aWorkerWithA256MiBHeapReplicatesObjectsLargerThanHalfItsHeap() throws Exception {
    TestS3 s3 = TestS3.get();
    S3Client client = s3.client();
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    Path single = work.resolve("single.bin");
    Path multipart = work.resolve("multipart.bin");
    String singleMd5 = RandomFiles.write(single, 100L * 1024 * 1024, 1);
    String multipartMd5 = RandomFiles.write(multipart, 180L * 1024 * 1024, 2);
    TestPostgres.Database database = TestPostgres.freshDatabase();
    Map<String, String> environment =
        ServerProcess.environment(
            database,
            Map.of(
                "REPLICATOR_MULTIPART_THRESHOLD",
                Long.toString(150L * 1024 * 1024),
                // Both buckets are on S3Mock: without this the store would copy them itself.
                "REPLICATOR_SERVER_SIDE_COPY",
                "false"));

    try (ServerProcess server =
        ServerProcess.start(environment, work.resolve("server.log"), "-Xmx256m")) {
      Api admin = server.api().withToken(TestServer.ADMIN_TOKEN);
      String tenant = Fixtures.tenant(admin, "large");
      String trust = Fixtures.trust(admin, tenant, s3.trustBody("s3"));
      Fixtures.liveRule(
          admin,
          tenant,
          Fixtures.ruleBody("large", 30, trust, source, Fixtures.destination(trust, destination)));
      client.putObject(b -> b.bucket(source).key("single.bin"), RequestBody.fromFile(single));
      client.putObject(b -> b.bucket(source).key("multipart.bin"), RequestBody.fromFile(multipart));
      Sql.update(database, "UPDATE rule_scans SET next_scan_at = now() - interval '1 second'");

      Eventually.await(
          "both replicas",
          Duration.ofSeconds(120),
          () ->
              Sql.count(
                      database, "SELECT count(*) FROM replication_tasks WHERE state = 'COMPLETED'")
                  == 2,
          Eventually.tasksOf(database));

      assertThat(md5(client, destination, "single.bin")).isEqualTo(singleMd5);
      assertThat(md5(client, destination, "multipart.bin")).isEqualTo(multipartMd5);
      assertThat(client.headObject(b -> b.bucket(destination).key("multipart.bin")).eTag())
          .contains("-");
      assertThat(server.output()).doesNotContain("OutOfMemoryError");
    }
  }

  private static String md5(S3Client client, String bucket, String key) throws Exception {
    try (InputStream in = client.getObject(b -> b.bucket(bucket).key(key))) {
      return RandomFiles.md5(in);
    }
  }
}
