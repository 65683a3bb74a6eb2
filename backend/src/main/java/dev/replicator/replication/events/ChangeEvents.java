package dev.replicator.replication.events;

import dev.replicator.replication.SourceVersion;
import dev.replicator.replication.TaskQueue;
import dev.replicator.rule.Rule;
import dev.replicator.rule.RuleService;
import dev.replicator.rule.RuleStatus;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.UUID;

/**
 * Turns S3 change events into replication tasks at once, without waiting for the next scan.
 * Duplicates are harmless (enqueue is idempotent) and so is disorder: versions of a key are copied
 * in the order of their write times.
 */
@Singleton
public class ChangeEvents {

  private final RuleService rules;
  private final TaskQueue queue;

  public ChangeEvents(RuleService rules, TaskQueue queue) {
    this.rules = rules;
    this.queue = queue;
  }

  /** How many records were read, how many matched an enabled rule, and how many tasks that made. */
  @Serdeable
  public record Outcome(int records, int matched, int enqueued) {}

  @Transactional
  public Outcome accept(UUID tenantId, List<S3EventRecords.Change> changes) {
    int matched = 0;
    int enqueued = 0;
    List<Rule> enabled = rules.enabled(tenantId);
    for (S3EventRecords.Change change : changes) {
      boolean any = false;
      for (Rule rule : enabled) {
        if (applies(rule, change)) {
          any = true;
          SourceVersion version =
              new SourceVersion(
                  change.key(),
                  change.versionId(),
                  change.deleteMarker(),
                  change.size(),
                  change.etag(),
                  change.time());
          enqueued += queue.enqueue(rule, List.of(version), "EVENT");
        }
      }
      matched += any ? 1 : 0;
    }
    return new Outcome(changes.size(), matched, enqueued);
  }

  private static boolean applies(Rule rule, S3EventRecords.Change change) {
    return rule.status() == RuleStatus.ENABLED
        && rule.source().bucket().equals(change.bucket())
        && (rule.filter().prefix() == null || change.key().startsWith(rule.filter().prefix()))
        && (!change.deleteMarker() || rule.deleteMarkerReplication())
        && rule.replicatesLive(change.time());
  }
}
