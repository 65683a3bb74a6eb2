package dev.replicator.metrics;

import dev.replicator.platform.json.Timestamps;
import dev.replicator.platform.problem.ApiException;
import dev.replicator.platform.roles.ApiRole;
import dev.replicator.platform.web.PathIds;
import dev.replicator.platform.web.RequestInstants;
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
import java.time.Duration;
import java.time.Instant;

/** A rule's replication metrics per destination over a time range (the last hour by default). */
@ApiRole
@Controller("/api/v1/tenants/{tenantId}/rules/{ruleId}/metrics")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class RuleMetricsController {

  private static final Duration DEFAULT_RANGE = Duration.ofHours(1);
  private static final Duration MAX_RANGE = Duration.ofDays(31);

  private final TenantAccess access;
  private final RuleService rules;
  private final RuleMetricsStore metrics;
  private final Clock clock;

  public RuleMetricsController(
      TenantAccess access, RuleService rules, RuleMetricsStore metrics, Clock clock) {
    this.access = access;
    this.rules = rules;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Get
  public RuleMetrics get(
      String tenantId,
      String ruleId,
      @Nullable @QueryValue String from,
      @Nullable @QueryValue String to,
      Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.VIEWER);
    var rule = rules.get(scope.tenantId(), PathIds.parse(ruleId, "Rule"));
    Instant end = to == null ? clock.instant() : RequestInstants.parse("to", to);
    Instant start = from == null ? end.minus(DEFAULT_RANGE) : RequestInstants.parse("from", from);
    if (from == null && start.isBefore(Timestamps.MIN)) {
      throw ApiException.invalidField(
          "to", "must be at least an hour after " + Timestamps.MIN + " when from is absent");
    }
    if (!start.isBefore(end) || Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
      throw ApiException.invalidField("from", "must be before to, and the range at most 31 days");
    }
    return metrics.metrics(rule, start, end);
  }
}
