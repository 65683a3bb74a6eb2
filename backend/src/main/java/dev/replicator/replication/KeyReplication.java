package dev.replicator.replication;

import dev.replicator.rule.Rule;
import dev.replicator.rule.RuleService;
import dev.replicator.trust.Trust;
import dev.replicator.trust.TrustRepository;
import dev.replicator.trust.client.TrustClients;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Copies the claimed versions of one key to one destination, and decides their order — the one place that does.
 *
 * <p>A key with no other version known at the destination is simply copied. Otherwise the source's own listing of
 * the key ({@link SourceHistory}) orders the versions, whatever their timestamps say: they are copied oldest first, so
 * the source's current version (or delete marker) ends up current on the destination, too. A version older than one
 * already replicated is skipped as SUPERSEDED (copying it would make it current there); the source's current version
 * never is. When a version has to be retried later, the newer ones of its key wait for it, untried.
 */
@Singleton
class KeyReplication {

  private static final Logger LOG = LoggerFactory.getLogger(KeyReplication.class);

  private final TaskQueue queue;
  private final DestinationUploads uploads;
  private final ObjectReplicator replicator;
  private final RuleService rules;
  private final TrustRepository trusts;
  private final TrustClients clients;

  KeyReplication(TaskQueue queue, DestinationUploads uploads, ObjectReplicator replicator, RuleService rules,
      TrustRepository trusts, TrustClients clients) {
    this.queue = queue;
    this.uploads = uploads;
    this.replicator = replicator;
    this.rules = rules;
    this.trusts = trusts;
    this.clients = clients;
  }

  /**
   * Copies {@code tasks} (all of one key and destination, held by {@code owner}) and returns what became of each. A
   * task missing from the answer lost its lease on the way: another worker owns it, and nothing is written for it.
   */
  List<TaskQueue.Finished> copy(List<ReplicationTask> tasks, String owner, Function<ReplicationTask, Lease> leases) {
    ReplicationTask first = tasks.get(0);
    Optional<Rule> rule = rules.find(first.tenantId(), first.ruleId());
    Optional<Trust> source = rule.flatMap(r -> trusts.findByTenantIdAndId(r.tenantId(), r.source().trustId()));
    Optional<Trust> destination = trusts.findByTenantIdAndId(first.tenantId(), first.destinationTrustId());
    if (rule.isEmpty() || source.isEmpty() || destination.isEmpty()) {
      return tasks.stream().map(t -> new TaskQueue.Finished(t, TaskResult.skipped("NOT_IN_RULE",
          "The rule, its source trust or this destination's trust was deleted before the version was copied."))).toList();
    }
    List<TaskQueue.Finished> finished = new ArrayList<>();
    if (!first.keyHasOtherVersions()) {
      copyOne(first, rule.get(), source.get(), destination.get(), owner, leases.apply(first)).ifPresent(finished::add);
      return finished;
    }
    SourceHistory history;
    try {
      history = SourceHistory.read(clients.s3(source.get()), rule.get().source().bucket(), first.sourceKey());
    } catch (SdkException | IllegalStateException e) {
      TaskResult outcome = listingFailed(e, first);
      return tasks.stream().map(t -> new TaskQueue.Finished(t, outcome)).toList();
    }
    int newestReplicated = queue.replicatedVersions(first).stream().mapToInt(history::position).max().orElse(-1);
    List<ReplicationTask> ordered = tasks.stream()
        .sorted(Comparator.comparingInt((ReplicationTask t) -> history.position(t.sourceVersionId())))
        .toList();
    for (int i = 0; i < ordered.size(); i++) {
      ReplicationTask task = ordered.get(i);
      int position = history.position(task.sourceVersionId());
      if (position >= 0 && position < newestReplicated) {
        finished.add(new TaskQueue.Finished(task, TaskResult.skipped("SUPERSEDED", "A newer version of the key ("
            + history.entries().get(newestReplicated).versionId() + ") was already replicated to this destination; "
            + "copying this older one would have made it current there.")));
        continue;
      }
      Optional<TaskQueue.Finished> done = copyOne(task, rule.get(), source.get(), destination.get(), owner, leases.apply(task));
      if (done.isEmpty()) {
        return finished;
      }
      finished.add(done.get());
      TaskResult result = done.get().result();
      if (result.completed()) {
        newestReplicated = Math.max(newestReplicated, position);
      } else if (result.state() == TaskState.PENDING) {
        for (ReplicationTask later : ordered.subList(i + 1, ordered.size())) {
          finished.add(new TaskQueue.Finished(later, TaskResult.deferred(result.retryAfter())));
        }
        return finished;
      }
    }
    return finished;
  }

  /** A refused listing fails the key's versions (the trust lacks a permission); anything else is retried. */
  private static TaskResult listingFailed(RuntimeException error, ReplicationTask first) {
    if (error instanceof SdkException sdk) {
      FailureClassifier.Failure failure = FailureClassifier.classify(sdk, FailureClassifier.Step.SOURCE_LIST);
      if (failure.permanent()) {
        return TaskResult.failed(failure.reason(), "Listing the key's versions at the source, to copy them in the source's "
            + "order, failed: " + failure.message() + " The source trust needs s3:ListBucketVersions on the bucket.");
      }
    }
    return TaskResult.retryLater(Backoff.delay(first.attempts()),
        "Listing the key's versions at the source failed; retrying: " + error.getMessage());
  }

  /** Copies one version; empty when its lease was lost on the way. */
  private Optional<TaskQueue.Finished> copyOne(ReplicationTask task, Rule rule, Trust source, Trust destination, String owner,
      Lease lease) {
    try {
      lease.ensureHeld();
      TaskResult result = replicator.replicate(task, rule, source, destination, lease,
          new TaskUploads(uploads, queue, task, owner));
      return Optional.of(new TaskQueue.Finished(task, result));
    } catch (RuntimeException e) {
      if (Lease.lostIn(e)) {
        LOG.info("Stopped copying {} (task {}): its lease was lost and another worker owns it now", task.sourceKey(), task.id());
        return Optional.empty();
      }
      LOG.warn("Task {} failed unexpectedly; it will be retried: {}", task.id(), e.toString());
      return Optional.of(new TaskQueue.Finished(task,
          TaskResult.retryLater(Backoff.delay(task.attempts()), "Unexpected error: " + e.getMessage())));
    }
  }
}
