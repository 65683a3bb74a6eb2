package dev.replicator.tenancy;

/**
 * What a token or user may do inside its tenant. Each role includes the ones below it:
 *
 * <pre>
 *   ADMIN     everything in the tenant: trusts, rules, tokens, users
 *     ⊃ OPERATOR  also runs batch jobs and retries, posts change events
 *       ⊃ VIEWER  reads only
 * </pre>
 */
public enum Role {
  VIEWER,
  OPERATOR,
  ADMIN;

  public boolean includes(Role required) {
    return compareTo(required) >= 0;
  }
}
