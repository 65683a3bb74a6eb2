package dev.replicator.replication;

import java.util.List;

/**
 * The uploads of one claimed task, recorded through its lease: a write that finds the lease gone
 * stops the copy.
 */
final class TaskUploads implements MultipartCopy.Uploads {

  private final DestinationUploads uploads;
  private final TaskQueue queue;
  private final ReplicationTask task;
  private final String owner;

  TaskUploads(DestinationUploads uploads, TaskQueue queue, ReplicationTask task, String owner) {
    this.uploads = uploads;
    this.queue = queue;
    this.task = task;
    this.owner = owner;
  }

  @Override
  public DestinationUploads.Started starting() {
    return uploads.starting(task, owner).orElseThrow(LeaseLostException::new);
  }

  @Override
  public void created(DestinationUploads.Started upload, String uploadId) {
    uploads.created(upload, uploadId);
    if (!queue.recordUpload(task, owner, uploadId)) {
      throw new LeaseLostException();
    }
  }

  @Override
  public void settled(DestinationUploads.Started upload) {
    uploads.settled(upload.tenantId(), upload.id());
  }

  @Override
  public List<DestinationUploads.Started> earlier() {
    return uploads.ofTask(task);
  }

  @Override
  public void forget() {
    queue.recordUpload(task, owner, null);
  }
}
