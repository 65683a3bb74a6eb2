package dev.replicator.batch;

import static dev.replicator.platform.persistence.Columns.instant;
import static dev.replicator.platform.persistence.Columns.timestamp;

import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
import dev.replicator.replication.SourceVersion;
import dev.replicator.rule.Rule;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionDefinition.Propagation;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Batch jobs in PostgreSQL: the job rows, their checkpoints, and the tasks they queue. */
@Singleton
public class BatchJobStore {

  private static final String COLUMNS = """
      j.tenant_id, j.id, j.rule_id, j.description, j.status, j.status_detail, j.replication_statuses, j.created_after,
      j.created_before, j.prefix, j.destinations, j.manifest_source, j.manifest_trust_id, j.manifest_bucket, j.manifest_key,
      j.manifest_version_id, j.report_trust_id, j.report_bucket, j.report_prefix, j.report_scope, j.report_location,
      j.report_error, j.results_recorded, j.total_objects, j.succeeded, j.failed, j.skipped, j.created_at, j.created_by,
      j.started_at, j.completed_at""";

  /** The task counts of a job still in progress, from the queue. */
  private static final String LIVE_COUNTS = """
      LEFT JOIN LATERAL (
          SELECT count(*) AS live_total, count(*) FILTER (WHERE t.state IN ('PENDING', 'RUNNING')) AS live_pending,
                 count(*) FILTER (WHERE t.state = 'COMPLETED') AS live_succeeded,
                 count(*) FILTER (WHERE t.state = 'FAILED') AS live_failed,
                 count(*) FILTER (WHERE t.state = 'SKIPPED') AS live_skipped
            FROM replication_tasks t
           WHERE NOT j.results_recorded AND t.tenant_id = j.tenant_id AND t.batch_job_id = j.id) c ON true""";

  /** The report's status and reason of a task row. */
  static final String REPORT_STATUS = "CASE WHEN t.state IN ('PENDING', 'RUNNING') THEN 'PENDING' ELSE t.state END";
  static final String REPORT_REASON = """
      CASE WHEN t.state = 'FAILED' THEN t.failure_reason WHEN t.state = 'SKIPPED' THEN t.outcome END""";

  /**
   * Queues a page of versions for a job: each version's status for the rule is worked out from its tasks, and for
   * those the job selects, every chosen destination gets a new task or its ended one queued again. Destinations
   * where the version is already queued are left to that task; tasks held by another running job stay with it.
   */
  private static final String QUEUE_PAGE = """
      WITH page AS (
          SELECT * FROM unnest(?::text[], ?::text[], ?::boolean[], ?::bigint[], ?::text[], ?::timestamptz[], ?::boolean[])
                     AS p(key, version_id, delete_marker, size, etag, last_modified, missing)),
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
             SET state = 'PENDING', prior_state = t.state, attempts = 0, not_before = ?, batch_job_id = ?, include_replicas = ?
            FROM target g
           WHERE t.tenant_id = ? AND t.rule_id = ? AND t.destination_trust_id = g.trust_id AND t.destination_bucket = g.bucket
             AND t.source_key = g.key AND t.source_version_id = g.version_id
             AND (t.state IN ('COMPLETED', 'FAILED') OR (t.state = 'SKIPPED' AND t.outcome = 'REPLICA'))
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
          SELECT ?, gen_random_uuid(), ?, g.trust_id, g.bucket, g.key, g.version_id, g.delete_marker, g.size, g.etag,
                 g.last_modified, 'BATCH', CASE WHEN g.missing THEN 'FAILED' ELSE 'PENDING' END, ?, ?, ?, ?,
                 CASE WHEN g.missing THEN 'SrcKeyNotFound' END,
                 CASE WHEN g.missing THEN 'The manifest names a version the source bucket does not have; '
                                          || 'check the key and version id, or remove the line.' END,
                 CASE WHEN g.missing THEN ?::timestamptz ELSE v.completed_at END,
                 v.state, v.outcome, v.destination_version_id
            FROM target g
            LEFT JOIN revived v ON v.destination_trust_id = g.trust_id AND v.destination_bucket = g.bucket
                               AND v.source_key = g.key AND v.source_version_id = g.version_id
          ON CONFLICT (tenant_id, rule_id, destination_trust_id, destination_bucket, source_key, source_version_id) DO NOTHING
          RETURNING 1)
      SELECT (SELECT count(*) FROM requeued) + (SELECT count(*) FROM inserted)""";

