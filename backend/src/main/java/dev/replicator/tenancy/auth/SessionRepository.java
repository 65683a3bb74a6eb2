package dev.replicator.tenancy.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface SessionRepository extends GenericRepository<Session, byte[]> {

  Session save(Session session);

  Optional<Session> findByIdHashAndExpiresAtGreaterThan(byte[] idHash, Instant now);

  void deleteByIdHash(byte[] idHash);

  @Query("DELETE FROM sessions WHERE expires_at <= :now")
  int deleteExpired(Instant now);
}
