package dev.replicator.rule;

import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
import dev.replicator.platform.problem.ApiException;
import dev.replicator.platform.roles.ApiRole;
import dev.replicator.platform.web.PathIds;
import dev.replicator.tenancy.Role;
import dev.replicator.tenancy.TenantAccess;
import dev.replicator.tenancy.TenantScope;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

@ApiRole
@Controller("/api/v1/tenants/{tenantId}/rules")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class RuleController {

  private final TenantAccess access;
  private final RuleService service;
  private final AwsReplicationConfiguration aws;

  public RuleController(TenantAccess access, RuleService service, AwsReplicationConfiguration aws) {
    this.access = access;
    this.service = service;
    this.aws = aws;
  }

  @Post
  public HttpResponse<RuleView> create(
      String tenantId, @Body @Valid @NotNull RuleInput input, Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.ADMIN);
    Rule rule = service.create(scope.tenantId(), scope.caller(), input.toDraft());
    return HttpResponse.created(
        RuleView.of(rule), URI.create("/api/v1/tenants/" + tenantId + "/rules/" + rule.id()));
  }

  @Get
  public Page<RuleView> list(
      String tenantId,
      @Nullable @QueryValue String trustId,
      @Nullable @QueryValue String bucket,
      @Nullable @QueryValue Integer limit,
      @Nullable @QueryValue String cursor,
      Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.VIEWER);
    Optional<Rule.Source> source = sourceFilter(trustId, bucket);
    return service.list(scope.tenantId(), source, PageRequest.of(limit, cursor)).map(RuleView::of);
  }

  @Get("/export")
  public Map<String, Object> export(
      String tenantId,
      @Nullable @QueryValue String trustId,
      @Nullable @QueryValue String bucket,
      Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.VIEWER);
    Rule.Source source =
        sourceFilter(trustId, bucket)
            .orElseThrow(
                () ->
                    ApiException.invalidField(
                        "trustId",
                        "and bucket are required: the export describes the rules of one source bucket"));
    return aws.export(scope.tenantId(), source);
  }

  @Post("/import")
  public HttpResponse<Map<String, List<RuleView>>> importConfiguration(
      String tenantId, @Body @Valid @NotNull ImportRequest request, Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.ADMIN);
    Rule.Source source = new Rule.Source(request.source().trustId(), request.source().bucket());
    List<Rule> created =
        aws.importConfiguration(
            scope.tenantId(),
            scope.caller(),
            source,
            request.destinationTrusts(),
            request.configuration());
    return HttpResponse.status(HttpStatus.CREATED)
        .body(Map.of("items", created.stream().map(RuleView::of).toList()));
  }

  @Get("/{ruleId}")
  public RuleView get(String tenantId, String ruleId, Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.VIEWER);
    return RuleView.of(service.get(scope.tenantId(), PathIds.parse(ruleId, "Rule")));
  }

  @Put("/{ruleId}")
  public RuleView update(
      String tenantId, String ruleId, @Body @Valid @NotNull RuleInput input, Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.ADMIN);
    return RuleView.of(
        service.update(
            scope.tenantId(), scope.caller(), PathIds.parse(ruleId, "Rule"), input.toDraft()));
  }

  @Delete("/{ruleId}")
  @Status(HttpStatus.NO_CONTENT)
  public void delete(String tenantId, String ruleId, Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.ADMIN);
    service.delete(scope.tenantId(), scope.caller(), PathIds.parse(ruleId, "Rule"));
  }

  private static Optional<Rule.Source> sourceFilter(
      @Nullable String trustId, @Nullable String bucket) {
    if (trustId == null && bucket == null) {
      return Optional.empty();
    }
    if (trustId == null || bucket == null) {
      throw ApiException.invalidField(
          trustId == null ? "trustId" : "bucket",
          "must be given together with " + (trustId == null ? "bucket" : "trustId"));
    }
    try {
      return Optional.of(new Rule.Source(UUID.fromString(trustId), bucket));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField("trustId", "must be a trust id");
    }
  }

  @Serdeable
  public record ImportRequest(
      @NotNull @Valid RuleInput.SourceInput source,
      @NotNull Map<String, UUID> destinationTrusts,
      @NotNull JsonNode configuration) {}
}
