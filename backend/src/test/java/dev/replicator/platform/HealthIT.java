package dev.replicator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replicator.testing.Api;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.TestPostgres;
import dev.replicator.testing.TestServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health follows the database, and a process without the api role serves health but no API. */
class HealthIT {

  @TempDir Path dataDir;

  @Test
  void healthIsDownWhileTheDatabaseIsDownAndUpAgainWhenItReturns() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    EmbeddedPostgres postgres = startPostgres(port);
    TestPostgres.Database database =
        new TestPostgres.Database(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "");
    try (TestServer server =
        TestServer.start(database, Map.of("datasources.default.connection-timeout", 1000))) {
      Api api = server.api();
      String tenant = Fixtures.tenant(server.admin(), "survives");
      Api.Response up = api.get("/health");
      assertThat(up.status()).as(up.body()).isEqualTo(200);

      postgres.close();
      Api.Response down = api.get("/health");
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.json().get("status").asText()).isEqualTo("DOWN");

      postgres = startPostgres(port);
      assertThat(awaitHealthy(api)).isEqualTo(200);
      assertThat(server.admin().get("/api/v1/tenants/" + tenant).json().get("name").asText())
          .isEqualTo("survives");
    } finally {
      postgres.close();
    }
  }

  @Test
  void aWorkerOnlyProcessServesHealthButNotTheApi() throws Exception {
    try (TestServer worker = TestServer.start(Map.of("replicator.roles", "worker"))) {
      assertThat(worker.api().get("/health").status()).isEqualTo(200);
      HttpResponse<String> api =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/api/v1/tenants"))
                      .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(api.statusCode()).isEqualTo(404);
    }
  }

  /** The pool reconnects on its own once the database is back; give it a few seconds. */
  private static int awaitHealthy(Api api) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    int status = api.get("/health").status();
    while (status != 200 && System.nanoTime() < deadline) {
      Thread.sleep(250);
      status = api.get("/health").status();
    }
    return status;
  }

  private EmbeddedPostgres startPostgres(int port) throws Exception {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }
}
