package dev.replicator.trust;

import dev.replicator.platform.crypto.SealedSecret;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/**
 * A tenant's connection to an S3-compatible store. The secret access key is only ever held sealed.
 */
@MappedEntity("trusts")
public record Trust(
    @Id UUID id,
    UUID tenantId,
    String name,
    TrustType type,
    @Nullable String endpoint,
    String region,
    boolean pathStyle,
    Compatibility compatibility,
    @Nullable String accessKeyId,
    @Nullable String secretMasterKeyId,
    @Nullable byte[] secretWrappedKey,
    @Nullable byte[] secretCiphertext,
    @Nullable String roleArn,
    @Nullable String externalId,
    @Nullable String stsEndpoint,
    Instant createdAt,
    Instant updatedAt) {

  public SealedSecret sealedSecret() {
    return new SealedSecret(secretMasterKeyId, secretWrappedKey, secretCiphertext);
  }

  /** The associated data that binds the sealed secret to this tenant and trust. */
  public String secretContext() {
    return secretContext(tenantId, id);
  }

  public static String secretContext(UUID tenantId, UUID trustId) {
    return "replicator/v1/tenant/" + tenantId + "/trust/" + trustId + "/secret-access-key";
  }

  public Compatibility effectiveCompatibility() {
    return compatibility.resolve(endpoint);
  }

  public Trust withSecret(@Nullable String accessKeyId, SealedSecret sealed) {
    return new Trust(
        id,
        tenantId,
        name,
        type,
        endpoint,
        region,
        pathStyle,
        compatibility,
        accessKeyId,
        sealed.masterKeyId(),
        sealed.wrappedDataKey(),
        sealed.ciphertext(),
        roleArn,
        externalId,
        stsEndpoint,
        createdAt,
        updatedAt);
  }
}
