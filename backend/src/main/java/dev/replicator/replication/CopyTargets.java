package dev.replicator.replication;

import dev.replicator.rule.Rule;
import dev.replicator.rule.RuleChanged;
import dev.replicator.rule.RuleService;
import dev.replicator.trust.Trust;
import dev.replicator.trust.TrustChanged;
import dev.replicator.trust.client.TrustResolver;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rule and trusts a task is copied with, read from their owners at most once per {@link
 * #VALID_FOR} for each rule and destination trust, rather than in five queries per task. A change
 * made through this process is seen at once ({@link RuleChanged}, {@link TrustChanged}); one made
 * through another process within {@link #VALID_FOR}. Copies never depend on a rule being current to
 * the moment: a deleted rule's tasks are deleted with it, so their outcomes are not written, and a
 * disabled rule's tasks are no longer claimed.
 */
@Singleton
class CopyTargets {

  static final Duration VALID_FOR = Duration.ofSeconds(1);

  /** The rule and trusts a key is copied with. */
  record Target(Rule rule, Trust source, Trust destination) {}

  private record Key(UUID tenantId, UUID ruleId, UUID destinationTrustId) {}

  private record Read(Optional<Target> target, Instant validUntil) {}

  private final RuleService rules;
  private final TrustResolver trusts;
  private final Clock clock;
  private final Map<Key, Read> read = new ConcurrentHashMap<>();

  CopyTargets(RuleService rules, TrustResolver trusts, Clock clock) {
    this.rules = rules;
    this.trusts = trusts;
    this.clock = clock;
  }

  /** Empty when the rule, its source trust or the task's destination trust no longer exists. */
  Optional<Target> of(ReplicationTask task) {
    Key key = new Key(task.tenantId(), task.ruleId(), task.destinationTrustId());
    Instant now = clock.instant();
    Read known = read.get(key);
    if (known != null && known.validUntil().isAfter(now)) {
      return known.target();
    }
    Optional<Rule> rule = rules.find(task.tenantId(), task.ruleId());
    Optional<Trust> source = rule.flatMap(r -> trusts.find(r.tenantId(), r.source().trustId()));
    Optional<Trust> destination = trusts.find(task.tenantId(), task.destinationTrustId());
    Optional<Target> target =
        rule.isPresent() && source.isPresent() && destination.isPresent()
            ? Optional.of(new Target(rule.get(), source.get(), destination.get()))
            : Optional.empty();
    read.put(key, new Read(target, now.plus(VALID_FOR)));
    return target;
  }

  @EventListener
  void ruleChanged(RuleChanged changed) {
    read.keySet().removeIf(key -> key.ruleId().equals(changed.ruleId()));
  }

  @EventListener
  void trustChanged(TrustChanged changed) {
    read.entrySet()
        .removeIf(
            entry ->
                entry.getKey().destinationTrustId().equals(changed.trustId())
                    || entry
                        .getValue()
                        .target()
                        .map(t -> t.source().id().equals(changed.trustId()))
                        .orElse(true));
  }
}
