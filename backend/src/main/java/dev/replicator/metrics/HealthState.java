package dev.replicator.metrics;

import dev.replicator.rule.RuleStatus;
import java.util.Collection;
import java.util.Comparator;

/**
 * How a rule's replication to a destination is doing now, in the order of attention it needs; a
 * rule's state is the worst of its destinations'.
 */
public enum HealthState {
  /** Nothing failed in the last hour, nothing is stuck, and the lag is within the threshold. */
  HEALTHY,
  /** The oldest pending version is older than the rule's replication-time threshold. */
  LAGGING,
  /** A version failed in the last hour, or pending ones keep failing their attempts. */
  FAILING,
  /** The rule is disabled: nothing is replicated, whatever the figures say. */
  PAUSED;

  static HealthState of(
      RuleStatus status, RuleMetrics.DestinationMetrics metrics, long thresholdSeconds) {
    if (status != RuleStatus.ENABLED) {
      return PAUSED;
    }
    if (metrics.operationsFailed() > 0 || metrics.operationsRetrying() > 0) {
      return FAILING;
    }
    if (metrics.operationsPending() > 0 && metrics.replicationLatencySeconds() > thresholdSeconds) {
      return LAGGING;
    }
    return HEALTHY;
  }

  /** The state of a rule with destinations in these states (HEALTHY for none). */
  static HealthState worst(Collection<HealthState> states) {
    return states.stream().max(Comparator.naturalOrder()).orElse(HEALTHY);
  }
}
