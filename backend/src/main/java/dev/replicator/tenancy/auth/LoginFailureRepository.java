package dev.replicator.tenancy.auth;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface LoginFailureRepository extends GenericRepository<LoginFailureRepository.Failure, String> {

  @Query("INSERT INTO login_failures (subject, failed_at) VALUES (:subject, :at)")
  void add(String subject, Instant at);

  @Query("SELECT count(*) FROM login_failures WHERE subject = :subject AND failed_at > :since")
  long countSince(String subject, Instant since);

  /** The failure that will drop out of the window first, once the limit is reached. */
  @Query("SELECT min(failed_at) FROM login_failures WHERE subject = :subject AND failed_at > :since")
  Optional<Instant> oldestSince(String subject, Instant since);

  @Query("DELETE FROM login_failures WHERE subject = :subject")
  void clear(String subject);

  @Query("DELETE FROM login_failures WHERE failed_at <= :before")
  int deleteBefore(Instant before);

  @MappedEntity("login_failures")
  record Failure(@Id String subject, Instant failedAt) {}
}
