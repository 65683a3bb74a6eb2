package dev.replicator.metrics;

import dev.replicator.rule.Rule;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts each rule's metrics of the last hour into a {@link HealthState}, the one place that does.
 */
@Singleton
public class RuleHealths {

  static final Duration WINDOW = Duration.ofHours(1);

  private final RuleMetricsStore metrics;

  public RuleHealths(RuleMetricsStore metrics) {
    this.metrics = metrics;
  }

  public RuleHealth of(Rule rule, Instant now) {
    Instant from = now.minus(WINDOW);
    RuleMetrics figures = metrics.metrics(rule, from, now);
    long threshold = rule.replicationTime().thresholdMinutes() * 60L;
    List<RuleHealth.DestinationHealth> destinations = new ArrayList<>();
    for (int i = 0; i < rule.destinations().size(); i++) {
      Rule.Destination destination = rule.destinations().get(i);
      RuleMetrics.DestinationMetrics m = figures.destinations().get(i);
      destinations.add(
          new RuleHealth.DestinationHealth(
              destination.trustId(),
              destination.bucket(),
              HealthState.of(rule.status(), m, threshold),
              m.operationsPending(),
              m.bytesPending(),
              m.operationsRetrying(),
              m.replicationLatencySeconds(),
              m.operationsFailed(),
              everyMinute(m.series(), from, now)));
    }
    return new RuleHealth(
        rule.id(),
        rule.name(),
        rule.status(),
        HealthState.worst(destinations.stream().map(RuleHealth.DestinationHealth::state).toList()),
        rule.replicationTime().thresholdMinutes(),
        now,
        destinations);
  }

  /** The minutes from {@code from} to {@code to}, with what the series has for each. */
  private static List<RuleHealth.Minute> everyMinute(
      List<RuleMetrics.Point> series, Instant from, Instant to) {
    Map<Instant, RuleMetrics.Point> byMinute = new HashMap<>();
    for (RuleMetrics.Point point : series) {
      byMinute.put(point.at().truncatedTo(ChronoUnit.MINUTES), point);
    }
    List<RuleHealth.Minute> minutes = new ArrayList<>();
    for (Instant minute = from.truncatedTo(ChronoUnit.MINUTES);
        !minute.isAfter(to);
        minute = minute.plus(Duration.ofMinutes(1))) {
      RuleMetrics.Point point = byMinute.get(minute);
      minutes.add(
          new RuleHealth.Minute(
              minute,
              point == null ? 0 : point.operationsReplicated(),
              point == null ? 0 : point.bytesReplicated()));
    }
    return minutes;
  }
}
