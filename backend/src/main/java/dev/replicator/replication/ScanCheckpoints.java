package dev.replicator.replication;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The reconciliation scan's state per rule: when the next pass is due, and where the current pass
 * has got to. A pass is leased like a task, so two schedulers never scan one rule at once, and its
 * markers are saved with each page's tasks, so a restarted scheduler resumes where the last one
 * stopped.
 */
@Singleton
class ScanCheckpoints {

  private final JdbcOperations jdbc;
  private final Clock clock;

  ScanCheckpoints(JdbcOperations jdbc, Clock clock) {
    this.jdbc = jdbc;
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
    jdbc.prepareStatement(
        """
        INSERT INTO rule_scans (tenant_id, rule_id, next_scan_at)
        SELECT tenant_id, id, ? FROM rules WHERE scan_interval_seconds > 0
        ON CONFLICT DO NOTHING""",
        statement -> {
          statement.setTimestamp(1, Timestamp.from(clock.instant()));
          return statement.executeUpdate();
        });
  }

  @Transactional
  public Optional<Pass> claimDue(String owner, Duration lease) {
    Instant now = clock.instant();
    return jdbc.prepareStatement(
        """
        UPDATE rule_scans s SET lease_owner = ?, lease_until = ?, pass_started_at = coalesce(s.pass_started_at, ?)
         WHERE (s.tenant_id, s.rule_id) IN (
               SELECT d.tenant_id, d.rule_id FROM rule_scans d
                 JOIN rules r ON r.tenant_id = d.tenant_id AND r.id = d.rule_id
                WHERE r.status = 'ENABLED' AND r.scan_interval_seconds > 0 AND d.next_scan_at <= ?
                  AND (d.lease_until IS NULL OR d.lease_until < ?)
                ORDER BY d.next_scan_at
                LIMIT 1
                  FOR UPDATE OF d SKIP LOCKED)
        RETURNING s.tenant_id, s.rule_id, s.key_marker, s.version_id_marker""",
        statement -> {
          statement.setString(1, owner);
          statement.setTimestamp(2, Timestamp.from(now.plus(lease)));
          statement.setTimestamp(3, Timestamp.from(now));
          statement.setTimestamp(4, Timestamp.from(now));
          statement.setTimestamp(5, Timestamp.from(now));
          try (ResultSet rows = statement.executeQuery()) {
            return rows.next()
                ? Optional.of(
                    new Pass(
                        rows.getObject(1, UUID.class),
                        rows.getObject(2, UUID.class),
                        rows.getString(3),
                        rows.getString(4)))
                : Optional.empty();
          }
        });
  }

  /** Saves how far the pass got and extends its lease; false if the lease was lost. */
  @Transactional(propagation = io.micronaut.transaction.TransactionDefinition.Propagation.MANDATORY)
  public boolean advance(
      Pass pass,
      String owner,
      @Nullable String keyMarker,
      @Nullable String versionIdMarker,
      Duration lease) {
    return jdbc.prepareStatement(
        """
        UPDATE rule_scans SET key_marker = ?, version_id_marker = ?, lease_until = ?
         WHERE tenant_id = ? AND rule_id = ? AND lease_owner = ?""",
        statement -> {
          statement.setString(1, keyMarker);
          statement.setString(2, versionIdMarker);
          statement.setTimestamp(3, Timestamp.from(clock.instant().plus(lease)));
          statement.setObject(4, pass.tenantId());
          statement.setObject(5, pass.ruleId());
          statement.setString(6, owner);
          return statement.executeUpdate() == 1;
        });
  }

  /** Ends a pass (completed, or stopped by an error) and schedules the next one. */
  @Transactional
  public void finish(Pass pass, String owner, Duration untilNext, boolean completed) {
    jdbc.prepareStatement(
        """
        UPDATE rule_scans SET lease_owner = NULL, lease_until = NULL, next_scan_at = ?,
               key_marker = CASE WHEN ? THEN NULL ELSE key_marker END,
               version_id_marker = CASE WHEN ? THEN NULL ELSE version_id_marker END,
               pass_started_at = CASE WHEN ? THEN NULL ELSE pass_started_at END,
               last_completed_at = CASE WHEN ? THEN ? ELSE last_completed_at END
         WHERE tenant_id = ? AND rule_id = ? AND lease_owner = ?""",
        statement -> {
          Instant now = clock.instant();
          statement.setTimestamp(1, Timestamp.from(now.plus(untilNext)));
          statement.setBoolean(2, completed);
          statement.setBoolean(3, completed);
          statement.setBoolean(4, completed);
          statement.setBoolean(5, completed);
          statement.setTimestamp(6, Timestamp.from(now));
          statement.setObject(7, pass.tenantId());
          statement.setObject(8, pass.ruleId());
          statement.setString(9, owner);
          return statement.executeUpdate();
        });
  }

  /** Asks for a pass of a rule as soon as possible, e.g. after it was enabled again. */
  @Transactional
  public void dueNow(UUID tenantId, UUID ruleId) {
    jdbc.prepareStatement(
        "UPDATE rule_scans SET next_scan_at = ? WHERE tenant_id = ? AND rule_id = ?",
        statement -> {
          statement.setTimestamp(1, Timestamp.from(clock.instant()));
          statement.setObject(2, tenantId);
          statement.setObject(3, ruleId);
          return statement.executeUpdate();
        });
  }
}
