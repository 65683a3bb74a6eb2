package dev.replicator.tenancy.token;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ApiTokenRepository extends GenericRepository<ApiToken, UUID> {

  ApiToken save(ApiToken token);

  List<ApiToken> findByTenantIdAndIdGreaterThan(UUID tenantId, UUID after, Pageable pageable);

  Optional<ApiToken> findByTenantIdAndId(UUID tenantId, UUID id);

  Optional<ApiToken> findByTokenHash(byte[] tokenHash);

  int deleteByTenantIdAndId(UUID tenantId, UUID id);

  /**
   * Records use without a write on every request: only when the stored time is older than {@code
   * staleBefore}.
   */
  @Query(
      """
      UPDATE api_tokens SET last_used_at = :now
       WHERE tenant_id = :tenantId AND id = :id AND (last_used_at IS NULL OR last_used_at < :staleBefore)""")
  void touch(UUID tenantId, UUID id, Instant now, Instant staleBefore);
}
