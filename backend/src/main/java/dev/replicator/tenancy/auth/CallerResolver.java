package dev.replicator.tenancy.auth;

import dev.replicator.platform.roles.ApiRole;
import dev.replicator.platform.security.SecretTokens;
import dev.replicator.tenancy.Caller;
import dev.replicator.tenancy.token.ApiToken;
import dev.replicator.tenancy.token.ApiTokenRepository;
import dev.replicator.tenancy.user.User;
import dev.replicator.tenancy.user.UserRepository;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Turns a presented secret into a {@link Caller}: a session id (from the cookie), an API token, or
 * the platform administrator token. Looked up on every request, so revoking a token or removing a
 * user takes effect at once.
 */
@ApiRole
@Singleton
public class CallerResolver {

  private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);

  private final ApiTokenRepository tokens;
  private final UserRepository users;
  private final SessionService sessions;
  private final AdminCredential admin;
  private final Clock clock;

  CallerResolver(
      ApiTokenRepository tokens,
      UserRepository users,
      SessionService sessions,
      AdminCredential admin,
      Clock clock) {
    this.tokens = tokens;
    this.users = users;
    this.sessions = sessions;
    this.admin = admin;
    this.clock = clock;
  }

  public Optional<Caller> resolve(String secret, String sourceIp) {
    if (secret.startsWith(SecretTokens.SESSION_PREFIX)) {
      return sessions.find(secret).flatMap(session -> fromSession(session, sourceIp));
    }
    Optional<ApiToken> token = tokens.findByTokenHash(SecretTokens.hash(secret));
    if (token.isPresent()) {
      touch(token.get());
      return token.map(t -> tokenCaller(t, sourceIp));
    }
    return admin.matches(secret) ? Optional.of(adminCaller(sourceIp)) : Optional.empty();
  }

  private Optional<Caller> fromSession(Session session, String sourceIp) {
    if (session.userId() != null) {
      return users
          .findByTenantIdAndId(session.tenantId(), session.userId())
          .map(u -> userCaller(u, sourceIp));
    }
    if (session.tokenId() != null) {
      return tokens
          .findByTenantIdAndId(session.tenantId(), session.tokenId())
          .map(t -> tokenCaller(t, sourceIp));
    }
    return SecretTokens.sameHash(session.adminHash(), admin.hash())
        ? Optional.of(adminCaller(sourceIp))
        : Optional.empty();
  }

  private void touch(ApiToken token) {
    Instant now = clock.instant();
    if (token.lastUsedAt() == null || token.lastUsedAt().isBefore(now.minus(LAST_USED_PRECISION))) {
      tokens.touch(token.tenantId(), token.id(), now, now.minus(LAST_USED_PRECISION));
    }
  }

  static Caller tokenCaller(ApiToken token, String sourceIp) {
    return new Caller(
        Caller.Kind.TOKEN,
        token.tenantId(),
        token.role(),
        "token:" + token.name() + " (" + token.id() + ")",
        token.id(),
        sourceIp);
  }

  static Caller userCaller(User user, String sourceIp) {
    return new Caller(
        Caller.Kind.USER,
        user.tenantId(),
        user.role(),
        "user:" + user.email(),
        user.id(),
        sourceIp);
  }

  static Caller adminCaller(String sourceIp) {
    return new Caller(Caller.Kind.PLATFORM_ADMIN, null, null, "platform-admin", null, sourceIp);
  }
}
