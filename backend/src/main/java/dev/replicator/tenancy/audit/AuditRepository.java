package dev.replicator.tenancy.audit;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AuditRepository extends GenericRepository<AuditEntry, UUID> {

  AuditEntry save(AuditEntry entry);

  List<AuditEntry> findByTenantIdAndIdLessThan(UUID tenantId, UUID before, Pageable pageable);
}
