package dev.replicator.tenancy.auth;

import dev.replicator.platform.Ids;
import dev.replicator.platform.problem.ApiException;
import io.micronaut.http.HttpStatus;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The brute-force limit on sign-in: too many failures for one email, or from one client address,
 * within the window refuse further attempts with 429 until the oldest failure ages out. Kept in
 * PostgreSQL so that every API process enforces the same limit.
 *
 * <p>An attempt is counted before its password is checked, not after: {@link #admit} takes a
 * transaction-scoped advisory lock per subject (the email, then the address, always in that order),
 * counts, and writes the attempt in the same transaction. So however many attempts run at once, in
 * one process or many, at most the limit are ever evaluated; a sign-in that turns out right deletes
 * its rows again ({@link #succeeded}).
 */
@Singleton
public class LoginThrottle {

  /**
   * Advisory lock classes: emails and addresses never share a lock, and every attempt locks them in
   * this order.
   */
  private static final int EMAIL_LOCKS = 0x5349_0001;

  private static final int ADDRESS_LOCKS = 0x5349_0002;

  private final Jdbi jdbi;
  private final AuthSettings settings;
  private final Clock clock;

  LoginThrottle(Jdbi jdbi, AuthSettings settings, Clock clock) {
    this.jdbi = jdbi;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * One admitted sign-in attempt, counted as a failure until it {@link #succeeded}.
   *
   * @param forgivesOnSuccess whether a success also forgets the subject's earlier failures: a user
   *     who knows the password is not being guessed; token sign-ins share one subject, whose
   *     failures stay
   */
  public record Attempt(
      UUID id, String subject, String addressSubject, boolean forgivesOnSuccess) {}

  /** Counts a sign-in with an email and password, or refuses it with 429 (see {@link #admit}). */
  @Transactional
  public Attempt admitPassword(String email, String address) {
    return admit(new Attempt(Ids.next(), emailSubject(email), addressSubject(address), true));
  }

  /** Counts a sign-in with a token; all of them share one subject besides their address. */
  @Transactional
  public Attempt admitToken(String address) {
    return admit(new Attempt(Ids.next(), emailSubject("token"), addressSubject(address), false));
  }

  /**
   * Counts an attempt, or refuses it with 429 when its subject or address has used up the window's
   * attempts.
   */
  private Attempt admit(Attempt attempt) {
    Instant now = clock.instant();
    Instant since = now.minus(settings.failureWindow());
    lock(EMAIL_LOCKS, attempt.subject());
    lock(ADDRESS_LOCKS, attempt.addressSubject());
    refuseIfOver(attempt.subject(), settings.maxFailuresPerEmail(), since, now);
    refuseIfOver(attempt.addressSubject(), settings.maxFailuresPerAddress(), since, now);
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    INSERT INTO login_failures (subject, failed_at, attempt_id)
                    VALUES (:subject, :now, :id), (:addressSubject, :now, :id)""")
                .bind("subject", attempt.subject())
                .bind("addressSubject", attempt.addressSubject())
                .bind("now", now)
                .bind("id", attempt.id())
                .execute());
    return attempt;
  }

  /**
   * The attempt was right, so it is no failure (nor, for a password, are its email's earlier
   * failures).
   */
  @Transactional
  public void succeeded(Attempt attempt) {
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    DELETE FROM login_failures
                     WHERE attempt_id = :id OR (:forgivesOnSuccess AND subject = :subject)""")
                .bind("id", attempt.id())
                .bind("forgivesOnSuccess", attempt.forgivesOnSuccess())
                .bind("subject", attempt.subject())
                .execute());
  }

  @Transactional
  public int forgetBefore(Instant before) {
    return jdbi.withHandle(
        handle ->
            handle
                .createUpdate("DELETE FROM login_failures WHERE failed_at <= :before")
                .bind("before", before)
                .execute());
  }

  private void lock(int kind, String subject) {
    jdbi.useHandle(
        handle ->
            handle
                .createQuery("SELECT pg_advisory_xact_lock(:kind, hashtext(:subject))")
                .bind("kind", kind)
                .bind("subject", subject)
                .mapToMap()
                .one());
  }

  private void refuseIfOver(String subject, int max, Instant since, Instant now) {
    Optional<Instant> oldest =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery(
                        """
                        SELECT count(*) AS failures, min(failed_at) AS oldest FROM login_failures
                         WHERE subject = :subject AND failed_at > :since""")
                    .bind("subject", subject)
                    .bind("since", since)
                    .map(
                        (row, context) ->
                            row.getLong("failures") < max
                                ? null
                                : row.getTimestamp("oldest").toInstant())
                    .findOne());
    if (oldest.isEmpty()) {
      return;
    }
    long retryAfter =
        Math.max(1, Duration.between(now, oldest.get().plus(settings.failureWindow())).toSeconds());
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
          "Too many failed sign-in attempts. Wait "
              + retryAfterSeconds
              + " seconds before trying again, or ask a tenant administrator to check the account.");
      this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public OptionalLong retryAfterSeconds() {
      return OptionalLong.of(retryAfterSeconds);
    }
  }
}
