package dev.replicator.trust;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TrustRepository extends GenericRepository<Trust, UUID> {

  Trust save(Trust trust);

  Trust update(Trust trust);

  List<Trust> findByTenantIdAndIdGreaterThan(UUID tenantId, UUID after, Pageable pageable);

  Optional<Trust> findByTenantIdAndId(UUID tenantId, UUID id);

  int deleteByTenantIdAndId(UUID tenantId, UUID id);

  /**
   * Trusts whose secret's data key is wrapped by the master key {@code keyId}: the work of a
   * rotation.
   */
  @Query("SELECT * FROM trusts WHERE secret_master_key_id = :keyId LIMIT :limit")
  List<Trust> findSealedWith(String keyId, int limit);

  @Query(
      """
      UPDATE trusts SET secret_master_key_id = :masterKeyId, secret_wrapped_key = :wrappedKey
       WHERE tenant_id = :tenantId AND id = :id AND secret_master_key_id = :previousKeyId""")
  int rewrap(UUID tenantId, UUID id, String previousKeyId, String masterKeyId, byte[] wrappedKey);

  @Query("SELECT count(*) FROM trusts WHERE secret_master_key_id = :keyId")
  long countSealedWith(String keyId);

  @Query(
      "SELECT count(*) FROM trusts WHERE secret_master_key_id NOT IN (:currentKeyId, :previousKeyId)")
  long countSealedWithOtherThan(String currentKeyId, String previousKeyId);
}
