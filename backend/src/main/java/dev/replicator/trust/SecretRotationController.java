package dev.replicator.trust;

import dev.replicator.platform.roles.ApiRole;
import dev.replicator.tenancy.TenantAccess;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;

/** Lets the platform administrator finish a master key rotation without restarting the servers. */
@ApiRole
@Controller("/api/v1/admin/secrets/rotate")
@Secured(SecurityRule.IS_AUTHENTICATED)
public class SecretRotationController {

  private final TenantAccess access;
  private final SecretRotation rotation;

  public SecretRotationController(TenantAccess access, SecretRotation rotation) {
    this.access = access;
    this.rotation = rotation;
  }

  @Post
  public SecretRotation.Result rotate(Authentication auth) {
    access.requirePlatformAdmin(auth);
    return rotation.rewrapAll();
  }
}
