package dev.replicator.tenancy.user;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface UserRepository extends GenericRepository<User, UUID> {

  User save(User user);

  List<User> findByTenantIdAndIdGreaterThan(UUID tenantId, UUID after, Pageable pageable);

  Optional<User> findByTenantIdAndId(UUID tenantId, UUID id);

  @Query("SELECT * FROM users WHERE lower(email) = lower(:email)")
  Optional<User> findByEmailIgnoringCase(String email);

  int deleteByTenantIdAndId(UUID tenantId, UUID id);
}
