package dev.replicator.notification;

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
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Webhooks that receive the tenant's replication events, and their delivery history. */
@ApiRole
@Controller("/api/v1/tenants/{tenantId}/webhooks")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class WebhookController {

  private static final Set<String> DELIVERY_STATUSES = Set.of("PENDING", "DELIVERED", "FAILED");

  private final TenantAccess access;
  private final WebhookService webhooks;
  private final WebhookStore store;

  public WebhookController(TenantAccess access, WebhookService webhooks, WebhookStore store) {
    this.access = access;
    this.webhooks = webhooks;
    this.store = store;
  }

  @Post
  public HttpResponse<Webhook.WithSecret> create(
      String tenantId, @Body @Valid WebhookInput input, Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.ADMIN);
    return HttpResponse.status(HttpStatus.CREATED)
        .body(webhooks.create(scope.tenantId(), scope.caller(), input));
  }

  @Get
  public Page<Webhook> list(
      String tenantId,
      @Nullable @QueryValue Integer limit,
      @Nullable @QueryValue String cursor,
      Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.VIEWER);
    return store.list(scope.tenantId(), PageRequest.of(limit, cursor));
  }

  @Get("/{webhookId}")
  public Webhook get(String tenantId, String webhookId, Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.VIEWER);
    return webhooks.get(scope.tenantId(), id(webhookId));
  }

  @Put("/{webhookId}")
  public Webhook update(
      String tenantId, String webhookId, @Body @Valid WebhookInput input, Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.ADMIN);
    return webhooks.update(scope.tenantId(), scope.caller(), id(webhookId), input);
  }

  @Delete("/{webhookId}")
  public HttpResponse<Void> delete(String tenantId, String webhookId, Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.ADMIN);
    webhooks.delete(scope.tenantId(), scope.caller(), id(webhookId));
    return HttpResponse.noContent();
  }

  @Post("/{webhookId}/secret")
  public Webhook.WithSecret rotateSecret(String tenantId, String webhookId, Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.ADMIN);
    return webhooks.rotateSecret(scope.tenantId(), scope.caller(), id(webhookId));
  }

  @Post("/{webhookId}/test")
  public HttpResponse<Map<String, UUID>> test(
      String tenantId, String webhookId, Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.OPERATOR);
    return HttpResponse.status(HttpStatus.ACCEPTED)
        .body(Map.of("deliveryId", webhooks.test(scope.tenantId(), scope.caller(), id(webhookId))));
  }

  @Get("/{webhookId}/deliveries")
  public Page<WebhookDelivery> deliveries(
      String tenantId,
      String webhookId,
      @Nullable @QueryValue String status,
      @Nullable @QueryValue Integer limit,
      @Nullable @QueryValue String cursor,
      Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.VIEWER);
    UUID webhook = webhooks.get(scope.tenantId(), id(webhookId)).id();
    if (status != null && !DELIVERY_STATUSES.contains(status)) {
      throw ApiException.invalidField("status", "must be one of PENDING, DELIVERED, FAILED");
    }
    return store.deliveries(scope.tenantId(), webhook, status, PageRequest.of(limit, cursor));
  }

  private static UUID id(String webhookId) {
    return PathIds.parse(webhookId, "Webhook");
  }
}
