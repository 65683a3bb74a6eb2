package dev.replicator.replication;

import static dev.replicator.platform.persistence.Columns.column;
import static dev.replicator.platform.persistence.Columns.instant;
import static dev.replicator.platform.persistence.Columns.nullableLong;

import dev.replicator.platform.Ids;
import dev.replicator.platform.database.Notifications;
import dev.replicator.rule.Rule;
import dev.replicator.trust.BucketRef;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The durable replication queue in PostgreSQL, and the one writer of its tables ({@code
 * replication_tasks} and the {@code replication_history} of pruned tasks). Other features call its
 * operations with what they decide, and every change of a task's state goes through {@link
 * TaskState}:
 *
 * <ul>
 *   <li>{@link #enqueue} (live: scans and events) and {@link #enqueueBatch} (a batch job's
 *       selection, which also requeues ended tasks and revives pruned ones) — idempotent, one task
 *       per rule, destination, key and version;
 *   <li>{@link #claim} (live and batch tasks in one statement), {@link #adoptKey}, {@link #renew},
 *       {@link #recordUpload} and {@link #finishAll} — the workers';
 *   <li>{@link #requeueFailed} and {@link #hurryBackingOff} (a user's retry) and {@link #withdraw}
 *       (a cancelled batch job);
 *   <li>{@link #markThresholdMissed} and {@link #prune} — housekeeping.
 * </ul>
 *
 * Outcomes and pruned tasks are handed to the {@link QueueListener}s in the same transaction.
 * Workers claim batches with {@code FOR UPDATE SKIP LOCKED} under a lease. A key is copied to a
 * destination by one worker at a time: a task is claimable only while no other task of its key at
 * that destination runs, and the worker that claims it takes the key's other queued versions with
 * it ({@link #adoptKey}) and copies them in the source's order (see {@link KeyReplication}). Every
 * write by a lease holder carries the claimed {@code version}: zero rows updated means the lease
 * was lost. Other features read batch tasks through the {@code batch_tasks} view.
 */
@Singleton
public class TaskQueue {

  /**
   * Notified (on commit) when tasks were queued or requeued to be copied now: workers listen, to
   * claim at once.
   */
  static final String QUEUED_CHANNEL = "replication_tasks_queued";

  /**
   * Claims live tasks, then batch tasks, in one statement: of each kind, tasks whose lease ran out
   * (their worker died) first, then pending ones in {@code not_before} order. A key whose copy runs
   * is not claimable. Of the rest, the first queued live version of a key is claimable, and a batch
   * version when no live one of its key is queued; which version is first is only a hint from the
   * timestamps (the worker orders the key's versions by the source's listing). Each claimed task
   * says whether its key has other versions known at that destination. Each kind of candidate is a
   * select of its own so that the pending ones walk their partial index and stop at the limit,
   * rather than sorting every queued task on each claim. The overall limit is written into the
   * statement ({@code <limit>}): a plan made for any limit (PostgreSQL's generic plan of a prepared
   * statement) could otherwise expect many claimed rows and scan the whole table to update them.
   * The statement is assembled once, from {@link #candidates}, and binds only named parameters.
   */
  private static final String CLAIM =
      """
      WITH live_expired AS (%s),
      live_pending AS (%s),
      batch_expired AS (%s),
      batch_pending AS (%s),
      claimed AS (SELECT * FROM live_expired UNION ALL SELECT * FROM live_pending
                  UNION ALL SELECT * FROM batch_expired UNION ALL SELECT * FROM batch_pending
                  LIMIT <limit>)
      UPDATE replication_tasks t
         SET state = :state, lease_owner = :owner, lease_until = :leaseUntil, attempts = t.attempts + 1, version = t.version + 1,
             started_at = coalesce(t.started_at, :now), prior_state = NULL
       WHERE (t.tenant_id, t.id) IN (SELECT tenant_id, id FROM claimed)
      RETURNING t.tenant_id, t.id, t.rule_id, t.destination_trust_id, t.destination_bucket, t.source_key,
                t.source_version_id, t.is_delete_marker, t.size, t.source_etag, t.source_last_modified, t.attempts, t.version,
                t.multipart_upload_id, t.batch_job_id, t.include_replicas,
                EXISTS (SELECT 1 FROM replication_tasks o
                         WHERE o.tenant_id = t.tenant_id AND o.rule_id = t.rule_id AND o.destination_trust_id = t.destination_trust_id
                           AND o.destination_bucket = t.destination_bucket AND o.source_key = t.source_key AND o.id <> t.id)
                OR EXISTS (SELECT 1 FROM replication_history o
                            WHERE o.tenant_id = t.tenant_id AND o.rule_id = t.rule_id AND o.destination_trust_id = t.destination_trust_id
                              AND o.destination_bucket = t.destination_bucket AND o.source_key = t.source_key
                              AND o.source_version_id <> t.source_version_id)
                AS key_has_other_versions"""
          .formatted(
              candidates("RUNNING", "lease_until", false, ":limit"),
              candidates(
                  "PENDING", "not_before", false, ":limit - (SELECT count(*) FROM live_expired)"),
              candidates(
                  "RUNNING",
                  "lease_until",
                  true,
                  "greatest(0, least(:batchLimit, :limit - (SELECT count(*) FROM live_expired)"
                      + " - (SELECT count(*) FROM live_pending)))"),
              candidates(
                  "PENDING",
                  "not_before",
                  true,
                  "greatest(0, least(:batchLimit, :limit - (SELECT count(*) FROM live_expired)"
                      + " - (SELECT count(*) FROM live_pending)) - (SELECT count(*) FROM batch_expired))"));

  /**
   * Claimable tasks in {@code state} whose {@code due} time has come, live ones or ({@code batch})
   * batch ones, up to {@code limit}. Whether task {@code o} of a key comes before candidate {@code
   * c} is a hint from the timestamps.
   *
   * <p>"No earlier task of the key is open" is a scalar subquery, not NOT EXISTS: PostgreSQL turns
   * NOT EXISTS into an anti-join whose plan follows the statistics, and statistics taken when every
   * task had ended (a burst of new tasks after a quiet spell) made it scan every open task once per
   * candidate (192 ms per claim at 500 queued tasks). The subquery is one index probe per candidate
   * whatever the statistics say.
   */
  private static String candidates(String state, String due, boolean batch, String limit) {
    return """
        SELECT c.tenant_id, c.id FROM replication_tasks c
          JOIN rules r ON r.tenant_id = c.tenant_id AND r.id = c.rule_id AND r.status = 'ENABLED'
         WHERE c.state = '%1$s' AND c.%2$s %3$s :now AND c.batch_job_id IS %4$s NULL
           AND NOT (c.destination_trust_id::text || '/' || c.destination_bucket = ANY (:paused))
           AND (SELECT 1 FROM replication_tasks o
                 WHERE o.tenant_id = c.tenant_id AND o.rule_id = c.rule_id AND o.destination_trust_id = c.destination_trust_id
                   AND o.destination_bucket = c.destination_bucket AND o.source_key = c.source_key
                   AND o.id <> c.id AND o.state IN ('PENDING', 'RUNNING')
                   AND ((o.state = 'RUNNING' AND o.lease_until >= :now)
                        OR (o.batch_job_id IS NULL %5$s (o.source_last_modified < c.source_last_modified
                                                      OR (o.source_last_modified = c.source_last_modified AND o.id < c.id))))
                 LIMIT 1) IS NULL
         ORDER BY c.%2$s
         LIMIT %6$s
           FOR UPDATE OF c SKIP LOCKED"""
        .formatted(
            state,
            due,
            state.equals("RUNNING") ? "<" : "<=",
            batch ? "NOT" : "",
            batch ? "OR" : "AND",
            limit);
  }

  /**
   * The state claims and adoptions put tasks in; a RUNNING task whose lease expired is taken over
   * without a change of state (see {@link TaskState}).
   */
  private static final TaskState CLAIMED =
      TaskState.PENDING.to(TaskState.RUNNING, TaskState.Change.CLAIM);

  /**
   * Takes the other queued versions of a claimed task's key, and those of a crashed worker's copy
   * of it.
   */
  private static final String ADOPT =
      """
      UPDATE replication_tasks t
         SET state = :state, lease_owner = :owner, lease_until = :leaseUntil, attempts = t.attempts + 1, version = t.version + 1,
             started_at = coalesce(t.started_at, :now), prior_state = NULL
       WHERE t.tenant_id = :tenantId AND t.rule_id = :ruleId AND t.destination_trust_id = :destinationTrustId
         AND t.destination_bucket = :destinationBucket AND t.source_key = :sourceKey
         AND t.id <> :id AND (t.state = 'PENDING' OR (t.state = 'RUNNING' AND t.lease_until < :now))
      RETURNING t.tenant_id, t.id, t.rule_id, t.destination_trust_id, t.destination_bucket, t.source_key,
                t.source_version_id, t.is_delete_marker, t.size, t.source_etag, t.source_last_modified, t.attempts, t.version,
                t.multipart_upload_id, t.batch_job_id, t.include_replicas, true AS key_has_other_versions""";

  /**
   * Queues a page of versions for a batch job: each version's status for the rule is worked out
   * from its tasks and the history (over all destinations, as AWS keeps one status per object), and
   * for those the job selects, every chosen destination gets a new task, or its ended one requeued
   * (with the state it had, for a cancel to give back), or its pruned one revived from the history.
   * Destinations where the version is already queued are left to that task; tasks held by another
   * running job stay with it.
   */
  private static final String ENQUEUE_BATCH =
      """
      WITH page AS (
          SELECT * FROM unnest(:keys::text[], :versionIds::text[], :deleteMarkers::boolean[], :sizes::bigint[], :etags::text[],
                               :lastModified::timestamptz[], :states::text[], :reasons::text[], :errors::text[])
                     AS p(key, version_id, delete_marker, size, etag, last_modified, state, reason, error)),
      status AS (
          SELECT p.*, (SELECT CASE WHEN count(*) = 0 THEN 'NONE'
                                   WHEN bool_or(t.state IN ('PENDING', 'RUNNING')) THEN 'PENDING'
                                   WHEN bool_or(t.state = 'FAILED') THEN 'FAILED'
                                   WHEN bool_or(t.outcome = 'REPLICA') THEN 'REPLICA'
                                   WHEN bool_or(t.state = 'COMPLETED') THEN 'COMPLETED'
                                   ELSE 'SKIPPED' END
                         FROM (SELECT state, outcome FROM replication_tasks
                                WHERE tenant_id = :tenantId AND rule_id = :ruleId AND source_key = p.key AND source_version_id = p.version_id
                               UNION ALL
                               SELECT state, outcome FROM replication_history
                                WHERE tenant_id = :tenantId AND rule_id = :ruleId AND source_key = p.key AND source_version_id = p.version_id) t
                       ) AS status
            FROM page p),
      target AS (
          SELECT s.*, d.trust_id, d.bucket
            FROM status s CROSS JOIN unnest(:trustIds::uuid[], :buckets::text[]) AS d(trust_id, bucket)
           WHERE s.status = ANY (:statuses)),
      requeued AS (
          UPDATE replication_tasks t
             SET state = :requeued, prior_state = t.state, attempts = 0, not_before = :now, batch_job_id = :jobId,
                 include_replicas = :includeReplicas
            FROM target g
           WHERE t.tenant_id = :tenantId AND t.rule_id = :ruleId AND t.destination_trust_id = g.trust_id AND t.destination_bucket = g.bucket
             AND t.source_key = g.key AND t.source_version_id = g.version_id
             AND t.state = ANY (:requeuedFrom) AND (t.state <> 'SKIPPED' OR t.outcome = 'REPLICA')
             AND NOT EXISTS (SELECT 1 FROM batch_jobs o WHERE o.tenant_id = t.tenant_id AND o.id = t.batch_job_id
                                AND o.status IN ('PREPARING', 'RUNNING'))
          RETURNING 1),
      revived AS (
          DELETE FROM replication_history h USING target g
           WHERE h.tenant_id = :tenantId AND h.rule_id = :ruleId AND h.destination_trust_id = g.trust_id AND h.destination_bucket = g.bucket
             AND h.source_key = g.key AND h.source_version_id = g.version_id
             AND (h.state = 'COMPLETED' OR h.outcome = 'REPLICA')
          RETURNING h.*),
      inserted AS (
          INSERT INTO replication_tasks (tenant_id, id, rule_id, destination_trust_id, destination_bucket, source_key,
              source_version_id, is_delete_marker, size, source_etag, source_last_modified, origin, state, not_before,
              enqueued_at, batch_job_id, include_replicas, failure_reason, last_error, completed_at,
              prior_state, outcome, destination_version_id)
          SELECT :tenantId, time_ordered_uuid(), :ruleId, g.trust_id, g.bucket, g.key, g.version_id, g.delete_marker, g.size,
                 g.etag, g.last_modified, 'BATCH', g.state, :now, :now, :jobId, :includeReplicas, g.reason, g.error,
                 CASE WHEN g.state = 'PENDING' THEN v.completed_at ELSE :now::timestamptz END,
                 v.state, v.outcome, v.destination_version_id
            FROM target g
            LEFT JOIN revived v ON v.destination_trust_id = g.trust_id AND v.destination_bucket = g.bucket
                               AND v.source_key = g.key AND v.source_version_id = g.version_id
          ON CONFLICT (tenant_id, rule_id, destination_trust_id, destination_bucket, source_key, source_version_id) DO NOTHING
          RETURNING 1)
      SELECT (SELECT count(*) FROM requeued) + (SELECT count(*) FROM inserted) AS queued""";

  /**
   * The ended states a batch job requeues a version's task from (of SKIPPED ones, only replicas).
   */
  private static final List<TaskState> REQUEUED_BY_BATCH =
      List.of(TaskState.COMPLETED, TaskState.FAILED, TaskState.SKIPPED);

  /** Records outcomes of tasks this owner still holds; the listeners are told of those written. */
  private static final String FINISH =
      """
      UPDATE replication_tasks t
         SET state = v.state, outcome = v.outcome, failure_reason = v.reason,
             last_error = CASE WHEN v.attempted THEN v.error ELSE t.last_error END,
             attempts = t.attempts - CASE WHEN v.attempted THEN 0 ELSE 1 END,
             destination_version_id = coalesce(v.destination_version, t.destination_version_id),
             multipart_upload_id = CASE WHEN v.state = 'PENDING' THEN t.multipart_upload_id ELSE NULL END,
             not_before = v.not_before, lease_owner = NULL, lease_until = NULL, completed_at = v.completed_at
        FROM unnest(:tenantIds::uuid[], :ids::uuid[], :versions::int[], :states::text[], :outcomes::text[], :reasons::text[],
                    :errors::text[], :destinationVersions::text[], :notBefore::timestamptz[], :completedAt::timestamptz[],
                    :attempted::boolean[])
             AS v(tenant_id, id, version, state, outcome, reason, error, destination_version, not_before, completed_at,
                  attempted)
       WHERE t.tenant_id = v.tenant_id AND t.id = v.id AND t.version = v.version AND t.lease_owner = :owner AND t.state = 'RUNNING'
      RETURNING t.tenant_id, t.id, t.rule_id, t.destination_trust_id, t.destination_bucket, t.source_key, t.source_version_id,
                t.size, t.source_etag, t.source_last_modified, t.state, t.failure_reason, t.completed_at, t.batch_job_id""";

  private final Jdbi jdbi;
  private final Clock clock;
  private final List<QueueListener> listeners;

  public TaskQueue(Jdbi jdbi, Clock clock, List<QueueListener> listeners) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.listeners = List.copyOf(listeners);
  }

  /** A task {@link #enqueue} inserts: a version for one of the rule's destinations. */
  private record NewTask(UUID id, Rule.Destination destination, SourceVersion version) {}

  /**
   * Enqueues a task per destination for each version; versions already known are left as they are.
   */
  @Transactional
  public int enqueue(Rule rule, Collection<SourceVersion> versions, String origin) {
    if (versions.isEmpty()) {
      return 0;
    }
    Instant now = clock.instant();
    String state = TaskState.created(TaskState.PENDING).name();
    // Versions in the history were replicated (or skipped) and pruned from the queue: they are
    // known, too.
    List<NewTask> rows = new ArrayList<>();
    for (SourceVersion version : versions) {
      for (Rule.Destination destination : rule.destinations()) {
        rows.add(new NewTask(Ids.next(), destination, version));
      }
    }
    // One statement for a whole page of a scan, however many of its versions are known.
    int inserted =
        jdbi.withHandle(
            handle ->
                bindVersions(
                        handle.createUpdate(
                            """
                        WITH v AS (
                          SELECT :tenantId::uuid AS tenant_id, :ruleId::uuid AS rule_id, u.*
                            FROM unnest(:ids::uuid[], :trustIds::uuid[], :buckets::text[], :keys::text[], :versionIds::text[],
                                        :deleteMarkers::boolean[], :sizes::bigint[], :etags::text[], :lastModified::timestamptz[])
                                 AS u(id, destination_trust_id, destination_bucket, source_key, source_version_id, is_delete_marker,
                                      size, source_etag, source_last_modified))
                        INSERT INTO replication_tasks (tenant_id, id, rule_id, destination_trust_id, destination_bucket, source_key,
                            source_version_id, is_delete_marker, size, source_etag, source_last_modified, origin, state, not_before, enqueued_at)
                        SELECT v.tenant_id, v.id, v.rule_id, v.destination_trust_id, v.destination_bucket, v.source_key,
                               v.source_version_id, v.is_delete_marker, v.size, v.source_etag, v.source_last_modified,
                               :origin, :state, :now::timestamptz, :now::timestamptz
                          FROM v
                         WHERE NOT EXISTS (SELECT 1 FROM replication_history h
                                            WHERE h.tenant_id = v.tenant_id AND h.rule_id = v.rule_id
                                              AND h.destination_trust_id = v.destination_trust_id AND h.destination_bucket = v.destination_bucket
                                              AND h.source_key = v.source_key AND h.source_version_id = v.source_version_id)
                        ON CONFLICT (tenant_id, rule_id, destination_trust_id, destination_bucket, source_key, source_version_id) DO NOTHING"""),
                        rows,
                        NewTask::version)
                    .bind("tenantId", rule.tenantId())
                    .bind("ruleId", rule.id())
                    .bindArray("ids", UUID.class, column(rows, NewTask::id))
                    .bindArray("trustIds", UUID.class, column(rows, r -> r.destination().trustId()))
                    .bindArray("buckets", String.class, column(rows, r -> r.destination().bucket()))
                    .bind("origin", origin)
                    .bind("state", state)
                    .bind("now", now)
                    .execute());
    if (inserted > 0) {
      announce();
    }
    return inserted;
  }

  /**
   * Claims up to {@code limit} tasks, live ones first and of batch jobs at most {@code batchLimit}
   * (the worker keeps some copy slots free of them for live tasks), none for the destinations in
   * {@code paused} that asked this worker to slow down.
   */
  @Transactional
  public List<ReplicationTask> claim(
      String owner, int limit, int batchLimit, Duration lease, Collection<BucketRef> paused) {
    if (limit <= 0) {
      return List.of();
    }
    // Claims need no lock of their own: of a key's queued versions only the first of its kind is
    // claimable, a claim that finds it locked skips it (SKIP LOCKED), and one that finds it
    // claimed meanwhile re-checks its state.
    Instant now = clock.instant();
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(CLAIM)
                .define("limit", limit)
                .bind("now", now)
                .bindArray(
                    "paused", String.class, paused.stream().map(BucketRef::toString).toList())
                .bind("limit", limit)
                .bind("batchLimit", Math.max(0, batchLimit))
                .bind("state", CLAIMED.name())
                .bind("owner", owner)
                .bind("leaseUntil", now.plus(lease))
                .map(TaskQueue::task)
                .list());
  }

  /**
   * Takes, under the same lease, the other queued versions of a claimed task's key at its
   * destination, so that the worker copies them in the source's order. The claimed task keeps
   * others from claiming them meanwhile.
   */
  @Transactional
  public List<ReplicationTask> adoptKey(String owner, ReplicationTask claimed, Duration lease) {
    Instant now = clock.instant();
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(ADOPT)
                .bind("state", CLAIMED.name())
                .bind("owner", owner)
                .bind("leaseUntil", now.plus(lease))
                .bind("now", now)
                .bind("tenantId", claimed.tenantId())
                .bind("ruleId", claimed.ruleId())
                .bind("destinationTrustId", claimed.destinationTrustId())
                .bind("destinationBucket", claimed.destinationBucket())
                .bind("sourceKey", claimed.sourceKey())
                .bind("id", claimed.id())
                .map(TaskQueue::task)
                .list());
  }

  /**
   * What is known of a task's key at its destination, in the queue or the history: the state of
   * each version known, and the destination versions recorded as replicas.
   */
  public record KnownKey(Map<String, TaskState> states, Set<String> replicas) {

    /** The source versions replicated there. */
    public Set<String> replicated() {
      Set<String> replicated = new HashSet<>();
      states.forEach(
          (version, state) -> {
            if (state == TaskState.COMPLETED) {
              replicated.add(version);
            }
          });
      return replicated;
    }
  }

  /** What is known of {@code task}'s key at its destination. */
  @Transactional
  public KnownKey known(ReplicationTask task) {
    List<KnownVersion> known =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery(
                        """
                        SELECT source_version_id, state, destination_version_id FROM replication_tasks
                         WHERE tenant_id = :tenantId AND rule_id = :ruleId AND destination_trust_id = :destinationTrustId
                           AND destination_bucket = :destinationBucket AND source_key = :sourceKey
                        UNION ALL
                        SELECT source_version_id, state, destination_version_id FROM replication_history
                         WHERE tenant_id = :tenantId AND rule_id = :ruleId AND destination_trust_id = :destinationTrustId
                           AND destination_bucket = :destinationBucket AND source_key = :sourceKey""")
                    .bind("tenantId", task.tenantId())
                    .bind("ruleId", task.ruleId())
                    .bind("destinationTrustId", task.destinationTrustId())
                    .bind("destinationBucket", task.destinationBucket())
                    .bind("sourceKey", task.sourceKey())
                    .map(
                        (row, context) ->
                            new KnownVersion(
                                row.getString("source_version_id"),
                                TaskState.valueOf(row.getString("state")),
                                row.getString("destination_version_id")))
                    .list());
    Map<String, TaskState> states = new HashMap<>();
    Set<String> replicas = new HashSet<>();
    for (KnownVersion version : known) {
      states.put(version.versionId(), version.state());
      if (version.state() == TaskState.COMPLETED && version.destinationVersionId() != null) {
        replicas.add(version.destinationVersionId());
      }
    }
    return new KnownKey(states, replicas);
  }

  /** A version of a key known in the queue or the history, and where it was replicated to. */
  private record KnownVersion(
      String versionId, TaskState state, @Nullable String destinationVersionId) {}

  /**
   * Extends the leases of tasks still in progress; returns the ids of those this owner still holds.
   */
  @Transactional
  public Set<UUID> renew(String owner, Collection<ReplicationTask> tasks, Duration lease) {
    if (tasks.isEmpty()) {
      return Set.of();
    }
    List<ReplicationTask> list = List.copyOf(tasks);
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    """
                    UPDATE replication_tasks t SET lease_until = :leaseUntil
                      FROM unnest(:tenantIds::uuid[], :ids::uuid[], :versions::int[]) AS v(tenant_id, id, version)
                     WHERE t.tenant_id = v.tenant_id AND t.id = v.id AND t.version = v.version AND t.lease_owner = :owner
                       AND t.state = 'RUNNING'
                    RETURNING t.id""")
                .bind("leaseUntil", clock.instant().plus(lease))
                .bindArray("tenantIds", UUID.class, column(list, ReplicationTask::tenantId))
                .bindArray("ids", UUID.class, column(list, ReplicationTask::id))
                .bindArray("versions", Integer.class, column(list, ReplicationTask::version))
                .bind("owner", owner)
                .map((row, context) -> row.getObject("id", UUID.class))
                .collect(Collectors.toSet()));
  }

  /** A claimed task and what became of it. */
  public record Finished(ReplicationTask task, TaskResult result) {}

  /**
   * Records the outcomes of claimed tasks in one statement, and in the same transaction tells the
   * listeners (the replication events the outcomes cause are written with them). Returns the ids
   * written; a task missing from them had lost its lease meanwhile, and another worker owns it.
   */
  @Transactional
  public Set<UUID> finishAll(String owner, List<Finished> finished) {
    if (finished.isEmpty()) {
      return Set.of();
    }
    Instant now = clock.instant();
    List<TaskState> targets =
        finished.stream()
            .map(f -> TaskState.RUNNING.to(f.result().state(), TaskState.Change.FINISH))
            .toList();
    List<TaskRecord> written =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery(FINISH)
                    .bindArray("tenantIds", UUID.class, column(finished, f -> f.task().tenantId()))
                    .bindArray("ids", UUID.class, column(finished, f -> f.task().id()))
                    .bindArray("versions", Integer.class, column(finished, f -> f.task().version()))
                    .bindArray("states", String.class, column(targets, TaskState::name))
                    .bindArray(
                        "outcomes", String.class, column(finished, f -> f.result().outcome()))
                    .bindArray(
                        "reasons", String.class, column(finished, f -> f.result().failureReason()))
                    .bindArray("errors", String.class, column(finished, f -> f.result().error()))
                    .bindArray(
                        "destinationVersions",
                        String.class,
                        column(finished, f -> f.result().destinationVersionId()))
                    .bindArray(
                        "notBefore",
                        Instant.class,
                        column(finished, f -> now.plus(f.result().retryAfter())))
                    .bindArray(
                        "completedAt",
                        Instant.class,
                        column(targets, target -> target == TaskState.PENDING ? null : now))
                    .bindArray(
                        "attempted", Boolean.class, column(finished, f -> f.result().attempted()))
                    .bind("owner", owner)
                    .map(TaskQueue::record)
                    .list());
    if (!written.isEmpty()) {
      listeners.forEach(listener -> listener.finished(written));
    }
    return written.stream().map(TaskRecord::id).collect(Collectors.toSet());
  }

  /**
   * A version's status over all destinations of its rule, as AWS keeps one status per object: NONE
   * while no task of it is known, REPLICA when the version is itself a replica.
   */
  public enum VersionStatus {
    NONE,
    PENDING,
    FAILED,
    REPLICA,
    COMPLETED,
    SKIPPED
  }

  /**
   * What a batch job queues: for the chosen {@code destinations} of its rule, the versions whose
   * status is one of {@code statuses}; {@code includeReplicas} copies versions that are themselves
   * replicas.
   */
  public record BatchSelection(
      UUID jobId,
      Rule rule,
      List<Rule.Destination> destinations,
      Set<VersionStatus> statuses,
      boolean includeReplicas) {}

  /**
   * A version a batch job queues. One that cannot be copied at all (a manifest names a version the
   * source lacks) has a {@code failureReason} and {@code error}: its task is created FAILED and
   * never claimed.
   */
  public record BatchVersion(
      SourceVersion version, @Nullable String failureReason, @Nullable String error) {

    public static BatchVersion of(SourceVersion version) {
      return new BatchVersion(version, null, null);
    }

    public static BatchVersion failed(SourceVersion version, String failureReason, String error) {
      return new BatchVersion(version, failureReason, error);
    }

    TaskState initialState() {
      return TaskState.created(failureReason == null ? TaskState.PENDING : TaskState.FAILED);
    }
  }

  /**
   * Enqueues and requeues a page of versions for a batch job, in one statement (see {@link
   * #ENQUEUE_BATCH}); a requeued task remembers the state it had. Returns how many tasks were
   * queued.
   */
  @Transactional
  public long enqueueBatch(BatchSelection selection, List<BatchVersion> versions) {
    if (versions.isEmpty()) {
      return 0;
    }
    Rule rule = selection.rule();
    TaskState requeued = TaskState.PENDING;
    REQUEUED_BY_BATCH.forEach(from -> from.to(requeued, TaskState.Change.REQUEUE));
    Instant now = clock.instant();
    long queued =
        jdbi.withHandle(
            handle ->
                bindVersions(handle.createQuery(ENQUEUE_BATCH), versions, BatchVersion::version)
                    .bindArray(
                        "states", String.class, column(versions, v -> v.initialState().name()))
                    .bindArray(
                        "reasons", String.class, column(versions, BatchVersion::failureReason))
                    .bindArray("errors", String.class, column(versions, BatchVersion::error))
                    .bind("tenantId", rule.tenantId())
                    .bind("ruleId", rule.id())
                    .bindArray(
                        "trustIds",
                        UUID.class,
                        column(selection.destinations(), Rule.Destination::trustId))
                    .bindArray(
                        "buckets",
                        String.class,
                        column(selection.destinations(), Rule.Destination::bucket))
                    .bindArray(
                        "statuses",
                        String.class,
                        column(List.copyOf(selection.statuses()), Enum::name))
                    .bind("requeued", requeued.name())
                    .bind("now", now)
                    .bind("jobId", selection.jobId())
                    .bind("includeReplicas", selection.includeReplicas())
                    .bindArray("requeuedFrom", String.class, column(REQUEUED_BY_BATCH, Enum::name))
                    .mapTo(Long.class)
                    .one());
    if (queued > 0) {
      announce();
    }
    return queued;
  }

  /**
   * Withdraws the tasks of a cancelled batch job that no worker has started. Those it requeued get
   * back the state they had (each change checked by the transition table: an illegal one throws,
   * and nothing is withdrawn); those it created are removed, except versions live replication
   * covers (written since the rule's {@code liveSince}), which stay queued as live tasks. Tasks
   * already started finish under the job.
   */
  @Transactional
  public void withdraw(UUID tenantId, UUID jobId) {
    jdbi.useHandle(
        handle -> {
          List<String> restored =
              handle
                  .createQuery(
                      """
                      WITH restored AS (
                          UPDATE replication_tasks SET state = prior_state, prior_state = NULL, batch_job_id = NULL, include_replicas = false
                           WHERE tenant_id = :tenantId AND batch_job_id = :jobId AND state = 'PENDING' AND attempts = 0
                             AND prior_state IS NOT NULL
                          RETURNING state)
                      SELECT DISTINCT state FROM restored""")
                  .bind("tenantId", tenantId)
                  .bind("jobId", jobId)
                  .map((row, context) -> row.getString("state"))
                  .list();
          restored.forEach(
              state -> TaskState.PENDING.to(TaskState.valueOf(state), TaskState.Change.WITHDRAW));
          handle
              .createUpdate(
                  """
                  DELETE FROM replication_tasks t USING rules r
                   WHERE t.tenant_id = :tenantId AND t.batch_job_id = :jobId AND t.state = 'PENDING' AND t.attempts = 0
                     AND t.prior_state IS NULL
                     AND r.tenant_id = t.tenant_id AND r.id = t.rule_id AND t.source_last_modified < date_trunc('second', r.live_since)""")
              .bind("tenantId", tenantId)
              .bind("jobId", jobId)
              .execute();
          handle
              .createUpdate(
                  """
                  UPDATE replication_tasks SET batch_job_id = NULL, include_replicas = false
                   WHERE tenant_id = :tenantId AND batch_job_id = :jobId AND state = 'PENDING' AND attempts = 0
                     AND prior_state IS NULL""")
              .bind("tenantId", tenantId)
              .bind("jobId", jobId)
              .execute();
        });
  }

  /**
   * A user's retry: puts a rule's FAILED tasks back in the queue — all, those of the given keys, or
   * those failed for one reason — as live tasks, whichever batch job queued them before. Returns
   * how many.
   */
  @Transactional
  public int requeueFailed(
      UUID tenantId, UUID ruleId, @Nullable List<String> keys, @Nullable String failureReason) {
    TaskState from = TaskState.FAILED;
    TaskState to = from.to(TaskState.PENDING, TaskState.Change.REQUEUE);
    // The rows as they were are returned for the listeners: a failure stays in the metrics where
    // it happened.
    List<TaskRecord> requeued =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery(
                        """
                        WITH failed AS (
                            SELECT t.tenant_id, t.id, t.rule_id, t.destination_trust_id, t.destination_bucket, t.source_key,
                                   t.source_version_id, t.size, t.source_etag, t.source_last_modified, t.state, t.failure_reason,
                                   t.completed_at, t.batch_job_id
                              FROM replication_tasks t
                             WHERE t.tenant_id = :tenantId AND t.rule_id = :ruleId AND t.state = :from
                               AND (:keys::text[] IS NULL OR t.source_key = ANY (:keys))
                               AND (:failureReason::text IS NULL OR t.failure_reason = :failureReason)
                               FOR UPDATE)
                        UPDATE replication_tasks u
                           SET state = :to, attempts = 0, failure_reason = NULL, not_before = :now, completed_at = NULL,
                               batch_job_id = NULL
                          FROM failed
                         WHERE u.tenant_id = failed.tenant_id AND u.id = failed.id
                        RETURNING failed.*""")
                    .bind("tenantId", tenantId)
                    .bind("ruleId", ruleId)
                    .bind("from", from.name())
                    .bindArray("keys", String.class, keys)
                    .bindByType("failureReason", failureReason, String.class)
                    .bind("to", to.name())
                    .bind("now", clock.instant())
                    .map(TaskQueue::record)
                    .list());
    if (!requeued.isEmpty()) {
      listeners.forEach(listener -> listener.requeued(requeued));
      announce();
    }
    return requeued.size();
  }

  /**
   * Makes the pending versions of a rule that wait out a backoff after failed attempts (of these
   * {@code keys}, or all) due now, and returns how many: a user who fixed the cause need not wait
   * for the next attempt. Attempts so far are kept, so a new failure backs off as before.
   */
  @Transactional
  public int hurryBackingOff(UUID tenantId, UUID ruleId, @Nullable List<String> keys) {
    Instant now = clock.instant();
    int hurried =
        jdbi.withHandle(
            handle ->
                handle
                    .createUpdate(
                        """
                        UPDATE replication_tasks SET not_before = :now
                         WHERE tenant_id = :tenantId AND rule_id = :ruleId
                           AND state = 'PENDING' AND attempts > 0 AND not_before > :now
                           AND (:keys::text[] IS NULL OR source_key = ANY (:keys))""")
                    .bind("now", now)
                    .bind("tenantId", tenantId)
                    .bind("ruleId", ruleId)
                    .bindArray("keys", String.class, keys)
                    .execute());
    if (hurried > 0) {
      announce();
    }
    return hurried;
  }

  /**
   * Tells the workers listening on {@link #QUEUED_CHANNEL}, once the transaction commits, that
   * tasks were queued.
   */
  private void announce() {
    Notifications.send(jdbi, QUEUED_CHANNEL);
  }

  /**
   * Marks live tasks of the given tenants that are still pending past their rule's replication time
   * threshold, each once, and returns them: the notification feature emits {@code
   * OperationMissedThreshold} for them in the same transaction.
   */
  @Transactional
  public List<TaskRecord> markThresholdMissed(Collection<UUID> tenants) {
    if (tenants.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    """
                    UPDATE replication_tasks t SET threshold_missed_at = :now
                      FROM rules r
                     WHERE r.tenant_id = t.tenant_id AND r.id = t.rule_id AND r.replication_time_enabled
                       AND t.state IN ('PENDING', 'RUNNING') AND t.batch_job_id IS NULL AND t.threshold_missed_at IS NULL
                       AND t.source_last_modified < :now::timestamptz - r.replication_time_minutes * interval '1 minute'
                       AND t.tenant_id = ANY (:tenants)
                    RETURNING t.tenant_id, t.id, t.rule_id, t.destination_trust_id, t.destination_bucket, t.source_key,
                              t.source_version_id, t.size, t.source_etag, t.source_last_modified, t.state, t.failure_reason,
                              t.completed_at, t.batch_job_id""")
                .bind("now", clock.instant())
                .bindArray("tenants", UUID.class, tenants)
                .map(TaskQueue::record)
                .list());
  }

  /**
   * Has PostgreSQL refresh its statistics of the tables the claim reads when they changed more
   * since they were taken than they held then, or were never taken. Autovacuum looks only once a
   * minute, and never at a table with fewer than 50 changes: a batch job queues thousands of tasks
   * into a young queue, which the claim is then planned for as a table of a few rows (a sequential
   * scan and a walk of the rule's every task per candidate, 10–13 ms per claim at 2,000 queued
   * tasks instead of well under one); and a rules table of a few rows is never analysed, so the
   * planner takes it for hundreds of rules, expects almost no queued task to belong to an enabled
   * one, and checks every due task before taking the first few (6.5 ms per claim at 722 due tasks,
   * 0.25 ms once analysed). Returns whether it ran.
   */
  @Transactional
  public boolean refreshStatistics() {
    return jdbi.withHandle(
        handle -> {
          List<String> stale =
              handle
                  .createQuery(
                      """
                      SELECT s.relname
                        FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
                       WHERE s.relid IN ('replication_tasks'::regclass, 'replication_history'::regclass, 'rules'::regclass)
                         AND s.n_mod_since_analyze > CASE WHEN c.reltuples < 0 THEN 0
                             ELSE greatest(CASE WHEN s.relname = 'rules' THEN 0 ELSE 1000 END, c.reltuples) END
                       ORDER BY s.relname""")
                  .map((row, context) -> row.getString("relname"))
                  .list();
          for (String table : stale) {
            // one of the three names above, never input
            handle.execute("ANALYZE " + table);
          }
          return !stale.isEmpty();
        });
  }

  /**
   * Moves up to {@code limit} tasks that ended COMPLETED or SKIPPED before {@code endedBefore} from
   * the queue to the history, which keeps each version's status answerable and stops it from being
   * queued again; in the same transaction the listeners are told (their share of the metrics moves
   * into buckets), so nothing is lost or counted twice. FAILED tasks stay (they are listed and
   * retried from the queue), as do the tasks of a batch job whose results are not yet recorded.
   * Returns how many moved.
   */
  @Transactional
  public int prune(Instant endedBefore, int limit) {
    List<TaskRecord> pruned =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery(
                        """
                        WITH pruned AS (
                            DELETE FROM replication_tasks t
                             WHERE (t.tenant_id, t.id) IN (
                                   SELECT c.tenant_id, c.id FROM replication_tasks c
                                    WHERE c.state IN ('COMPLETED', 'SKIPPED') AND c.completed_at < :endedBefore
                                      AND NOT EXISTS (SELECT 1 FROM batch_jobs j
                                                       WHERE j.tenant_id = c.tenant_id AND j.id = c.batch_job_id AND NOT j.results_recorded)
                                    LIMIT :limit
                                      FOR UPDATE OF c SKIP LOCKED)
                            RETURNING t.*),
                        history AS (
                            INSERT INTO replication_history (tenant_id, id, rule_id, destination_trust_id, destination_bucket, source_key,
                                source_version_id, is_delete_marker, size, source_last_modified, state, outcome, attempts,
                                destination_version_id, completed_at, detail)
                            SELECT tenant_id, id, rule_id, destination_trust_id, destination_bucket, source_key, source_version_id,
                                   is_delete_marker, size, source_last_modified, state, outcome, attempts, destination_version_id, completed_at,
                                   CASE WHEN state = 'SKIPPED' THEN last_error END
                              FROM pruned
                            ON CONFLICT (tenant_id, rule_id, destination_trust_id, destination_bucket, source_key, source_version_id) DO UPDATE
                               SET id = excluded.id, state = excluded.state, outcome = excluded.outcome, attempts = excluded.attempts,
                                   destination_version_id = excluded.destination_version_id, completed_at = excluded.completed_at,
                                   detail = excluded.detail)
                        SELECT t.tenant_id, t.id, t.rule_id, t.destination_trust_id, t.destination_bucket, t.source_key,
                               t.source_version_id, t.size, t.source_etag, t.source_last_modified, t.state, t.failure_reason,
                               t.completed_at, t.batch_job_id
                          FROM pruned t""")
                    .bind("endedBefore", endedBefore)
                    .bind("limit", limit)
                    .map(TaskQueue::record)
                    .list());
    if (!pruned.isEmpty()) {
      listeners.forEach(listener -> listener.pruned(pruned));
    }
    return pruned.size();
  }

  /**
   * Remembers (or, with null, forgets) the destination multipart upload of a claimed task, so that
   * a later attempt can resume or abort it. False when the lease was lost.
   */
  @Transactional
  public boolean recordUpload(ReplicationTask task, String owner, String uploadId) {
    return jdbi.withHandle(
        handle ->
            handle
                    .createUpdate(
                        """
                        UPDATE replication_tasks SET multipart_upload_id = :uploadId
                         WHERE tenant_id = :tenantId AND id = :id AND lease_owner = :owner AND version = :version
                           AND state = 'RUNNING'""")
                    .bindByType("uploadId", uploadId, String.class)
                    .bind("tenantId", task.tenantId())
                    .bind("id", task.id())
                    .bind("owner", owner)
                    .bind("version", task.version())
                    .execute()
                == 1);
  }

  /**
   * Binds the source versions of {@code rows} as the arrays {@code :keys}, {@code :versionIds},
   * {@code :deleteMarkers}, {@code :sizes}, {@code :etags} and {@code :lastModified}.
   */
  private static <S extends SqlStatement<S>, T> S bindVersions(
      S statement, List<T> rows, Function<? super T, SourceVersion> version) {
    List<SourceVersion> versions = column(rows, version);
    return statement
        .bindArray("keys", String.class, column(versions, SourceVersion::key))
        .bindArray("versionIds", String.class, column(versions, SourceVersion::versionId))
        .bindArray("deleteMarkers", Boolean.class, column(versions, SourceVersion::deleteMarker))
        .bindArray("sizes", Long.class, column(versions, SourceVersion::size))
        .bindArray("etags", String.class, column(versions, SourceVersion::etag))
        .bindArray("lastModified", Instant.class, column(versions, SourceVersion::lastModified));
  }

  /** A task row as a claim or an adoption returns it, read by column label. */
  private static ReplicationTask task(ResultSet row, StatementContext context) throws SQLException {
    return new ReplicationTask(
        row.getObject("tenant_id", UUID.class),
        row.getObject("id", UUID.class),
        row.getObject("rule_id", UUID.class),
        row.getObject("destination_trust_id", UUID.class),
        row.getString("destination_bucket"),
        row.getString("source_key"),
        row.getString("source_version_id"),
        row.getBoolean("is_delete_marker"),
        nullableLong(row, "size"),
        row.getString("source_etag"),
        row.getTimestamp("source_last_modified").toInstant(),
        row.getInt("attempts"),
        row.getInt("version"),
        row.getString("multipart_upload_id"),
        row.getObject("batch_job_id", UUID.class),
        row.getBoolean("include_replicas"),
        row.getBoolean("key_has_other_versions"));
  }

  /** A task row as the listeners are told of it, read by column label. */
  private static TaskRecord record(ResultSet row, StatementContext context) throws SQLException {
    return new TaskRecord(
        row.getObject("tenant_id", UUID.class),
        row.getObject("id", UUID.class),
        row.getObject("rule_id", UUID.class),
        row.getObject("destination_trust_id", UUID.class),
        row.getString("destination_bucket"),
        row.getString("source_key"),
        row.getString("source_version_id"),
        nullableLong(row, "size"),
        row.getString("source_etag"),
        row.getTimestamp("source_last_modified").toInstant(),
        TaskState.valueOf(row.getString("state")),
        row.getString("failure_reason"),
        instant(row, "completed_at"),
        row.getObject("batch_job_id", UUID.class));
  }
}
