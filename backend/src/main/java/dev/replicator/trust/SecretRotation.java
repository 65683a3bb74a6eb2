package dev.replicator.trust;

import dev.replicator.platform.crypto.MasterKeys;
import dev.replicator.platform.crypto.SealedSecret;
import dev.replicator.platform.crypto.SealedSecrets;
import dev.replicator.platform.crypto.SecretCipher;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Master key rotation: with REPLICATOR_MASTER_KEY set to the new key and
 * REPLICATOR_MASTER_KEY_PREVIOUS to the old one, every secret's data key wrapped by the old key
 * (trusts' keys, webhooks' signing secrets) is re-wrapped with the new one, at start-up and on
 * demand. Each row is updated only if it still carries the old key id, so concurrent rotations by
 * several processes are harmless. Once no row uses the previous key, it can be removed from the
 * configuration.
 */
@Singleton
public class SecretRotation implements ApplicationEventListener<StartupEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(SecretRotation.class);
  private static final int BATCH = 100;

  private final List<SealedSecrets> tables;
  private final SecretCipher cipher;
  private final MasterKeys keys;

  public SecretRotation(List<SealedSecrets> tables, SecretCipher cipher, MasterKeys keys) {
    this.tables = tables;
    this.cipher = cipher;
    this.keys = keys;
  }

  /** How many secrets were re-wrapped, and how many still use another key than the current one. */
  @Serdeable
  public record Result(int rewrapped, long remainingWithPreviousKey) {}

  @Override
  public void onApplicationEvent(StartupEvent event) {
    if (keys.previous().isPresent()) {
      Result result = rewrapAll();
      LOG.info(
          "Master key rotation: re-wrapped {} secrets; {} still use the previous key",
          result.rewrapped(),
          result.remainingWithPreviousKey());
    }
    String previousId = keys.previous().map(MasterKeys.MasterKey::id).orElse("");
    long unreadable =
        tables.stream()
            .mapToLong(t -> t.countSealedWithOtherThan(keys.current().id(), previousId))
            .sum();
    if (unreadable > 0) {
      LOG.error(
          "{} stored secrets were sealed with a master key that is neither REPLICATOR_MASTER_KEY nor "
              + "REPLICATOR_MASTER_KEY_PREVIOUS; their trusts and webhooks cannot be used until the key they were sealed with is configured "
              + "(set it as REPLICATOR_MASTER_KEY_PREVIOUS to rotate them to the current key).",
          unreadable);
    }
  }

  public Result rewrapAll() {
    String currentId = keys.current().id();
    int rewrapped = 0;
    String previousId = keys.previous().map(MasterKeys.MasterKey::id).orElse(null);
    if (previousId != null && !previousId.equals(currentId)) {
      for (SealedSecrets table : tables) {
        List<SealedSecrets.Stored> batch = table.sealedWith(previousId, BATCH);
        while (!batch.isEmpty()) {
          for (SealedSecrets.Stored stored : batch) {
            SealedSecret rewrappedSecret = cipher.rewrap(stored.secret(), stored.context());
            rewrapped += table.rewrap(stored, previousId, rewrappedSecret);
          }
          batch = table.sealedWith(previousId, BATCH);
        }
      }
    }
    long remaining =
        previousId == null
            ? 0
            : tables.stream().mapToLong(t -> t.countSealedWith(previousId)).sum();
    return new Result(rewrapped, remaining);
  }
}
