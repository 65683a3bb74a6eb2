package dev.replicator.rule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RuleTest {

  private static final Instant LIVE_SINCE = Instant.parse("2026-12-01T10:00:00.750Z");

  @Test
  void versionsFromTheSecondTheRuleWentLiveOnAreReplicatedLive() {
    Rule rule = rule(LIVE_SINCE);

    assertThat(rule.replicatesLive(Instant.parse("2026-12-01T10:00:00Z")))
        .as("a listing's Last-Modified of the same second, truncated")
        .isTrue();
    assertThat(rule.replicatesLive(Instant.parse("2026-12-01T10:00:00.100Z"))).isTrue();
    assertThat(rule.replicatesLive(Instant.parse("2026-12-01T10:05:00Z"))).isTrue();
  }

  @Test
  void versionsFromBeforeThatSecondAreLeftToBatchJobs() {
    Rule rule = rule(LIVE_SINCE);

    assertThat(rule.replicatesLive(Instant.parse("2026-12-01T09:59:59.999Z"))).isFalse();
    assertThat(rule.replicatesLive(Instant.parse("2026-11-30T10:00:00Z"))).isFalse();
  }

  private static Rule rule(Instant liveSince) {
    return new Rule(
        UUID.randomUUID(),
        UUID.randomUUID(),
        "photos",
        RuleStatus.ENABLED,
        0,
        new Rule.Source(UUID.randomUUID(), "photos"),
        Rule.Filter.ALL,
        List.of(),
        false,
        false,
        new Rule.ReplicationTime(false, Rule.ReplicationTime.DEFAULT_MINUTES),
        0,
        liveSince,
        liveSince,
        liveSince);
  }
}
