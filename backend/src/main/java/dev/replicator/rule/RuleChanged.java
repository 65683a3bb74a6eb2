package dev.replicator.rule;

import java.util.UUID;

/**
 * Published when a rule was created, replaced or deleted, for those that keep rules read a moment
 * ago.
 */
public record RuleChanged(UUID tenantId, UUID ruleId) {}
