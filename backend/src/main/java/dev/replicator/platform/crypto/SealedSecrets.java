package dev.replicator.platform.crypto;

import java.util.List;
import java.util.UUID;

/**
 * A table of sealed secrets, as master key rotation sees it: find the ones a key wrapped, and
 * re-wrap them.
 */
public interface SealedSecrets {

  /** One stored secret and the context it was sealed with. */
  record Stored(UUID tenantId, UUID id, SealedSecret secret, String context) {}

  List<Stored> sealedWith(String masterKeyId, int limit);

  /**
   * Replaces the wrapped data key if the row still carries {@code previousKeyId}; returns the rows
   * changed.
   */
  int rewrap(Stored stored, String previousKeyId, SealedSecret rewrapped);

  long countSealedWith(String masterKeyId);

  long countSealedWithOtherThan(String currentKeyId, String previousKeyId);
}
