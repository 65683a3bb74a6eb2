package dev.replicator.trust;

import dev.replicator.platform.problem.ApiException;
import dev.replicator.trust.guard.EndpointGuard;
import io.micronaut.core.annotation.Nullable;
import java.util.regex.Pattern;

/**
 * The validated, normalised connection settings of a trust, from a create or update request.
 * Endpoints pass the endpoint guard here; the secret stays plain only until the service seals it.
 */
record TrustSettings(
    String name,
    @Nullable String endpoint,
    String region,
    boolean pathStyle,
    Compatibility compatibility,
    @Nullable String accessKeyId,
    @Nullable String secretAccessKey,
    @Nullable String roleArn,
    @Nullable String stsEndpoint) {

  private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

  /** A role of AWS IAM: the account is 12 digits. */
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");

  /**
   * A role of an S3-compatible store's own STS: Ceph RGW names roles {@code
   * arn:aws:iam:::role/NAME} and, for a role of a tenant, {@code arn:aws:iam::TENANT:role/NAME},
   * with tenant names that need not be digits.
   */
  private static final Pattern STORE_ROLE_ARN =
      Pattern.compile("arn:[a-z][a-z0-9-]{0,31}:iam::[\\w-]{0,64}:role/[\\w+=,.@/-]{1,512}");

  private static final Pattern ACCESS_KEY_ID = Pattern.compile("[\\x21-\\x7e]{1,128}");

  static TrustSettings validate(
      TrustType type,
      String name,
      @Nullable String endpoint,
      String region,
      @Nullable Boolean pathStyle,
      @Nullable Compatibility compatibility,
      @Nullable String accessKeyId,
      @Nullable String secretAccessKey,
      @Nullable String roleArn,
      @Nullable String stsEndpoint,
      boolean secretRequired,
      EndpointGuard guard) {
    if (!REGION.matcher(region).matches()) {
      throw ApiException.invalidField(
          "region",
          "must be a region name such as us-east-1 (lower case letters, digits and dashes)");
    }
    String checkedEndpoint = blank(endpoint) ? null : guard.check("endpoint", endpoint).toString();
    String checkedSts =
        blank(stsEndpoint) ? null : guard.check("stsEndpoint", stsEndpoint).toString();
    if (type == TrustType.STATIC) {
      require(!blank(accessKeyId), "accessKeyId", "is required for a STATIC trust");
      require(
          ACCESS_KEY_ID.matcher(accessKeyId).matches(),
          "accessKeyId",
          "must be 1 to 128 printable characters without spaces");
      require(
          !secretRequired || !blank(secretAccessKey),
          "secretAccessKey",
          "is required for a STATIC trust");
      require(
          blank(roleArn),
          "roleArn",
          "belongs to ASSUME_ROLE trusts; a STATIC trust uses access keys");
      require(checkedSts == null, "stsEndpoint", "belongs to ASSUME_ROLE trusts");
    } else {
      require(!blank(roleArn), "roleArn", "is required for an ASSUME_ROLE trust");
      if (checkedSts == null || Compatibility.isAws(checkedSts)) {
        require(
            ROLE_ARN.matcher(roleArn).matches(),
            "roleArn",
            "must be an IAM role ARN such as "
                + "arn:aws:iam::123456789012:role/replicator (a store's own roles, such as Ceph RGW's arn:aws:iam:::role/NAME, "
                + "need the trust's stsEndpoint set to that store)");
      } else {
        require(
            STORE_ROLE_ARN.matcher(roleArn).matches(),
            "roleArn",
            "must be a role ARN such as "
                + "arn:aws:iam:::role/replicator or arn:aws:iam::TENANT:role/replicator (Ceph RGW), or "
                + "arn:aws:iam::123456789012:role/replicator");
      }
      require(
          blank(accessKeyId) && blank(secretAccessKey),
          "accessKeyId",
          "belongs to STATIC trusts; an ASSUME_ROLE trust uses Replicator's own credentials to assume the role");
    }
    return new TrustSettings(
        name.strip(),
        checkedEndpoint,
        region,
        pathStyle != null && pathStyle,
        compatibility == null ? Compatibility.AUTO : compatibility,
        blank(accessKeyId) ? null : accessKeyId.strip(),
        blank(secretAccessKey) ? null : secretAccessKey,
        blank(roleArn) ? null : roleArn.strip(),
        checkedSts);
  }

  private static void require(boolean condition, String field, String message) {
    if (!condition) {
      throw ApiException.invalidField(field, message);
    }
  }

  private static boolean blank(@Nullable String value) {
    return value == null || value.isBlank();
  }

  /** Never print the secret, not even by accident. */
  @Override
  public String toString() {
    return "TrustSettings[name=" + name + ", endpoint=" + endpoint + ", region=" + region + "]";
  }
}
