package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Api;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.FlakyProxy;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestPostgres;
import dev.replicator.testing.TestS3;
import dev.replicator.testing.TestServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Replication completes, with exactly one replica per version, through a flaky destination and a
 * database restart.
 */
class ResilienceIT {

  @TempDir Path dataDir;

  static Map<String, Object> config() {
    Map<String, Object> config = new HashMap<>(WorkerTakeoverIT.config());
    config.put("replicator.worker.lease", "3s");
    return config;
  }

  /**
   * Creates a tenant of {@code server} and its rule named {@code name} from {@code source} on
   * {@code s3} to {@code destination}, written through the proxy at {@code proxyEndpoint}, scanned
   * every 30 seconds; returns the rule.
   */
  static JsonNode ruleThroughProxy(
      TestServer server,
      TestS3 s3,
      String proxyEndpoint,
      String name,
      String source,
      String destination) {
    Fixtures fixtures = new Fixtures(server);
    String tenant = fixtures.tenant();
    Api admin = fixtures.as(fixtures.token(tenant, "ADMIN"));
    String direct = Fixtures.trust(admin, tenant, s3.trustBody(Fixtures.unique("direct")));
    String proxied =
        Fixtures.trust(admin, tenant, s3.trustBody(Fixtures.unique("proxied"), proxyEndpoint));
    return Fixtures.rule(
        admin,
        tenant,
        Fixtures.ruleBody(name, 30, direct, source, Fixtures.destination(proxied, destination)));
  }

  static void assertEachVersionReplicatedOnce(S3Client client, String source, String destination) {
    Map<String, Long> sourceVersions = new HashMap<>();
    client
        .listObjectVersions(b -> b.bucket(source))
        .versions()
        .forEach(v -> sourceVersions.merge(v.key(), 1L, Long::sum));
    Map<String, Long> replicaVersions = new HashMap<>();
    client
        .listObjectVersions(b -> b.bucket(destination))
        .versions()
        .forEach(v -> replicaVersions.merge(v.key(), 1L, Long::sum));
    assertThat(replicaVersions).isEqualTo(sourceVersions);
  }

  @Test
  void aDestinationAnsweringSlowDownToAThirdOfRequestsStillGetsEveryVersionExactlyOnce()
      throws Exception {
    TestS3 s3 = TestS3.get();
    S3Client client = s3.client();
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    try (FlakyProxy proxy = new FlakyProxy(s3.endpoint());
        TestServer server = TestServer.start(config())) {
      ruleThroughProxy(server, s3, proxy.endpoint(), "through-a-flaky-link", source, destination);
      Eventually.sleep(Duration.ofMillis(1100));
      for (int i = 0; i < 12; i++) {
        String key = "object-" + i;
        client.putObject(b -> b.bucket(source).key(key), RequestBody.fromString("content " + key));
      }
      Sql.update(
          server.database(), "UPDATE rule_scans SET next_scan_at = now() - interval '1 second'");

      WorkerTakeoverIT.await(
          "every version replicated",
          () ->
              Sql.count(
                      server.database(),
                      "SELECT count(*) FROM replication_tasks WHERE state = 'COMPLETED'")
                  == 12,
          server);

      assertThat(proxy.refused()).isGreaterThan(3);
      assertEachVersionReplicatedOnce(client, source, destination);
      assertThat(
              Sql.count(
                  server.database(), "SELECT count(*) FROM replication_tasks WHERE attempts > 1"))
          .isPositive();
    }
  }

  @Test
  void aPostgresqlRestartDuringReplicationLosesNothing() throws Exception {
    TestS3 s3 = TestS3.get();
    S3Client client = s3.client();
    String source = s3.bucket(true);
    String destination = s3.bucket(true);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    EmbeddedPostgres postgres = start(port);
    Map<String, Object> settings = new HashMap<>(config());
    settings.put("datasources.default.connection-timeout", 1000);
    TestPostgres.Database database =
        new TestPostgres.Database(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "");
    try (TestServer server = TestServer.start(database, settings)) {
      Fixtures fixtures = new Fixtures(server);
      String tenant = fixtures.tenant();
      Api admin = fixtures.as(fixtures.token(tenant, "ADMIN"));
      String trust = Fixtures.trust(admin, tenant, s3.trustBody(Fixtures.unique("s3")));
      Fixtures.rule(
          admin,
          tenant,
          Fixtures.ruleBody(
              "survives-restarts", 30, trust, source, Fixtures.destination(trust, destination)));
      Eventually.sleep(Duration.ofMillis(1100));
      for (int i = 0; i < 30; i++) {
        String key = "k" + (i % 6);
        String body = "v" + i;
        client.putObject(b -> b.bucket(source).key(key), RequestBody.fromString(body));
      }
      Sql.update(
          server.database(), "UPDATE rule_scans SET next_scan_at = now() - interval '1 second'");
      WorkerTakeoverIT.await(
          "replication under way",
          () ->
              Sql.count(
                      server.database(),
                      "SELECT count(*) FROM replication_tasks WHERE state = 'COMPLETED'")
                  > 0,
          server);

      postgres.close();
      Eventually.sleep(Duration.ofSeconds(2));
      postgres = start(port);

      WorkerTakeoverIT.await(
          "every version replicated after the restart",
          () ->
              Sql.count(
                      server.database(),
                      "SELECT count(*) FROM replication_tasks WHERE state = 'COMPLETED'")
                  == 30,
          server);
      assertEachVersionReplicatedOnce(client, source, destination);
      for (int k = 0; k < 6; k++) {
        String key = "k" + k;
        assertThat(client.getObjectAsBytes(b -> b.bucket(destination).key(key)).asUtf8String())
            .isEqualTo(client.getObjectAsBytes(b -> b.bucket(source).key(key)).asUtf8String());
      }
    } finally {
      postgres.close();
    }
  }

  private EmbeddedPostgres start(int port) throws Exception {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }
}
