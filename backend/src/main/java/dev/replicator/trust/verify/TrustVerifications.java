package dev.replicator.trust.verify;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The newest verification of each bucket through a trust (the {@code trust_verifications} table),
 * kept for the {@value #BUCKETS_KEPT} buckets verified most recently; a trust's deletion removes
 * them.
 */
@Singleton
public class TrustVerifications {

  static final int BUCKETS_KEPT = 20;

  private final Jdbi jdbi;
  private final JsonMapper json;

  public TrustVerifications(Jdbi jdbi, JsonMapper json) {
    this.jdbi = jdbi;
    this.json = json;
  }

  /** Keeps the report as its bucket's newest, and forgets buckets beyond the most recent ones. */
  @Transactional
  public void record(UUID tenantId, UUID trustId, VerificationReport report) {
    jdbi.useHandle(
        handle -> {
          handle
              .createUpdate(
                  """
                  INSERT INTO trust_verifications (tenant_id, trust_id, bucket, verified_at, ok, account_id, checks)
                  VALUES (:tenantId, :trustId, :bucket, :verifiedAt, :ok, :accountId, :checks::jsonb)
                  ON CONFLICT (tenant_id, trust_id, bucket) DO UPDATE
                     SET verified_at = excluded.verified_at, ok = excluded.ok, account_id = excluded.account_id,
                         checks = excluded.checks""")
              .bind("tenantId", tenantId)
              .bind("trustId", trustId)
              .bind("bucket", report.bucket())
              .bind("verifiedAt", report.verifiedAt())
              .bind("ok", report.ok())
              .bind("accountId", report.accountId())
              .bind("checks", write(report.checks()))
              .execute();
          handle
              .createUpdate(
                  """
                  DELETE FROM trust_verifications
                   WHERE tenant_id = :tenantId AND trust_id = :trustId AND bucket NOT IN (
                         SELECT bucket FROM trust_verifications WHERE tenant_id = :tenantId AND trust_id = :trustId
                          ORDER BY verified_at DESC LIMIT :kept)""")
              .bind("tenantId", tenantId)
              .bind("trustId", trustId)
              .bind("kept", BUCKETS_KEPT)
              .execute();
        });
  }

  /** The trust's verifications, one per bucket, newest first. */
  @Transactional
  public List<VerificationReport> of(UUID tenantId, UUID trustId) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    """
                    SELECT bucket, verified_at, ok, account_id, checks FROM trust_verifications
                     WHERE tenant_id = :tenantId AND trust_id = :trustId
                     ORDER BY verified_at DESC, bucket""")
                .bind("tenantId", tenantId)
                .bind("trustId", trustId)
                .map((row, context) -> report(row))
                .list());
  }

  /** The newest verification of each of the trusts that has one. */
  @Transactional
  public Map<UUID, VerificationReport> newestOf(UUID tenantId, Collection<UUID> trustIds) {
    if (trustIds.isEmpty()) {
      return Map.of();
    }
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    """
                    SELECT DISTINCT ON (trust_id) trust_id, bucket, verified_at, ok, account_id, checks
                      FROM trust_verifications
                     WHERE tenant_id = :tenantId AND trust_id = ANY (:trustIds)
                     ORDER BY trust_id, verified_at DESC, bucket""")
                .bind("tenantId", tenantId)
                .bindArray("trustIds", UUID.class, trustIds)
                .map(
                    (row, context) -> Map.entry(row.getObject("trust_id", UUID.class), report(row)))
                .collectToMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  private VerificationReport report(ResultSet row) throws SQLException {
    return new VerificationReport(
        row.getString("bucket"),
        row.getTimestamp("verified_at").toInstant(),
        row.getBoolean("ok"),
        row.getString("account_id"),
        read(row.getString("checks")));
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
