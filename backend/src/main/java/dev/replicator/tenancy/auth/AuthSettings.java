package dev.replicator.tenancy.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Sign-in and session settings ({@code replicator.auth.*}).
 *
 * @param sessionTtl how long a dashboard session lasts after sign-in
 * @param secureCookies mark the session cookie {@code Secure}; turn on when the dashboard is served
 *     over HTTPS
 * @param maxFailuresPerEmail failed sign-ins allowed per email within {@link #failureWindow()}
 * @param maxFailuresPerAddress failed sign-ins allowed per client address within {@link
 *     #failureWindow()}
 * @param failureWindow how far back failed sign-ins count
 * @param bcryptCost the work factor of new password hashes (bcrypt's log2 rounds: 12 takes about a
 *     quarter of a second; tests use 4)
 */
@ConfigurationProperties("replicator.auth")
public record AuthSettings(
    @Bindable(defaultValue = "12h") Duration sessionTtl,
    @Bindable(defaultValue = "false") boolean secureCookies,
    @Bindable(defaultValue = "10") int maxFailuresPerEmail,
    @Bindable(defaultValue = "50") int maxFailuresPerAddress,
    @Bindable(defaultValue = "15m") Duration failureWindow,
    @Bindable(defaultValue = "12") int bcryptCost) {

  public static final String SESSION_COOKIE = "replicator_session";
}
