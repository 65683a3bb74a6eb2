package dev.replicator.replication;

import dev.replicator.platform.Ids;
import dev.replicator.platform.database.Notifications;
import dev.replicator.platform.persistence.Rows;
import dev.replicator.platform.persistence.SqlArrays;
import dev.replicator.rule.Rule;
import dev.replicator.trust.BucketRef;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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
import java.util.stream.Collectors;

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
 *   <li>{@link #claim}, {@link #claimBatch} and {@link #adoptKey}, {@link #renew}, {@link
 *       #recordUpload} and {@link #finishAll} — the workers';
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

  /** The same key at the same destination of the same rule, for tasks {@code a} and {@code b}. */
  private static String sameKey(String a, String b) {
    return ("%1$s.tenant_id = %2$s.tenant_id AND %1$s.rule_id = %2$s.rule_id AND %1$s.destination_trust_id = %2$s.destination_trust_id"
            + " AND %1$s.destination_bucket = %2$s.destination_bucket AND %1$s.source_key = %2$s.source_key")
        .formatted(a, b);
  }

  private static final String TASK_COLUMNS =
      """
      t.tenant_id, t.id, t.rule_id, t.destination_trust_id, t.destination_bucket, t.source_key,
      t.source_version_id, t.is_delete_marker, t.size, t.source_etag, t.source_last_modified, t.attempts, t.version,
      t.multipart_upload_id, t.batch_job_id, t.include_replicas""";

  /**
   * Whether task {@code o} of a key comes before candidate {@code c} (a hint from the timestamps).
   */
  private static final String FIRST =
      """
      (o.source_last_modified < c.source_last_modified OR (o.source_last_modified = c.source_last_modified AND o.id < c.id))""";

  /**
   * Claims live tasks, then batch tasks, in one statement: of each kind, tasks whose lease ran out
   * (their worker died) first, then pending ones in {@code not_before} order. A key whose copy runs
   * is not claimable. Of the rest, the first queued live version of a key is claimable, and a batch
   * version when no live one of its key is queued; which version is first is only a hint from the
   * timestamps (the worker orders the key's versions by the source's listing). Each claimed task
   * says whether its key has other versions known at that destination. Each kind of candidate is a
   * select of its own so that the pending ones walk their partial index and stop at the limit,
   * rather than sorting every queued task on each claim. The overall limit is written into the
   * statement ({@code :limit}): a plan made for any limit (PostgreSQL's generic plan of a prepared
   * statement) could otherwise expect many claimed rows and scan the whole table to update them.
   */
  private static final String CLAIM =
      """
      WITH live_expired AS (%1$s),
      live_pending AS (%2$s),
      batch_expired AS (%3$s),
      batch_pending AS (%4$s),
      claimed AS (SELECT * FROM live_expired UNION ALL SELECT * FROM live_pending
                  UNION ALL SELECT * FROM batch_expired UNION ALL SELECT * FROM batch_pending
                  LIMIT :limit)
      UPDATE replication_tasks t
         SET state = ?, lease_owner = ?, lease_until = ?, attempts = t.attempts + 1, version = t.version + 1,
             started_at = coalesce(t.started_at, ?), prior_state = NULL
       WHERE (t.tenant_id, t.id) IN (SELECT tenant_id, id FROM claimed)
      RETURNING %5$s,
                EXISTS (SELECT 1 FROM replication_tasks o WHERE %6$s AND o.id <> t.id)
                OR EXISTS (SELECT 1 FROM replication_history o WHERE %6$s AND o.source_version_id <> t.source_version_id)"""
          .formatted(
              candidates("RUNNING", "lease_until", "", "?"),
              candidates("PENDING", "not_before", "", "? - (SELECT count(*) FROM live_expired)"),
              candidates(
                  "RUNNING",
                  "lease_until",
                  "NOT",
                  "greatest(0, least(?, ? - (SELECT count(*) FROM live_expired)"
                      + " - (SELECT count(*) FROM live_pending)))"),
              candidates(
                  "PENDING",
                  "not_before",
                  "NOT",
                  "greatest(0, least(?, ? - (SELECT count(*) FROM live_expired)"
                      + " - (SELECT count(*) FROM live_pending)) - (SELECT count(*) FROM batch_expired))"),
              "%s",
              sameKey("o", "t"))
          .formatted(TASK_COLUMNS);

  /**
   * Claimable tasks in {@code state} whose {@code due} time has come, live ones or ({@code batch} =
   * "NOT") batch ones, up to {@code limit}. Binds now, the paused destinations, now, then the
   * limit's parameters.
   *
   * <p>"No earlier task of the key is open" is a scalar subquery, not NOT EXISTS: PostgreSQL turns
   * NOT EXISTS into an anti-join whose plan follows the statistics, and statistics taken when every
   * task had ended (a burst of new tasks after a quiet spell) made it scan every open task once per
   * candidate (192 ms per claim at 500 queued tasks). The subquery is one index probe per candidate
   * whatever the statistics say.
   */
  private static String candidates(String state, String due, String batch, String limit) {
    String first =
        batch.isEmpty()
            ? "o.batch_job_id IS NULL AND " + FIRST
            : "(o.batch_job_id IS NULL OR " + FIRST + ")";
    return """
        SELECT c.tenant_id, c.id FROM replication_tasks c
          JOIN rules r ON r.tenant_id = c.tenant_id AND r.id = c.rule_id AND r.status = 'ENABLED'
         WHERE c.state = '%1$s' AND c.%2$s %3$s ? AND c.batch_job_id IS %4$s NULL
           AND NOT (c.destination_trust_id::text || '/' || c.destination_bucket = ANY (?))
           AND (SELECT 1 FROM replication_tasks o
                 WHERE %5$s AND o.id <> c.id AND o.state IN ('PENDING', 'RUNNING')
                   AND ((o.state = 'RUNNING' AND o.lease_until >= ?) OR %6$s)
                 LIMIT 1) IS NULL
         ORDER BY c.%2$s
         LIMIT %7$s
           FOR UPDATE OF c SKIP LOCKED"""
        .formatted(
            state,
            due,
            state.equals("RUNNING") ? "<" : "<=",
            batch,
            sameKey("o", "c"),
            first,
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
         SET state = ?, lease_owner = ?, lease_until = ?, attempts = t.attempts + 1, version = t.version + 1,
             started_at = coalesce(t.started_at, ?), prior_state = NULL
       WHERE t.tenant_id = ? AND t.rule_id = ? AND t.destination_trust_id = ? AND t.destination_bucket = ? AND t.source_key = ?
         AND t.id <> ? AND (t.state = 'PENDING' OR (t.state = 'RUNNING' AND t.lease_until < ?))
      RETURNING %s, true"""
          .formatted(TASK_COLUMNS);

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
          SELECT * FROM unnest(?::text[], ?::text[], ?::boolean[], ?::bigint[], ?::text[], ?::timestamptz[], ?::text[], ?::text[],
                               ?::text[])
                     AS p(key, version_id, delete_marker, size, etag, last_modified, state, reason, error)),
      status AS (
          SELECT p.*, (SELECT CASE WHEN count(*) = 0 THEN 'NONE'
                                   WHEN bool_or(t.state IN ('PENDING', 'RUNNING')) THEN 'PENDING'
                                   WHEN bool_or(t.state = 'FAILED') THEN 'FAILED'
                                   WHEN bool_or(t.outcome = 'REPLICA') THEN 'REPLICA'
                                   WHEN bool_or(t.state = 'COMPLETED') THEN 'COMPLETED'
                                   ELSE 'SKIPPED' END
                         FROM (SELECT state, outcome FROM replication_tasks
                                WHERE tenant_id = ? AND rule_id = ? AND source_key = p.key AND source_version_id = p.version_id
                               UNION ALL
                               SELECT state, outcome FROM replication_history
                                WHERE tenant_id = ? AND rule_id = ? AND source_key = p.key AND source_version_id = p.version_id) t
                       ) AS status
            FROM page p),
      target AS (
          SELECT s.*, d.trust_id, d.bucket
            FROM status s CROSS JOIN unnest(?::uuid[], ?::text[]) AS d(trust_id, bucket)
           WHERE s.status = ANY (?)),
      requeued AS (
          UPDATE replication_tasks t
             SET state = ?, prior_state = t.state, attempts = 0, not_before = ?, batch_job_id = ?, include_replicas = ?
            FROM target g
           WHERE t.tenant_id = ? AND t.rule_id = ? AND t.destination_trust_id = g.trust_id AND t.destination_bucket = g.bucket
             AND t.source_key = g.key AND t.source_version_id = g.version_id
             AND t.state = ANY (?) AND (t.state <> 'SKIPPED' OR t.outcome = 'REPLICA')
             AND NOT EXISTS (SELECT 1 FROM batch_jobs o WHERE o.tenant_id = t.tenant_id AND o.id = t.batch_job_id
                                AND o.status IN ('PREPARING', 'RUNNING'))
          RETURNING 1),
      revived AS (
          DELETE FROM replication_history h USING target g
           WHERE h.tenant_id = ? AND h.rule_id = ? AND h.destination_trust_id = g.trust_id AND h.destination_bucket = g.bucket
             AND h.source_key = g.key AND h.source_version_id = g.version_id
             AND (h.state = 'COMPLETED' OR h.outcome = 'REPLICA')
          RETURNING h.*),
      inserted AS (
          INSERT INTO replication_tasks (tenant_id, id, rule_id, destination_trust_id, destination_bucket, source_key,
              source_version_id, is_delete_marker, size, source_etag, source_last_modified, origin, state, not_before,
              enqueued_at, batch_job_id, include_replicas, failure_reason, last_error, completed_at,
              prior_state, outcome, destination_version_id)
          SELECT ?, time_ordered_uuid(), ?, g.trust_id, g.bucket, g.key, g.version_id, g.delete_marker, g.size, g.etag,
                 g.last_modified, 'BATCH', g.state, ?, ?, ?, ?, g.reason, g.error,
                 CASE WHEN g.state = 'PENDING' THEN v.completed_at ELSE ?::timestamptz END,
                 v.state, v.outcome, v.destination_version_id
            FROM target g
            LEFT JOIN revived v ON v.destination_trust_id = g.trust_id AND v.destination_bucket = g.bucket
                               AND v.source_key = g.key AND v.source_version_id = g.version_id
          ON CONFLICT (tenant_id, rule_id, destination_trust_id, destination_bucket, source_key, source_version_id) DO NOTHING
          RETURNING 1)
      SELECT (SELECT count(*) FROM requeued) + (SELECT count(*) FROM inserted)""";

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
        FROM unnest(?::uuid[], ?::uuid[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                    ?::timestamptz[], ?::timestamptz[], ?::boolean[])
             AS v(tenant_id, id, version, state, outcome, reason, error, destination_version, not_before, completed_at,
                  attempted)
       WHERE t.tenant_id = v.tenant_id AND t.id = v.id AND t.version = v.version AND t.lease_owner = ? AND t.state = 'RUNNING'
      RETURNING %s"""
          .formatted(TaskRecord.COLUMNS);

  private final JdbcOperations jdbc;
  private final Clock clock;
  private final List<QueueListener> listeners;

  public TaskQueue(JdbcOperations jdbc, Clock clock, List<QueueListener> listeners) {
    this.jdbc = jdbc;
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
    Timestamp now = Timestamp.from(clock.instant());
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
    return jdbc.prepareStatement(
        """
        WITH v AS (
          SELECT ?::uuid AS tenant_id, ?::uuid AS rule_id, u.*
            FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::boolean[], ?::bigint[], ?::text[],
                        ?::timestamptz[])
                 AS u(id, destination_trust_id, destination_bucket, source_key, source_version_id, is_delete_marker,
                      size, source_etag, source_last_modified))
        INSERT INTO replication_tasks (tenant_id, id, rule_id, destination_trust_id, destination_bucket, source_key,
            source_version_id, is_delete_marker, size, source_etag, source_last_modified, origin, state, not_before, enqueued_at)
        SELECT v.tenant_id, v.id, v.rule_id, v.destination_trust_id, v.destination_bucket, v.source_key,
               v.source_version_id, v.is_delete_marker, v.size, v.source_etag, v.source_last_modified,
               ?, ?, ?::timestamptz, ?::timestamptz
          FROM v
         WHERE NOT EXISTS (SELECT 1 FROM replication_history h
                            WHERE h.tenant_id = v.tenant_id AND h.rule_id = v.rule_id
                              AND h.destination_trust_id = v.destination_trust_id AND h.destination_bucket = v.destination_bucket
                              AND h.source_key = v.source_key AND h.source_version_id = v.source_version_id)
        ON CONFLICT (tenant_id, rule_id, destination_trust_id, destination_bucket, source_key, source_version_id) DO NOTHING""",
        statement -> {
          var connection = statement.getConnection();
          statement.setObject(1, rule.tenantId());
          statement.setObject(2, rule.id());
          SqlArrays.bindColumn(statement, 3, "uuid", rows, NewTask::id);
          SqlArrays.bindColumn(statement, 4, "uuid", rows, r -> r.destination().trustId());
          SqlArrays.bindColumn(statement, 5, "text", rows, r -> r.destination().bucket());
          SqlArrays.bindColumn(statement, 6, "text", rows, r -> r.version().key());
          SqlArrays.bindColumn(statement, 7, "text", rows, r -> r.version().versionId());
          SqlArrays.bindColumn(statement, 8, "boolean", rows, r -> r.version().deleteMarker());
          SqlArrays.bindColumn(statement, 9, "int8", rows, r -> r.version().size());
          SqlArrays.bindColumn(statement, 10, "text", rows, r -> r.version().etag());
          SqlArrays.bindColumn(
              statement, 11, "timestamptz", rows, r -> Timestamp.from(r.version().lastModified()));
          statement.setString(12, origin);
          statement.setString(13, state);
          statement.setTimestamp(14, now);
          statement.setTimestamp(15, now);
          int inserted = statement.executeUpdate();
          if (inserted > 0) {
            announce(connection);
          }
          return inserted;
        });
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
    // claimable, a claim
    // that finds it locked skips it (SKIP LOCKED), and one that finds it claimed meanwhile
    // re-checks its state.
    Instant now = clock.instant();
    return jdbc.prepareStatement(
        CLAIM.replace(":limit", Integer.toString(limit)),
        statement -> {
          Timestamp at = Timestamp.from(now);
          Array pausedArray =
              SqlArrays.of(statement, "text", paused.stream().map(BucketRef::toString).toList());
          int p = 0;
          for (int candidates = 0; candidates < 4; candidates++) {
            statement.setTimestamp(++p, at);
            statement.setArray(++p, pausedArray);
            statement.setTimestamp(++p, at);
            if (candidates >= 2) {
              statement.setInt(++p, Math.max(0, batchLimit));
            }
            statement.setInt(++p, limit);
          }
          statement.setString(++p, CLAIMED.name());
          statement.setString(++p, owner);
          statement.setTimestamp(++p, Timestamp.from(now.plus(lease)));
          statement.setTimestamp(++p, at);
          return tasks(statement);
        });
  }

  private static List<ReplicationTask> tasks(PreparedStatement statement) throws SQLException {
    return Rows.list(statement, TaskQueue::task);
  }

  /**
   * Takes, under the same lease, the other queued versions of a claimed task's key at its
   * destination, so that the worker copies them in the source's order. The claimed task keeps
   * others from claiming them meanwhile.
   */
  @Transactional
  public List<ReplicationTask> adoptKey(String owner, ReplicationTask claimed, Duration lease) {
    Instant now = clock.instant();
    return jdbc.prepareStatement(
        ADOPT,
        statement -> {
          statement.setString(1, CLAIMED.name());
          statement.setString(2, owner);
          statement.setTimestamp(3, Timestamp.from(now.plus(lease)));
          statement.setTimestamp(4, Timestamp.from(now));
          statement.setObject(5, claimed.tenantId());
          statement.setObject(6, claimed.ruleId());
          statement.setObject(7, claimed.destinationTrustId());
          statement.setString(8, claimed.destinationBucket());
          statement.setString(9, claimed.sourceKey());
          statement.setObject(10, claimed.id());
          statement.setTimestamp(11, Timestamp.from(now));
          return tasks(statement);
        });
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
    return jdbc.prepareStatement(
        """
        SELECT source_version_id, state, destination_version_id FROM replication_tasks
         WHERE tenant_id = ? AND rule_id = ? AND destination_trust_id = ? AND destination_bucket = ? AND source_key = ?
        UNION ALL
        SELECT source_version_id, state, destination_version_id FROM replication_history
         WHERE tenant_id = ? AND rule_id = ? AND destination_trust_id = ? AND destination_bucket = ? AND source_key = ?""",
        statement -> {
          for (int offset : new int[] {0, 5}) {
            statement.setObject(offset + 1, task.tenantId());
            statement.setObject(offset + 2, task.ruleId());
            statement.setObject(offset + 3, task.destinationTrustId());
            statement.setString(offset + 4, task.destinationBucket());
            statement.setString(offset + 5, task.sourceKey());
          }
          Map<String, TaskState> states = new HashMap<>();
          Set<String> replicas = new HashSet<>();
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              TaskState state = TaskState.valueOf(rows.getString(2));
              states.put(rows.getString(1), state);
              if (state == TaskState.COMPLETED && rows.getString(3) != null) {
                replicas.add(rows.getString(3));
              }
            }
          }
          return new KnownKey(states, replicas);
        });
  }

  /**
   * Extends the leases of tasks still in progress; returns the ids of those this owner still holds.
   */
  @Transactional
  public Set<UUID> renew(String owner, Collection<ReplicationTask> tasks, Duration lease) {
    if (tasks.isEmpty()) {
      return Set.of();
    }
    List<ReplicationTask> list = List.copyOf(tasks);
    return jdbc.prepareStatement(
        """
        UPDATE replication_tasks t SET lease_until = ?
          FROM unnest(?::uuid[], ?::uuid[], ?::int[]) AS v(tenant_id, id, version)
         WHERE t.tenant_id = v.tenant_id AND t.id = v.id AND t.version = v.version AND t.lease_owner = ? AND t.state = 'RUNNING'
        RETURNING t.id""",
        statement -> {
          statement.setTimestamp(1, Timestamp.from(clock.instant().plus(lease)));
          SqlArrays.bindColumn(statement, 2, "uuid", list, ReplicationTask::tenantId);
          SqlArrays.bindColumn(statement, 3, "uuid", list, ReplicationTask::id);
          SqlArrays.bindColumn(statement, 4, "int4", list, ReplicationTask::version);
          statement.setString(5, owner);
          Set<UUID> held = new HashSet<>();
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              held.add(rows.getObject(1, UUID.class));
            }
          }
          return held;
        });
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
        jdbc.prepareStatement(
            FINISH,
            statement -> {
              SqlArrays.bindColumn(statement, 1, "uuid", finished, f -> f.task().tenantId());
              SqlArrays.bindColumn(statement, 2, "uuid", finished, f -> f.task().id());
              SqlArrays.bindColumn(statement, 3, "int4", finished, f -> f.task().version());
              SqlArrays.bindColumn(statement, 4, "text", targets, TaskState::name);
              SqlArrays.bindColumn(statement, 5, "text", finished, f -> f.result().outcome());
              SqlArrays.bindColumn(statement, 6, "text", finished, f -> f.result().failureReason());
              SqlArrays.bindColumn(statement, 7, "text", finished, f -> f.result().error());
              SqlArrays.bindColumn(
                  statement, 8, "text", finished, f -> f.result().destinationVersionId());
              SqlArrays.bindColumn(
                  statement,
                  9,
                  "timestamptz",
                  finished,
                  f -> Timestamp.from(now.plus(f.result().retryAfter())));
              SqlArrays.bindColumn(
                  statement,
                  10,
                  "timestamptz",
                  targets,
                  target -> target == TaskState.PENDING ? null : Timestamp.from(now));
              SqlArrays.bindColumn(statement, 11, "boolean", finished, f -> f.result().attempted());
              statement.setString(12, owner);
              return records(statement);
            });
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
    Timestamp now = Timestamp.from(clock.instant());
    return jdbc.prepareStatement(
        ENQUEUE_BATCH,
        statement -> {
          int i = 1;
          SqlArrays.bindColumn(statement, i++, "text", versions, v -> v.version().key());
          SqlArrays.bindColumn(statement, i++, "text", versions, v -> v.version().versionId());
          SqlArrays.bindColumn(statement, i++, "bool", versions, v -> v.version().deleteMarker());
          SqlArrays.bindColumn(statement, i++, "int8", versions, v -> v.version().size());
          SqlArrays.bindColumn(statement, i++, "text", versions, v -> v.version().etag());
          SqlArrays.bindColumn(
              statement,
              i++,
              "timestamptz",
              versions,
              v -> Timestamp.from(v.version().lastModified()));
          SqlArrays.bindColumn(statement, i++, "text", versions, v -> v.initialState().name());
          SqlArrays.bindColumn(statement, i++, "text", versions, BatchVersion::failureReason);
          SqlArrays.bindColumn(statement, i++, "text", versions, BatchVersion::error);
          statement.setObject(i++, rule.tenantId());
          statement.setObject(i++, rule.id());
          statement.setObject(i++, rule.tenantId());
          statement.setObject(i++, rule.id());
          SqlArrays.bindColumn(
              statement, i++, "uuid", selection.destinations(), Rule.Destination::trustId);
          SqlArrays.bindColumn(
              statement, i++, "text", selection.destinations(), Rule.Destination::bucket);
          SqlArrays.bindColumn(
              statement, i++, "text", List.copyOf(selection.statuses()), Enum::name);
          statement.setString(i++, requeued.name());
          statement.setTimestamp(i++, now);
          statement.setObject(i++, selection.jobId());
          statement.setBoolean(i++, selection.includeReplicas());
          statement.setObject(i++, rule.tenantId());
          statement.setObject(i++, rule.id());
          SqlArrays.bindColumn(statement, i++, "text", REQUEUED_BY_BATCH, Enum::name);
          statement.setObject(i++, rule.tenantId());
          statement.setObject(i++, rule.id());
          statement.setObject(i++, rule.tenantId());
          statement.setObject(i++, rule.id());
          statement.setTimestamp(i++, now);
          statement.setTimestamp(i++, now);
          statement.setObject(i++, selection.jobId());
          statement.setBoolean(i++, selection.includeReplicas());
          statement.setTimestamp(i, now);
          long queued;
          try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            queued = rs.getLong(1);
          }
          if (queued > 0) {
            announce(statement.getConnection());
          }
          return queued;
        });
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
    List<String> restored =
        jdbc.prepareStatement(
            """
        WITH restored AS (
            UPDATE replication_tasks SET state = prior_state, prior_state = NULL, batch_job_id = NULL, include_replicas = false
             WHERE tenant_id = ? AND batch_job_id = ? AND state = 'PENDING' AND attempts = 0 AND prior_state IS NOT NULL
            RETURNING state)
        SELECT DISTINCT state FROM restored""",
            statement -> {
              statement.setObject(1, tenantId);
              statement.setObject(2, jobId);
              List<String> states = new ArrayList<>();
              try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                  states.add(rows.getString(1));
                }
              }
              return states;
            });
    restored.forEach(
        state -> TaskState.PENDING.to(TaskState.valueOf(state), TaskState.Change.WITHDRAW));
    for (String sql :
        List.of(
            """
        DELETE FROM replication_tasks t USING rules r
         WHERE t.tenant_id = ? AND t.batch_job_id = ? AND t.state = 'PENDING' AND t.attempts = 0 AND t.prior_state IS NULL
           AND r.tenant_id = t.tenant_id AND r.id = t.rule_id AND t.source_last_modified < date_trunc('second', r.live_since)""",
            """
        UPDATE replication_tasks SET batch_job_id = NULL, include_replicas = false
         WHERE tenant_id = ? AND batch_job_id = ? AND state = 'PENDING' AND attempts = 0 AND prior_state IS NULL""")) {
      jdbc.prepareStatement(
          sql,
          statement -> {
            statement.setObject(1, tenantId);
            statement.setObject(2, jobId);
            return statement.executeUpdate();
          });
    }
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
    String sql =
        "WITH failed AS (SELECT "
            + TaskRecord.COLUMNS
            + " FROM replication_tasks t WHERE t.tenant_id = ? AND t.rule_id = ? AND t.state = ?"
            + (keys != null ? " AND t.source_key = ANY (?)" : "")
            + (failureReason != null ? " AND t.failure_reason = ?" : "")
            + " FOR UPDATE) UPDATE replication_tasks u SET state = ?, attempts = 0, failure_reason = NULL,"
            + " not_before = ?, completed_at = NULL, batch_job_id = NULL FROM failed"
            + " WHERE u.tenant_id = failed.tenant_id AND u.id = failed.id RETURNING failed.*";
    return jdbc.prepareStatement(
        sql,
        statement -> {
          int i = 1;
          statement.setObject(i++, tenantId);
          statement.setObject(i++, ruleId);
          statement.setString(i++, from.name());
          if (keys != null) {
            SqlArrays.bind(statement, i++, "text", keys);
          }
          if (failureReason != null) {
            statement.setString(i++, failureReason);
          }
          statement.setString(i++, to.name());
          statement.setTimestamp(i, Timestamp.from(clock.instant()));
          List<TaskRecord> requeued = new ArrayList<>();
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              requeued.add(TaskRecord.read(rows));
            }
          }
          if (!requeued.isEmpty()) {
            listeners.forEach(listener -> listener.requeued(requeued));
            announce(statement.getConnection());
          }
          return requeued.size();
        });
  }

  /**
   * Makes the pending versions of a rule that wait out a backoff after failed attempts (of these
   * {@code keys}, or all) due now, and returns how many: a user who fixed the cause need not wait
   * for the next attempt. Attempts so far are kept, so a new failure backs off as before.
   */
  @Transactional
  public int hurryBackingOff(UUID tenantId, UUID ruleId, @Nullable List<String> keys) {
    Timestamp now = Timestamp.from(clock.instant());
    return jdbc.prepareStatement(
        "UPDATE replication_tasks SET not_before = ? WHERE tenant_id = ? AND rule_id = ?"
            + " AND state = 'PENDING' AND attempts > 0 AND not_before > ?"
            + (keys != null ? " AND source_key = ANY (?)" : ""),
        statement -> {
          statement.setTimestamp(1, now);
          statement.setObject(2, tenantId);
          statement.setObject(3, ruleId);
          statement.setTimestamp(4, now);
          if (keys != null) {
            SqlArrays.bind(statement, 5, "text", keys);
          }
          int hurried = statement.executeUpdate();
          if (hurried > 0) {
            announce(statement.getConnection());
          }
          return hurried;
        });
  }

  /**
   * Tells the workers listening on {@link #QUEUED_CHANNEL}, once the transaction commits, that
   * tasks were queued.
   */
  private static void announce(Connection connection) throws SQLException {
    Notifications.send(connection, QUEUED_CHANNEL);
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
    return jdbc.prepareStatement(
        """
        UPDATE replication_tasks t SET threshold_missed_at = ?
          FROM rules r
         WHERE r.tenant_id = t.tenant_id AND r.id = t.rule_id AND r.replication_time_enabled
           AND t.state IN ('PENDING', 'RUNNING') AND t.batch_job_id IS NULL AND t.threshold_missed_at IS NULL
           AND t.source_last_modified < ?::timestamptz - r.replication_time_minutes * interval '1 minute'
           AND t.tenant_id = ANY (?)
        RETURNING %s"""
            .formatted(TaskRecord.COLUMNS),
        statement -> {
          Timestamp now = Timestamp.from(clock.instant());
          statement.setTimestamp(1, now);
          statement.setTimestamp(2, now);
          SqlArrays.bind(statement, 3, "uuid", tenants);
          return records(statement);
        });
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
    List<String> stale =
        jdbc.prepareStatement(
            """
        SELECT s.relname
          FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
         WHERE s.relid IN ('replication_tasks'::regclass, 'replication_history'::regclass, 'rules'::regclass)
           AND s.n_mod_since_analyze > CASE WHEN c.reltuples < 0 THEN 0
               ELSE greatest(CASE WHEN s.relname = 'rules' THEN 0 ELSE 1000 END, c.reltuples) END
         ORDER BY s.relname""",
            statement -> {
              List<String> tables = new ArrayList<>();
              try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                  tables.add(rs.getString(1));
                }
              }
              return tables;
            });
    for (String table : stale) {
      // one of the three names above, never input
      jdbc.prepareStatement("ANALYZE " + table, PreparedStatement::execute);
    }
    return !stale.isEmpty();
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
        jdbc.prepareStatement(
            """
        WITH pruned AS (
            DELETE FROM replication_tasks t
             WHERE (t.tenant_id, t.id) IN (
                   SELECT c.tenant_id, c.id FROM replication_tasks c
                    WHERE c.state IN ('COMPLETED', 'SKIPPED') AND c.completed_at < ?
                      AND NOT EXISTS (SELECT 1 FROM batch_jobs j
                                       WHERE j.tenant_id = c.tenant_id AND j.id = c.batch_job_id AND NOT j.results_recorded)
                    LIMIT ?
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
        SELECT %s FROM pruned t"""
                .formatted(TaskRecord.COLUMNS),
            statement -> {
              statement.setTimestamp(1, Timestamp.from(endedBefore));
              statement.setInt(2, limit);
              return records(statement);
            });
    if (!pruned.isEmpty()) {
      listeners.forEach(listener -> listener.pruned(pruned));
    }
    return pruned.size();
  }

  private static List<TaskRecord> records(PreparedStatement statement) throws SQLException {
    List<TaskRecord> records = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        records.add(TaskRecord.read(rows));
      }
    }
    return records;
  }

  /**
   * Remembers (or, with null, forgets) the destination multipart upload of a claimed task, so that
   * a later attempt can resume or abort it. False when the lease was lost.
   */
  @Transactional
  public boolean recordUpload(ReplicationTask task, String owner, String uploadId) {
    return jdbc.prepareStatement(
        """
        UPDATE replication_tasks SET multipart_upload_id = ?
         WHERE tenant_id = ? AND id = ? AND lease_owner = ? AND version = ? AND state = 'RUNNING'""",
        statement -> {
          statement.setString(1, uploadId);
          statement.setObject(2, task.tenantId());
          statement.setObject(3, task.id());
          statement.setString(4, owner);
          statement.setInt(5, task.version());
          return statement.executeUpdate() == 1;
        });
  }

  private static ReplicationTask task(ResultSet rows) throws SQLException {
    long size = rows.getLong(9);
    return new ReplicationTask(
        rows.getObject(1, UUID.class),
        rows.getObject(2, UUID.class),
        rows.getObject(3, UUID.class),
        rows.getObject(4, UUID.class),
        rows.getString(5),
        rows.getString(6),
        rows.getString(7),
        rows.getBoolean(8),
        rows.wasNull() ? null : size,
        rows.getString(10),
        rows.getTimestamp(11).toInstant(),
        rows.getInt(12),
        rows.getInt(13),
        rows.getString(14),
        rows.getObject(15, UUID.class),
        rows.getBoolean(16),
        rows.getBoolean(17));
  }
}
