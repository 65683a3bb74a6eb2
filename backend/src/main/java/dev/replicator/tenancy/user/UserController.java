package dev.replicator.tenancy.user;

import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
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
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;

@ApiRole
@Controller("/api/v1/tenants/{tenantId}/users")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class UserController {

  private final TenantAccess access;
  private final UserService service;

  public UserController(TenantAccess access, UserService service) {
    this.access = access;
    this.service = service;
  }

  @Post
  public HttpResponse<UserView> create(
      String tenantId, @Body @Valid @NotNull CreateUser request, Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.ADMIN);
    User user =
        service.create(
            scope.tenantId(), scope.caller(), request.email(), request.password(), request.role());
    return HttpResponse.created(
        UserView.of(user), URI.create("/api/v1/tenants/" + tenantId + "/users/" + user.id()));
  }

  @Get
  public Page<UserView> list(
      String tenantId,
      @Nullable @QueryValue Integer limit,
      @Nullable @QueryValue String cursor,
      Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.VIEWER);
    return service.list(scope.tenantId(), PageRequest.of(limit, cursor)).map(UserView::of);
  }

  @Delete("/{userId}")
  @Status(HttpStatus.NO_CONTENT)
  public void remove(String tenantId, String userId, Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.ADMIN);
    service.remove(scope.tenantId(), scope.caller(), PathIds.parse(userId, "User"));
  }

  @Serdeable
  public record CreateUser(
      @NotBlank @Email @Size(max = 254) String email,
      @NotNull @Size(min = 12, max = 256, message = "must be between 12 and 256 characters long")
          String password,
      @NotNull Role role) {}

  @Serdeable
  public record UserView(UUID id, String email, Role role, Instant createdAt) {
    static UserView of(User user) {
      return new UserView(user.id(), user.email(), user.role(), user.createdAt());
    }
  }
}
