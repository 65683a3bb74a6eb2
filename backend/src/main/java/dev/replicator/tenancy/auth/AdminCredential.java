package dev.replicator.tenancy.auth;

import dev.replicator.platform.roles.ApiRole;
import dev.replicator.platform.security.SecretTokens;
import io.micronaut.context.annotation.Context;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform administrator's credential: {@code REPLICATOR_ADMIN_TOKEN} when set; otherwise a
 * token generated on the very first start, printed once and stored only as a hash. Resolved eagerly
 * at start-up so the token is shown before the server accepts requests.
 */
@ApiRole
@Context
public class AdminCredential {

  private static final Logger LOG = LoggerFactory.getLogger(AdminCredential.class);
  private static final int MIN_LENGTH = 24;

  private final byte[] hash;

  public AdminCredential(AdminTokenSettings settings, AdminTokenStore store, Clock clock) {
    String configured = settings.adminToken();
    if (configured != null && !configured.isBlank()) {
      if (configured.strip().length() < MIN_LENGTH) {
        throw new IllegalStateException(
            "REPLICATOR_ADMIN_TOKEN is too short: use at least "
                + MIN_LENGTH
                + " random characters, e.g. the output of `openssl rand -base64 32`.");
      }
      this.hash = SecretTokens.hash(configured.strip());
      LOG.info("The platform administrator token is taken from REPLICATOR_ADMIN_TOKEN.");
    } else {
      this.hash = store.findHash().orElseGet(() -> generate(store, clock));
    }
  }

  private static byte[] generate(AdminTokenStore store, Clock clock) {
    String token = SecretTokens.generate(SecretTokens.ADMIN_TOKEN_PREFIX);
    byte[] hash = SecretTokens.hash(token);
    if (store.insertIfAbsent(hash, clock.instant()) == 0) {
      return store.findHash().orElseThrow();
    }
    LOG.warn(
        """

        ======================================================================
         Replicator generated the platform administrator token (shown once):

           {}

         Keep it safe: only its hash is stored. Sign in to the dashboard with
         it or send it as 'Authorization: Bearer <token>'. To choose your own,
         set REPLICATOR_ADMIN_TOKEN.
        ======================================================================""",
        token);
    return hash;
  }

  public boolean matches(String token) {
    return SecretTokens.sameHash(hash, SecretTokens.hash(token));
  }

  /**
   * Identifies the current credential, so sessions opened with an earlier one end when it changes.
   */
  public byte[] hash() {
    return hash.clone();
  }
}
