package dev.replicator.replication;

import io.micronaut.core.annotation.Nullable;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/**
 * A task as the queue has just written it, for other features' bookkeeping (see {@link
 * QueueListener}).
 */
public record TaskRecord(
    UUID tenantId,
    UUID id,
    UUID ruleId,
    UUID destinationTrustId,
    String destinationBucket,
    String sourceKey,
    String sourceVersionId,
    @Nullable Long size,
    @Nullable String sourceEtag,
    Instant sourceLastModified,
    TaskState state,
    @Nullable String failureReason,
    @Nullable Instant completedAt,
    @Nullable UUID batchJobId) {

  /** The columns {@link #read} expects, in order, of a task row aliased {@code t}. */
  static final String COLUMNS =
      """
      t.tenant_id, t.id, t.rule_id, t.destination_trust_id, t.destination_bucket, t.source_key, t.source_version_id, t.size,
      t.source_etag, t.source_last_modified, t.state, t.failure_reason, t.completed_at, t.batch_job_id""";

  public boolean batch() {
    return batchJobId != null;
  }

  static TaskRecord read(ResultSet rows) throws SQLException {
    long size = rows.getLong(8);
    Long nullableSize = rows.wasNull() ? null : size;
    Timestamp completed = rows.getTimestamp(13);
    return new TaskRecord(
        rows.getObject(1, UUID.class),
        rows.getObject(2, UUID.class),
        rows.getObject(3, UUID.class),
        rows.getObject(4, UUID.class),
        rows.getString(5),
        rows.getString(6),
        rows.getString(7),
        nullableSize,
        rows.getString(9),
        rows.getTimestamp(10).toInstant(),
        TaskState.valueOf(rows.getString(11)),
        rows.getString(12),
        completed == null ? null : completed.toInstant(),
        rows.getObject(14, UUID.class));
  }
}
