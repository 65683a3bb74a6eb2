package dev.replicator.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replicator.testing.Api;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.ServerProcess;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestPostgres;
import dev.replicator.testing.TestServer;
import java.net.HttpCookie;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick start, as a new user runs it: the packaged jar with nothing configured starts an
 * embedded PostgreSQL under the data directory, generates and prints the administrator token once,
 * and keeps everything across a restart. Secrets created through the API never reach the log.
 */
class EmbeddedDefaultIT {

  private static final Pattern ADMIN_TOKEN = Pattern.compile("rpa_[A-Za-z0-9_-]{43}");

  @TempDir Path work;

  @Test
  void startsWithNothingConfiguredAndKeepsDataAcrossARestart() throws Exception {
    Map<String, String> environment =
        Map.of("REPLICATOR_DATA_DIR", work.resolve("data").toString());
    String adminToken;
    String tenantId;
    String apiToken;
    String password = "first-run-password-" + System.nanoTime();
    String sessionSecret;
    String firstLog;

    try (ServerProcess first = ServerProcess.start(environment, work.resolve("first.log"))) {
      firstLog = first.output();
      assertThat(firstLog)
          .contains("EMBEDDED PostgreSQL")
          .contains("DATASOURCE_URL")
          .contains("Dashboard: http://localhost:");
      assertThat(firstLog).contains("generated a master key into");
      Path keyFile = work.resolve("data").resolve("master.key");
      assertThat(Files.getPosixFilePermissions(keyFile))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      Matcher token = ADMIN_TOKEN.matcher(firstLog);
      assertThat(token.find()).as("the generated admin token is printed:\n" + firstLog).isTrue();
      adminToken = token.group();

      Api admin = first.api().withToken(adminToken);
      assertThat(first.api().get("/health").status()).isEqualTo(200);
      tenantId = Fixtures.tenant(admin, "persistent");
      apiToken =
          admin
              .post(
                  "/api/v1/tenants/" + tenantId + "/tokens", Map.of("name", "ci", "role", "ADMIN"))
              .json()
              .get("token")
              .asText();
      assertThat(
              first
                  .api()
                  .withToken(apiToken)
                  .post(
                      "/api/v1/tenants/" + tenantId + "/users",
                      Map.of("email", "ops@example.com", "password", password, "role", "VIEWER"))
                  .status())
          .isEqualTo(201);
      Api.Response login =
          first
              .api()
              .post("/api/v1/auth/login", Map.of("email", "ops@example.com", "password", password));
      assertThat(login.status()).isEqualTo(200);
      sessionSecret = HttpCookie.parse(login.header("Set-Cookie")).get(0).getValue();

      assertThat(first.stop()).isIn(0, 143);
      firstLog = first.output();
    }

    try (ServerProcess second = ServerProcess.start(environment, work.resolve("second.log"))) {
      String secondLog = second.output();
      assertThat(secondLog).doesNotContain("generated a master key");
      assertThat(secondLog)
          .doesNotContain("generated the platform administrator token")
          .doesNotContain(adminToken);

      Api admin = second.api().withToken(adminToken);
      assertThat(admin.get("/api/v1/tenants/" + tenantId).json().get("name").asText())
          .isEqualTo("persistent");
      assertThat(
              second.api().withToken(apiToken).get("/api/v1/tenants/" + tenantId + "/users").body())
          .contains("ops@example.com");
      assertThat(
              second
                  .api()
                  .withCookie("replicator_session", sessionSecret)
                  .get("/api/v1/auth/me")
                  .status())
          .isEqualTo(200);
      assertThat(
              second
                  .api()
                  .post(
                      "/api/v1/auth/login",
                      Map.of("email", "ops@example.com", "password", password))
                  .status())
          .isEqualTo(200);
      second.stop();
      secondLog = second.output();

      String logs = firstLog + secondLog;
      assertThat(firstLog.split(Pattern.quote(adminToken), -1))
          .as("the admin token is printed exactly once")
          .hasSize(2);
      assertThat(logs)
          .doesNotContain(apiToken)
          .doesNotContain(password)
          .doesNotContain(sessionSecret);
      assertThat(logs).doesNotContain(Fixtures.PASSWORD);
    }
  }

  @Test
  void usesThePostgresqlNamedByDatasourceUrlAndTheConfiguredAdminToken() throws Exception {
    TestPostgres.Database database = TestPostgres.freshDatabase();
    String adminToken = "configured-admin-token-" + System.nanoTime();
    Map<String, String> environment =
        Map.of(
            "DATASOURCE_URL", database.url(),
            "DATASOURCE_USERNAME", database.username(),
            "DATASOURCE_PASSWORD", database.password(),
            "REPLICATOR_ADMIN_TOKEN", adminToken,
            "REPLICATOR_MASTER_KEY", TestServer.MASTER_KEY,
            "REPLICATOR_DATA_DIR", work.resolve("unused").toString());

    try (ServerProcess server = ServerProcess.start(environment, work.resolve("external.log"))) {
      Api.Response created =
          server.api().withToken(adminToken).post("/api/v1/tenants", Map.of("name", "external"));
      assertThat(created.status()).isEqualTo(201);
      assertThat(Sql.count(database, "SELECT count(*) FROM tenants WHERE name = 'external'"))
          .isEqualTo(1);
      String log = server.output();
      assertThat(log)
          .contains("Using the PostgreSQL database at")
          .doesNotContain("EMBEDDED")
          .doesNotContain(adminToken);
      assertThat(work.resolve("unused")).doesNotExist();
    }
  }

  @Test
  void refusesToStartAgainstAnExternalDatabaseWithoutAMasterKey() throws Exception {
    TestPostgres.Database database = TestPostgres.freshDatabase();
    Map<String, String> environment =
        Map.of(
            "DATASOURCE_URL", database.url(),
            "DATASOURCE_USERNAME", database.username(),
            "DATASOURCE_PASSWORD", database.password());
    assertThatThrownBy(() -> ServerProcess.start(environment, work.resolve("no-key.log")))
        .hasMessageContaining("exited")
        .hasMessageContaining("REPLICATOR_MASTER_KEY is not set")
        .hasMessageContaining("openssl rand -base64 32");
  }
}
