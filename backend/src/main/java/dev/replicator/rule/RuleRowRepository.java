package dev.replicator.rule;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface RuleRowRepository extends GenericRepository<RuleRow, UUID> {

  RuleRow save(RuleRow row);

  RuleRow update(RuleRow row);

  Optional<RuleRow> findByTenantIdAndId(UUID tenantId, UUID id);

  List<RuleRow> findByTenantIdAndIdGreaterThan(UUID tenantId, UUID after, Pageable pageable);

  List<RuleRow> findByTenantIdAndSourceTrustIdAndSourceBucketAndIdGreaterThan(
      UUID tenantId, UUID sourceTrustId, String sourceBucket, UUID after, Pageable pageable);

  List<RuleRow> findByTenantIdAndSourceTrustIdAndSourceBucketOrderByPriorityDesc(
      UUID tenantId, UUID sourceTrustId, String sourceBucket);

  List<RuleRow> findByTenantIdAndStatus(UUID tenantId, RuleStatus status);

  int deleteByTenantIdAndId(UUID tenantId, UUID id);
}
