package dev.replicator.notification;

import static dev.replicator.platform.persistence.Columns.instant;
import static dev.replicator.platform.persistence.Columns.nullableInt;
import static dev.replicator.platform.persistence.Columns.nullableLong;
import static dev.replicator.platform.persistence.Columns.timestamp;

import dev.replicator.platform.crypto.SealedSecret;
import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
import dev.replicator.platform.persistence.Columns;
import dev.replicator.platform.persistence.SqlArrays;
import dev.replicator.replication.QueueListener;
import dev.replicator.replication.TaskRecord;
import dev.replicator.replication.TaskState;
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

/**
 * Webhooks and their deliveries in PostgreSQL. Replication events are recorded as deliveries in the
 * transaction that records what causes them: the queue tells this store of the outcomes it records
 * ({@link #finished}), and of the live versions it marks as pending past their threshold ({@link
 * #recordMissedThresholds}), so that no event is lost or emitted twice.
 */
@Singleton
public class WebhookStore implements QueueListener {

  private static final String WEBHOOK =
      "id, url, description, events, rule_ids, enabled, last_attempt_at, last_attempt_ok, last_response_status,"
          + " last_error, failing_since, created_at, updated_at";
  private static final String DELIVERY =
      """
      d.tenant_id, d.id, d.webhook_id, d.event_name, d.rule_id, d.source_bucket, d.source_key, d.source_version_id, d.size,
      d.etag, d.destination_bucket, d.failure_reason, d.request_time, d.event_time, d.threshold_seconds,
      d.replication_seconds, d.status, d.attempts, d.next_attempt_at, d.response_status, d.last_error, d.delivered_at""";

  /** The tasks {@code d} the statements below are about (bound by {@link #bindTasks}). */
  private static final String TASKS =
      """
      unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[],
             ?::timestamptz[], ?::text[], ?::timestamptz[], ?::boolean[])
        AS d(tenant_id, id, rule_id, source_key, source_version_id, size, etag, destination_bucket, failure_reason,
             source_last_modified, state, completed_at, batch)""";

  /**
   * A delivery, to every enabled webhook that asks for it, of the event an outcome of {@code d}
   * causes, if any.
   */
  private static final String DELIVERIES_OF_OUTCOMES =
      """
      INSERT INTO webhook_deliveries (tenant_id, id, webhook_id, event_name, rule_id, task_id, source_bucket, source_key,
          source_version_id, size, etag, destination_bucket, failure_reason, request_time, event_time, threshold_seconds,
          replication_seconds, status, next_attempt_at)
      SELECT d.tenant_id, time_ordered_uuid(), w.id, e.name, d.rule_id, d.id, r.source_bucket, d.source_key,
             d.source_version_id, d.size, d.etag, d.destination_bucket, d.failure_reason, d.source_last_modified,
             d.completed_at, CASE WHEN r.replication_time_enabled THEN r.replication_time_minutes * 60 END,
             extract(epoch FROM (d.completed_at - d.source_last_modified))::bigint, 'PENDING', d.completed_at
        FROM %s
        JOIN rules r ON r.tenant_id = d.tenant_id AND r.id = d.rule_id
        CROSS JOIN LATERAL (SELECT CASE
               WHEN d.state = 'FAILED' THEN 'OperationFailedReplication'
               WHEN d.state = 'COMPLETED' AND NOT d.batch AND r.replication_time_enabled
                    AND d.completed_at - d.source_last_modified > r.replication_time_minutes * interval '1 minute'
               THEN 'OperationReplicatedAfterThreshold' END AS name) e
        JOIN webhooks w ON w.tenant_id = d.tenant_id AND w.enabled AND e.name = ANY (w.events)
                       AND (w.rule_ids IS NULL OR d.rule_id = ANY (w.rule_ids))"""
          .formatted(TASKS);

