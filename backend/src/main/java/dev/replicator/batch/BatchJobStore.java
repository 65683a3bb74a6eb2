package dev.replicator.batch;

import static dev.replicator.platform.persistence.Columns.instant;
import static dev.replicator.platform.persistence.Columns.timestamp;
import static dev.replicator.replication.TaskQueue.BATCH_TASKS;

import dev.replicator.platform.database.Notifications;
import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
import dev.replicator.platform.persistence.SqlArrays;
import dev.replicator.replication.TaskQueue;
import dev.replicator.rule.Rule;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionDefinition.Propagation;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.Array;
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
import java.util.stream.Collectors;

/**
 * Batch jobs in PostgreSQL: the job rows and their checkpoints. Their tasks are the queue's: this
 * store tells it what a job selects ({@link TaskQueue#enqueueBatch}) or withdraws ({@link
 * TaskQueue#withdraw}), in the transaction that moves the job on, and reads them through {@link
 * TaskQueue#BATCH_TASKS}.
 */
@Singleton
public class BatchJobStore {

  private static final String COLUMNS =
      """
      j.tenant_id, j.id, j.rule_id, j.description, j.status, j.status_detail, j.replication_statuses, j.created_after,
      j.created_before, j.prefix, j.destinations, j.manifest_source, j.manifest_trust_id, j.manifest_bucket, j.manifest_key,
      j.manifest_version_id, j.report_trust_id, j.report_bucket, j.report_prefix, j.report_scope, j.report_location,
      j.report_error, j.results_recorded, j.total_objects, j.succeeded, j.failed, j.skipped, j.created_at, j.created_by,
      j.started_at, j.completed_at""";

  /** The task counts of a job still in progress, from the queue. */
  private static final String LIVE_COUNTS =
      """
      LEFT JOIN LATERAL (
          SELECT count(*) AS live_total, count(*) FILTER (WHERE t.open) AS live_pending,
                 count(*) FILTER (WHERE t.status = 'COMPLETED') AS live_succeeded,
                 count(*) FILTER (WHERE t.status = 'FAILED') AS live_failed,
                 count(*) FILTER (WHERE t.status = 'SKIPPED') AS live_skipped
            FROM %s t
           WHERE NOT j.results_recorded AND t.tenant_id = j.tenant_id AND t.batch_job_id = j.id) c ON true"""
          .formatted(BATCH_TASKS);

  /**
   * The channel a transaction {@linkplain Notifications#send sends} on when a job was created (for
   * the preparer) or prepared (for the monitor, to complete a job with nothing to copy).
   */
  static final String CHANGED_CHANNEL = "batch_jobs_changed";

  /**
   * The channel a worker's transaction sends on when it ended tasks of a batch job: only the
   * monitor listens, since a backfill ends tasks many times a second and the preparer has nothing
   * to do then.
   */
  static final String TASKS_ENDED_CHANNEL = "batch_tasks_ended";

  private final JdbcOperations jdbc;
  private final TaskQueue queue;
  private final Clock clock;

  public BatchJobStore(JdbcOperations jdbc, TaskQueue queue, Clock clock) {
    this.jdbc = jdbc;
    this.queue = queue;
    this.clock = clock;
  }

  /**
   * A job whose preparation this scheduler holds the lease of, with the checkpoint to resume from.
   */
  public record Preparation(
      UUID tenantId,
      UUID jobId,
      UUID ruleId,
      @Nullable String keyMarker,
      @Nullable String versionIdMarker,
      long manifestLine) {}

