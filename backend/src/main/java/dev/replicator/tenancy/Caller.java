package dev.replicator.tenancy;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.authentication.Authentication;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Who is making a request: the platform administrator, or a token or user of exactly one tenant.
 * Built once per request by {@link dev.replicator.tenancy.auth.CredentialValidator} and carried in
 * the {@link Authentication}.
 *
 * @param actor how the audit log names the caller
 * @param credentialId the token or user id; null for the platform administrator
 */
public record Caller(
    Kind kind,
    @Nullable UUID tenantId,
    @Nullable Role role,
    String actor,
    @Nullable UUID credentialId,
    String sourceIp) {

  private static final String ATTRIBUTE = "replicator.caller";

  public enum Kind {
    PLATFORM_ADMIN,
    TOKEN,
    USER
  }

  public boolean isPlatformAdmin() {
    return kind == Kind.PLATFORM_ADMIN;
  }

  public Authentication toAuthentication() {
    List<String> roles = isPlatformAdmin() ? List.of("PLATFORM_ADMIN") : List.of(role.name());
    return Authentication.build(actor, roles, Map.of(ATTRIBUTE, this));
  }

  public static Caller of(Authentication authentication) {
    Object caller = authentication.getAttributes().get(ATTRIBUTE);
    if (caller instanceof Caller c) {
      return c;
    }
    throw new IllegalStateException("the request was authenticated without a Replicator caller");
  }
}