  private final JdbcOperations jdbc;
  private final Clock clock;

  public BatchJobStore(JdbcOperations jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** A version of a manifest or listing; {@code missing} when the manifest names a version the source lacks. */
  public record Candidate(SourceVersion version, boolean missing) {}

  /** A job whose preparation this scheduler holds the lease of, with the checkpoint to resume from. */
  public record Preparation(
      UUID tenantId, UUID jobId, UUID ruleId, @Nullable String keyMarker, @Nullable String versionIdMarker, long manifestLine) {}

  @Transactional(propagation = Propagation.MANDATORY)
  public void insert(UUID tenantId, BatchJob job, @Nullable String manifestCsv) {
    jdbc.prepareStatement("""
        INSERT INTO batch_jobs (tenant_id, id, rule_id, description, status, replication_statuses, created_after, created_before,
            prefix, destinations, manifest_source, manifest_trust_id, manifest_bucket, manifest_key, manifest_version_id,
            report_trust_id, report_bucket, report_prefix, report_scope, created_at, created_by)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", statement -> {
      BatchJob.Filter filter = job.filter();
      BatchJob.Manifest manifest = job.manifest();
      BatchJob.Report report = job.report();
      statement.setObject(1, tenantId);
      statement.setObject(2, job.id());
      statement.setObject(3, job.ruleId());
      statement.setString(4, job.description());
      statement.setString(5, job.status().name());
      statement.setArray(6, filter == null ? null : texts(statement, filter.replicationStatuses().stream().map(Enum::name).toList()));
      statement.setTimestamp(7, filter == null ? null : timestamp(filter.createdAfter()));
      statement.setTimestamp(8, filter == null ? null : timestamp(filter.createdBefore()));
      statement.setString(9, filter == null ? null : filter.prefix());
      statement.setArray(10, texts(statement, job.destinations()));
      statement.setString(11, manifest.source().name());
      statement.setObject(12, manifest.trustId());
      statement.setString(13, manifest.bucket());
      statement.setString(14, manifest.key());
      statement.setString(15, manifest.versionId());
      statement.setObject(16, report == null ? null : report.trustId());
      statement.setString(17, report == null ? null : report.bucket());
      statement.setString(18, report == null ? null : report.prefix());
      statement.setString(19, report == null ? null : report.scope().name());
      statement.setTimestamp(20, Timestamp.from(job.createdAt()));
      statement.setString(21, job.createdBy());
      return statement.executeUpdate();
    });
    if (manifestCsv != null) {
      jdbc.prepareStatement("INSERT INTO batch_job_manifests (tenant_id, job_id, csv) VALUES (?, ?, ?)", statement -> {
        statement.setObject(1, tenantId);
        statement.setObject(2, job.id());
        statement.setString(3, manifestCsv);
        return statement.executeUpdate();
      });
    }
  }

  @Transactional
  public Optional<BatchJob> find(UUID tenantId, UUID jobId) {
    return jdbc.prepareStatement("SELECT " + COLUMNS + ", c.* FROM batch_jobs j " + LIVE_COUNTS
        + " WHERE j.tenant_id = ? AND j.id = ?", statement -> {
          statement.setObject(1, tenantId);
          statement.setObject(2, jobId);
          try (ResultSet rs = statement.executeQuery()) {
            return rs.next() ? Optional.of(job(rs)) : Optional.empty();
          }
        });
  }

  /** Jobs newest first, optionally of one rule or in one status. */
  @Transactional
  public Page<BatchJob> list(UUID tenantId, @Nullable UUID ruleId, @Nullable BatchJobStatus status, PageRequest page) {
    String sql = "SELECT " + COLUMNS + ", c.* FROM batch_jobs j " + LIVE_COUNTS + " WHERE j.tenant_id = ? AND j.id < ?"
        + (ruleId != null ? " AND j.rule_id = ?" : "") + (status != null ? " AND j.status = ?" : "")
        + " ORDER BY j.id DESC LIMIT ?";
    List<BatchJob> jobs = jdbc.prepareStatement(sql, statement -> {
      int i = 1;
      statement.setObject(i++, tenantId);
      statement.setObject(i++, page.beforeOrFirst());
      if (ruleId != null) {
        statement.setObject(i++, ruleId);
      }
      if (status != null) {
        statement.setString(i++, status.name());
      }
      statement.setInt(i, page.fetchSize());
      List<BatchJob> found = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          found.add(job(rs));
        }
      }
      return found;
    });
    return Page.of(jobs, page, BatchJob::id, j -> j);
  }

  /** Leases the preparation of one job that no live scheduler is preparing. */
  @Transactional
  public Optional<Preparation> claimPreparation(String owner, Duration lease) {
    Instant now = clock.instant();
    return jdbc.prepareStatement("""
        UPDATE batch_jobs j SET lease_owner = ?, lease_until = ?, started_at = coalesce(j.started_at, ?)
         WHERE (j.tenant_id, j.id) IN (
               SELECT p.tenant_id, p.id FROM batch_jobs p
                WHERE p.status = 'PREPARING' AND (p.lease_until IS NULL OR p.lease_until < ?)
                ORDER BY p.created_at
                LIMIT 1
                  FOR UPDATE SKIP LOCKED)
        RETURNING j.tenant_id, j.id, j.rule_id, j.key_marker, j.version_id_marker, j.manifest_line""", statement -> {
      statement.setString(1, owner);
      statement.setTimestamp(2, Timestamp.from(now.plus(lease)));
      statement.setTimestamp(3, Timestamp.from(now));
      statement.setTimestamp(4, Timestamp.from(now));
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next()
            ? Optional.of(new Preparation(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                rs.getString(4), rs.getString(5), rs.getLong(6)))
            : Optional.empty();
      }
    });
  }

  /**
   * Queues one page of the job's versions and saves the checkpoint after it, together: a restart neither skips nor
   * repeats a page. False (and nothing written) when the lease was lost or the job was cancelled meanwhile.
   */
  @Transactional
  public boolean queuePage(Preparation preparation, String owner, BatchJob job, Rule rule, List<Candidate> candidates,
      @Nullable String keyMarker, @Nullable String versionIdMarker, long manifestLine, Duration lease) {
    boolean held = jdbc.prepareStatement("""
        UPDATE batch_jobs SET key_marker = ?, version_id_marker = ?, manifest_line = ?, lease_until = ?
         WHERE tenant_id = ? AND id = ? AND lease_owner = ? AND status = 'PREPARING'""", statement -> {
      statement.setString(1, keyMarker);
      statement.setString(2, versionIdMarker);
      statement.setLong(3, manifestLine);
      statement.setTimestamp(4, Timestamp.from(clock.instant().plus(lease)));
      statement.setObject(5, preparation.tenantId());
      statement.setObject(6, preparation.jobId());
      statement.setString(7, owner);
      return statement.executeUpdate() == 1;
    });
    if (held && !candidates.isEmpty()) {
      queue(job, rule, candidates);
    }
    return held;
  }

  private void queue(BatchJob job, Rule rule, List<Candidate> candidates) {
    List<Rule.Destination> destinations = rule.destinations().stream().filter(d -> job.destinations().contains(d.bucket())).toList();
    List<String> statuses = job.filter() == null
        ? List.of("NONE", "FAILED", "COMPLETED", "REPLICA")
        : job.filter().replicationStatuses().stream().map(Enum::name).toList();
    boolean includeReplicas = job.filter() == null || job.filter().includes(BatchJob.ReplicationStatus.REPLICA);
    int n = candidates.size();
    String[] keys = new String[n];
    String[] versionIds = new String[n];
    Boolean[] deleteMarkers = new Boolean[n];
    Long[] sizes = new Long[n];
    String[] etags = new String[n];
    Timestamp[] lastModified = new Timestamp[n];
    Boolean[] missing = new Boolean[n];
    for (int i = 0; i < n; i++) {
      SourceVersion version = candidates.get(i).version();
      keys[i] = version.key();
      versionIds[i] = version.versionId();
      deleteMarkers[i] = version.deleteMarker();
      sizes[i] = version.size();
      etags[i] = version.etag();
      lastModified[i] = Timestamp.from(version.lastModified());
      missing[i] = candidates.get(i).missing();
    }
    Timestamp now = Timestamp.from(clock.instant());
    jdbc.prepareStatement(QUEUE_PAGE, statement -> {
      var connection = statement.getConnection();
      int i = 1;
      statement.setArray(i++, connection.createArrayOf("text", keys));
      statement.setArray(i++, connection.createArrayOf("text", versionIds));
      statement.setArray(i++, connection.createArrayOf("bool", deleteMarkers));
      statement.setArray(i++, connection.createArrayOf("int8", sizes));
      statement.setArray(i++, connection.createArrayOf("text", etags));
      statement.setArray(i++, connection.createArrayOf("timestamptz", lastModified));
      statement.setArray(i++, connection.createArrayOf("bool", missing));
      statement.setObject(i++, rule.tenantId());
      statement.setObject(i++, rule.id());
      statement.setObject(i++, rule.tenantId());
      statement.setObject(i++, rule.id());
      statement.setArray(i++, connection.createArrayOf("uuid", destinations.stream().map(Rule.Destination::trustId).toArray()));
      statement.setArray(i++, connection.createArrayOf("text", destinations.stream().map(Rule.Destination::bucket).toArray()));
      statement.setArray(i++, connection.createArrayOf("text", statuses.toArray()));
      statement.setTimestamp(i++, now);
      statement.setObject(i++, job.id());
      statement.setBoolean(i++, includeReplicas);
      statement.setObject(i++, rule.tenantId());
      statement.setObject(i++, rule.id());
      statement.setObject(i++, rule.tenantId());
      statement.setObject(i++, rule.id());
      statement.setObject(i++, rule.tenantId());
      statement.setObject(i++, rule.id());
      statement.setTimestamp(i++, now);
      statement.setTimestamp(i++, now);
      statement.setObject(i++, job.id());
      statement.setBoolean(i++, includeReplicas);
      statement.setTimestamp(i, now);
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /** The manifest has been read completely: the job runs until its last task ends. */
  @Transactional
  public boolean prepared(Preparation preparation, String owner) {
    return endPreparation(preparation, owner, BatchJobStatus.RUNNING, null);
  }

  /** The manifest cannot be read: the job fails with a detail saying why; tasks already queued still run. */
  @Transactional
  public boolean failPreparation(Preparation preparation, String owner, String detail) {
    return endPreparation(preparation, owner, BatchJobStatus.FAILED, detail);
  }

  private boolean endPreparation(Preparation preparation, String owner, BatchJobStatus status, @Nullable String detail) {
    BatchJobStatus.PREPARING.to(status);
    return jdbc.prepareStatement("""
        UPDATE batch_jobs SET status = ?, status_detail = ?, lease_owner = NULL, lease_until = NULL,
               completed_at = CASE WHEN ? = 'FAILED' THEN ?::timestamptz END
         WHERE tenant_id = ? AND id = ? AND lease_owner = ? AND status = 'PREPARING'""", statement -> {
      statement.setString(1, status.name());
      statement.setString(2, detail);
      statement.setString(3, status.name());
      statement.setTimestamp(4, Timestamp.from(clock.instant()));
      statement.setObject(5, preparation.tenantId());
      statement.setObject(6, preparation.jobId());
      statement.setString(7, owner);
      return statement.executeUpdate() == 1;
    });
  }

  /** Gives a preparation back after a transient error, with a note the user sees; it is taken up again shortly. */
  @Transactional
  public void pausePreparation(Preparation preparation, String owner, String detail, Duration retryAfter) {
    jdbc.prepareStatement("""
        UPDATE batch_jobs SET status_detail = ?, lease_owner = NULL, lease_until = ?
         WHERE tenant_id = ? AND id = ? AND lease_owner = ? AND status = 'PREPARING'""", statement -> {
      statement.setString(1, detail);
      statement.setTimestamp(2, Timestamp.from(clock.instant().plus(retryAfter)));
      statement.setObject(3, preparation.tenantId());
      statement.setObject(4, preparation.jobId());
      statement.setString(5, owner);
      return statement.executeUpdate();
    });
  }

  @Transactional
  public Optional<String> manifestCsv(UUID tenantId, UUID jobId) {
    return jdbc.prepareStatement("SELECT csv FROM batch_job_manifests WHERE tenant_id = ? AND job_id = ?", statement -> {
      statement.setObject(1, tenantId);
      statement.setObject(2, jobId);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    });
  }

  /**
   * Cancels an active job. Tasks not yet started are withdrawn: those it queued again go back to what they were,
   * those it created are removed, except versions live replication covers, which stay queued as live tasks. Tasks
   * already started finish. False if the job had already ended.
   */
  @Transactional
  public boolean cancel(UUID tenantId, UUID jobId) {
    boolean cancelled = jdbc.prepareStatement("""
        UPDATE batch_jobs SET status = 'CANCELLED', completed_at = ?, lease_owner = NULL, lease_until = NULL,
               status_detail = 'Cancelled; tasks that had started were allowed to finish.'
         WHERE tenant_id = ? AND id = ? AND status IN ('PREPARING', 'RUNNING')""", statement -> {
      statement.setTimestamp(1, Timestamp.from(clock.instant()));
      statement.setObject(2, tenantId);
      statement.setObject(3, jobId);
      return statement.executeUpdate() == 1;
    });
    if (!cancelled) {
      return false;
    }
    for (String sql : List.of("""
        UPDATE replication_tasks SET state = prior_state, prior_state = NULL, batch_job_id = NULL, include_replicas = false
         WHERE tenant_id = ? AND batch_job_id = ? AND state = 'PENDING' AND attempts = 0 AND prior_state IS NOT NULL""", """
        DELETE FROM replication_tasks t USING rules r
         WHERE t.tenant_id = ? AND t.batch_job_id = ? AND t.state = 'PENDING' AND t.attempts = 0 AND t.prior_state IS NULL
           AND r.tenant_id = t.tenant_id AND r.id = t.rule_id AND t.source_last_modified < date_trunc('second', r.live_since)""", """
        UPDATE replication_tasks SET batch_job_id = NULL, include_replicas = false
         WHERE tenant_id = ? AND batch_job_id = ? AND state = 'PENDING' AND attempts = 0 AND prior_state IS NULL""")) {
      jdbc.prepareStatement(sql, statement -> {
        statement.setObject(1, tenantId);
        statement.setObject(2, jobId);
        return statement.executeUpdate();
      });
    }
    return true;
  }

  /** Marks RUNNING jobs whose every task has ended as COMPLETED. */
  @Transactional
  public int completeFinished() {
    return jdbc.prepareStatement("""
        UPDATE batch_jobs j SET status = 'COMPLETED', completed_at = ?
         WHERE j.status = 'RUNNING'
           AND NOT EXISTS (SELECT 1 FROM replication_tasks t
                            WHERE t.tenant_id = j.tenant_id AND t.batch_job_id = j.id AND t.state IN ('PENDING', 'RUNNING'))""",
        statement -> {
          statement.setTimestamp(1, Timestamp.from(clock.instant()));
          return statement.executeUpdate();
        });
  }

  /**
   * Keeps the outcome of every task of each ended job with no task left running, and freezes its counts: the
   * report and the counts no longer change when later jobs or retries touch the same tasks.
   */
  @Transactional
  public int recordResults() {
    List<JobRef> ended = jdbc.prepareStatement("""
        SELECT j.tenant_id, j.id FROM batch_jobs j
         WHERE NOT j.results_recorded AND j.status IN ('COMPLETED', 'FAILED', 'CANCELLED')
           AND NOT EXISTS (SELECT 1 FROM replication_tasks t
                            WHERE t.tenant_id = j.tenant_id AND t.batch_job_id = j.id AND t.state IN ('PENDING', 'RUNNING'))
           FOR UPDATE SKIP LOCKED""", statement -> {
      List<JobRef> found = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          found.add(new JobRef(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)));
        }
      }
      return found;
    });
    for (JobRef job : ended) {
      jdbc.prepareStatement("""
          INSERT INTO batch_job_results (tenant_id, job_id, task_id, source_key, source_version_id, destination_bucket, status, failure_reason)
          SELECT t.tenant_id, t.batch_job_id, t.id, t.source_key, t.source_version_id, t.destination_bucket, %s, %s
            FROM replication_tasks t WHERE t.tenant_id = ? AND t.batch_job_id = ?
          ON CONFLICT DO NOTHING""".formatted(REPORT_STATUS, REPORT_REASON), statement -> {
        statement.setObject(1, job.tenantId());
        statement.setObject(2, job.jobId());
        return statement.executeUpdate();
      });
      jdbc.prepareStatement("""
          UPDATE batch_jobs j SET results_recorded = true, report_due_at = CASE WHEN j.report_bucket IS NOT NULL THEN ?::timestamptz END,
                 total_objects = c.total, succeeded = c.succeeded, failed = c.failed, skipped = c.skipped
            FROM (SELECT count(*) AS total, count(*) FILTER (WHERE status = 'COMPLETED') AS succeeded,
                         count(*) FILTER (WHERE status = 'FAILED') AS failed, count(*) FILTER (WHERE status = 'SKIPPED') AS skipped
                    FROM batch_job_results WHERE tenant_id = ? AND job_id = ?) c
           WHERE j.tenant_id = ? AND j.id = ?""", statement -> {
        statement.setTimestamp(1, Timestamp.from(clock.instant()));
        statement.setObject(2, job.tenantId());
        statement.setObject(3, job.jobId());
        statement.setObject(4, job.tenantId());
        statement.setObject(5, job.jobId());
        return statement.executeUpdate();
      });
    }
    return ended.size();
  }

  private record JobRef(UUID tenantId, UUID jobId) {}

  /** One line of a completion report. */
  public record ReportRow(UUID taskId, String key, String versionId, String destinationBucket, String status, @Nullable String failureReason) {}

  /**
   * A chunk of a job's report after {@code afterTask}, in task order: from the recorded results once the job has
   * ended, from the queue while it runs.
   */
  @Transactional
  public List<ReportRow> reportRows(UUID tenantId, UUID jobId, boolean recorded, boolean failedOnly, UUID afterTask, int limit) {
    String sql = recorded
        ? "SELECT task_id, source_key, source_version_id, destination_bucket, status, failure_reason FROM batch_job_results t "
            + "WHERE tenant_id = ? AND job_id = ? AND task_id > ?" + (failedOnly ? " AND status = 'FAILED'" : "") + " ORDER BY task_id LIMIT ?"
        : "SELECT t.id, t.source_key, t.source_version_id, t.destination_bucket, " + REPORT_STATUS + ", " + REPORT_REASON
            + " FROM replication_tasks t WHERE t.tenant_id = ? AND t.batch_job_id = ? AND t.id > ?"
            + (failedOnly ? " AND t.state = 'FAILED'" : "") + " ORDER BY t.id LIMIT ?";
    return jdbc.prepareStatement(sql, statement -> {
      statement.setObject(1, tenantId);
      statement.setObject(2, jobId);
      statement.setObject(3, afterTask);
      statement.setInt(4, limit);
      List<ReportRow> rows = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          rows.add(new ReportRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6)));
        }
      }
      return rows;
    });
  }

  /** A finished job whose report is to be written to a bucket now. */
  public record DueReport(UUID tenantId, UUID jobId, int attempts) {}

  @Transactional
  public List<DueReport> dueReports() {
    return jdbc.prepareStatement("""
        SELECT tenant_id, id, report_attempts FROM batch_jobs
         WHERE results_recorded AND report_location IS NULL AND report_due_at <= ? ORDER BY report_due_at LIMIT 10""", statement -> {
      statement.setTimestamp(1, Timestamp.from(clock.instant()));
      List<DueReport> due = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          due.add(new DueReport(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getInt(3)));
        }
      }
      return due;
    });
  }

  /** Records where the report was written, or why not and when to try again (never again with {@code null}). */
  @Transactional
  public void reportAttempted(DueReport report, @Nullable String location, @Nullable String error, @Nullable Instant retryAt) {
    jdbc.prepareStatement("""
        UPDATE batch_jobs SET report_location = ?, report_error = ?, report_due_at = ?, report_attempts = report_attempts + 1
         WHERE tenant_id = ? AND id = ?""", statement -> {
      statement.setString(1, location);
      statement.setString(2, error);
      statement.setTimestamp(3, timestamp(retryAt));
      statement.setObject(4, report.tenantId());
      statement.setObject(5, report.jobId());
      return statement.executeUpdate();
    });
  }

  private static BatchJob job(ResultSet rs) throws SQLException {
    boolean recorded = rs.getBoolean("results_recorded");
    Array statuses = rs.getArray("replication_statuses");
    BatchJob.Filter filter = statuses == null ? null : new BatchJob.Filter(
        Arrays.stream((String[]) statuses.getArray()).map(BatchJob.ReplicationStatus::valueOf).toList(),
        instant(rs, "created_after"), instant(rs, "created_before"), rs.getString("prefix"));
    String reportBucket = rs.getString("report_bucket");
    BatchJob.Report report = reportBucket == null ? null : new BatchJob.Report(rs.getObject("report_trust_id", UUID.class),
        reportBucket, rs.getString("report_prefix"), BatchJob.ReportScope.valueOf(rs.getString("report_scope")));
    return new BatchJob(rs.getObject("id", UUID.class), rs.getObject("rule_id", UUID.class), rs.getString("description"),
        BatchJobStatus.valueOf(rs.getString("status")), rs.getString("status_detail"), filter,
        List.of((String[]) rs.getArray("destinations").getArray()),
        new BatchJob.Manifest(BatchJob.ManifestSource.valueOf(rs.getString("manifest_source")),
            rs.getObject("manifest_trust_id", UUID.class), rs.getString("manifest_bucket"), rs.getString("manifest_key"),
            rs.getString("manifest_version_id")),
        report, rs.getString("report_location"), rs.getString("report_error"),
        count(rs, recorded, "total_objects", "live_total"), recorded ? 0 : rs.getLong("live_pending"),
        count(rs, recorded, "succeeded", "live_succeeded"), count(rs, recorded, "failed", "live_failed"),
        count(rs, recorded, "skipped", "live_skipped"),
        rs.getTimestamp("created_at").toInstant(), rs.getString("created_by"), instant(rs, "started_at"), instant(rs, "completed_at"));
  }

  /** Whether the job's results have been recorded (the report then comes from them). */
  @Transactional
  public boolean resultsRecorded(UUID tenantId, UUID jobId) {
    return jdbc.prepareStatement("SELECT results_recorded FROM batch_jobs WHERE tenant_id = ? AND id = ?", statement -> {
      statement.setObject(1, tenantId);
      statement.setObject(2, jobId);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    });
  }

  private static long count(ResultSet rs, boolean recorded, String frozen, String live) throws SQLException {
    return rs.getLong(recorded ? frozen : live);
  }

  private static Array texts(PreparedStatement statement, List<String> values) throws SQLException {
    return statement.getConnection().createArrayOf("text", values.toArray());
  }

}
