package dev.replicator.tenancy.auth;

import dev.replicator.platform.problem.ApiException;
import dev.replicator.tenancy.Caller;
import dev.replicator.tenancy.audit.AuditLog;
import dev.replicator.tenancy.user.PasswordHasher;
import dev.replicator.tenancy.user.User;
import dev.replicator.tenancy.user.UserRepository;
import io.micronaut.http.HttpStatus;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Signs in to the dashboard with a user's email and password, or with a token (how the platform
 * administrator, who has no user, reaches the dashboard). Failures say only that the credentials
 * were wrong, never which part; a wrong password for a user goes into the audit log of the user's
 * tenant.
 */
@Singleton
public class SignIn {

  private final UserRepository users;
  private final PasswordHasher passwords;
  private final LoginThrottle throttle;
  private final CallerResolver callers;
  private final SessionService sessions;
  private final AdminCredential admin;
  private final AuditLog audit;

  SignIn(
      UserRepository users,
      PasswordHasher passwords,
      LoginThrottle throttle,
      CallerResolver callers,
      SessionService sessions,
      AdminCredential admin,
      AuditLog audit) {
    this.users = users;
    this.passwords = passwords;
    this.throttle = throttle;
    this.callers = callers;
    this.sessions = sessions;
    this.admin = admin;
    this.audit = audit;
  }

  public record Result(Caller caller, String sessionSecret) {}

  /**
   * The attempt is counted before the password is checked; a wrong one stays counted as a failure.
   */
  Result withPassword(String email, String password, String address) {
    LoginThrottle.Attempt attempt = throttle.admitPassword(email, address);
    Optional<User> user = users.findByEmailIgnoringCase(email.strip());
    boolean valid =
        user.isPresent() ? passwords.matches(password, user.get().passwordHash()) : burn(password);
    if (!valid) {
      user.ifPresent(wrong -> audit.recordFailedSignIn(wrong.tenantId(), wrong.email(), address));
      throw wrongCredentials("Wrong email or password.");
    }
    throttle.succeeded(attempt);
    return open(CallerResolver.userCaller(user.get(), address));
  }

  Result withToken(String token, String address) {
    LoginThrottle.Attempt attempt = throttle.admitToken(address);
    Optional<Caller> caller =
        token.startsWith("rps_") ? Optional.empty() : callers.resolve(token, address);
    if (caller.isEmpty()) {
      throw wrongCredentials(
          "This token is not valid: it may have been revoked. Ask a tenant administrator for a new one.");
    }
    throttle.succeeded(attempt);
    return open(caller.get());
  }

  @Transactional
  public Result open(Caller caller) {
    String secret = sessions.open(caller, admin.hash());
    if (caller.tenantId() != null) {
      audit.record(caller.tenantId(), caller, "session.open", caller.actor());
    }
    return new Result(caller, secret);
  }

  @Transactional
  public void signOut(Caller caller, String secret) {
    sessions.end(secret);
    if (caller.tenantId() != null) {
      audit.record(caller.tenantId(), caller, "session.close", caller.actor());
    }
  }

  private boolean burn(String password) {
    passwords.burn(password);
    return false;
  }

  private static ApiException wrongCredentials(String detail) {
    return new ApiException(HttpStatus.UNAUTHORIZED, "sign-in-failed", detail);
  }
}
