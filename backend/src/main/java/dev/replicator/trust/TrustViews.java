package dev.replicator.trust;

import dev.replicator.trust.verify.VerificationReport;
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
      @Nullable LastVerification lastVerification,
      Instant createdAt,
      Instant updatedAt) {}

  /**
   * The trust's most recent verification, of whichever bucket; {@code beforeLastChange} when the
   * trust was edited since, so the outcome may no longer hold.
   */
  @Serdeable
  public record LastVerification(
      String bucket, Instant verifiedAt, boolean ok, boolean beforeLastChange) {}

  public TrustView of(Trust trust) {
    return of(trust, Optional.empty());
  }

  public TrustView of(Trust trust, Optional<VerificationReport> newest) {
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
        newest
            .map(
                report ->
                    new LastVerification(
                        report.bucket(),
                        report.verifiedAt(),
                        report.ok(),
                        report.verifiedAt().isBefore(trust.updatedAt())))
            .orElse(null),
        trust.createdAt(),
        trust.updatedAt());
  }
}
