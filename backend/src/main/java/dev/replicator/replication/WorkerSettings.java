package dev.replicator.replication;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How a worker process copies ({@code replicator.worker.*}).
 *
 * @param concurrency copies in flight at once in this process ({@code
 *     REPLICATOR_WORKER_CONCURRENCY})
 * @param lease how long a claimed task is this worker's before another may take it over; renewed
 *     while copying
 * @param pollInterval how long an idle worker waits before looking for work again
 * @param multipartThreshold objects larger than this are copied with a multipart upload
 * @param partSize the size of each part (at least 5 MiB, as S3 requires; grown for objects of more
 *     than 10,000 parts)
 * @param partConcurrency parts of one object uploaded at once
 * @param shutdownGrace how long a stopping worker lets running copies finish before abandoning them
 *     to their leases
 * @param liveReserve copy slots that batch-job tasks never take, so live replication keeps its
 *     latency during a backfill (at most {@code concurrency - 1}; a worker with one slot shares it)
 * @param serverSideCopy whether versions whose source and destination share an endpoint are copied
 *     by the store itself (CopyObject, UploadPartCopy) rather than streamed through the worker
 * @param copyCutoff server-side copies of versions up to this size are one CopyObject (at most 5
 *     GiB, S3's limit), larger ones a multipart upload of UploadPartCopy parts
 * @param serverSideCopyAbove versions up to this size stream through the worker even where a
 *     server-side copy is possible: one GET and one PUT, where a copy takes a HEAD of the source,
 *     the CopyObject and a HEAD of the replica (whose version id RGW's CopyObject does not answer)
 */
@ConfigurationProperties("replicator.worker")
public record WorkerSettings(
    @Bindable(defaultValue = "8") int concurrency,
    @Bindable(defaultValue = "60s") Duration lease,
    @Bindable(defaultValue = "1s") Duration pollInterval,
    @Bindable(defaultValue = "67108864") long multipartThreshold,
    @Bindable(defaultValue = "16777216") long partSize,
    @Bindable(defaultValue = "4") int partConcurrency,
    @Bindable(defaultValue = "10s") Duration shutdownGrace,
    @Bindable(defaultValue = "2") int liveReserve,
    @Bindable(defaultValue = "true") boolean serverSideCopy,
    @Bindable(defaultValue = "5368709120") long copyCutoff,
    @Bindable(defaultValue = "1048576") long serverSideCopyAbove) {

  /** The largest object one CopyObject copies. */
  static final long MAX_COPY_OBJECT_SIZE = 5L * 1024 * 1024 * 1024;

  /**
   * Versions up to this size are copied server-side in one CopyObject: one request lets a store
   * copy by reference where it can (Ceph RGW does within a placement: 256 MiB in a fraction of a
   * second) and keeps the source's multipart ETag, as rclone's copy does up to its copy cutoff.
   */
  long copyObjectLimit() {
    return Math.min(copyCutoff, MAX_COPY_OBJECT_SIZE);
  }

  /** Copy slots batch-job tasks may take at once. */
  public int batchConcurrency() {
    return Math.max(1, concurrency - Math.max(0, liveReserve));
  }

  static final long MIN_PART_SIZE = 5L * 1024 * 1024;
  static final int MAX_PARTS = 10_000;

  /**
   * The part size for an object: the configured one, grown so that no object needs more than 10,000
   * parts.
   */
  long partSizeFor(long objectSize) {
    long size = Math.max(partSize, MIN_PART_SIZE);
    return Math.max(size, (objectSize + MAX_PARTS - 1) / MAX_PARTS);
  }
}
