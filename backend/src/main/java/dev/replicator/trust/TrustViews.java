package dev.replicator.trust;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What the API shows of a trust: everything but the secret, plus the trust policy for role trusts.
 */
@Singleton
public class TrustViews {

  private final ServerIdentity identity;

  public TrustViews(ServerIdentity identity) {
    this.identity = identity;
  }

  @Serdeable
  public record TrustView(
      UUID id,
      String name,
      TrustType type,
      @Nullable String endpoint,
      String region,
      boolean pathStyle,
      Compatibility compatibility,
      @Nullable String accessKeyId,
      @Nullable String roleArn,
      @Nullable String externalId,
      @Nullable String stsEndpoint,
      @Nullable Map<String, Object> trustPolicy,
      @Nullable String trustPolicyNote,
      Instant createdAt,
      Instant updatedAt) {}

  public TrustView of(Trust trust) {
    Map<String, Object> policy = null;
    String note = null;
    if (trust.type() == TrustType.ASSUME_ROLE) {
      Optional<String> principal = identity.principalArn();
      if (principal.isPresent()) {
        policy = TrustPolicy.document(principal.get(), trust.externalId());
      } else {
        note = identity.whyUnknown();
      }
    }
    return new TrustView(
        trust.id(),
        trust.name(),
        trust.type(),
        trust.endpoint(),
        trust.region(),
        trust.pathStyle(),
        trust.compatibility(),
        trust.accessKeyId(),
        trust.roleArn(),
        trust.externalId(),
        trust.stsEndpoint(),
        policy,
        note,
        trust.createdAt(),
        trust.updatedAt());
  }
}