  @Transactional(propagation = Propagation.MANDATORY)
  public void insert(UUID tenantId, BatchJob job, @Nullable String manifestCsv) {
    jdbc.prepareStatement(
        """
        INSERT INTO batch_jobs (tenant_id, id, rule_id, description, status, replication_statuses, created_after, created_before,
            prefix, destinations, manifest_source, manifest_trust_id, manifest_bucket, manifest_key, manifest_version_id,
            report_trust_id, report_bucket, report_prefix, report_scope, created_at, created_by)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        statement -> {
          BatchJob.Filter filter = job.filter();
          BatchJob.Manifest manifest = job.manifest();
          BatchJob.Report report = job.report();
          statement.setObject(1, tenantId);
          statement.setObject(2, job.id());
          statement.setObject(3, job.ruleId());
          statement.setString(4, job.description());
          statement.setString(5, job.status().name());
          statement.setArray(
              6,
              filter == null
                  ? null
                  : SqlArrays.of(
                      statement,
                      "text",
                      filter.replicationStatuses().stream().map(Enum::name).toList()));
          statement.setTimestamp(7, filter == null ? null : timestamp(filter.createdAfter()));
          statement.setTimestamp(8, filter == null ? null : timestamp(filter.createdBefore()));
          statement.setString(9, filter == null ? null : filter.prefix());
          statement.setArray(10, SqlArrays.of(statement, "text", job.destinations()));
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
      jdbc.prepareStatement(
          "INSERT INTO batch_job_manifests (tenant_id, job_id, csv) VALUES (?, ?, ?)",
          statement -> {
            statement.setObject(1, tenantId);
            statement.setObject(2, job.id());
            statement.setString(3, manifestCsv);
            return statement.executeUpdate();
          });
    }
    announceChange();
  }

  /** Wakes the schedulers of every process once this transaction commits. */
  private void announceChange() {
    Notifications.send(jdbc, CHANGED_CHANNEL);
  }

  @Transactional
  public Optional<BatchJob> find(UUID tenantId, UUID jobId) {
    return jdbc.prepareStatement(
        "SELECT "
            + COLUMNS
            + ", c.* FROM batch_jobs j "
            + LIVE_COUNTS
            + " WHERE j.tenant_id = ? AND j.id = ?",
        statement -> {
          statement.setObject(1, tenantId);
          statement.setObject(2, jobId);
          try (ResultSet rs = statement.executeQuery()) {
            return rs.next() ? Optional.of(job(rs)) : Optional.empty();
          }
        });
  }

  /** Jobs newest first, optionally of one rule or in one status. */
  @Transactional
  public Page<BatchJob> list(
      UUID tenantId, @Nullable UUID ruleId, @Nullable BatchJobStatus status, PageRequest page) {
    String sql =
        "SELECT "
            + COLUMNS
            + ", c.* FROM batch_jobs j "
            + LIVE_COUNTS
            + " WHERE j.tenant_id = ? AND j.id < ?"
            + (ruleId != null ? " AND j.rule_id = ?" : "")
            + (status != null ? " AND j.status = ?" : "")
            + " ORDER BY j.id DESC LIMIT ?";
    List<BatchJob> jobs =
        jdbc.prepareStatement(
            sql,
            statement -> {
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
    return jdbc.prepareStatement(
        """
        UPDATE batch_jobs j SET lease_owner = ?, lease_until = ?, started_at = coalesce(j.started_at, ?)
         WHERE (j.tenant_id, j.id) IN (
               SELECT p.tenant_id, p.id FROM batch_jobs p
                WHERE p.status = 'PREPARING' AND (p.lease_until IS NULL OR p.lease_until < ?)
                ORDER BY p.created_at
                LIMIT 1
                  FOR UPDATE SKIP LOCKED)
        RETURNING j.tenant_id, j.id, j.rule_id, j.key_marker, j.version_id_marker, j.manifest_line""",
        statement -> {
          statement.setString(1, owner);
          statement.setTimestamp(2, Timestamp.from(now.plus(lease)));
          statement.setTimestamp(3, Timestamp.from(now));
          statement.setTimestamp(4, Timestamp.from(now));
          try (ResultSet rs = statement.executeQuery()) {
            return rs.next()
                ? Optional.of(
                    new Preparation(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getObject(3, UUID.class),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getLong(6)))
                : Optional.empty();
          }
        });
  }

  /**
   * Queues one page of the job's versions and saves the checkpoint after it, together: a restart
   * neither skips nor repeats a page. False (and nothing written) when the lease was lost or the
   * job was cancelled meanwhile.
   */
  @Transactional
  public boolean queuePage(
      Preparation preparation,
      String owner,
      BatchJob job,
      Rule rule,
      List<TaskQueue.BatchVersion> versions,
      @Nullable String keyMarker,
      @Nullable String versionIdMarker,
      long manifestLine,
      Duration lease) {
    boolean held =
        jdbc.prepareStatement(
            """
        UPDATE batch_jobs SET key_marker = ?, version_id_marker = ?, manifest_line = ?, lease_until = ?
         WHERE tenant_id = ? AND id = ? AND lease_owner = ? AND status = 'PREPARING'""",
            statement -> {
              statement.setString(1, keyMarker);
              statement.setString(2, versionIdMarker);
              statement.setLong(3, manifestLine);
              statement.setTimestamp(4, Timestamp.from(clock.instant().plus(lease)));
              statement.setObject(5, preparation.tenantId());
              statement.setObject(6, preparation.jobId());
              statement.setString(7, owner);
              return statement.executeUpdate() == 1;
            });
    if (held) {
      queue.enqueueBatch(selection(job, rule), versions);
    }
    return held;
  }

  /**
   * What the job queues: the destinations it names, the versions its filter's statuses select (all
   * without one).
   */
  private static TaskQueue.BatchSelection selection(BatchJob job, Rule rule) {
    List<Rule.Destination> destinations =
        rule.destinations().stream().filter(d -> job.destinations().contains(d.bucket())).toList();
    List<BatchJob.ReplicationStatus> statuses =
        job.filter() == null
            ? List.of(BatchJob.ReplicationStatus.values())
            : job.filter().replicationStatuses();
    return new TaskQueue.BatchSelection(
        job.id(),
        rule,
        destinations,
        statuses.stream()
            .map(s -> TaskQueue.VersionStatus.valueOf(s.name()))
            .collect(Collectors.toUnmodifiableSet()),
        statuses.contains(BatchJob.ReplicationStatus.REPLICA));
  }

  /** The manifest has been read completely: the job runs until its last task ends. */
  @Transactional
  public boolean prepared(Preparation preparation, String owner) {
    return endPreparation(preparation, owner, BatchJobStatus.RUNNING, null);
  }

  /**
   * The manifest cannot be read: the job fails with a detail saying why; tasks already queued still
   * run.
   */
  @Transactional
  public boolean failPreparation(Preparation preparation, String owner, String detail) {
    return endPreparation(preparation, owner, BatchJobStatus.FAILED, detail);
  }

  private boolean endPreparation(
      Preparation preparation, String owner, BatchJobStatus status, @Nullable String detail) {
    BatchJobStatus.PREPARING.to(status);
    boolean ended =
        jdbc.prepareStatement(
            """
        UPDATE batch_jobs SET status = ?, status_detail = ?, lease_owner = NULL, lease_until = NULL,
               completed_at = CASE WHEN ? = 'FAILED' THEN ?::timestamptz END
         WHERE tenant_id = ? AND id = ? AND lease_owner = ? AND status = 'PREPARING'""",
            statement -> {
              statement.setString(1, status.name());
              statement.setString(2, detail);
              statement.setString(3, status.name());
              statement.setTimestamp(4, Timestamp.from(clock.instant()));
              statement.setObject(5, preparation.tenantId());
              statement.setObject(6, preparation.jobId());
              statement.setString(7, owner);
              return statement.executeUpdate() == 1;
            });
    if (ended) {
      announceChange();
    }
    return ended;
  }

  /**
   * Gives a preparation back after a transient error, with a note the user sees; it is taken up
   * again shortly.
   */
  @Transactional
  public void pausePreparation(
      Preparation preparation, String owner, String detail, Duration retryAfter) {
    jdbc.prepareStatement(
        """
        UPDATE batch_jobs SET status_detail = ?, lease_owner = NULL, lease_until = ?
         WHERE tenant_id = ? AND id = ? AND lease_owner = ? AND status = 'PREPARING'""",
        statement -> {
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
    return jdbc.prepareStatement(
        "SELECT csv FROM batch_job_manifests WHERE tenant_id = ? AND job_id = ?",
        statement -> {
          statement.setObject(1, tenantId);
          statement.setObject(2, jobId);
          try (ResultSet rs = statement.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
          }
        });
  }

  /**
   * Cancels an active job, and withdraws its tasks not yet started from the queue ({@link
   * TaskQueue#withdraw}): those it queued again go back to what they were, those it created are
   * removed, except versions live replication covers, which stay queued as live tasks. Tasks
   * already started finish. False if the job had already ended.
   */
  @Transactional
  public boolean cancel(UUID tenantId, UUID jobId) {
    boolean cancelled =
        jdbc.prepareStatement(
            """
        UPDATE batch_jobs SET status = 'CANCELLED', completed_at = ?, lease_owner = NULL, lease_until = NULL,
               status_detail = 'Cancelled; tasks that had started were allowed to finish.'
         WHERE tenant_id = ? AND id = ? AND status IN ('PREPARING', 'RUNNING')""",
            statement -> {
              statement.setTimestamp(1, Timestamp.from(clock.instant()));
              statement.setObject(2, tenantId);
              statement.setObject(3, jobId);
              return statement.executeUpdate() == 1;
            });
    if (cancelled) {
      queue.withdraw(tenantId, jobId);
    }
    return cancelled;
  }

  /** Marks RUNNING jobs whose every task has ended as COMPLETED. */
  @Transactional
  public int completeFinished() {
    return jdbc.prepareStatement(
        """
        UPDATE batch_jobs j SET status = 'COMPLETED', completed_at = ?
         WHERE j.status = 'RUNNING'
           AND NOT EXISTS (SELECT 1 FROM %s t WHERE t.tenant_id = j.tenant_id AND t.batch_job_id = j.id AND t.open)"""
            .formatted(BATCH_TASKS),
        statement -> {
          statement.setTimestamp(1, Timestamp.from(clock.instant()));
          return statement.executeUpdate();
        });
  }

  /**
   * Keeps the outcome of every task of each ended job with no task left running, and freezes its
   * counts: the report and the counts no longer change when later jobs or retries touch the same
   * tasks.
   */
  @Transactional
  public int recordResults() {
    List<JobRef> ended =
        jdbc.prepareStatement(
            """
        SELECT j.tenant_id, j.id FROM batch_jobs j
         WHERE NOT j.results_recorded AND j.status IN ('COMPLETED', 'FAILED', 'CANCELLED')
           AND NOT EXISTS (SELECT 1 FROM %s t WHERE t.tenant_id = j.tenant_id AND t.batch_job_id = j.id AND t.open)
           FOR UPDATE SKIP LOCKED"""
                .formatted(BATCH_TASKS),
            statement -> {
              List<JobRef> found = new ArrayList<>();
              try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                  found.add(new JobRef(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)));
                }
              }
              return found;
            });
    for (JobRef job : ended) {
      jdbc.prepareStatement(
          """
          INSERT INTO batch_job_results (tenant_id, job_id, task_id, source_key, source_version_id, destination_bucket, status, failure_reason)
          SELECT t.tenant_id, t.batch_job_id, t.id, t.source_key, t.source_version_id, t.destination_bucket, t.status, t.reason
            FROM %s t WHERE t.tenant_id = ? AND t.batch_job_id = ?
          ON CONFLICT DO NOTHING"""
              .formatted(BATCH_TASKS),
          statement -> {
            statement.setObject(1, job.tenantId());
            statement.setObject(2, job.jobId());
            return statement.executeUpdate();
          });
      jdbc.prepareStatement(
          """
          UPDATE batch_jobs j SET results_recorded = true, report_due_at = CASE WHEN j.report_bucket IS NOT NULL THEN ?::timestamptz END,
                 total_objects = c.total, succeeded = c.succeeded, failed = c.failed, skipped = c.skipped
            FROM (SELECT count(*) AS total, count(*) FILTER (WHERE status = 'COMPLETED') AS succeeded,
                         count(*) FILTER (WHERE status = 'FAILED') AS failed, count(*) FILTER (WHERE status = 'SKIPPED') AS skipped
                    FROM batch_job_results WHERE tenant_id = ? AND job_id = ?) c
           WHERE j.tenant_id = ? AND j.id = ?""",
          statement -> {
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
  public record ReportRow(
      UUID taskId,
      String key,
      String versionId,
      String destinationBucket,
      String status,
      @Nullable String failureReason) {}

  /**
   * A chunk of a job's report after {@code afterTask}, in task order: from the recorded results
   * once the job has ended, from the queue while it runs.
   */
  @Transactional
  public List<ReportRow> reportRows(
      UUID tenantId, UUID jobId, boolean recorded, boolean failedOnly, UUID afterTask, int limit) {
    String sql =
        recorded
            ? "SELECT task_id, source_key, source_version_id, destination_bucket, status, failure_reason FROM batch_job_results t "
                + "WHERE tenant_id = ? AND job_id = ? AND task_id > ?"
                + (failedOnly ? " AND status = 'FAILED'" : "")
                + " ORDER BY task_id LIMIT ?"
            : "SELECT t.id, t.source_key, t.source_version_id, t.destination_bucket, t.status, t.reason FROM "
                + BATCH_TASKS
                + " t WHERE t.tenant_id = ? AND t.batch_job_id = ? AND t.id > ?"
                + (failedOnly ? " AND t.status = 'FAILED'" : "")
                + " ORDER BY t.id LIMIT ?";
    return jdbc.prepareStatement(
        sql,
        statement -> {
          statement.setObject(1, tenantId);
          statement.setObject(2, jobId);
          statement.setObject(3, afterTask);
          statement.setInt(4, limit);
          List<ReportRow> rows = new ArrayList<>();
          try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
              rows.add(
                  new ReportRow(
                      rs.getObject(1, UUID.class),
                      rs.getString(2),
                      rs.getString(3),
                      rs.getString(4),
                      rs.getString(5),
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
    return jdbc.prepareStatement(
        """
        SELECT tenant_id, id, report_attempts FROM batch_jobs
         WHERE results_recorded AND report_location IS NULL AND report_due_at <= ? ORDER BY report_due_at LIMIT 10""",
        statement -> {
          statement.setTimestamp(1, Timestamp.from(clock.instant()));
          List<DueReport> due = new ArrayList<>();
          try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
              due.add(
                  new DueReport(
                      rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getInt(3)));
            }
          }
          return due;
        });
  }

  /**
   * Records where the report was written, or why not and when to try again (never again with {@code
   * null}).
   */
  @Transactional
  public void reportAttempted(
      DueReport report,
      @Nullable String location,
      @Nullable String error,
      @Nullable Instant retryAt) {
    jdbc.prepareStatement(
        """
        UPDATE batch_jobs SET report_location = ?, report_error = ?, report_due_at = ?, report_attempts = report_attempts + 1
         WHERE tenant_id = ? AND id = ?""",
        statement -> {
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
    BatchJob.Filter filter =
        statuses == null
            ? null
            : new BatchJob.Filter(
                Arrays.stream((String[]) statuses.getArray())
                    .map(BatchJob.ReplicationStatus::valueOf)
                    .toList(),
                instant(rs, "created_after"),
                instant(rs, "created_before"),
                rs.getString("prefix"));
    String reportBucket = rs.getString("report_bucket");
    BatchJob.Report report =
        reportBucket == null
            ? null
            : new BatchJob.Report(
                rs.getObject("report_trust_id", UUID.class),
                reportBucket,
                rs.getString("report_prefix"),
                BatchJob.ReportScope.valueOf(rs.getString("report_scope")));
    return new BatchJob(
        rs.getObject("id", UUID.class),
        rs.getObject("rule_id", UUID.class),
        rs.getString("description"),
        BatchJobStatus.valueOf(rs.getString("status")),
        rs.getString("status_detail"),
        filter,
        List.of((String[]) rs.getArray("destinations").getArray()),
        new BatchJob.Manifest(
            BatchJob.ManifestSource.valueOf(rs.getString("manifest_source")),
            rs.getObject("manifest_trust_id", UUID.class),
            rs.getString("manifest_bucket"),
            rs.getString("manifest_key"),
            rs.getString("manifest_version_id")),
        report,
        rs.getString("report_location"),
        rs.getString("report_error"),
        count(rs, recorded, "total_objects", "live_total"),
        recorded ? 0 : rs.getLong("live_pending"),
        count(rs, recorded, "succeeded", "live_succeeded"),
        count(rs, recorded, "failed", "live_failed"),
        count(rs, recorded, "skipped", "live_skipped"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getString("created_by"),
        instant(rs, "started_at"),
        instant(rs, "completed_at"));
  }

  /** Whether the job's results have been recorded (the report then comes from them). */
  @Transactional
  public boolean resultsRecorded(UUID tenantId, UUID jobId) {
    return jdbc.prepareStatement(
        "SELECT results_recorded FROM batch_jobs WHERE tenant_id = ? AND id = ?",
        statement -> {
          statement.setObject(1, tenantId);
          statement.setObject(2, jobId);
          try (ResultSet rs = statement.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
          }
        });
  }

  private static long count(ResultSet rs, boolean recorded, String frozen, String live)
      throws SQLException {
    return rs.getLong(recorded ? frozen : live);
  }
}
