package dev.replicator.batch;

import static dev.replicator.platform.persistence.Columns.instant;

import dev.replicator.platform.database.Notifications;
import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
import dev.replicator.replication.TaskQueue;
import dev.replicator.rule.Rule;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionDefinition.Propagation;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * Batch jobs in PostgreSQL: the job rows and their checkpoints. Their tasks are the queue's: this
 * store tells it what a job selects ({@link TaskQueue#enqueueBatch}) or withdraws ({@link
 * TaskQueue#withdraw}), in the transaction that moves the job on, and reads them through the {@code
 * batch_tasks} view; {@code batch_jobs_with_live_counts} adds a running job's counts.
 */
@Singleton
public class BatchJobStore {

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

  private final Jdbi jdbi;
  private final TaskQueue queue;
  private final Clock clock;

  public BatchJobStore(Jdbi jdbi, TaskQueue queue, Clock clock) {
    this.jdbi = jdbi;
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
    BatchJob.Filter filter = job.filter();
    BatchJob.Manifest manifest = job.manifest();
    BatchJob.Report report = job.report();
    jdbi.useHandle(
        handle -> {
          handle
              .createUpdate(
                  """
                  INSERT INTO batch_jobs (tenant_id, id, rule_id, description, status, replication_statuses,
                      created_after, created_before, prefix, destinations, manifest_source, manifest_trust_id,
                      manifest_bucket, manifest_key, manifest_version_id, report_trust_id, report_bucket,
                      report_prefix, report_scope, created_at, created_by)
                  VALUES (:tenantId, :id, :ruleId, :description, :status, :replicationStatuses,
                      :createdAfter, :createdBefore, :prefix, :destinations, :manifestSource, :manifestTrustId,
                      :manifestBucket, :manifestKey, :manifestVersionId, :reportTrustId, :reportBucket,
                      :reportPrefix, :reportScope, :createdAt, :createdBy)""")
              .bind("tenantId", tenantId)
              .bind("id", job.id())
              .bind("ruleId", job.ruleId())
              .bindByType("description", job.description(), String.class)
              .bind("status", job.status().name())
              .bindByType(
                  "replicationStatuses",
                  filter == null
                      ? null
                      : filter.replicationStatuses().stream()
                          .map(Enum::name)
                          .toArray(String[]::new),
                  String[].class)
              .bindByType(
                  "createdAfter", filter == null ? null : filter.createdAfter(), Instant.class)
              .bindByType(
                  "createdBefore", filter == null ? null : filter.createdBefore(), Instant.class)
              .bindByType("prefix", filter == null ? null : filter.prefix(), String.class)
              .bind("destinations", job.destinations().toArray(String[]::new))
              .bind("manifestSource", manifest.source().name())
              .bindByType("manifestTrustId", manifest.trustId(), UUID.class)
              .bindByType("manifestBucket", manifest.bucket(), String.class)
              .bindByType("manifestKey", manifest.key(), String.class)
              .bindByType("manifestVersionId", manifest.versionId(), String.class)
              .bindByType("reportTrustId", report == null ? null : report.trustId(), UUID.class)
              .bindByType("reportBucket", report == null ? null : report.bucket(), String.class)
              .bindByType("reportPrefix", report == null ? null : report.prefix(), String.class)
              .bindByType(
                  "reportScope", report == null ? null : report.scope().name(), String.class)
              .bind("createdAt", job.createdAt())
              .bindByType("createdBy", job.createdBy(), String.class)
              .execute();
          if (manifestCsv != null) {
            handle
                .createUpdate(
                    """
                    INSERT INTO batch_job_manifests (tenant_id, job_id, csv)
                    VALUES (:tenantId, :jobId, :csv)""")
                .bind("tenantId", tenantId)
                .bind("jobId", job.id())
                .bind("csv", manifestCsv)
                .execute();
          }
        });
    announceChange();
  }

  /** Wakes the schedulers of every process once this transaction commits. */
  private void announceChange() {
    Notifications.send(jdbi, CHANGED_CHANNEL);
  }

  @Transactional
  public Optional<BatchJob> find(UUID tenantId, UUID jobId) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    """
                    SELECT * FROM batch_jobs_with_live_counts WHERE tenant_id = :tenantId AND id = :jobId""")
                .bind("tenantId", tenantId)
                .bind("jobId", jobId)
                .map((row, context) -> job(row))
                .findOne());
  }

  /** Jobs newest first, optionally of one rule or in one status. */
  @Transactional
  public Page<BatchJob> list(
      UUID tenantId, @Nullable UUID ruleId, @Nullable BatchJobStatus status, PageRequest page) {
    List<BatchJob> jobs =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery(
                        """
                        SELECT * FROM batch_jobs_with_live_counts
                         WHERE tenant_id = :tenantId AND id < :before
                           AND (:ruleId::uuid IS NULL OR rule_id = :ruleId)
                           AND (:status::text IS NULL OR status = :status)
                         ORDER BY id DESC LIMIT :limit""")
                    .bind("tenantId", tenantId)
                    .bind("before", page.beforeOrFirst())
                    .bindByType("ruleId", ruleId, UUID.class)
                    .bindByType("status", status == null ? null : status.name(), String.class)
                    .bind("limit", page.fetchSize())
                    .map((row, context) -> job(row))
                    .list());
    return Page.of(jobs, page, BatchJob::id, j -> j);
  }

  /** Leases the preparation of one job that no live scheduler is preparing. */
  @Transactional
  public Optional<Preparation> claimPreparation(String owner, Duration lease) {
    Instant now = clock.instant();
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    """
                    UPDATE batch_jobs j
                       SET lease_owner = :owner, lease_until = :leaseUntil, started_at = coalesce(j.started_at, :now)
                     WHERE (j.tenant_id, j.id) IN (
                           SELECT p.tenant_id, p.id FROM batch_jobs p
                            WHERE p.status = 'PREPARING' AND (p.lease_until IS NULL OR p.lease_until < :now)
                            ORDER BY p.created_at
                            LIMIT 1
                              FOR UPDATE SKIP LOCKED)
                    RETURNING j.tenant_id, j.id, j.rule_id, j.key_marker, j.version_id_marker, j.manifest_line""")
                .bind("owner", owner)
                .bind("leaseUntil", now.plus(lease))
                .bind("now", now)
                .map(
                    (row, context) ->
                        new Preparation(
                            row.getObject("tenant_id", UUID.class),
                            row.getObject("id", UUID.class),
                            row.getObject("rule_id", UUID.class),
                            row.getString("key_marker"),
                            row.getString("version_id_marker"),
                            row.getLong("manifest_line")))
                .findOne());
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
        jdbi.withHandle(
            handle ->
                handle
                        .createUpdate(
                            """
                            UPDATE batch_jobs
                               SET key_marker = :keyMarker, version_id_marker = :versionIdMarker,
                                   manifest_line = :manifestLine, lease_until = :leaseUntil
                             WHERE tenant_id = :tenantId AND id = :jobId AND lease_owner = :owner
                               AND status = 'PREPARING'""")
                        .bindByType("keyMarker", keyMarker, String.class)
                        .bindByType("versionIdMarker", versionIdMarker, String.class)
                        .bind("manifestLine", manifestLine)
                        .bind("leaseUntil", clock.instant().plus(lease))
                        .bind("tenantId", preparation.tenantId())
                        .bind("jobId", preparation.jobId())
                        .bind("owner", owner)
                        .execute()
                    == 1);
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
        jdbi.withHandle(
            handle ->
                handle
                        .createUpdate(
                            """
                            UPDATE batch_jobs
                               SET status = :status, status_detail = :detail, lease_owner = NULL, lease_until = NULL,
                                   completed_at = CASE WHEN :status = 'FAILED' THEN :now::timestamptz END
                             WHERE tenant_id = :tenantId AND id = :jobId AND lease_owner = :owner
                               AND status = 'PREPARING'""")
                        .bind("status", status.name())
                        .bindByType("detail", detail, String.class)
                        .bind("now", clock.instant())
                        .bind("tenantId", preparation.tenantId())
                        .bind("jobId", preparation.jobId())
                        .bind("owner", owner)
                        .execute()
                    == 1);
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
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    UPDATE batch_jobs SET status_detail = :detail, lease_owner = NULL, lease_until = :retryAt
                     WHERE tenant_id = :tenantId AND id = :jobId AND lease_owner = :owner
                       AND status = 'PREPARING'""")
                .bind("detail", detail)
                .bind("retryAt", clock.instant().plus(retryAfter))
                .bind("tenantId", preparation.tenantId())
                .bind("jobId", preparation.jobId())
                .bind("owner", owner)
                .execute());
  }

  @Transactional
  public Optional<String> manifestCsv(UUID tenantId, UUID jobId) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    "SELECT csv FROM batch_job_manifests WHERE tenant_id = :tenantId AND job_id = :jobId")
                .bind("tenantId", tenantId)
                .bind("jobId", jobId)
                .mapTo(String.class)
                .findOne());
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
        jdbi.withHandle(
            handle ->
                handle
                        .createUpdate(
                            """
                            UPDATE batch_jobs
                               SET status = 'CANCELLED', completed_at = :now, lease_owner = NULL, lease_until = NULL,
                                   status_detail = 'Cancelled; tasks that had started were allowed to finish.'
                             WHERE tenant_id = :tenantId AND id = :jobId AND status IN ('PREPARING', 'RUNNING')""")
                        .bind("now", clock.instant())
                        .bind("tenantId", tenantId)
                        .bind("jobId", jobId)
                        .execute()
                    == 1);
    if (cancelled) {
      queue.withdraw(tenantId, jobId);
    }
    return cancelled;
  }

  /** Marks RUNNING jobs whose every task has ended as COMPLETED. */
  @Transactional
  public int completeFinished() {
    return jdbi.withHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    UPDATE batch_jobs j SET status = 'COMPLETED', completed_at = :now
                     WHERE j.status = 'RUNNING'
                       AND NOT EXISTS (SELECT 1 FROM batch_tasks t
                                        WHERE t.tenant_id = j.tenant_id AND t.batch_job_id = j.id AND t.open)""")
                .bind("now", clock.instant())
                .execute());
  }

  /**
   * Keeps the outcome of every task of each ended job with no task left running, and freezes its
   * counts: the report and the counts no longer change when later jobs or retries touch the same
   * tasks.
   */
  @Transactional
  public int recordResults() {
    return jdbi.withHandle(
        handle -> {
          List<JobRef> ended =
              handle
                  .createQuery(
                      """
                      SELECT j.tenant_id, j.id FROM batch_jobs j
                       WHERE NOT j.results_recorded AND j.status IN ('COMPLETED', 'FAILED', 'CANCELLED')
                         AND NOT EXISTS (SELECT 1 FROM batch_tasks t
                                          WHERE t.tenant_id = j.tenant_id AND t.batch_job_id = j.id AND t.open)
                         FOR UPDATE SKIP LOCKED""")
                  .map(
                      (row, context) ->
                          new JobRef(
                              row.getObject("tenant_id", UUID.class),
                              row.getObject("id", UUID.class)))
                  .list();
          for (JobRef job : ended) {
            handle
                .createUpdate(
                    """
                    INSERT INTO batch_job_results (tenant_id, job_id, task_id, source_key, source_version_id,
                        destination_bucket, status, failure_reason)
                    SELECT t.tenant_id, t.batch_job_id, t.id, t.source_key, t.source_version_id, t.destination_bucket,
                           t.status, t.reason
                      FROM batch_tasks t WHERE t.tenant_id = :tenantId AND t.batch_job_id = :jobId
                    ON CONFLICT DO NOTHING""")
                .bind("tenantId", job.tenantId())
                .bind("jobId", job.jobId())
                .execute();
            handle
                .createUpdate(
                    """
                    UPDATE batch_jobs j
                       SET results_recorded = true,
                           report_due_at = CASE WHEN j.report_bucket IS NOT NULL THEN :now::timestamptz END,
                           total_objects = c.total, succeeded = c.succeeded, failed = c.failed, skipped = c.skipped
                      FROM (SELECT count(*) AS total, count(*) FILTER (WHERE status = 'COMPLETED') AS succeeded,
                                   count(*) FILTER (WHERE status = 'FAILED') AS failed,
                                   count(*) FILTER (WHERE status = 'SKIPPED') AS skipped
                              FROM batch_job_results WHERE tenant_id = :tenantId AND job_id = :jobId) c
                     WHERE j.tenant_id = :tenantId AND j.id = :jobId""")
                .bind("now", clock.instant())
                .bind("tenantId", job.tenantId())
                .bind("jobId", job.jobId())
                .execute();
          }
          return ended.size();
        });
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
            ? """
              SELECT task_id, source_key, source_version_id, destination_bucket, status, failure_reason
                FROM batch_job_results
               WHERE tenant_id = :tenantId AND job_id = :jobId AND task_id > :afterTask
                 AND (NOT :failedOnly OR status = 'FAILED')
               ORDER BY task_id LIMIT :limit"""
            : """
              SELECT id AS task_id, source_key, source_version_id, destination_bucket, status,
                     reason AS failure_reason
                FROM batch_tasks
               WHERE tenant_id = :tenantId AND batch_job_id = :jobId AND id > :afterTask
                 AND (NOT :failedOnly OR status = 'FAILED')
               ORDER BY id LIMIT :limit""";
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(sql)
                .bind("tenantId", tenantId)
                .bind("jobId", jobId)
                .bind("afterTask", afterTask)
                .bind("failedOnly", failedOnly)
                .bind("limit", limit)
                .map(
                    (row, context) ->
                        new ReportRow(
                            row.getObject("task_id", UUID.class),
                            row.getString("source_key"),
                            row.getString("source_version_id"),
                            row.getString("destination_bucket"),
                            row.getString("status"),
                            row.getString("failure_reason")))
                .list());
  }

  /** A finished job whose report is to be written to a bucket now. */
  public record DueReport(UUID tenantId, UUID jobId, int attempts) {}

  @Transactional
  public List<DueReport> dueReports() {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    """
                    SELECT tenant_id, id, report_attempts FROM batch_jobs
                     WHERE results_recorded AND report_location IS NULL AND report_due_at <= :now
                     ORDER BY report_due_at LIMIT 10""")
                .bind("now", clock.instant())
                .map(
                    (row, context) ->
                        new DueReport(
                            row.getObject("tenant_id", UUID.class),
                            row.getObject("id", UUID.class),
                            row.getInt("report_attempts")))
                .list());
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
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    UPDATE batch_jobs
                       SET report_location = :location, report_error = :error, report_due_at = :retryAt,
                           report_attempts = report_attempts + 1
                     WHERE tenant_id = :tenantId AND id = :jobId""")
                .bindByType("location", location, String.class)
                .bindByType("error", error, String.class)
                .bindByType("retryAt", retryAt, Instant.class)
                .bind("tenantId", report.tenantId())
                .bind("jobId", report.jobId())
                .execute());
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
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    "SELECT results_recorded FROM batch_jobs WHERE tenant_id = :tenantId AND id = :jobId")
                .bind("tenantId", tenantId)
                .bind("jobId", jobId)
                .mapTo(Boolean.class)
                .findOne()
                .orElse(false));
  }

  private static long count(ResultSet rs, boolean recorded, String frozen, String live)
      throws SQLException {
    return rs.getLong(recorded ? frozen : live);
  }
}
