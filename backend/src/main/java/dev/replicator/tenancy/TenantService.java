package dev.replicator.tenancy;

import dev.replicator.platform.Ids;
import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
import dev.replicator.platform.persistence.SqlStates;
import dev.replicator.platform.problem.ApiException;
import dev.replicator.tenancy.audit.AuditLog;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

@Singleton
public class TenantService {

  private final TenantRepository tenants;
  private final AuditLog audit;
  private final Clock clock;

  public TenantService(TenantRepository tenants, AuditLog audit, Clock clock) {
    this.tenants = tenants;
    this.audit = audit;
    this.clock = clock;
  }

  @Transactional
  public Tenant create(Caller caller, String name) {
    Tenant tenant = new Tenant(Ids.next(), name.strip(), clock.instant());
    try {
      tenants.save(tenant);
    } catch (RuntimeException e) {
      if (SqlStates.isUniqueViolation(e)) {
        throw ApiException.conflict(
            "A tenant named '" + tenant.name() + "' already exists; choose another name.");
      }
      throw e;
    }
    audit.record(tenant.id(), caller, "tenant.create", "tenant:" + tenant.id());
    return tenant;
  }

  /** The platform administrator sees every tenant; anyone else sees only their own. */
  public Page<Tenant> list(Caller caller, PageRequest page) {
    List<Tenant> rows =
        caller.isPlatformAdmin()
            ? tenants.findByIdGreaterThan(page.afterOrFirst(), page.oldestFirst())
            : tenants
                .findById(caller.tenantId())
                .filter(t -> t.id().compareTo(page.afterOrFirst()) > 0)
                .stream()
                .toList();
    return Page.of(rows, page, Tenant::id, t -> t);
  }

  public Tenant get(UUID tenantId) {
    return tenants
        .findById(tenantId)
        .orElseThrow(() -> ApiException.notFound("Tenant " + tenantId));
  }
}
