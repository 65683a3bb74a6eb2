package dev.replicator.metrics;

import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
import dev.replicator.platform.roles.ApiRole;
import dev.replicator.rule.RuleService;
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
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Every rule's health now, a page at a time in the order of the rules list: the overview. */
@ApiRole
@Controller("/api/v1/tenants/{tenantId}/rules/health")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class RuleHealthController {

  private final TenantAccess access;
  private final RuleService rules;
  private final RuleHealths healths;
  private final Clock clock;

  public RuleHealthController(
      TenantAccess access, RuleService rules, RuleHealths healths, Clock clock) {
    this.access = access;
    this.rules = rules;
    this.healths = healths;
    this.clock = clock;
  }

  @Get
  public Page<RuleHealth> list(
      String tenantId,
      @Nullable @QueryValue Integer limit,
      @Nullable @QueryValue String cursor,
      Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.VIEWER);
    Instant now = clock.instant();
    return rules
        .list(scope.tenantId(), Optional.empty(), PageRequest.of(limit, cursor))
        .map(rule -> healths.of(rule, now));
  }
}
