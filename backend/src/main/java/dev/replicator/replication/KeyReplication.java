package dev.replicator.replication;

import dev.replicator.platform.Backoff;
import dev.replicator.replication.CopyTargets.Target;
import dev.replicator.rule.Rule;
import dev.replicator.trust.client.TrustClients;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Copies the claimed versions of one key to one destination, and decides their order — the one
 * place that does.
 *
 * <p>A key with no other version known at the destination is simply copied. Otherwise the source's
 * own listing of the key ({@link SourceHistory}) orders the versions, whatever their timestamps
 * say: they are copied oldest first, so the source's current version (or delete marker) ends up
 * current on the destination, too. A version older than one already replicated is skipped as
 * SUPERSEDED (copying it would make it current there); the source's current version never is. When
 * a version has to be retried later, the newer ones of its key wait for it, untried.
 */
@Singleton
class KeyReplication {

  private static final Logger LOG = LoggerFactory.getLogger(KeyReplication.class);

  /**
   * How often a key is listed for one copy, at most, when versions keep arriving while it is taken.
   */
  private static final int MAX_LISTINGS = 3;

  private final TaskQueue queue;
  private final DestinationUploads uploads;
  private final ObjectReplicator replicator;
  private final CopyTargets targets;
  private final TrustClients clients;

  KeyReplication(
      TaskQueue queue,
      DestinationUploads uploads,
      ObjectReplicator replicator,
      CopyTargets targets,
      TrustClients clients) {
    this.queue = queue;
    this.uploads = uploads;
    this.replicator = replicator;
    this.targets = targets;
    this.clients = clients;
  }

  /**
   * What the worker holding a key's tasks lends their copy: each task's lease, and the key's other
   * queued versions.
   */
  interface Hold {

    String owner();

    Lease lease(ReplicationTask task);

    /**
     * Takes the other queued versions of {@code claimed}'s key at its destination, under leases of
     * their own.
     */
    List<ReplicationTask> adoptRest(ReplicationTask claimed);
  }

  /**
   * Copies {@code claimed} (all of one key and destination) and returns what became of each task
   * held. A task missing from the answer lost its lease on the way: another worker owns it, and
   * nothing is written for it.
   */
  List<TaskQueue.Finished> copy(List<ReplicationTask> claimed, Hold hold) {
    ReplicationTask first = claimed.get(0);
    Optional<Target> found = targets.of(first);
    if (found.isEmpty()) {
      return claimed.stream()
          .map(
              t ->
                  new TaskQueue.Finished(
                      t,
                      TaskResult.skipped(
                          "NOT_IN_RULE",
                          "The rule, its source trust or this destination's trust was deleted before the version was copied.")))
          .toList();
    }
    Target target = found.get();
    Rule rule = target.rule();
    if (first.batch() && !first.keyHasOtherVersions()) {
      // A batch job lists every version it selects up front: a key with one version known has no
      // history to order.
      return copyOne(first, target, hold, () -> queue.known(first).replicas()).stream().toList();
    }
    List<ReplicationTask> tasks = new ArrayList<>(claimed);
    SourceHistory history;
    TaskQueue.KnownKey known;
    for (int round = 1; ; round++) {
      try {
        history =
            SourceHistory.read(
                clients.s3(target.source()), rule.source().bucket(), first.sourceKey());
      } catch (SdkException | IllegalStateException e) {
        TaskResult outcome = listingFailed(e, first);
        return tasks.stream().map(t -> new TaskQueue.Finished(t, outcome)).toList();
      }
      known = queue.known(first);
      if (LOG.isDebugEnabled()) {
        LOG.debug(
            "Listed {} (round {}): oldest first {}; holding {}; known states {}",
            first.sourceKey(),
            round,
            history.entries().stream().map(SourceHistory.Entry::versionId).toList(),
            tasks.stream().map(ReplicationTask::sourceVersionId).toList(),
            known.states());
      }
      if (first.batch()) {
        break;
      }
      takeAlongOlder(history, known, tasks, rule, hold);
      // A version held that the listing lacks (taken along after it was read, or not in the store's
      // index yet) makes
      // the key be listed again.
      SourceHistory listed = history;
      if (round == MAX_LISTINGS
          || tasks.stream().allMatch(t -> listed.position(t.sourceVersionId()) >= 0)) {
        break;
      }
    }
    return inOrder(tasks, history, known, target, hold);
  }

