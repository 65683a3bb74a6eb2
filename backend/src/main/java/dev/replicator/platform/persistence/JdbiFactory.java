package dev.replicator.platform.persistence;

import io.micronaut.context.annotation.Factory;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Instant;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

/**
 * The one way hand-written SQL runs here (docs/decisions/0006): Jdbi, with named parameters and
 * rows mapped by column label, on the connection of the caller's Micronaut transaction. Jdbi
 * neither opens, commits nor closes anything: {@code @Transactional} on the store's method decides,
 * as for the repositories.
 */
@Factory
class JdbiFactory {

  @Singleton
  Jdbi jdbi(JdbcOperations jdbc) {
    Jdbi jdbi = Jdbi.create(new TransactionConnections(jdbc));
    jdbi.installPlugin(new PostgresPlugin());
    jdbi.registerArrayType(
        Instant.class, "timestamptz", instant -> instant == null ? null : Timestamp.from(instant));
    // The transaction is Micronaut's and outlives the handle: closing a handle must not end it.
    jdbi.getConfig(Handles.class).setForceEndTransactions(false);
    return jdbi;
  }

  /** The current transaction's connection, which its transaction manager closes. */
  private record TransactionConnections(JdbcOperations jdbc) implements ConnectionFactory {

    @Override
    public Connection openConnection() {
      return jdbc.getConnection();
    }

    @Override
    public void closeConnection(Connection connection) {}
  }
}
