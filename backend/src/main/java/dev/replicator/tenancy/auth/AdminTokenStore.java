package dev.replicator.tenancy.auth;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The hash of the generated administrator token: a single row, written once by whichever process
 * starts first.
 */
@Singleton
public class AdminTokenStore {

  private final DataSource dataSource;

  AdminTokenStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Transactional
  public Optional<byte[]> findHash() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement =
            connection.prepareStatement("SELECT token_hash FROM platform_admin_token");
        ResultSet rows = statement.executeQuery()) {
      return rows.next() ? Optional.of(rows.getBytes(1)) : Optional.empty();
    } catch (SQLException e) {
      throw new IllegalStateException("Could not read the administrator token hash", e);
    }
  }

  /** Returns 1 when this call stored the hash, 0 when another process had stored one first. */
  @Transactional
  public int insertIfAbsent(byte[] hash, Instant createdAt) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement =
            connection.prepareStatement(
                "INSERT INTO platform_admin_token (token_hash, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
      statement.setBytes(1, hash);
      statement.setTimestamp(2, Timestamp.from(createdAt));
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("Could not store the administrator token hash", e);
    }
  }
}
