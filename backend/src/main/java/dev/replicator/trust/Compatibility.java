package dev.replicator.trust;

import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.util.Locale;

/**
 * How the S3 client talks to a store. AWS S3 accepts the SDK's defaults; many S3-compatible stores
 * do not: Ceph RGW rejects aws-chunked uploads and trailing checksums, others store the chunk
 * framing as data. S3_COMPATIBLE sends checksums only when an operation requires them, uses
 * Content-MD5 instead, and never chunks uploads.
 */
public enum Compatibility {
  AUTO,
  AWS,
  S3_COMPATIBLE;

  /**
   * The effective mode for an endpoint: AUTO means AWS for AWS hosts (or no endpoint),
   * S3_COMPATIBLE otherwise.
   */
  public Compatibility resolve(@Nullable String endpoint) {
    if (this != AUTO) {
      return this;
    }
    return isAws(endpoint) ? AWS : S3_COMPATIBLE;
  }

  /** Whether an endpoint (S3 or STS; null for the default) is AWS's own. */
  public static boolean isAws(@Nullable String endpoint) {
    if (endpoint == null) {
      return true;
    }
    String host = URI.create(endpoint).getHost();
    return host != null && host.toLowerCase(Locale.ROOT).endsWith(".amazonaws.com");
  }
}
