package dev.replicator.tenancy.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AuditRepository extends GenericRepository<AuditEntry, UUID> {

  AuditEntry save(AuditEntry entry);

  /** A tenant's entries below {@code before}, newest first, that match every non-null filter. */
  @Query(
      """
      SELECT * FROM audit_log
       WHERE tenant_id = :tenantId AND id < :before
         AND (CAST(:action AS text) IS NULL OR action = :action OR action LIKE :action || '.%')
         AND (CAST(:actor AS text) IS NULL OR strpos(lower(actor), lower(:actor)) > 0)
         AND (CAST(:since AS timestamptz) IS NULL OR at >= :since)
         AND (CAST(:until AS timestamptz) IS NULL OR at < :until)
       ORDER BY id DESC
       LIMIT :limit
      """)
  List<AuditEntry> findPage(
      UUID tenantId,
      UUID before,
      @Nullable String action,
      @Nullable String actor,
      @Nullable Instant since,
      @Nullable Instant until,
      int limit);
}
