package dev.replicator.tenancy.token;

import dev.replicator.platform.Ids;
import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
import dev.replicator.platform.problem.ApiException;
import dev.replicator.platform.security.SecretTokens;
import dev.replicator.tenancy.Caller;
import dev.replicator.tenancy.Role;
import dev.replicator.tenancy.audit.AuditLog;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.UUID;

@Singleton
public class TokenService {

  private final ApiTokenRepository tokens;
  private final AuditLog audit;
  private final Clock clock;

  public TokenService(ApiTokenRepository tokens, AuditLog audit, Clock clock) {
    this.tokens = tokens;
    this.audit = audit;
    this.clock = clock;
  }

  /** The secret is returned here once and never stored; only its hash is. */
  public record IssuedToken(ApiToken token, String secret) {}

  @Transactional
  public IssuedToken issue(UUID tenantId, Caller caller, String name, Role role) {
    String secret = SecretTokens.generate(SecretTokens.API_TOKEN_PREFIX);
    ApiToken token =
        new ApiToken(
            Ids.next(),
            tenantId,
            name.strip(),
            role,
            SecretTokens.hash(secret),
            caller.actor(),
            clock.instant(),
            null);
    tokens.save(token);
    audit.record(
        tenantId,
        caller,
        "token.create",
        "token:" + token.id() + " (" + token.name() + ", " + role + ")");
    return new IssuedToken(token, secret);
  }

  public Page<ApiToken> list(UUID tenantId, PageRequest page) {
    return Page.of(
        tokens.findByTenantIdAndIdGreaterThan(tenantId, page.afterOrFirst(), page.oldestFirst()),
        page,
        ApiToken::id,
        t -> t);
  }

  /**
   * Deleting the row is the revocation: the next request with the token finds nothing and is
   * refused.
   */
  @Transactional
  public void revoke(UUID tenantId, Caller caller, UUID tokenId) {
    ApiToken token =
        tokens
            .findByTenantIdAndId(tenantId, tokenId)
            .orElseThrow(() -> ApiException.notFound("Token " + tokenId));
    tokens.deleteByTenantIdAndId(tenantId, tokenId);
    audit.record(
        tenantId, caller, "token.revoke", "token:" + token.id() + " (" + token.name() + ")");
  }
}
