package dev.replicator.notification;

import static dev.replicator.platform.persistence.Columns.column;
import static dev.replicator.platform.persistence.Columns.instant;

import dev.replicator.platform.crypto.SealedSecret;
import dev.replicator.platform.paging.Page;
import dev.replicator.platform.paging.PageRequest;
import dev.replicator.replication.QueueListener;
import dev.replicator.replication.TaskRecord;
import dev.replicator.replication.TaskState;
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
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.Update;

/**
 * Webhooks and their deliveries in PostgreSQL. Replication events are recorded as deliveries in the
 * transaction that records what causes them: the queue tells this store of the outcomes it records
 * ({@link #finished}), and of the live versions it marks as pending past their threshold ({@link
 * #recordMissedThresholds}), so that no event is lost or emitted twice.
 */
@Singleton
public class WebhookStore implements QueueListener {

  private final Jdbi jdbi;
  private final Clock clock;

  public WebhookStore(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  @Transactional
  public void insert(UUID tenantId, Webhook webhook, SealedSecret secret) {
    jdbi.useHandle(
        handle ->
            settings(
                    handle.createUpdate(
                        """
                        INSERT INTO webhooks (tenant_id, id, url, description, events, rule_ids, enabled, secret_master_key_id,
                            secret_wrapped_key, secret_ciphertext, created_at, updated_at)
                        VALUES (:tenantId, :id, :url, :description, :events, :ruleIds, :enabled, :masterKeyId,
                                :wrappedKey, :ciphertext, :createdAt, :updatedAt)"""),
                    webhook)
                .bind("tenantId", tenantId)
                .bind("id", webhook.id())
                .bind("masterKeyId", secret.masterKeyId())
                .bind("wrappedKey", secret.wrappedDataKey())
                .bind("ciphertext", secret.ciphertext())
                .bind("createdAt", webhook.createdAt())
                .bind("updatedAt", webhook.updatedAt())
                .execute());
  }

  @Transactional
  public void update(UUID tenantId, Webhook webhook) {
    // a new URL is a new endpoint: how the old one answered says nothing of it
    jdbi.useHandle(
        handle ->
            settings(
                    handle.createUpdate(
                        """
                        UPDATE webhooks SET url = :url, description = :description, events = :events, rule_ids = :ruleIds,
                               enabled = :enabled, updated_at = :updatedAt,
                               last_attempt_at = CASE WHEN url = :url THEN last_attempt_at END,
                               last_attempt_ok = CASE WHEN url = :url THEN last_attempt_ok END,
                               last_response_status = CASE WHEN url = :url THEN last_response_status END,
                               last_error = CASE WHEN url = :url THEN last_error END,
                               failing_since = CASE WHEN url = :url THEN failing_since END
                         WHERE tenant_id = :tenantId AND id = :id"""),
                    webhook)
                .bind("updatedAt", webhook.updatedAt())
                .bind("tenantId", tenantId)
                .bind("id", webhook.id())
                .execute());
  }

  /** Binds what a webhook's owner sets: its URL, description, events, rules and whether enabled. */
  private static Update settings(Update statement, Webhook webhook) {
    return statement
        .bind("url", webhook.url())
        .bind("description", webhook.description())
        .bindArray("events", String.class, webhook.events())
        .bindArray("ruleIds", UUID.class, webhook.ruleIds())
        .bind("enabled", webhook.enabled());
  }

  @Transactional
  public void replaceSecret(UUID tenantId, UUID webhookId, SealedSecret secret) {
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    UPDATE webhooks SET secret_master_key_id = :masterKeyId, secret_wrapped_key = :wrappedKey,
                           secret_ciphertext = :ciphertext, updated_at = :updatedAt
                     WHERE tenant_id = :tenantId AND id = :id""")
                .bind("masterKeyId", secret.masterKeyId())
                .bind("wrappedKey", secret.wrappedDataKey())
                .bind("ciphertext", secret.ciphertext())
                .bind("updatedAt", clock.instant())
                .bind("tenantId", tenantId)
                .bind("id", webhookId)
                .execute());
  }

  @Transactional
  public boolean delete(UUID tenantId, UUID webhookId) {
    return jdbi.withHandle(
        handle ->
            handle
                    .createUpdate("DELETE FROM webhooks WHERE tenant_id = :tenantId AND id = :id")
                    .bind("tenantId", tenantId)
                    .bind("id", webhookId)
                    .execute()
                == 1);
  }

  @Transactional
  public Optional<Webhook> find(UUID tenantId, UUID webhookId) {
    return webhooks(tenantId, webhookId, null, 1).stream().findFirst();
  }

  @Transactional
  public Page<Webhook> list(UUID tenantId, PageRequest page) {
    return Page.of(
        webhooks(tenantId, null, page.afterOrFirst(), page.fetchSize()), page, Webhook::id, w -> w);
  }

  /** The tenant's webhooks in id order: the one with {@code id}, or those after {@code after}. */
  private List<Webhook> webhooks(
      UUID tenantId, @Nullable UUID id, @Nullable UUID after, int limit) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    """
                    SELECT id, url, description, events, rule_ids, enabled, last_attempt_at, last_attempt_ok,
                           last_response_status, last_error, failing_since, created_at, updated_at
                      FROM webhooks
                     WHERE tenant_id = :tenantId
                       AND (:id::uuid IS NULL OR id = :id)
                       AND (:after::uuid IS NULL OR id > :after)
                     ORDER BY id LIMIT :limit""")
                .bind("tenantId", tenantId)
                .bind("id", id)
                .bind("after", after)
                .bind("limit", limit)
                .map((row, context) -> webhook(row))
                .list());
  }

  /** A webhook's deliveries, newest first, optionally in one status. */
  @Transactional
  public Page<WebhookDelivery> deliveries(
      UUID tenantId, UUID webhookId, @Nullable String status, PageRequest page) {
    List<Due> rows =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery(
                        """
                        SELECT d.tenant_id, d.id, d.webhook_id, d.event_name, d.rule_id, d.source_bucket, d.source_key,
                               d.source_version_id, d.size, d.etag, d.destination_bucket, d.failure_reason, d.request_time,
                               d.event_time, d.threshold_seconds, d.replication_seconds, d.status, d.attempts,
                               d.next_attempt_at, d.response_status, d.last_error, d.delivered_at
                          FROM webhook_deliveries d
                         WHERE d.tenant_id = :tenantId AND d.webhook_id = :webhookId AND d.id < :before
                           AND (:status::text IS NULL OR d.status = :status)
                         ORDER BY d.id DESC LIMIT :limit""")
                    .bind("tenantId", tenantId)
                    .bind("webhookId", webhookId)
                    .bind("before", page.beforeOrFirst())
                    .bind("status", status)
                    .bind("limit", page.fetchSize())
                    .map((row, context) -> due(row, null, null))
                    .list());
    return Page.of(rows, page, Due::id, Due::view);
  }

  /** Queues a test event for a webhook, delivered like any other. */
  @Transactional
  public UUID queueTest(UUID tenantId, UUID webhookId) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    """
                    INSERT INTO webhook_deliveries (tenant_id, id, webhook_id, event_name, source_bucket, source_key,
                        destination_bucket, request_time, event_time, status, next_attempt_at)
                    VALUES (:tenantId, time_ordered_uuid(), :webhookId, 'TestEvent', '', '', '', :now, :now, 'PENDING',
                            :now)
                    RETURNING id""")
                .bind("tenantId", tenantId)
                .bind("webhookId", webhookId)
                .bind("now", clock.instant())
                .mapTo(UUID.class)
                .one());
  }

  /**
   * Records the events caused by outcomes the queue has just recorded, in its transaction: a
   * failure, or a live replication slower than its rule's replication time threshold. Each makes a
   * delivery, to every enabled webhook that asks for it, of the event its outcome causes, if any.
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
    if (causes.isEmpty()) {
      return;
    }
    jdbi.useHandle(
        handle ->
            bindTasks(
                    handle.createUpdate(
                        """
                        INSERT INTO webhook_deliveries (tenant_id, id, webhook_id, event_name, rule_id, task_id,
                            source_bucket, source_key, source_version_id, size, etag, destination_bucket, failure_reason,
                            request_time, event_time, threshold_seconds, replication_seconds, status, next_attempt_at)
                        SELECT d.tenant_id, time_ordered_uuid(), w.id, e.name, d.rule_id, d.id, r.source_bucket,
                               d.source_key, d.source_version_id, d.size, d.etag, d.destination_bucket, d.failure_reason,
                               d.source_last_modified, d.completed_at,
                               CASE WHEN r.replication_time_enabled THEN r.replication_time_minutes * 60 END,
                               replication_seconds(d.source_last_modified, d.completed_at)::bigint, 'PENDING',
                               d.completed_at
                          FROM unnest(:tenantIds::uuid[], :ids::uuid[], :ruleIds::uuid[], :sourceKeys::text[],
                                      :sourceVersionIds::text[], :sizes::bigint[], :etags::text[],
                                      :destinationBuckets::text[], :sourceLastModified::timestamptz[],
                                      :failureReasons::text[], :states::text[], :completedAt::timestamptz[],
                                      :batch::boolean[])
                            AS d(tenant_id, id, rule_id, source_key, source_version_id, size, etag, destination_bucket,
                                 source_last_modified, failure_reason, state, completed_at, batch)
                          JOIN rules r ON r.tenant_id = d.tenant_id AND r.id = d.rule_id
                         CROSS JOIN LATERAL (SELECT CASE
                                WHEN d.state = 'FAILED' THEN 'OperationFailedReplication'
                                WHEN d.state = 'COMPLETED' AND NOT d.batch AND r.replication_time_enabled
                                     AND replication_seconds(d.source_last_modified, d.completed_at)
                                         > r.replication_time_minutes * 60
                                THEN 'OperationReplicatedAfterThreshold' END AS name) e
                          JOIN webhooks w ON w.tenant_id = d.tenant_id AND w.enabled AND e.name = ANY (w.events)
                                         AND (w.rule_ids IS NULL OR d.rule_id = ANY (w.rule_ids))"""),
                    causes)
                .bindArray(
                    "failureReasons", String.class, column(causes, TaskRecord::failureReason))
                .bindArray("states", String.class, column(causes, t -> t.state().name()))
                .bindArray("completedAt", Instant.class, column(causes, TaskRecord::completedAt))
                .bindArray("batch", Boolean.class, column(causes, TaskRecord::batch))
                .execute());
  }

  /**
   * Records {@code OperationMissedThreshold} for live tasks the queue has just marked late, in its
   * transaction: a delivery for each task to every enabled webhook that asks for it.
   */
  @Transactional(propagation = Propagation.MANDATORY)
  public int recordMissedThresholds(List<TaskRecord> late) {
    if (late.isEmpty()) {
      return 0;
    }
    return jdbi.withHandle(
        handle ->
            bindTasks(
                    handle.createUpdate(
                        """
                        INSERT INTO webhook_deliveries (tenant_id, id, webhook_id, event_name, rule_id, task_id,
                            source_bucket, source_key, source_version_id, size, etag, destination_bucket, request_time,
                            event_time, threshold_seconds, status, next_attempt_at)
                        SELECT d.tenant_id, time_ordered_uuid(), w.id, 'OperationMissedThreshold', d.rule_id, d.id,
                               r.source_bucket, d.source_key, d.source_version_id, d.size, d.etag, d.destination_bucket,
                               d.source_last_modified, :now, r.replication_time_minutes * 60, 'PENDING', :now
                          FROM unnest(:tenantIds::uuid[], :ids::uuid[], :ruleIds::uuid[], :sourceKeys::text[],
                                      :sourceVersionIds::text[], :sizes::bigint[], :etags::text[],
                                      :destinationBuckets::text[], :sourceLastModified::timestamptz[])
                            AS d(tenant_id, id, rule_id, source_key, source_version_id, size, etag, destination_bucket,
                                 source_last_modified)
                          JOIN rules r ON r.tenant_id = d.tenant_id AND r.id = d.rule_id
                          JOIN webhooks w ON w.tenant_id = d.tenant_id AND w.enabled
                                         AND 'OperationMissedThreshold' = ANY (w.events)
                                         AND (w.rule_ids IS NULL OR d.rule_id = ANY (w.rule_ids))"""),
                    late)
                .bind("now", clock.instant())
                .execute());
  }

  /** The tenants with at least one enabled webhook. */
  @Transactional
  public List<UUID> tenantsWithEnabledWebhooks() {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery("SELECT DISTINCT tenant_id FROM webhooks WHERE enabled")
                .mapTo(UUID.class)
                .list());
  }

  /**
   * Binds the columns of the tasks {@code d} that both statements above read, as arrays in task
   * order, nulls included.
   */
  private static <S extends SqlStatement<S>> S bindTasks(S statement, List<TaskRecord> tasks) {
    return statement
        .bindArray("tenantIds", UUID.class, column(tasks, TaskRecord::tenantId))
        .bindArray("ids", UUID.class, column(tasks, TaskRecord::id))
        .bindArray("ruleIds", UUID.class, column(tasks, TaskRecord::ruleId))
        .bindArray("sourceKeys", String.class, column(tasks, TaskRecord::sourceKey))
        .bindArray("sourceVersionIds", String.class, column(tasks, TaskRecord::sourceVersionId))
        .bindArray("sizes", Long.class, column(tasks, TaskRecord::size))
        .bindArray("etags", String.class, column(tasks, TaskRecord::sourceEtag))
        .bindArray("destinationBuckets", String.class, column(tasks, TaskRecord::destinationBucket))
        .bindArray(
            "sourceLastModified", Instant.class, column(tasks, TaskRecord::sourceLastModified));
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
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    """
                    UPDATE webhook_deliveries d SET next_attempt_at = :leaseUntil
                      FROM webhooks w
                     WHERE w.tenant_id = d.tenant_id AND w.id = d.webhook_id
                       AND (d.tenant_id, d.id) IN (SELECT c.tenant_id, c.id FROM webhook_deliveries c
                                                    WHERE c.status = 'PENDING' AND c.next_attempt_at <= :now
                                                    ORDER BY c.next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED)
                    RETURNING d.tenant_id, d.id, d.webhook_id, d.event_name, d.rule_id, d.source_bucket, d.source_key,
                              d.source_version_id, d.size, d.etag, d.destination_bucket, d.failure_reason,
                              d.request_time, d.event_time, d.threshold_seconds, d.replication_seconds, d.status,
                              d.attempts, d.next_attempt_at, d.response_status, d.last_error, d.delivered_at, w.url,
                              w.secret_master_key_id, w.secret_wrapped_key, w.secret_ciphertext""")
                .bind("leaseUntil", now.plus(lease))
                .bind("now", now)
                .bind("limit", limit)
                .map(
                    (row, context) ->
                        due(
                            row,
                            row.getString("url"),
                            new SealedSecret(
                                row.getString("secret_master_key_id"),
                                row.getBytes("secret_wrapped_key"),
                                row.getBytes("secret_ciphertext"))))
                .list());
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
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    UPDATE webhook_deliveries
                       SET attempts = attempts + 1, response_status = :responseStatus, last_error = :error,
                           status = CASE WHEN :delivered THEN 'DELIVERED'
                                         WHEN :nextAttempt::timestamptz IS NULL THEN 'FAILED'
                                         ELSE 'PENDING' END,
                           next_attempt_at = :nextAttempt,
                           delivered_at = CASE WHEN :delivered THEN :now::timestamptz END
                     WHERE tenant_id = :tenantId AND id = :id""")
                .bindByType("responseStatus", responseStatus, Integer.class)
                .bind("error", error)
                .bind("delivered", delivered)
                .bindByType("nextAttempt", nextAttempt, Instant.class)
                .bind("now", clock.instant())
                .bind("tenantId", delivery.tenantId())
                .bind("id", delivery.id())
                .execute());
    recordEndpointAnswer(delivery, delivered, responseStatus, error);
  }

  /**
   * Keeps how the webhook's URL answered, unless the URL changed since the delivery was claimed or
   * a later attempt was recorded already.
   */
  private void recordEndpointAnswer(
      Due delivery, boolean delivered, @Nullable Integer responseStatus, @Nullable String error) {
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    UPDATE webhooks
                       SET last_attempt_at = :now, last_attempt_ok = :delivered, last_response_status = :responseStatus,
                           last_error = :error,
                           failing_since = CASE WHEN :delivered THEN NULL ELSE coalesce(failing_since, :now) END
                     WHERE tenant_id = :tenantId AND id = :webhookId AND url = :url
                       AND (last_attempt_at IS NULL OR last_attempt_at <= :now)""")
                .bind("now", clock.instant())
                .bind("delivered", delivered)
                .bindByType("responseStatus", responseStatus, Integer.class)
                .bind("error", delivered ? null : error)
                .bind("tenantId", delivery.tenantId())
                .bind("webhookId", delivery.webhookId())
                .bind("url", delivery.url())
                .execute());
  }

  /** Deletes the history of deliveries that ended (delivered or given up) before {@code before}. */
  @Transactional
  public int pruneEnded(Instant before, int limit) {
    return jdbi.withHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    DELETE FROM webhook_deliveries WHERE (tenant_id, id) IN (
                        SELECT tenant_id, id FROM webhook_deliveries
                         WHERE status IN ('DELIVERED', 'FAILED') AND event_time < :before LIMIT :limit)""")
                .bind("before", before)
                .bind("limit", limit)
                .execute());
  }

  @Transactional
  public Optional<SealedSecret> secret(UUID tenantId, UUID webhookId) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    """
                    SELECT secret_master_key_id, secret_wrapped_key, secret_ciphertext FROM webhooks
                     WHERE tenant_id = :tenantId AND id = :id""")
                .bind("tenantId", tenantId)
                .bind("id", webhookId)
                .map(
                    (row, context) ->
                        new SealedSecret(
                            row.getString("secret_master_key_id"),
                            row.getBytes("secret_wrapped_key"),
                            row.getBytes("secret_ciphertext")))
                .findOne());
  }

  private static Webhook webhook(ResultSet row) throws SQLException {
    Array rules = row.getArray("rule_ids");
    return new Webhook(
        row.getObject("id", UUID.class),
        row.getString("url"),
        row.getString("description"),
        List.of((String[]) row.getArray("events").getArray()),
        rules == null ? null : Arrays.asList((UUID[]) rules.getArray()),
        row.getBoolean("enabled"),
        endpoint(row),
        instant(row, "created_at"),
        instant(row, "updated_at"));
  }

  private static Webhook.Endpoint endpoint(ResultSet row) throws SQLException {
    Instant lastAttempt = instant(row, "last_attempt_at");
    if (lastAttempt == null) {
      return Webhook.Endpoint.NO_ATTEMPTS;
    }
    return new Webhook.Endpoint(
        row.getBoolean("last_attempt_ok")
            ? Webhook.Endpoint.State.HEALTHY
            : Webhook.Endpoint.State.FAILING,
        lastAttempt,
        row.getObject("last_response_status", Integer.class),
        row.getString("last_error"),
        instant(row, "failing_since"));
  }

  private static Due due(ResultSet row, @Nullable String url, @Nullable SealedSecret secret)
      throws SQLException {
    return new Due(
        row.getObject("tenant_id", UUID.class),
        row.getObject("id", UUID.class),
        row.getObject("webhook_id", UUID.class),
        row.getString("event_name"),
        row.getObject("rule_id", UUID.class),
        row.getString("source_bucket"),
        row.getString("source_key"),
        row.getString("source_version_id"),
        row.getObject("size", Long.class),
        row.getString("etag"),
        row.getString("destination_bucket"),
        row.getString("failure_reason"),
        instant(row, "request_time"),
        instant(row, "event_time"),
        row.getObject("threshold_seconds", Long.class),
        row.getObject("replication_seconds", Long.class),
        row.getString("status"),
        row.getInt("attempts"),
        instant(row, "next_attempt_at"),
        row.getObject("response_status", Integer.class),
        row.getString("last_error"),
        instant(row, "delivered_at"),
        url,
        secret);
  }
}
