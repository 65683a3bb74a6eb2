package dev.replicator.trust;

/** How Replicator authenticates to a store: stored access keys, or a role it assumes with STS. */
public enum TrustType {
  STATIC,
  ASSUME_ROLE
}
