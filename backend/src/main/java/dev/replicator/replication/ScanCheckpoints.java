package dev.replicator.replication;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionDefinition.Propagation;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The reconciliation scan's state per rule: when the next pass is due, and where the current pass
 * has got to. A pass is leased like a task, so two schedulers never scan one rule at once, and its
 * markers are saved with each page's tasks, so a restarted scheduler resumes where the last one
 * stopped.
 */
@Singleton
class ScanCheckpoints {

  private final Jdbi jdbi;
  private final Clock clock;

  ScanCheckpoints(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /**
   * A leased scan pass of one rule, with the markers to continue from (both null at the start of a
   * pass).
   */
  record Pass(
      UUID tenantId, UUID ruleId, @Nullable String keyMarker, @Nullable String versionIdMarker) {}

  /** Creates scan state for rules that scan and do not have it yet. */
  @Transactional
  public void register() {
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    INSERT INTO rule_scans (tenant_id, rule_id, next_scan_at)
                    SELECT tenant_id, id, :now FROM rules WHERE scan_interval_seconds > 0
                    ON CONFLICT DO NOTHING""")
                .bind("now", clock.instant())
                .execute());
  }

  @Transactional
  public Optional<Pass> claimDue(String owner, Duration lease) {
    Instant now = clock.instant();
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    """
                    UPDATE rule_scans s
                       SET lease_owner = :owner, lease_until = :leaseUntil,
                           pass_started_at = coalesce(s.pass_started_at, :now)
                     WHERE (s.tenant_id, s.rule_id) IN (
                           SELECT d.tenant_id, d.rule_id FROM rule_scans d
                             JOIN rules r ON r.tenant_id = d.tenant_id AND r.id = d.rule_id
                            WHERE r.status = 'ENABLED' AND r.scan_interval_seconds > 0 AND d.next_scan_at <= :now
                              AND (d.lease_until IS NULL OR d.lease_until < :now)
                            ORDER BY d.next_scan_at
                            LIMIT 1
                              FOR UPDATE OF d SKIP LOCKED)
                    RETURNING s.tenant_id, s.rule_id, s.key_marker, s.version_id_marker""")
                .bind("owner", owner)
                .bind("leaseUntil", now.plus(lease))
                .bind("now", now)
                .map(
                    (row, context) ->
                        new Pass(
                            row.getObject("tenant_id", UUID.class),
                            row.getObject("rule_id", UUID.class),
                            row.getString("key_marker"),
                            row.getString("version_id_marker")))
                .findOne());
  }

  /** Saves how far the pass got and extends its lease; false if the lease was lost. */
  @Transactional(propagation = Propagation.MANDATORY)
  public boolean advance(
      Pass pass,
      String owner,
      @Nullable String keyMarker,
      @Nullable String versionIdMarker,
      Duration lease) {
    return jdbi.withHandle(
        handle ->
            handle
                    .createUpdate(
                        """
                        UPDATE rule_scans
                           SET key_marker = :keyMarker, version_id_marker = :versionIdMarker,
                               lease_until = :leaseUntil
                         WHERE tenant_id = :tenantId AND rule_id = :ruleId AND lease_owner = :owner""")
                    .bind("keyMarker", keyMarker)
                    .bind("versionIdMarker", versionIdMarker)
                    .bind("leaseUntil", clock.instant().plus(lease))
                    .bind("tenantId", pass.tenantId())
                    .bind("ruleId", pass.ruleId())
                    .bind("owner", owner)
                    .execute()
                == 1);
  }

  /** Ends a pass (completed, or stopped by an error) and schedules the next one. */
  @Transactional
  public void finish(Pass pass, String owner, Duration untilNext, boolean completed) {
    Instant now = clock.instant();
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    UPDATE rule_scans
                       SET lease_owner = NULL, lease_until = NULL, next_scan_at = :nextScanAt,
                           key_marker = CASE WHEN :completed THEN NULL ELSE key_marker END,
                           version_id_marker = CASE WHEN :completed THEN NULL ELSE version_id_marker END,
                           pass_started_at = CASE WHEN :completed THEN NULL ELSE pass_started_at END,
                           last_completed_at = CASE WHEN :completed THEN :now ELSE last_completed_at END
                     WHERE tenant_id = :tenantId AND rule_id = :ruleId AND lease_owner = :owner""")
                .bind("nextScanAt", now.plus(untilNext))
                .bind("completed", completed)
                .bind("now", now)
                .bind("tenantId", pass.tenantId())
                .bind("ruleId", pass.ruleId())
                .bind("owner", owner)
                .execute());
  }

  /** Asks for a pass of a rule as soon as possible, e.g. after it was enabled again. */
  @Transactional
  public void dueNow(UUID tenantId, UUID ruleId) {
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    UPDATE rule_scans SET next_scan_at = :now
                     WHERE tenant_id = :tenantId AND rule_id = :ruleId""")
                .bind("now", clock.instant())
                .bind("tenantId", tenantId)
                .bind("ruleId", ruleId)
                .execute());
  }
}
