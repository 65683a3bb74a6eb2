package dev.replicator.replication.status;

import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
import dev.replicator.platform.problem.ApiException;
import dev.replicator.platform.roles.ApiRole;
import dev.replicator.platform.web.PathIds;
import dev.replicator.replication.TaskQueue;
import dev.replicator.rule.RuleService;
import dev.replicator.tenancy.Role;
import dev.replicator.tenancy.TenantAccess;
import dev.replicator.tenancy.TenantScope;
import dev.replicator.tenancy.audit.AuditLog;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Per-rule object status, the failure drilldown, and retrying failed objects once their cause is
 * fixed.
 */
@ApiRole
@Controller("/api/v1/tenants/{tenantId}/rules/{ruleId}/objects")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class ObjectStatusController {

  private final TenantAccess access;
  private final RuleService rules;
  private final ObjectStatusStore store;
  private final TaskQueue queue;
  private final AuditLog audit;

  public ObjectStatusController(
      TenantAccess access,
      RuleService rules,
      ObjectStatusStore store,
      TaskQueue queue,
      AuditLog audit) {
    this.access = access;
    this.rules = rules;
    this.store = store;
    this.queue = queue;
    this.audit = audit;
  }

  @Get
  public Page<ObjectStatus> list(
      String tenantId,
      String ruleId,
      @Nullable @QueryValue String status,
      @Nullable @QueryValue String prefix,
      @Nullable @QueryValue String destination,
      @Nullable @QueryValue String failureReason,
      @Nullable @QueryValue Integer limit,
      @Nullable @QueryValue String cursor,
      Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.VIEWER);
    UUID rule = ruleOf(scope, ruleId);
    if (status != null && !ObjectStatus.STATUSES.contains(status)) {
      throw ApiException.invalidField(
          "status", "must be one of " + String.join(", ", ObjectStatus.STATUSES));
    }
    return store.list(
        scope.tenantId(),
        rule,
        new ObjectStatusStore.Filter(status, prefix, destination, failureReason),
        PageRequest.of(limit, cursor));
  }

  @Get("/summary")
  public ObjectStatusStore.Summary summary(String tenantId, String ruleId, Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.VIEWER);
    return store.summary(scope.tenantId(), ruleOf(scope, ruleId));
  }

  @Post("/retry")
  @Transactional
  public HttpResponse<Map<String, Integer>> retry(
      String tenantId,
      String ruleId,
      @Nullable @Body @Valid RetryRequest request,
      Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.OPERATOR);
    UUID rule = ruleOf(scope, ruleId);
    List<String> keys = request == null ? null : request.keys();
    String reason = request == null ? null : request.failureReason();
    int queued = queue.requeueFailed(scope.tenantId(), rule, keys, reason);
    // pending versions have no failure reason: a retry by reason hurries none
    int hurried = reason == null ? queue.hurryBackingOff(scope.tenantId(), rule, keys) : 0;
    audit.record(
        scope.tenantId(),
        scope.caller(),
        "objects.retry",
        "rule:"
            + rule
            + " ("
            + queued
            + " objects"
            + (hurried == 0 ? "" : ", " + hurried + " pending ones now")
            + (reason == null ? "" : ", " + reason)
            + ")");
    return HttpResponse.status(HttpStatus.ACCEPTED)
        .body(Map.of("queued", queued, "hurried", hurried));
  }

  private UUID ruleOf(TenantScope scope, String ruleId) {
    return rules.get(scope.tenantId(), PathIds.parse(ruleId, "Rule")).id();
  }

  /**
   * Which objects to retry: the FAILED ones of these keys, those failed for this reason, or
   * (neither given) all; and, unless a reason is given, the pending ones among them that wait out a
   * backoff, at once.
   */
  @Serdeable
  public record RetryRequest(
      @Nullable @Size(min = 1, max = 1000) List<String> keys, @Nullable String failureReason) {}
}
