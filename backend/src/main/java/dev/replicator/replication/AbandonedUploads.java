package dev.replicator.replication;

import dev.replicator.trust.FailureText;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Aborts a recorded destination upload that will not be completed. With its id, that upload.
 * Without (the answer to CreateMultipartUpload never arrived), the key's uploads that have no parts
 * and were started around the time it was asked for: parts are only sent once the id is recorded,
 * so an upload with parts is never one of these, and nobody else's upload is touched.
 */
final class AbandonedUploads {

  /** How far the store's clock may be from the worker's. */
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  /**
   * How long after it was asked for a creation may still have happened (the request was in flight).
   */
  private static final Duration CREATION_WINDOW = Duration.ofMinutes(15);

  private AbandonedUploads() {}

  /**
   * Aborts it; an upload already gone counts as aborted. Other errors propagate, and the record
   * stays for later.
   */
  static void abort(S3Client destination, DestinationUploads.Started upload) {
    if (upload.uploadId() != null) {
      abort(destination, upload.bucket(), upload.key(), upload.uploadId());
      return;
    }
    Instant from = upload.startedAt().minus(CLOCK_SKEW);
    Instant until = upload.startedAt().plus(CREATION_WINDOW);
    String keyMarker = null;
    String uploadIdMarker = null;
    while (true) {
      String fromKey = keyMarker;
      String fromUpload = uploadIdMarker;
      ListMultipartUploadsResponse page =
          destination.listMultipartUploads(
              b -> {
                b.bucket(upload.bucket()).prefix(upload.key());
                if (fromKey != null) {
                  b.keyMarker(fromKey).uploadIdMarker(fromUpload);
                }
              });
      for (MultipartUpload candidate : page.uploads()) {
        if (candidate.key().equals(upload.key())
            && candidate.initiated() != null
            && !candidate.initiated().isBefore(from)
            && !candidate.initiated().isAfter(until)
            && hasNoParts(destination, upload.bucket(), upload.key(), candidate.uploadId())) {
          abort(destination, upload.bucket(), upload.key(), candidate.uploadId());
        }
      }
      if (!Boolean.TRUE.equals(page.isTruncated())) {
        return;
      }
      keyMarker = page.nextKeyMarker();
      uploadIdMarker = page.nextUploadIdMarker();
    }
  }

  private static boolean hasNoParts(
      S3Client destination, String bucket, String key, String uploadId) {
    try {
      return destination
          .listParts(b -> b.bucket(bucket).key(key).uploadId(uploadId).maxParts(1))
          .parts()
          .isEmpty();
    } catch (SdkException e) {
      if (FailureText.status(e) == 404) {
        return false;
      }
      throw e;
    }
  }

  private static void abort(S3Client destination, String bucket, String key, String uploadId) {
    try {
      destination.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
    } catch (SdkException e) {
      if (FailureText.status(e) != 404) {
        throw e;
      }
    }
  }
}
