package dev.replicator.trust;

import dev.replicator.platform.crypto.SealedSecret;
import dev.replicator.platform.crypto.SealedSecrets;
import jakarta.inject.Singleton;
import java.util.List;

/** The trusts' secret access keys, for master key rotation. */
@Singleton
public class TrustSecrets implements SealedSecrets {

  private final TrustRepository trusts;

  public TrustSecrets(TrustRepository trusts) {
    this.trusts = trusts;
  }

  @Override
  public List<Stored> sealedWith(String masterKeyId, int limit) {
    return trusts.findSealedWith(masterKeyId, limit).stream()
        .map(
            trust ->
                new Stored(
                    trust.tenantId(), trust.id(), trust.sealedSecret(), trust.secretContext()))
        .toList();
  }

  @Override
  public int rewrap(Stored stored, String previousKeyId, SealedSecret rewrapped) {
    return trusts.rewrap(
        stored.tenantId(),
        stored.id(),
        previousKeyId,
        rewrapped.masterKeyId(),
        rewrapped.wrappedDataKey());
  }

  @Override
  public long countSealedWith(String masterKeyId) {
    return trusts.countSealedWith(masterKeyId);
  }

  @Override
  public long countSealedWithOtherThan(String currentKeyId, String previousKeyId) {
    return trusts.countSealedWithOtherThan(currentKeyId, previousKeyId);
  }
}
