package dev.replicator.tenancy.auth;

import dev.replicator.platform.problem.ApiException;
import io.micronaut.http.HttpStatus;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The brute-force limit on sign-in: too many failures for one email, or from one client address, within the
 * window refuse further attempts with 429 until the oldest failure ages out. Kept in PostgreSQL so that every API
 * process enforces the same limit.
 */
@Singleton
public class LoginThrottle {

  private final LoginFailureRepository failures;
  private final AuthSettings settings;
  private final Clock clock;

  LoginThrottle(LoginFailureRepository failures, AuthSettings settings, Clock clock) {
    this.failures = failures;
    this.settings = settings;
    this.clock = clock;
  }

  @Transactional
  public void check(String email, String address) {
    Instant now = clock.instant();
    Instant since = now.minus(settings.failureWindow());
    refuseIfOver(emailSubject(email), settings.maxFailuresPerEmail(), since, now);
    refuseIfOver(addressSubject(address), settings.maxFailuresPerAddress(), since, now);
  }

  @Transactional
  public void failed(String email, String address) {
    Instant now = clock.instant();
    failures.add(emailSubject(email), now);
    failures.add(addressSubject(address), now);
  }

  @Transactional
  public void succeeded(String email) {
    failures.clear(emailSubject(email));
  }

  @Transactional
  public int forgetBefore(Instant before) {
    return failures.deleteBefore(before);
  }

  private void refuseIfOver(String subject, int max, Instant since, Instant now) {
    if (failures.countSince(subject, since) < max) {
      return;
    }
    Instant oldest = failures.oldestSince(subject, since).orElse(now);
    long retryAfter = Math.max(1, Duration.between(now, oldest.plus(settings.failureWindow())).toSeconds());
    throw new TooManyAttempts(retryAfter);
  }

  private static String emailSubject(String email) {
    return "email:" + email.strip().toLowerCase(Locale.ROOT);
  }

  private static String addressSubject(String address) {
    return "ip:" + address;
  }

  /** Carries the number of seconds after which a new attempt will be considered. */
  static final class TooManyAttempts extends ApiException {
    private final long retryAfterSeconds;

    TooManyAttempts(long retryAfterSeconds) {
      super(
          HttpStatus.TOO_MANY_REQUESTS,
          "too-many-sign-in-attempts",
          "Too many failed sign-in attempts. Wait " + retryAfterSeconds
              + " seconds before trying again, or ask a tenant administrator to check the account.");
      this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public OptionalLong retryAfterSeconds() {
      return OptionalLong.of(retryAfterSeconds);
    }
  }
}
