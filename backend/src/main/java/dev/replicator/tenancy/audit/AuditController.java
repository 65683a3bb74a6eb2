package dev.replicator.tenancy.audit;

import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
import dev.replicator.platform.roles.ApiRole;
import dev.replicator.tenancy.Role;
import dev.replicator.tenancy.TenantAccess;
import dev.replicator.tenancy.TenantScope;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

@ApiRole
@Controller("/api/v1/tenants/{tenantId}/audit")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class AuditController {

  private final TenantAccess access;
  private final AuditLog audit;

  public AuditController(TenantAccess access, AuditLog audit) {
    this.access = access;
    this.audit = audit;
  }

  @Get
  public Page<AuditEntry> list(
      String tenantId,
      @Nullable @QueryValue Integer limit,
      @Nullable @QueryValue String cursor,
      @Nullable @QueryValue String action,
      @Nullable @QueryValue String actor,
      @Nullable @QueryValue String since,
      @Nullable @QueryValue String until,
      Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.VIEWER);
    return audit.list(
        scope.tenantId(),
        AuditFilter.of(action, actor, since, until),
        PageRequest.of(limit, cursor));
  }
}
