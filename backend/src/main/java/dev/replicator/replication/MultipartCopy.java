package dev.replicator.replication;

import dev.replicator.trust.FailureText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * Copies a large version as a multipart upload: parts stream from ranged GETs of the source,
 * several at once, each verified against its ETag — or, on one AWS-compatible endpoint, the store
 * copies each part itself ({@code UploadPartCopy}). Every upload is recorded before it is asked for
 * and its id before the first part, so a worker that takes over after a crash resumes the same
 * upload — parts the destination already holds are not sent again — and uploads of earlier attempts
 * that will not be resumed (also those whose id was never learnt) are aborted, as is an upload that
 * cannot succeed.
 */
final class MultipartCopy {

  /** Where the task's uploads are recorded between attempts (see {@link DestinationUploads}). */
  interface Uploads {
    /**
     * Records an upload about to be asked for; throws {@link LeaseLostException} if the task is no
     * longer ours.
     */
    DestinationUploads.Started starting();

    /** Records the id of the upload, also as the one a later attempt resumes. */
    void created(DestinationUploads.Started upload, String uploadId);

    /** The upload was completed or aborted. */
    void settled(DestinationUploads.Started upload);

    /** Uploads earlier attempts started and did not settle. */
    List<DestinationUploads.Started> earlier();

    /** No upload is to be resumed any more. */
    void forget();
  }

  private final S3Client source;
  private final S3Client target;
  private final S3Client writer;
  private final String sourceBucket;
  private final ReplicationTask task;
  private final long size;
  private final long partSize;
  private final int partConcurrency;
  private final boolean serverSide;
  private final String resumeUploadId;
  private final Lease lease;

  /**
   * {@code writer} creates and completes the upload without SDK retries; parts may be retried (they
   * replace each other).
   */
  MultipartCopy(
      S3Client source,
      S3Client target,
      S3Client writer,
      String sourceBucket,
      ReplicationTask task,
      long size,
      long partSize,
      int partConcurrency,
      boolean serverSide,
      String resumeUploadId,
      Lease lease) {
    this.source = source;
    this.target = target;
    this.writer = writer;
    this.sourceBucket = sourceBucket;
    this.task = task;
    this.size = size;
    this.partSize = partSize;
    this.partConcurrency = partConcurrency;
    this.serverSide = serverSide;
    this.resumeUploadId = resumeUploadId;
    this.lease = lease;
  }

  /**
   * Runs the upload and returns the destination version id. SDK errors propagate; permanent ones
   * abort first.
   */
  String run(CreateMultipartUploadRequest create, Uploads uploads) {
    String uploadId = resumeUploadId;
    Map<Integer, String> done = uploadId == null ? null : partsAlreadyUploaded(uploadId);
    DestinationUploads.Started current = null;
    for (DestinationUploads.Started earlier : uploads.earlier()) {
      if (done != null && earlier.uploadId() != null && earlier.uploadId().equals(uploadId)) {
        current = earlier;
      } else {
        AbandonedUploads.abort(target, earlier);
        uploads.settled(earlier);
      }
    }
    if (done == null) {
      lease.ensureHeld();
      current = uploads.starting();
      uploadId = writer.createMultipartUpload(create).uploadId();
      uploads.created(current, uploadId);
      done = new ConcurrentHashMap<>();
    } else if (current == null) {
      // Resuming an upload recorded on the task only (started before uploads were recorded on their
      // own).
      current = uploads.starting();
      uploads.created(current, uploadId);
    }
    try {
      uploadMissingParts(uploadId, done);
      List<CompletedPart> parts =
          done.entrySet().stream()
              .sorted(Map.Entry.comparingByKey())
              .map(e -> CompletedPart.builder().partNumber(e.getKey()).eTag(e.getValue()).build())
              .toList();
      String finalUploadId = uploadId;
      lease.ensureHeld();
      String versionId =
          writer
              .completeMultipartUpload(
                  b ->
                      b.bucket(task.destinationBucket())
                          .key(task.sourceKey())
                          .uploadId(finalUploadId)
                          .multipartUpload(m -> m.parts(parts)))
              .versionId();
      uploads.settled(current);
      return versionId;
    } catch (SdkException e) {
      if (FailureText.status(e) >= 400
          && FailureText.status(e) < 500
          && FailureText.status(e) != 408
          && FailureText.status(e) != 429) {
        abort(uploadId);
        uploads.settled(current);
        uploads.forget();
      }
      throw e;
    }
  }

