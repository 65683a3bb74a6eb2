package dev.replicator.replication;

import dev.replicator.platform.Ids;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The multipart uploads Replicator started on destinations and has not completed or aborted yet
 * (the owner of {@code destination_uploads}). An upload is recorded before CreateMultipartUpload is
 * sent, so none can be lost: the next attempt at the task, or the sweep once the task has ended,
 * aborts what will not be completed.
 */
@Singleton
public class DestinationUploads {

  /** A recorded upload; {@code uploadId} is null when the answer to its creation never arrived. */
  public record Started(
      UUID tenantId,
      UUID id,
      UUID taskId,
      UUID destinationTrustId,
      String bucket,
      String key,
      @Nullable String uploadId,
      Instant startedAt) {}

  private final JdbcOperations jdbc;
  private final Clock clock;

  public DestinationUploads(JdbcOperations jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * Records that the lease holder of {@code task} is about to start an upload; empty when the lease
   * was lost.
   */
  @Transactional
  public Optional<Started> starting(ReplicationTask task, String owner) {
    UUID id = Ids.next();
    Instant now = clock.instant();
    return jdbc.prepareStatement(
        """
        INSERT INTO destination_uploads (tenant_id, id, task_id, destination_trust_id, destination_bucket, destination_key,
            started_at)
        SELECT tenant_id, ?, id, destination_trust_id, destination_bucket, source_key, ?
          FROM replication_tasks
         WHERE tenant_id = ? AND id = ? AND lease_owner = ? AND version = ? AND state = 'RUNNING'
        RETURNING tenant_id, id, task_id, destination_trust_id, destination_bucket, destination_key, upload_id, started_at""",
        statement -> {
          statement.setObject(1, id);
          statement.setTimestamp(2, Timestamp.from(now));
          statement.setObject(3, task.tenantId());
          statement.setObject(4, task.id());
          statement.setString(5, owner);
          statement.setInt(6, task.version());
          return all(statement).stream().findFirst();
        });
  }

  /** The id the store gave the upload. */
  @Transactional
  public void created(Started upload, String uploadId) {
    jdbc.prepareStatement(
        "UPDATE destination_uploads SET upload_id = ? WHERE tenant_id = ? AND id = ?",
        statement -> {
          statement.setString(1, uploadId);
          statement.setObject(2, upload.tenantId());
          statement.setObject(3, upload.id());
          return statement.executeUpdate();
        });
  }

  /** The upload was completed or aborted: nothing is left to clean up. */
  @Transactional
  public void settled(UUID tenantId, UUID id) {
    jdbc.prepareStatement(
        "DELETE FROM destination_uploads WHERE tenant_id = ? AND id = ?",
        statement -> {
          statement.setObject(1, tenantId);
          statement.setObject(2, id);
          return statement.executeUpdate();
        });
  }

  /** The uploads earlier attempts at a task started and did not settle. */
  @Transactional
  public List<Started> ofTask(ReplicationTask task) {
    return jdbc.prepareStatement(
        """
        SELECT tenant_id, id, task_id, destination_trust_id, destination_bucket, destination_key, upload_id, started_at
          FROM destination_uploads WHERE tenant_id = ? AND task_id = ? ORDER BY started_at""",
        statement -> {
          statement.setObject(1, task.tenantId());
          statement.setObject(2, task.id());
          return all(statement);
        });
  }

  /** Uploads whose task has ended or no longer exists: no attempt will complete them. */
  @Transactional
  public List<Started> abandoned(int limit) {
    return jdbc.prepareStatement(
        """
        SELECT u.tenant_id, u.id, u.task_id, u.destination_trust_id, u.destination_bucket, u.destination_key, u.upload_id,
               u.started_at
          FROM destination_uploads u
         WHERE NOT EXISTS (SELECT 1 FROM replication_tasks t
                            WHERE t.tenant_id = u.tenant_id AND t.id = u.task_id AND t.state IN ('PENDING', 'RUNNING'))
         ORDER BY u.started_at
         LIMIT ?""",
        statement -> {
          statement.setInt(1, limit);
          return all(statement);
        });
  }

  private static List<Started> all(java.sql.PreparedStatement statement) throws SQLException {
    List<Started> uploads = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        uploads.add(
            new Started(
                rows.getObject("tenant_id", UUID.class),
                rows.getObject("id", UUID.class),
                rows.getObject("task_id", UUID.class),
                rows.getObject("destination_trust_id", UUID.class),
                rows.getString("destination_bucket"),
                rows.getString("destination_key"),
                rows.getString("upload_id"),
                rows.getTimestamp("started_at").toInstant()));
      }
    }
    return uploads;
  }
}
