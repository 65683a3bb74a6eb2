package dev.replicator.trust;

import java.util.UUID;

/** Published when a trust was replaced or deleted, for those that keep trusts read a moment ago. */
public record TrustChanged(UUID tenantId, UUID trustId) {}