  /**
   * Aborts an upload that will not be completed; a failure to abort is not worth failing the task
   * for.
   */
  void abort(String uploadId) {
    try {
      target.abortMultipartUpload(
          b -> b.bucket(task.destinationBucket()).key(task.sourceKey()).uploadId(uploadId));
    } catch (SdkException ignored) {
      // the upload may already be gone
    }
  }

  int partCount() {
    return (int) ((size + partSize - 1) / partSize);
  }

  private long partLength(int partNumber) {
    return Math.min(partSize, size - (partNumber - 1) * partSize);
  }

  /** The parts an earlier attempt completed, or null when that upload no longer exists. */
  private Map<Integer, String> partsAlreadyUploaded(String uploadId) {
    Map<Integer, String> done = new ConcurrentHashMap<>();
    try {
      Integer marker = null;
      while (true) {
        Integer from = marker;
        var page =
            target.listParts(
                b ->
                    b.bucket(task.destinationBucket())
                        .key(task.sourceKey())
                        .uploadId(uploadId)
                        .partNumberMarker(from));
        for (Part part : page.parts()) {
          if (part.size() != null && part.size() == partLength(part.partNumber())) {
            done.put(part.partNumber(), part.eTag());
          }
        }
        if (!Boolean.TRUE.equals(page.isTruncated())) {
          return done;
        }
        marker = page.nextPartNumberMarker();
      }
    } catch (SdkException e) {
      if (FailureText.status(e) == 404) {
        return null;
      }
      throw e;
    }
  }

  private void uploadMissingParts(String uploadId, Map<Integer, String> done) {
    List<Integer> missing = new ArrayList<>();
    for (int part = 1; part <= partCount(); part++) {
      if (!done.containsKey(part)) {
        missing.add(part);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(partConcurrency, missing.size()));
    try {
      List<Future<?>> uploads = new ArrayList<>();
      for (int part : missing) {
        uploads.add(pool.submit(() -> done.put(part, uploadPart(uploadId, part))));
      }
      for (Future<?> upload : uploads) {
        upload.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while copying parts", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private String uploadPart(String uploadId, int partNumber) {
    lease.ensureHeld();
    long start = (partNumber - 1) * partSize;
    long length = partLength(partNumber);
    if (serverSide) {
      return target
          .uploadPartCopy(
              b ->
                  b.sourceBucket(sourceBucket)
                      .sourceKey(task.sourceKey())
                      .sourceVersionId(task.sourceVersionId())
                      .destinationBucket(task.destinationBucket())
                      .destinationKey(task.sourceKey())
                      .uploadId(uploadId)
                      .partNumber(partNumber)
                      .copySourceRange("bytes=" + start + "-" + (start + length - 1)))
          .copyPartResult()
          .eTag();
    }
    SourceBody body =
        new SourceBody(
            source,
            b ->
                b.bucket(sourceBucket)
                    .key(task.sourceKey())
                    .versionId(task.sourceVersionId())
                    .range("bytes=" + start + "-" + (start + length - 1)));
    try (body) {
      String etag =
          target
              .uploadPart(
                  b ->
                      b.bucket(task.destinationBucket())
                          .key(task.sourceKey())
                          .uploadId(uploadId)
                          .partNumber(partNumber)
                          .contentLength(length),
                  RequestBody.fromContentProvider(
                      () -> lease.guard(body.newStream()), length, "application/octet-stream"))
              .eTag();
      ObjectReplicator.plainMd5(etag, null)
          .ifPresent(
              stored -> {
                if (!stored.equals(body.md5())) {
                  throw new IllegalStateException(
                      "Part " + partNumber + " was stored with different bytes than were sent");
                }
              });
      return etag;
    }
  }
}
