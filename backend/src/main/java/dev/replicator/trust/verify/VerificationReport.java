package dev.replicator.trust.verify;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of verifying a trust against a bucket: {@code ok} when no check failed, so nothing
 * was refused; checks the store could not decide ({@link Check.State#UNDETERMINED}) do not make it
 * false.
 */
@Serdeable
public record VerificationReport(
    String bucket, Instant verifiedAt, boolean ok, @Nullable String accountId, List<Check> checks) {

  static VerificationReport of(
      String bucket, Instant verifiedAt, @Nullable String accountId, List<Check> checks) {
    return new VerificationReport(
        bucket, verifiedAt, checks.stream().allMatch(Check::ok), accountId, List.copyOf(checks));
  }
}
