package dev.replicator.replication;

import dev.replicator.metrics.MetricBuckets;
import dev.replicator.platform.roles.SchedulerRole;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves tasks that ended (replicated or skipped) more than the retention ago out of the queue: each into the
 * compact history, which keeps the version's status answerable and stops it from being queued again, and its
 * contribution to the metrics into per-minute buckets — in the same statement, so nothing is lost or counted twice.
 * Failed tasks stay (they are listed and retried from the queue), as do the tasks of a batch job whose results are
 * not yet recorded.
 */
@SchedulerRole
@Singleton
public class QueuePruner {

  private static final Logger LOG = LoggerFactory.getLogger(QueuePruner.class);
  private static final String LATENCY = "extract(epoch FROM (p.completed_at - p.source_last_modified))";

  private final JdbcOperations jdbc;
  private final Clock clock;
  private final HousekeepingSettings settings;

  public QueuePruner(JdbcOperations jdbc, Clock clock, HousekeepingSettings settings) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.settings = settings;
  }

  @Scheduled(fixedDelay = "${replicator.housekeeping.tick:1m}", initialDelay = "${replicator.housekeeping.tick:1m}")
  void tick() {
    try {
      int moved;
      int total = 0;
      do {
        moved = pruneOnce();
        total += moved;
      } while (moved == settings.batchSize());
      if (total > 0) {
        LOG.info("Moved {} ended tasks from the queue to the history", total);
      }
    } catch (RuntimeException e) {
      LOG.warn("Pruning the task queue failed; trying again at the next tick: {}", e.getMessage());
    }
  }

  /** Moves up to one batch of ended tasks; returns how many. */
  @Transactional
  public int pruneOnce() {
    return jdbc.prepareStatement("""
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
                   detail = excluded.detail),
        buckets AS (
            %2$s
            SELECT p.tenant_id, p.rule_id, p.destination_trust_id, p.destination_bucket, 60, date_trunc('minute', p.completed_at),
                   count(*), coalesce(sum(p.size), 0),
                   count(*) FILTER (WHERE p.batch_job_id IS NULL AND %1$s > r.replication_time_minutes * 60),
                   coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY %1$s) FILTER (WHERE p.batch_job_id IS NULL), 0)
              FROM pruned p JOIN rules r ON r.tenant_id = p.tenant_id AND r.id = p.rule_id
             WHERE p.state = 'COMPLETED'
             GROUP BY p.tenant_id, p.rule_id, p.destination_trust_id, p.destination_bucket, date_trunc('minute', p.completed_at)
            %3$s)
        SELECT count(*) FROM pruned""".formatted(LATENCY, MetricBuckets.INSERT, MetricBuckets.ADD_TO_EXISTING), statement -> {
      statement.setTimestamp(1, Timestamp.from(clock.instant().minus(settings.retention())));
      statement.setInt(2, settings.batchSize());
      try (ResultSet rs = statement.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    });
  }
}
