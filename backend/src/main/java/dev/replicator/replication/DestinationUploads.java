package dev.replicator.replication;

import dev.replicator.platform.Ids;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

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

  private final Jdbi jdbi;
  private final Clock clock;

  public DestinationUploads(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /**
   * Records that the lease holder of {@code task} is about to start an upload; empty when the lease
   * was lost.
   */
  @Transactional
  public Optional<Started> starting(ReplicationTask task, String owner) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    """
                    INSERT INTO destination_uploads (tenant_id, id, task_id, destination_trust_id, destination_bucket,
                        destination_key, started_at)
                    SELECT tenant_id, :id, id, destination_trust_id, destination_bucket, source_key, :now
                      FROM replication_tasks
                     WHERE tenant_id = :tenantId AND id = :taskId AND lease_owner = :owner AND version = :version
                       AND state = 'RUNNING'
                    RETURNING tenant_id, id, task_id, destination_trust_id, destination_bucket, destination_key, upload_id,
                              started_at""")
                .bind("id", Ids.next())
                .bind("now", clock.instant())
                .bind("tenantId", task.tenantId())
                .bind("taskId", task.id())
                .bind("owner", owner)
                .bind("version", task.version())
                .map((row, context) -> started(row))
                .findFirst());
  }

  /** The id the store gave the upload. */
  @Transactional
  public void created(Started upload, String uploadId) {
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    UPDATE destination_uploads SET upload_id = :uploadId
                     WHERE tenant_id = :tenantId AND id = :id""")
                .bind("uploadId", uploadId)
                .bind("tenantId", upload.tenantId())
                .bind("id", upload.id())
                .execute());
  }

  /** The upload was completed or aborted: nothing is left to clean up. */
  @Transactional
  public void settled(UUID tenantId, UUID id) {
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    DELETE FROM destination_uploads WHERE tenant_id = :tenantId AND id = :id""")
                .bind("tenantId", tenantId)
                .bind("id", id)
                .execute());
  }

  /** The uploads earlier attempts at a task started and did not settle. */
  @Transactional
  public List<Started> ofTask(ReplicationTask task) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    """
                    SELECT tenant_id, id, task_id, destination_trust_id, destination_bucket, destination_key, upload_id,
                           started_at
                      FROM destination_uploads WHERE tenant_id = :tenantId AND task_id = :taskId ORDER BY started_at""")
                .bind("tenantId", task.tenantId())
                .bind("taskId", task.id())
                .map((row, context) -> started(row))
                .list());
  }

  /** Uploads whose task has ended or no longer exists: no attempt will complete them. */
  @Transactional
  public List<Started> abandoned(int limit) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery(
                    """
                    SELECT u.tenant_id, u.id, u.task_id, u.destination_trust_id, u.destination_bucket, u.destination_key,
                           u.upload_id, u.started_at
                      FROM destination_uploads u
                     WHERE NOT EXISTS (SELECT 1 FROM replication_tasks t
                                        WHERE t.tenant_id = u.tenant_id AND t.id = u.task_id
                                          AND t.state IN ('PENDING', 'RUNNING'))
                     ORDER BY u.started_at
                     LIMIT :limit""")
                .bind("limit", limit)
                .map((row, context) -> started(row))
                .list());
  }

  private static Started started(ResultSet row) throws SQLException {
    return new Started(
        row.getObject("tenant_id", UUID.class),
        row.getObject("id", UUID.class),
        row.getObject("task_id", UUID.class),
        row.getObject("destination_trust_id", UUID.class),
        row.getString("destination_bucket"),
        row.getString("destination_key"),
        row.getString("upload_id"),
        row.getTimestamp("started_at").toInstant());
  }
}