  /**
   * A delivery of {@code OperationMissedThreshold} for each task of {@code d}, to every webhook
   * that asks for it.
   */
  private static final String DELIVERIES_OF_MISSED_THRESHOLDS =
      """
      INSERT INTO webhook_deliveries (tenant_id, id, webhook_id, event_name, rule_id, task_id, source_bucket, source_key,
          source_version_id, size, etag, destination_bucket, request_time, event_time, threshold_seconds, status, next_attempt_at)
      SELECT d.tenant_id, time_ordered_uuid(), w.id, 'OperationMissedThreshold', d.rule_id, d.id, r.source_bucket, d.source_key,
             d.source_version_id, d.size, d.etag, d.destination_bucket, d.source_last_modified, ?, r.replication_time_minutes * 60,
             'PENDING', ?
        FROM %s
        JOIN rules r ON r.tenant_id = d.tenant_id AND r.id = d.rule_id
        JOIN webhooks w ON w.tenant_id = d.tenant_id AND w.enabled AND 'OperationMissedThreshold' = ANY (w.events)
                       AND (w.rule_ids IS NULL OR d.rule_id = ANY (w.rule_ids))"""
          .formatted(TASKS);

  private final JdbcOperations jdbc;
  private final Clock clock;

  public WebhookStore(JdbcOperations jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Transactional
  public void insert(UUID tenantId, Webhook webhook, SealedSecret secret) {
    jdbc.prepareStatement(
        """
        INSERT INTO webhooks (tenant_id, id, url, description, events, rule_ids, enabled, secret_master_key_id,
            secret_wrapped_key, secret_ciphertext, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        statement -> {
          statement.setObject(1, tenantId);
          statement.setObject(2, webhook.id());
          statement.setString(3, webhook.url());
          statement.setString(4, webhook.description());
          SqlArrays.bind(statement, 5, "text", webhook.events());
          statement.setArray(
              6,
              webhook.ruleIds() == null
                  ? null
                  : SqlArrays.of(statement, "uuid", webhook.ruleIds()));
          statement.setBoolean(7, webhook.enabled());
          statement.setString(8, secret.masterKeyId());
          statement.setBytes(9, secret.wrappedDataKey());
          statement.setBytes(10, secret.ciphertext());
          statement.setTimestamp(11, Timestamp.from(webhook.createdAt()));
          statement.setTimestamp(12, Timestamp.from(webhook.updatedAt()));
          return statement.executeUpdate();
        });
  }

  @Transactional
  public void update(UUID tenantId, Webhook webhook) {
    jdbc.prepareStatement(
        """
        UPDATE webhooks SET url = ?, description = ?, events = ?, rule_ids = ?, enabled = ?, updated_at = ?,
               last_attempt_at = CASE WHEN url = ? THEN last_attempt_at END,
               last_attempt_ok = CASE WHEN url = ? THEN last_attempt_ok END,
               last_response_status = CASE WHEN url = ? THEN last_response_status END,
               last_error = CASE WHEN url = ? THEN last_error END,
               failing_since = CASE WHEN url = ? THEN failing_since END
         WHERE tenant_id = ? AND id = ?""",
        statement -> {
          statement.setString(1, webhook.url());
          statement.setString(2, webhook.description());
          SqlArrays.bind(statement, 3, "text", webhook.events());
          statement.setArray(
              4,
              webhook.ruleIds() == null
                  ? null
                  : SqlArrays.of(statement, "uuid", webhook.ruleIds()));
          statement.setBoolean(5, webhook.enabled());
          statement.setTimestamp(6, Timestamp.from(webhook.updatedAt()));
          // a new URL is a new endpoint: how the old one answered says nothing of it
          for (int p = 7; p <= 11; p++) {
            statement.setString(p, webhook.url());
          }
          statement.setObject(12, tenantId);
          statement.setObject(13, webhook.id());
          return statement.executeUpdate();
        });
  }

  @Transactional
  public void replaceSecret(UUID tenantId, UUID webhookId, SealedSecret secret) {
    jdbc.prepareStatement(
        """
        UPDATE webhooks SET secret_master_key_id = ?, secret_wrapped_key = ?, secret_ciphertext = ?, updated_at = ?
         WHERE tenant_id = ? AND id = ?""",
        statement -> {
          statement.setString(1, secret.masterKeyId());
          statement.setBytes(2, secret.wrappedDataKey());
          statement.setBytes(3, secret.ciphertext());
          statement.setTimestamp(4, Timestamp.from(clock.instant()));
          statement.setObject(5, tenantId);
          statement.setObject(6, webhookId);
          return statement.executeUpdate();
        });
  }

  @Transactional
  public boolean delete(UUID tenantId, UUID webhookId) {
    return jdbc.prepareStatement(
        "DELETE FROM webhooks WHERE tenant_id = ? AND id = ?",
        statement -> {
          statement.setObject(1, tenantId);
          statement.setObject(2, webhookId);
          return statement.executeUpdate() == 1;
        });
  }

  @Transactional
  public Optional<Webhook> find(UUID tenantId, UUID webhookId) {
    return jdbc.prepareStatement(
        "SELECT " + WEBHOOK + " FROM webhooks WHERE tenant_id = ? AND id = ?",
        statement -> {
          statement.setObject(1, tenantId);
          statement.setObject(2, webhookId);
          try (ResultSet rs = statement.executeQuery()) {
            return rs.next() ? Optional.of(webhook(rs)) : Optional.empty();
          }
        });
  }

  @Transactional
  public Page<Webhook> list(UUID tenantId, PageRequest page) {
    List<Webhook> rows =
        jdbc.prepareStatement(
            "SELECT "
                + WEBHOOK
                + " FROM webhooks WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?",
            statement -> {
              statement.setObject(1, tenantId);
              statement.setObject(2, page.afterOrFirst());
              statement.setInt(3, page.fetchSize());
              List<Webhook> found = new ArrayList<>();
              try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                  found.add(webhook(rs));
                }
              }
              return found;
            });
    return Page.of(rows, page, Webhook::id, w -> w);
  }

  /** A webhook's deliveries, newest first, optionally in one status. */
  @Transactional
  public Page<WebhookDelivery> deliveries(
      UUID tenantId, UUID webhookId, @Nullable String status, PageRequest page) {
    String sql =
        "SELECT "
            + DELIVERY
            + " FROM webhook_deliveries d WHERE d.tenant_id = ? AND d.webhook_id = ? AND d.id < ?"
            + (status != null ? " AND d.status = ?" : "")
            + " ORDER BY d.id DESC LIMIT ?";
    List<Due> rows =
        jdbc.prepareStatement(
            sql,
            statement -> {
              int i = 1;
              statement.setObject(i++, tenantId);
              statement.setObject(i++, webhookId);
              statement.setObject(i++, page.beforeOrFirst());
              if (status != null) {
                statement.setString(i++, status);
              }
              statement.setInt(i, page.fetchSize());
              List<Due> found = new ArrayList<>();
              try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                  found.add(due(rs, null, null));
                }
              }
              return found;
            });
    return Page.of(rows, page, Due::id, Due::view);
  }

  /** Queues a test event for a webhook, delivered like any other. */
  @Transactional
  public UUID queueTest(UUID tenantId, UUID webhookId) {
    return jdbc.prepareStatement(
        """
        INSERT INTO webhook_deliveries (tenant_id, id, webhook_id, event_name, source_bucket, source_key, destination_bucket,
            request_time, event_time, status, next_attempt_at)
        VALUES (?, time_ordered_uuid(), ?, 'TestEvent', '', '', '', ?, ?, 'PENDING', ?)
        RETURNING id""",
        statement -> {
          Timestamp now = Timestamp.from(clock.instant());
          statement.setObject(1, tenantId);
          statement.setObject(2, webhookId);
          statement.setTimestamp(3, now);
          statement.setTimestamp(4, now);
          statement.setTimestamp(5, now);
          try (ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getObject(1, UUID.class);
          }
        });
  }

  /**
   * Records the events caused by outcomes the queue has just recorded, in its transaction: a
   * failure, or a live replication slower than its rule's replication time threshold.
   */
  @Override
  @Transactional(propagation = Propagation.MANDATORY)
  public void finished(List<TaskRecord> tasks) {
    List<TaskRecord> causes =
        tasks.stream()
            .filter(
                t ->
                    t.state() == TaskState.FAILED
                        || (t.state() == TaskState.COMPLETED && !t.batch()))
            .toList();
    if (!causes.isEmpty()) {
      jdbc.prepareStatement(
          DELIVERIES_OF_OUTCOMES,
          statement -> {
            bindTasks(statement, 1, causes);
            return statement.executeUpdate();
          });
    }
  }

  /**
   * Records {@code OperationMissedThreshold} for live tasks the queue has just marked late, in its
   * transaction.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public int recordMissedThresholds(List<TaskRecord> late) {
    if (late.isEmpty()) {
      return 0;
    }
    return jdbc.prepareStatement(
        DELIVERIES_OF_MISSED_THRESHOLDS,
        statement -> {
          Timestamp now = Timestamp.from(clock.instant());
          statement.setTimestamp(1, now);
          statement.setTimestamp(2, now);
          bindTasks(statement, 3, late);
          return statement.executeUpdate();
        });
  }

  /** The tenants with at least one enabled webhook. */
  @Transactional
  public List<UUID> tenantsWithEnabledWebhooks() {
    return jdbc.prepareStatement(
        "SELECT DISTINCT tenant_id FROM webhooks WHERE enabled",
        statement -> {
          List<UUID> tenants = new ArrayList<>();
          try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
              tenants.add(rs.getObject(1, UUID.class));
            }
          }
          return tenants;
        });
  }

  /** Binds the tasks {@code d} of the statements above, from parameter {@code first} on. */
  private static void bindTasks(PreparedStatement statement, int first, List<TaskRecord> tasks)
      throws SQLException {
    int i = first;
    SqlArrays.bindColumn(statement, i++, "uuid", tasks, TaskRecord::tenantId);
    SqlArrays.bindColumn(statement, i++, "uuid", tasks, TaskRecord::id);
    SqlArrays.bindColumn(statement, i++, "uuid", tasks, TaskRecord::ruleId);
    SqlArrays.bindColumn(statement, i++, "text", tasks, TaskRecord::sourceKey);
    SqlArrays.bindColumn(statement, i++, "text", tasks, TaskRecord::sourceVersionId);
    SqlArrays.bindColumn(statement, i++, "int8", tasks, TaskRecord::size);
    SqlArrays.bindColumn(statement, i++, "text", tasks, TaskRecord::sourceEtag);
    SqlArrays.bindColumn(statement, i++, "text", tasks, TaskRecord::destinationBucket);
    SqlArrays.bindColumn(statement, i++, "text", tasks, TaskRecord::failureReason);
    SqlArrays.bindColumn(
        statement, i++, "timestamptz", tasks, t -> Timestamp.from(t.sourceLastModified()));
    SqlArrays.bindColumn(statement, i++, "text", tasks, t -> t.state().name());
    SqlArrays.bindColumn(statement, i++, "timestamptz", tasks, t -> timestamp(t.completedAt()));
    SqlArrays.bindColumn(statement, i, "bool", tasks, TaskRecord::batch);
  }

  /** A delivery to attempt, with where to send it and the secret to sign it with. */
  public record Due(
      UUID tenantId,
      UUID id,
      UUID webhookId,
      String eventName,
      @Nullable UUID ruleId,
      String sourceBucket,
      String key,
      @Nullable String versionId,
      @Nullable Long size,
      @Nullable String etag,
      String destinationBucket,
      @Nullable String failureReason,
      Instant requestTime,
      Instant eventTime,
      @Nullable Long thresholdSeconds,
      @Nullable Long replicationSeconds,
      String status,
      int attempts,
      @Nullable Instant nextAttemptAt,
      @Nullable Integer responseStatus,
      @Nullable String lastError,
      @Nullable Instant deliveredAt,
      @Nullable String url,
      @Nullable SealedSecret secret) {

    WebhookDelivery view() {
      return new WebhookDelivery(
          id,
          eventName,
          ruleId,
          sourceBucket,
          key,
          versionId,
          destinationBucket,
          failureReason,
          eventTime,
          status,
          attempts,
          nextAttemptAt,
          responseStatus,
          lastError,
          deliveredAt);
    }
  }

  /**
   * Claims deliveries that are due, pushing their next attempt {@code lease} ahead so that another
   * scheduler does not send them meanwhile (a crashed sender's deliveries are sent again after it:
   * at least once, as S3 does).
   */
  @Transactional
  public List<Due> claimDue(int limit, Duration lease) {
    Instant now = clock.instant();
    return jdbc.prepareStatement(
        """
        UPDATE webhook_deliveries d SET next_attempt_at = ?
          FROM webhooks w
         WHERE w.tenant_id = d.tenant_id AND w.id = d.webhook_id
           AND (d.tenant_id, d.id) IN (SELECT c.tenant_id, c.id FROM webhook_deliveries c
                                        WHERE c.status = 'PENDING' AND c.next_attempt_at <= ?
                                        ORDER BY c.next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
        RETURNING %s, w.url, w.secret_master_key_id, w.secret_wrapped_key, w.secret_ciphertext"""
            .formatted(DELIVERY),
        statement -> {
          statement.setTimestamp(1, Timestamp.from(now.plus(lease)));
          statement.setTimestamp(2, Timestamp.from(now));
          statement.setInt(3, limit);
          List<Due> due = new ArrayList<>();
          try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
              due.add(
                  due(
                      rs,
                      rs.getString("url"),
                      new SealedSecret(
                          rs.getString("secret_master_key_id"),
                          rs.getBytes("secret_wrapped_key"),
                          rs.getBytes("secret_ciphertext"))));
            }
          }
          return due;
        });
  }

  /**
   * Records an attempt: delivered, or failed with a next attempt (null: given up, the delivery is
   * FAILED).
   */
  @Transactional
  public void attempted(
      Due delivery,
      boolean delivered,
      @Nullable Integer responseStatus,
      @Nullable String error,
      @Nullable Instant nextAttempt) {
    jdbc.prepareStatement(
        """
        UPDATE webhook_deliveries SET attempts = attempts + 1, response_status = ?, last_error = ?,
               status = CASE WHEN ? THEN 'DELIVERED' WHEN ?::timestamptz IS NULL THEN 'FAILED' ELSE 'PENDING' END,
               next_attempt_at = ?, delivered_at = CASE WHEN ? THEN ?::timestamptz END
         WHERE tenant_id = ? AND id = ?""",
        statement -> {
          if (responseStatus == null) {
            statement.setNull(1, java.sql.Types.INTEGER);
          } else {
            statement.setInt(1, responseStatus);
          }
          statement.setString(2, error);
          statement.setBoolean(3, delivered);
          statement.setTimestamp(4, timestamp(nextAttempt));
          statement.setTimestamp(5, timestamp(nextAttempt));
          statement.setBoolean(6, delivered);
          statement.setTimestamp(7, Timestamp.from(clock.instant()));
          statement.setObject(8, delivery.tenantId());
          statement.setObject(9, delivery.id());
          return statement.executeUpdate();
        });
    recordEndpointAnswer(delivery, delivered, responseStatus, error);
  }

  /**
   * Keeps how the webhook's URL answered, unless the URL changed since the delivery was claimed or
   * a later attempt was recorded already.
   */
  private void recordEndpointAnswer(
      Due delivery, boolean delivered, @Nullable Integer responseStatus, @Nullable String error) {
    Timestamp now = Timestamp.from(clock.instant());
    jdbc.prepareStatement(
        """
        UPDATE webhooks SET last_attempt_at = ?, last_attempt_ok = ?, last_response_status = ?, last_error = ?,
               failing_since = CASE WHEN ? THEN NULL ELSE coalesce(failing_since, ?) END
         WHERE tenant_id = ? AND id = ? AND url = ? AND (last_attempt_at IS NULL OR last_attempt_at <= ?)""",
        statement -> {
          statement.setTimestamp(1, now);
          statement.setBoolean(2, delivered);
          statement.setObject(3, responseStatus, java.sql.Types.INTEGER);
          statement.setString(4, delivered ? null : error);
          statement.setBoolean(5, delivered);
          statement.setTimestamp(6, now);
          statement.setObject(7, delivery.tenantId());
          statement.setObject(8, delivery.webhookId());
          statement.setString(9, delivery.url());
          statement.setTimestamp(10, now);
          return statement.executeUpdate();
        });
  }

  /** Deletes the history of deliveries that ended (delivered or given up) before {@code before}. */
  @Transactional
  public int pruneEnded(Instant before, int limit) {
    return jdbc.prepareStatement(
        """
        DELETE FROM webhook_deliveries WHERE (tenant_id, id) IN (
            SELECT tenant_id, id FROM webhook_deliveries WHERE status IN ('DELIVERED', 'FAILED') AND event_time < ? LIMIT ?)""",
        statement -> {
          statement.setTimestamp(1, Timestamp.from(before));
          statement.setInt(2, limit);
          return statement.executeUpdate();
        });
  }

  @Transactional
  public Optional<SealedSecret> secret(UUID tenantId, UUID webhookId) {
    return jdbc.prepareStatement(
        """
        SELECT secret_master_key_id, secret_wrapped_key, secret_ciphertext FROM webhooks WHERE tenant_id = ? AND id = ?""",
        statement -> {
          statement.setObject(1, tenantId);
          statement.setObject(2, webhookId);
          try (ResultSet rs = statement.executeQuery()) {
            return rs.next()
                ? Optional.of(new SealedSecret(rs.getString(1), rs.getBytes(2), rs.getBytes(3)))
                : Optional.empty();
          }
        });
  }

  private static Webhook webhook(ResultSet rs) throws SQLException {
    Array rules = rs.getArray("rule_ids");
    return new Webhook(
        rs.getObject("id", UUID.class),
        rs.getString("url"),
        rs.getString("description"),
        List.of((String[]) rs.getArray("events").getArray()),
        rules == null ? null : Arrays.asList((UUID[]) rules.getArray()),
        rs.getBoolean("enabled"),
        endpoint(rs),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant());
  }

  private static Webhook.Endpoint endpoint(ResultSet rs) throws SQLException {
    Timestamp lastAttempt = rs.getTimestamp("last_attempt_at");
    if (lastAttempt == null) {
      return Webhook.Endpoint.NO_ATTEMPTS;
    }
    return new Webhook.Endpoint(
        rs.getBoolean("last_attempt_ok")
            ? Webhook.Endpoint.State.HEALTHY
            : Webhook.Endpoint.State.FAILING,
        lastAttempt.toInstant(),
        Columns.nullableInt(rs, "last_response_status"),
        rs.getString("last_error"),
        Columns.instant(rs, "failing_since"));
  }

  private static Due due(ResultSet rs, @Nullable String url, @Nullable SealedSecret secret)
      throws SQLException {
    return new Due(
        rs.getObject("tenant_id", UUID.class),
        rs.getObject("id", UUID.class),
        rs.getObject("webhook_id", UUID.class),
        rs.getString("event_name"),
        rs.getObject("rule_id", UUID.class),
        rs.getString("source_bucket"),
        rs.getString("source_key"),
        rs.getString("source_version_id"),
        nullableLong(rs, "size"),
        rs.getString("etag"),
        rs.getString("destination_bucket"),
        rs.getString("failure_reason"),
        rs.getTimestamp("request_time").toInstant(),
        rs.getTimestamp("event_time").toInstant(),
        nullableLong(rs, "threshold_seconds"),
        nullableLong(rs, "replication_seconds"),
        rs.getString("status"),
        rs.getInt("attempts"),
        instant(rs, "next_attempt_at"),
        nullableInt(rs, "response_status"),
        rs.getString("last_error"),
        instant(rs, "delivered_at"),
        url,
        secret);
  }
}
