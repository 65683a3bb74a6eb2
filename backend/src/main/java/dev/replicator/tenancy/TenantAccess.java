package dev.replicator.tenancy;

import dev.replicator.platform.problem.ApiException;
import dev.replicator.platform.web.PathIds;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import java.util.UUID;

/**
 * The one gate for tenant-scoped requests. A caller of another tenant is told the tenant does not
 * exist (404), so nobody can learn which tenant ids exist; a caller of the right tenant whose role
 * is too weak gets 403.
 */
@Singleton
public class TenantAccess {

  private final TenantRepository tenants;

  public TenantAccess(TenantRepository tenants) {
    this.tenants = tenants;
  }

  public TenantScope require(Authentication authentication, String tenantId, Role minimum) {
    Caller caller = Caller.of(authentication);
    UUID id = parse(tenantId);
    if (caller.isPlatformAdmin()) {
      if (!tenants.existsById(id)) {
        throw notFound(tenantId);
      }
      return new TenantScope(id, caller);
    }
    if (!id.equals(caller.tenantId())) {
      throw notFound(tenantId);
    }
    if (!caller.role().includes(minimum)) {
      throw ApiException.forbidden(
          "This request needs the "
              + minimum
              + " role in this tenant; your credentials have "
              + caller.role()
              + ". Ask a tenant administrator for a token or user with the "
              + minimum
              + " role.");
    }
    return new TenantScope(id, caller);
  }

  /** For requests only the platform administrator may make, such as creating tenants. */
  public Caller requirePlatformAdmin(Authentication authentication) {
    Caller caller = Caller.of(authentication);
    if (!caller.isPlatformAdmin()) {
      throw ApiException.forbidden(
          "Only the platform administrator (REPLICATOR_ADMIN_TOKEN) may do this; tenant tokens and users act within their own tenant.");
    }
    return caller;
  }

  private static UUID parse(String tenantId) {
    return PathIds.parse(tenantId, "Tenant");
  }

  private static ApiException notFound(String tenantId) {
    return ApiException.notFound("Tenant " + tenantId);
  }
}