  /**
   * Queues and takes along the versions older than the newest held that this copy does not hold.
   * Taking the key's queued versions along can make a newer one the newest held, with versions
   * below it that nothing records yet (a delete marker whose event was lost, between the version
   * claimed and a queued newer one): so this goes on until the listing shows no such version.
   */
  private void takeAlongOlder(
      SourceHistory history,
      TaskQueue.KnownKey known,
      List<ReplicationTask> tasks,
      Rule rule,
      Hold hold) {
    while (true) {
      OlderVersions older = olderNotHeld(history, known, tasks, rule);
      if (!older.unknown().isEmpty()) {
        LOG.info(
            "{} older version(s) of {} were not known yet (an event lost, or a scan still to come); they are copied first: "
                + "{} (the source lists {} entries)",
            older.unknown().size(),
            tasks.get(0).sourceKey(),
            older.unknown().stream().map(SourceVersion::versionId).toList(),
            history.entries().size());
        queue.enqueue(rule, older.unknown(), "SCAN");
      } else if (!older.queued()) {
        return;
      }
      List<ReplicationTask> adopted = hold.adoptRest(tasks.get(0));
      if (adopted.isEmpty()) {
        return;
      }
      tasks.addAll(adopted);
    }
  }

  /**
   * Older versions of a key than those held: the ones nothing records yet, and whether others wait
   * in the queue.
   */
  private record OlderVersions(List<SourceVersion> unknown, boolean queued) {}

  /**
   * The live versions of the key older than the newest held that this copy does not hold: a version
   * whose event was lost, or one a paged scan has not reached yet (unknown), or one queued
   * meanwhile. Copied after a newer one, they could only be skipped, so they are taken along.
   */
  private static OlderVersions olderNotHeld(
      SourceHistory history, TaskQueue.KnownKey known, List<ReplicationTask> tasks, Rule rule) {
    int newestHeld =
        tasks.stream().mapToInt(t -> history.position(t.sourceVersionId())).max().orElse(-1);
    Set<String> held =
        tasks.stream().map(ReplicationTask::sourceVersionId).collect(Collectors.toSet());
    List<SourceVersion> unknown = new ArrayList<>();
    boolean queued = false;
    for (int position = 0; position < newestHeld; position++) {
      SourceVersion version = history.version(tasks.get(0).sourceKey(), position);
      if (held.contains(version.versionId())
          || !rule.replicatesLive(version.lastModified())
          || (version.deleteMarker() && !rule.deleteMarkerReplication())) {
        continue;
      }
      TaskState state = known.states().get(version.versionId());
      if (state == null) {
        unknown.add(version);
      } else if (state == TaskState.PENDING || state == TaskState.RUNNING) {
        queued = true;
      }
    }
    return new OlderVersions(unknown, queued);
  }

