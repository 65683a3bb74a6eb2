package dev.replicator.tenancy.auth;

import dev.replicator.platform.problem.ApiException;
import dev.replicator.platform.roles.ApiRole;
import dev.replicator.platform.web.ClientAddress;
import dev.replicator.tenancy.Caller;
import dev.replicator.tenancy.Role;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.UUID;

@ApiRole
@Controller("/api/v1/auth")
public class AuthController {

  private final SignIn signIn;
  private final AuthSettings settings;

  public AuthController(SignIn signIn, AuthSettings settings) {
    this.signIn = signIn;
    this.settings = settings;
  }

  @Post("/login")
  @Secured(SecurityRule.IS_ANONYMOUS)
  public HttpResponse<Me> login(@Body @Valid @NotNull Login request, HttpRequest<?> http) {
    String address = ClientAddress.of(http);
    SignIn.Result result;
    if (request.token() != null && request.email() == null && request.password() == null) {
      result = signIn.withToken(request.token(), address);
    } else if (request.token() == null && request.email() != null && request.password() != null) {
      result = signIn.withPassword(request.email(), request.password(), address);
    } else {
      throw ApiException.badRequest(
          "Sign in with either {email, password} or {token}, not both and not neither.");
    }
    return HttpResponse.ok(Me.of(result.caller()))
        .cookie(sessionCookie(result.sessionSecret(), settings.sessionTtl()));
  }

  @Post("/logout")
  @Secured(SecurityRule.IS_AUTHENTICATED)
  public HttpResponse<Void> logout(HttpRequest<?> http, Authentication auth) {
    http.getCookies()
        .findCookie(AuthSettings.SESSION_COOKIE)
        .ifPresent(cookie -> signIn.signOut(Caller.of(auth), cookie.getValue()));
    return HttpResponse.<Void>noContent().cookie(sessionCookie("", Duration.ZERO));
  }

  @Get("/me")
  @Secured(SecurityRule.IS_AUTHENTICATED)
  public Me me(Authentication auth) {
    return Me.of(Caller.of(auth));
  }

  private Cookie sessionCookie(String value, Duration maxAge) {
    return Cookie.of(AuthSettings.SESSION_COOKIE, value)
        .path("/")
        .httpOnly(true)
        .sameSite(SameSite.Strict)
        .secure(settings.secureCookies())
        .maxAge(maxAge);
  }

  @Serdeable
  public record Login(
      @Nullable @Size(max = 254) String email,
      @Nullable @Size(max = 256) String password,
      @Nullable @Size(max = 512) String token) {}

  /** Who the caller is, as the dashboard needs it to choose what to show. */
  @Serdeable
  public record Me(
      Caller.Kind kind,
      @Nullable UUID tenantId,
      @Nullable Role role,
      String name,
      boolean platformAdmin) {
    static Me of(Caller caller) {
      return new Me(
          caller.kind(),
          caller.tenantId(),
          caller.role(),
          caller.actor(),
          caller.isPlatformAdmin());
    }
  }
}
