package dev.replicator.trust;

import java.util.List;
import java.util.Map;

/**
 * The IAM trust policy a tenant puts on its role so that Replicator, and only with this external
 * ID, may assume it.
 */
final class TrustPolicy {

  private TrustPolicy() {}

  static Map<String, Object> document(String principalArn, String externalId) {
    return Map.of(
        "Version",
        "2012-10-17",
        "Statement",
        List.of(
            Map.of(
                "Sid", "AllowReplicatorWithExternalId",
                "Effect", "Allow",
                "Principal", Map.of("AWS", principalArn),
                "Action", "sts:AssumeRole",
                "Condition", Map.of("StringEquals", Map.of("sts:ExternalId", externalId)))));
  }
}
