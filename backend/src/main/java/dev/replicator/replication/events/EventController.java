package dev.replicator.replication.events;

import dev.replicator.platform.roles.ApiRole;
import dev.replicator.tenancy.Role;
import dev.replicator.tenancy.TenantAccess;
import dev.replicator.tenancy.TenantScope;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.constraints.NotNull;

/**
 * Receives S3 event notifications so that new versions are replicated without waiting for the next
 * scan.
 */
@ApiRole
@Controller("/api/v1/tenants/{tenantId}/events")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class EventController {

  private final TenantAccess access;
  private final ChangeEvents events;
  private final JsonMapper json;

  public EventController(TenantAccess access, ChangeEvents events, JsonMapper json) {
    this.access = access;
    this.events = events;
    this.json = json;
  }

  @Post
  public HttpResponse<ChangeEvents.Outcome> receive(
      String tenantId, @Body @NotNull JsonNode notification, Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.OPERATOR);
    ChangeEvents.Outcome outcome =
        events.accept(scope.tenantId(), S3EventRecords.read(notification, json));
    return HttpResponse.status(HttpStatus.ACCEPTED).body(outcome);
  }
}