  /**
   * Copies the tasks oldest first in the source's order; a version older than one already
   * replicated is skipped, and when one has to be retried later, the newer ones wait for it,
   * untried.
   */
  private List<TaskQueue.Finished> inOrder(
      List<ReplicationTask> tasks,
      SourceHistory history,
      TaskQueue.KnownKey known,
      Target target,
      Hold hold) {
    int newestReplicated = known.replicated().stream().mapToInt(history::position).max().orElse(-1);
    List<ReplicationTask> ordered =
        tasks.stream()
            .sorted(
                Comparator.comparingInt(
                    (ReplicationTask t) -> history.position(t.sourceVersionId())))
            .toList();
    List<TaskQueue.Finished> finished = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      ReplicationTask task = ordered.get(i);
      int position = history.position(task.sourceVersionId());
      if (position >= 0 && position < newestReplicated) {
        finished.add(
            new TaskQueue.Finished(
                task,
                superseded(
                    task, history.entries().get(newestReplicated).versionId(), target, known)));
        continue;
      }
      Optional<TaskQueue.Finished> done = copyOne(task, target, hold, known::replicas);
      if (done.isEmpty()) {
        return finished;
      }
      finished.add(done.get());
      TaskResult result = done.get().result();
      LOG.debug(
          "Copied {} {} (task {}, attempt {}): {}",
          task.sourceKey(),
          task.sourceVersionId(),
          task.id(),
          task.attempts(),
          result.state());
      if (result.completed()) {
        newestReplicated = Math.max(newestReplicated, position);
        if (result.destinationVersionId() != null) {
          known.replicas().add(result.destinationVersionId());
        }
      } else if (result.state() == TaskState.PENDING) {
        for (ReplicationTask later : ordered.subList(i + 1, ordered.size())) {
          finished.add(new TaskQueue.Finished(later, TaskResult.deferred(result.retryAfter())));
        }
        return finished;
      }
    }
    return finished;
  }

  /**
   * What becomes of a version older than one replicated: skipped, unless an earlier attempt wrote
   * it before its worker lost the lease (the newer ones were copied after it, so it is in its
   * place).
   */
  private TaskResult superseded(
      ReplicationTask task, String newer, Target target, TaskQueue.KnownKey known) {
    if (task.attempts() > 1) {
      try {
        Optional<String> written =
            task.deleteMarker()
                ? replicator.earlierMarker(task, target.destination(), known.replicas())
                : replicator.earlierReplica(task, target.destination(), known.replicas());
        if (written.isPresent()) {
          return TaskResult.alreadyReplicated(written.get());
        }
      } catch (SdkException | IllegalStateException e) {
        return TaskResult.retryLater(
            Backoff.delay(task.attempts()),
            "Looking for an earlier attempt's replica at the destination failed; retrying: "
                + e.getMessage());
      }
    }
    LOG.info(
        "Skipping version {} of {} (task {}): {} is newer and was replicated already",
        task.sourceVersionId(),
        task.sourceKey(),
        task.id(),
        newer);
    return TaskResult.skipped(
        "SUPERSEDED",
        "A newer version of the key ("
            + newer
            + ") was already replicated to this "
            + "destination; copying this older one would have made it current there.");
  }

  /**
   * A refused listing fails the key's versions (the trust lacks a permission); anything else is
   * retried.
   */
  private static TaskResult listingFailed(RuntimeException error, ReplicationTask first) {
    if (error instanceof SdkException sdk) {
      FailureClassifier.Failure failure =
          FailureClassifier.classify(sdk, FailureClassifier.Step.SOURCE_LIST);
      if (failure.permanent()) {
        return TaskResult.failed(
            failure.reason(),
            "Listing the key's versions at the source, to copy them in the source's "
                + "order, failed: "
                + failure.message()
                + " The source trust needs s3:ListBucketVersions on the bucket.");
      }
    }
    return TaskResult.retryLater(
        Backoff.delay(first.attempts()),
        "Listing the key's versions at the source failed; retrying: " + error.getMessage());
  }

  /** Copies one version; empty when its lease was lost on the way. */
  private Optional<TaskQueue.Finished> copyOne(
      ReplicationTask task, Target target, Hold hold, Supplier<Set<String>> replicas) {
    Lease lease = hold.lease(task);
    try {
      lease.ensureHeld();
      TaskResult result =
          replicator.replicate(
              task,
              target.rule(),
              target.source(),
              target.destination(),
              lease,
              new TaskUploads(uploads, queue, task, hold.owner()),
              replicas);
      return Optional.of(new TaskQueue.Finished(task, result));
    } catch (RuntimeException e) {
      if (Lease.lostIn(e)) {
        LOG.info(
            "Stopped copying {} (task {}): its lease was lost and another worker owns it now",
            task.sourceKey(),
            task.id());
        return Optional.empty();
      }
      LOG.warn("Task {} failed unexpectedly; it will be retried: {}", task.id(), e.toString());
      return Optional.of(
          new TaskQueue.Finished(
              task,
              TaskResult.retryLater(
                  Backoff.delay(task.attempts()), "Unexpected error: " + e.getMessage())));
    }
  }
}
