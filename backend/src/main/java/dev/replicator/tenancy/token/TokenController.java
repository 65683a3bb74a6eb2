package dev.replicator.tenancy.token;

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
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;

@ApiRole
@Controller("/api/v1/tenants/{tenantId}/tokens")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class TokenController {

  private final TenantAccess access;
  private final TokenService service;

  public TokenController(TenantAccess access, TokenService service) {
    this.access = access;
    this.service = service;
  }

  @Post
  public HttpResponse<CreatedToken> create(
      String tenantId, @Body @Valid @NotNull CreateToken request, Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.ADMIN);
    TokenService.IssuedToken issued =
        service.issue(scope.tenantId(), scope.caller(), request.name(), request.role());
    ApiToken token = issued.token();
    return HttpResponse.created(
        new CreatedToken(
            token.id(),
            token.name(),
            token.role(),
            issued.secret(),
            token.createdAt(),
            token.createdBy()),
        URI.create("/api/v1/tenants/" + tenantId + "/tokens/" + token.id()));
  }

  @Get
  public Page<TokenView> list(
      String tenantId,
      @Nullable @QueryValue Integer limit,
      @Nullable @QueryValue String cursor,
      Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.VIEWER);
    return service.list(scope.tenantId(), PageRequest.of(limit, cursor)).map(TokenView::of);
  }

  @Delete("/{tokenId}")
  @Status(HttpStatus.NO_CONTENT)
  public void revoke(String tenantId, String tokenId, Authentication auth) {
    TenantScope scope = access.require(auth, tenantId, Role.ADMIN);
    service.revoke(scope.tenantId(), scope.caller(), PathIds.parse(tokenId, "Token"));
  }

  @Serdeable
  public record CreateToken(
      @NotBlank
          @Size(max = 100)
          @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not contain control characters")
          String name,
      @NotNull Role role) {}

  @Serdeable
  public record CreatedToken(
      UUID id, String name, Role role, String token, Instant createdAt, String createdBy) {}

  @Serdeable
  public record TokenView(
      UUID id,
      String name,
      Role role,
      Instant createdAt,
      String createdBy,
      @Nullable Instant lastUsedAt) {
    static TokenView of(ApiToken token) {
      return new TokenView(
          token.id(),
          token.name(),
          token.role(),
          token.createdAt(),
          token.createdBy(),
          token.lastUsedAt());
    }
  }
}
