package dev.replicator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replicator.rule.RuleStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthStateTest {

  private static final long THRESHOLD = 15 * 60;

  private static RuleMetrics.DestinationMetrics figures(
      long pending, long failed, long retrying, double lagSeconds) {
    return new RuleMetrics.DestinationMetrics(
        "bucket",
        pending,
        pending * 10,
        0,
        0,
        failed,
        retrying,
        lagSeconds,
        0,
        0,
        0,
        0,
        List.of(),
        List.of());
  }

  @Test
  void aDisabledRuleIsPausedWhateverItsFiguresSay() {
    assertThat(HealthState.of(RuleStatus.DISABLED, figures(5, 3, 2, 3600), THRESHOLD))
        .isEqualTo(HealthState.PAUSED);
  }

  @Test
  void failuresOfTheHourOrVersionsStuckRetryingMakeItFailing() {
    assertThat(HealthState.of(RuleStatus.ENABLED, figures(0, 1, 0, 0), THRESHOLD))
        .isEqualTo(HealthState.FAILING);
    assertThat(HealthState.of(RuleStatus.ENABLED, figures(6, 0, 6, 30), THRESHOLD))
        .isEqualTo(HealthState.FAILING);
  }

  @Test
  void pendingVersionsOlderThanTheThresholdMakeItLagging() {
    assertThat(HealthState.of(RuleStatus.ENABLED, figures(4, 0, 0, THRESHOLD + 1), THRESHOLD))
        .isEqualTo(HealthState.LAGGING);
    assertThat(HealthState.of(RuleStatus.ENABLED, figures(4, 0, 0, THRESHOLD - 1), THRESHOLD))
        .isEqualTo(HealthState.HEALTHY);
    assertThat(HealthState.of(RuleStatus.ENABLED, figures(0, 0, 0, 0), THRESHOLD))
        .isEqualTo(HealthState.HEALTHY);
  }

  @Test
  void aRuleIsAsWellAsItsWorstDestination() {
    assertThat(HealthState.worst(List.of(HealthState.HEALTHY, HealthState.LAGGING)))
        .isEqualTo(HealthState.LAGGING);
    assertThat(HealthState.worst(List.of(HealthState.LAGGING, HealthState.FAILING)))
        .isEqualTo(HealthState.FAILING);
    assertThat(HealthState.worst(List.of())).isEqualTo(HealthState.HEALTHY);
  }
}
