package dev.replicator.tenancy.auth;

import dev.replicator.platform.roles.ApiRole;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Drops expired sessions and sign-in failures older than the window, so both tables stay small. */
@ApiRole
@Singleton
public class AuthHousekeeping {

  private final SessionService sessions;
  private final LoginThrottle throttle;
  private final AuthSettings settings;
  private final Clock clock;

  AuthHousekeeping(
      SessionService sessions, LoginThrottle throttle, AuthSettings settings, Clock clock) {
    this.sessions = sessions;
    this.throttle = throttle;
    this.settings = settings;
    this.clock = clock;
  }

  @Scheduled(fixedDelay = "10m", initialDelay = "1m")
  public void sweep() {
    sessions.endExpired();
    throttle.forgetBefore(clock.instant().minus(settings.failureWindow()));
  }
}
