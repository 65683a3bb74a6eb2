package dev.replicator.trust.verify;

import dev.replicator.platform.persistence.Rows;
import dev.replicator.platform.persistence.SqlArrays;
import io.micronaut.core.type.Argument;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The newest verification of each bucket through a trust (the {@code trust_verifications} table),
 * kept for the {@value #BUCKETS_KEPT} buckets verified most recently; a trust's deletion removes
 * them.
 */
@Singleton
public class TrustVerifications {

  static final int BUCKETS_KEPT = 20;

  private static final String COLUMNS = "trust_id, bucket, verified_at, ok, account_id, checks";

  private final JdbcOperations jdbc;
  private final JsonMapper json;

  public TrustVerifications(JdbcOperations jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** Keeps the report as its bucket's newest, and forgets buckets beyond the most recent ones. */
  @Transactional
  public void record(UUID tenantId, UUID trustId, VerificationReport report) {
    String checks = write(report.checks());
    jdbc.prepareStatement(
        """
        INSERT INTO trust_verifications (tenant_id, trust_id, bucket, verified_at, ok, account_id, checks)
        VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)
        ON CONFLICT (tenant_id, trust_id, bucket) DO UPDATE
           SET verified_at = excluded.verified_at, ok = excluded.ok, account_id = excluded.account_id,
               checks = excluded.checks""",
        statement -> {
          statement.setObject(1, tenantId);
          statement.setObject(2, trustId);
          statement.setString(3, report.bucket());
          statement.setTimestamp(4, Timestamp.from(report.verifiedAt()));
          statement.setBoolean(5, report.ok());
          statement.setString(6, report.accountId());
          statement.setString(7, checks);
          return statement.executeUpdate();
        });
    jdbc.prepareStatement(
        """
        DELETE FROM trust_verifications
         WHERE tenant_id = ? AND trust_id = ? AND bucket NOT IN (
               SELECT bucket FROM trust_verifications WHERE tenant_id = ? AND trust_id = ?
                ORDER BY verified_at DESC LIMIT ?)""",
        statement -> {
          statement.setObject(1, tenantId);
          statement.setObject(2, trustId);
          statement.setObject(3, tenantId);
          statement.setObject(4, trustId);
          statement.setInt(5, BUCKETS_KEPT);
          return statement.executeUpdate();
        });
  }

  /** The trust's verifications, one per bucket, newest first. */
  @Transactional
  public List<VerificationReport> of(UUID tenantId, UUID trustId) {
    return jdbc.prepareStatement(
        "SELECT "
            + COLUMNS
            + " FROM trust_verifications WHERE tenant_id = ? AND trust_id = ?"
            + " ORDER BY verified_at DESC, bucket",
        statement -> {
          statement.setObject(1, tenantId);
          statement.setObject(2, trustId);
          return Rows.list(statement, this::report);
        });
  }

  /** The newest verification of each of the trusts that has one. */
  @Transactional
  public Map<UUID, VerificationReport> newestOf(UUID tenantId, Collection<UUID> trustIds) {
    if (trustIds.isEmpty()) {
      return Map.of();
    }
    return jdbc.prepareStatement(
        "SELECT DISTINCT ON (trust_id) "
            + COLUMNS
            + " FROM trust_verifications WHERE tenant_id = ? AND trust_id = ANY (?)"
            + " ORDER BY trust_id, verified_at DESC, bucket",
        statement -> {
          statement.setObject(1, tenantId);
          SqlArrays.bind(statement, 2, "uuid", trustIds);
          return Rows.list(
                  statement, row -> Map.entry(row.getObject("trust_id", UUID.class), report(row)))
              .stream()
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        });
  }

  private VerificationReport report(ResultSet rows) throws SQLException {
    return new VerificationReport(
        rows.getString("bucket"),
        rows.getTimestamp("verified_at").toInstant(),
        rows.getBoolean("ok"),
        rows.getString("account_id"),
        read(rows.getString("checks")));
  }

  private String write(List<Check> checks) {
    try {
      return json.writeValueAsString(checks);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<Check> read(String checks) {
    try {
      return json.readValue(checks, Argument.listOf(Check.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
