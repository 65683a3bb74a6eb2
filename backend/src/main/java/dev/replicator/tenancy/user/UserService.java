package dev.replicator.tenancy.user;

import dev.replicator.platform.Ids;
import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
import dev.replicator.platform.persistence.SqlStates;
import dev.replicator.platform.problem.ApiException;
import dev.replicator.tenancy.Caller;
import dev.replicator.tenancy.Role;
import dev.replicator.tenancy.audit.AuditLog;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.UUID;

@Singleton
public class UserService {

  private final UserRepository users;
  private final PasswordHasher passwords;
  private final AuditLog audit;
  private final Clock clock;

  public UserService(UserRepository users, PasswordHasher passwords, AuditLog audit, Clock clock) {
    this.users = users;
    this.passwords = passwords;
    this.audit = audit;
    this.clock = clock;
  }

  @Transactional
  public User create(UUID tenantId, Caller caller, String email, String password, Role role) {
    User user =
        new User(
            Ids.next(), tenantId, email.strip(), passwords.hash(password), role, clock.instant());
    try {
      users.save(user);
    } catch (RuntimeException e) {
      if (SqlStates.isUniqueViolation(e)) {
        throw ApiException.conflict(
            "A user with the email "
                + user.email()
                + " already exists; each email can sign in to one tenant only.");
      }
      throw e;
    }
    audit.record(
        tenantId,
        caller,
        "user.create",
        "user:" + user.id() + " (" + user.email() + ", " + role + ")");
    return user;
  }

  public Page<User> list(UUID tenantId, PageRequest page) {
    return Page.of(
        users.findByTenantIdAndIdGreaterThan(tenantId, page.afterOrFirst(), page.oldestFirst()),
        page,
        User::id,
        u -> u);
  }

  /** Removing a user also ends its sessions (they cascade with the row). */
  @Transactional
  public void remove(UUID tenantId, Caller caller, UUID userId) {
    User user =
        users
            .findByTenantIdAndId(tenantId, userId)
            .orElseThrow(() -> ApiException.notFound("User " + userId));
    users.deleteByTenantIdAndId(tenantId, userId);
    audit.record(tenantId, caller, "user.remove", "user:" + user.id() + " (" + user.email() + ")");
  }
}
