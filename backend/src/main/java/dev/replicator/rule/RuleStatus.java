package dev.replicator.rule;

/**
 * ENABLED rules replicate; DISABLED rules pause, and catch up on what was written meanwhile when
 * enabled again.
 */
public enum RuleStatus {
  ENABLED,
  DISABLED
}
