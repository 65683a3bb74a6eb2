package dev.replicator.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The real PostgreSQL the tests run against, chosen once per test JVM, in this order: the server
 * named by {@code REPLICATOR_TEST_DATABASE_URL} (with {@code REPLICATOR_TEST_DATABASE_USERNAME} /
 * {@code _PASSWORD}), a Testcontainers container when Docker is available, or an embedded
 * PostgreSQL. Each test class gets its own fresh database on that server, so classes never see each
 * other's rows.
 */
public final class TestPostgres {

  private static Server server;

  private TestPostgres() {}

  /** Connection settings of one database. */
  public record Database(String url, String username, String password) {}

  private record Server(String baseUrl, String username, String password, AutoCloseable handle) {
    String urlOf(String database) {
      int slash = baseUrl.lastIndexOf('/');
      int query = baseUrl.indexOf('?', slash);
      return baseUrl.substring(0, slash + 1)
          + database
          + (query < 0 ? "" : baseUrl.substring(query));
    }
  }

  public static synchronized Database freshDatabase() {
    Server s = server();
    String name = "t_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection =
            DriverManager.getConnection(s.baseUrl(), s.username(), s.password());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not create a test database on " + s.baseUrl() + ": " + e.getMessage(), e);
    }
    return new Database(s.urlOf(name), s.username(), s.password());
  }

  private static Server server() {
    if (server == null) {
      server = start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      server.handle().close();
                    } catch (Exception ignored) {
                      // the JVM is exiting; the OS reclaims the process either way
                    }
                  }));
    }
    return server;
  }

  private static Server start() {
    String url = System.getenv("REPLICATOR_TEST_DATABASE_URL");
    if (url != null && !url.isBlank()) {
      return new Server(
          url,
          env("REPLICATOR_TEST_DATABASE_USERNAME", "postgres"),
          env("REPLICATOR_TEST_DATABASE_PASSWORD", ""),
          () -> {});
    }
    if (dockerAvailable()) {
      PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");
      container.start();
      return new Server(
          container.getJdbcUrl(),
          container.getUsername(),
          container.getPassword(),
          container::stop);
    }
    try {
      EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
      return new Server(
          embedded.getJdbcUrl("postgres", "postgres"), "postgres", "", embedded::close);
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "The tests need a PostgreSQL server and none could be started. Set REPLICATOR_TEST_DATABASE_URL "
              + "(e.g. jdbc:postgresql://localhost:5432/postgres, with REPLICATOR_TEST_DATABASE_USERNAME and "
              + "REPLICATOR_TEST_DATABASE_PASSWORD) to a server where the user may CREATE DATABASE, or start Docker "
              + "for Testcontainers. The embedded PostgreSQL failed with: "
              + e.getMessage(),
          e);
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null ? fallback : value;
  }
}
