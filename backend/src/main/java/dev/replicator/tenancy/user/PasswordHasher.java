package dev.replicator.tenancy.user;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import dev.replicator.tenancy.auth.AuthSettings;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;

/**
 * bcrypt password hashes. Passwords longer than bcrypt's 72 bytes are pre-hashed instead of
 * silently truncated. {@link #burn(String)} spends the same time as a real check, so an unknown
 * email cannot be told from a wrong password by timing.
 */
@Singleton
public class PasswordHasher {

  private final int cost;
  private final BCrypt.Hasher hasher;
  private final BCrypt.Verifyer verifier;
  private final String dummyHash;

  public PasswordHasher(AuthSettings settings) {
    this.cost = settings.bcryptCost();
    this.hasher = BCrypt.with(LongPasswordStrategies.hashSha512(BCrypt.Version.VERSION_2A));
    this.verifier =
        BCrypt.verifyer(
            BCrypt.Version.VERSION_2A,
            LongPasswordStrategies.hashSha512(BCrypt.Version.VERSION_2A));
    this.dummyHash = hash("timing-equaliser-password");
  }

  public String hash(String password) {
    return hasher.hashToString(cost, password.toCharArray());
  }

  public boolean matches(String password, String hash) {
    return verifier.verify(
            password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8))
        .verified;
  }

  public void burn(String password) {
    matches(password, dummyHash);
  }
}
