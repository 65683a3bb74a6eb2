package dev.replicator.tenancy.auth;

import dev.replicator.platform.security.SecretTokens;
import dev.replicator.tenancy.Caller;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Opens, finds and ends dashboard sessions. The cookie holds a random secret; the table holds its
 * hash.
 */
@Singleton
public class SessionService {

  private final SessionRepository sessions;
  private final AuthSettings settings;
  private final Clock clock;

  SessionService(SessionRepository sessions, AuthSettings settings, Clock clock) {
    this.sessions = sessions;
    this.settings = settings;
    this.clock = clock;
  }

  /** Returns the new session's secret, the value of the session cookie. */
  @Transactional
  public String open(Caller caller, byte[] adminHash) {
    String secret = SecretTokens.generate(SecretTokens.SESSION_PREFIX);
    Instant now = clock.instant();
    boolean user = caller.kind() == Caller.Kind.USER;
    boolean token = caller.kind() == Caller.Kind.TOKEN;
    sessions.save(
        new Session(
            SecretTokens.hash(secret),
            caller.tenantId(),
            user ? caller.credentialId() : null,
            token ? caller.credentialId() : null,
            caller.isPlatformAdmin() ? adminHash : null,
            now,
            now.plus(settings.sessionTtl())));
    return secret;
  }

  Optional<Session> find(String secret) {
    return sessions.findByIdHashAndExpiresAtGreaterThan(SecretTokens.hash(secret), clock.instant());
  }

  @Transactional
  public void end(String secret) {
    sessions.deleteByIdHash(SecretTokens.hash(secret));
  }

  @Transactional
  public int endExpired() {
    return sessions.deleteExpired(clock.instant());
  }
}
