package dev.replicator.tenancy;

import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
import dev.replicator.platform.roles.ApiRole;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;

@ApiRole
@Controller("/api/v1/tenants")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class TenantController {

  private final TenantAccess access;
  private final TenantService service;

  public TenantController(TenantAccess access, TenantService service) {
    this.access = access;
    this.service = service;
  }

  @Post
  public HttpResponse<TenantView> create(
      @Body @Valid @NotNull CreateTenant request, Authentication auth) {
    Caller caller = access.requirePlatformAdmin(auth);
    Tenant tenant = service.create(caller, request.name());
    return HttpResponse.created(
        TenantView.of(tenant), URI.create("/api/v1/tenants/" + tenant.id()));
  }

  @Get
  public Page<TenantView> list(
      @Nullable @QueryValue Integer limit,
      @Nullable @QueryValue String cursor,
      Authentication auth) {
    return service.list(Caller.of(auth), PageRequest.of(limit, cursor)).map(TenantView::of);
  }

  @Get("/{tenantId}")
  public TenantView get(String tenantId, Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.VIEWER);
    return TenantView.of(service.get(scope.tenantId()));
  }

  @Serdeable
  public record CreateTenant(
      @NotBlank
          @Size(max = 100)
          @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
          String name) {}

  @Serdeable
  public record TenantView(UUID id, String name, Instant createdAt) {
    static TenantView of(Tenant tenant) {
      return new TenantView(tenant.id(), tenant.name(), tenant.createdAt());
    }
  }
}
