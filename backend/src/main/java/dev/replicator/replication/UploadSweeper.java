package dev.replicator.replication;

import dev.replicator.platform.roles.SchedulerRole;
import dev.replicator.trust.client.TrustClients;
import dev.replicator.trust.client.TrustResolver;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts the destination uploads of tasks that ended or were deleted (a rule or destination
 * removed, a version skipped on a retry, an answer to CompleteMultipartUpload lost and the replica
 * then found): no attempt will complete them, and they would otherwise stay on the destination,
 * billed, for ever.
 */
@SchedulerRole
@Singleton
class UploadSweeper {

  private static final Logger LOG = LoggerFactory.getLogger(UploadSweeper.class);
  private static final int BATCH = 100;

  private final DestinationUploads uploads;
  private final TrustResolver trusts;

  UploadSweeper(DestinationUploads uploads, TrustResolver trusts) {
    this.uploads = uploads;
    this.trusts = trusts;
  }

  @Scheduled(
      fixedDelay = "${replicator.housekeeping.upload-sweep:1m}",
      initialDelay = "${replicator.housekeeping.upload-sweep:1m}")
  void tick() {
    try {
      for (DestinationUploads.Started upload : uploads.abandoned(BATCH)) {
        sweep(upload);
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "Sweeping abandoned destination uploads failed; trying again at the next tick: {}",
          e.getMessage());
    }
  }

  private void sweep(DestinationUploads.Started upload) {
    Optional<TrustClients.Clients> destination =
        trusts.clients(upload.tenantId(), upload.destinationTrustId());
    if (destination.isEmpty()) {
      LOG.warn(
          "An unfinished upload to {}/{} cannot be aborted: its trust was deleted",
          upload.bucket(),
          upload.key());
      uploads.settled(upload.tenantId(), upload.id());
      return;
    }
    try {
      AbandonedUploads.abort(destination.get().s3(), upload);
      uploads.settled(upload.tenantId(), upload.id());
    } catch (RuntimeException e) {
      LOG.info(
          "Aborting an unfinished upload to {}/{} failed; trying again later: {}",
          upload.bucket(),
          upload.key(),
          e.getMessage());
    }
  }
}
