package dev.replicator.replication;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.TaggingDirective;

/**
 * A multipart upload or a server-side copy carries the same object attributes a single PUT would.
 */
final class MultipartRequests {

  private MultipartRequests() {}

  static CreateMultipartUploadRequest create(PutObjectRequest put, List<Tag> tags) {
    CreateMultipartUploadRequest.Builder create =
        CreateMultipartUploadRequest.builder()
            .bucket(put.bucket())
            .key(put.key())
            .contentType(put.contentType())
            .cacheControl(put.cacheControl())
            .contentDisposition(put.contentDisposition())
            .contentEncoding(put.contentEncoding())
            .contentLanguage(put.contentLanguage())
            .expires(put.expires())
            .metadata(put.metadata())
            .storageClass(put.storageClassAsString())
            .serverSideEncryption(put.serverSideEncryptionAsString())
            .ssekmsKeyId(put.ssekmsKeyId())
            .objectLockMode(put.objectLockModeAsString())
            .objectLockRetainUntilDate(put.objectLockRetainUntilDate())
            .objectLockLegalHoldStatus(put.objectLockLegalHoldStatusAsString());
    // Headers the PUT sends outside its model (an Expires that is no RFC 1123 date) go with the
    // upload too.
    put.overrideConfiguration().ifPresent(create::overrideConfiguration);
    if (!tags.isEmpty()) {
      create.tagging(tagging(tags));
    }
    return create.build();
  }

  /**
   * A server-side copy of a source version that replaces metadata and tags with those of the PUT.
   */
  static CopyObjectRequest copy(
      PutObjectRequest put, List<Tag> tags, String sourceBucket, String sourceVersionId) {
    CopyObjectRequest.Builder copy =
        CopyObjectRequest.builder()
            .sourceBucket(sourceBucket)
            .sourceKey(put.key())
            .sourceVersionId(sourceVersionId)
            .destinationBucket(put.bucket())
            .destinationKey(put.key())
            .metadataDirective(MetadataDirective.REPLACE)
            .taggingDirective(TaggingDirective.REPLACE)
            .contentType(put.contentType())
            .cacheControl(put.cacheControl())
            .contentDisposition(put.contentDisposition())
            .contentEncoding(put.contentEncoding())
            .contentLanguage(put.contentLanguage())
            .expires(put.expires())
            .metadata(put.metadata())
            .storageClass(put.storageClassAsString())
            .serverSideEncryption(put.serverSideEncryptionAsString())
            .ssekmsKeyId(put.ssekmsKeyId())
            .objectLockMode(put.objectLockModeAsString())
            .objectLockRetainUntilDate(put.objectLockRetainUntilDate())
            .objectLockLegalHoldStatus(put.objectLockLegalHoldStatusAsString());
    put.overrideConfiguration().ifPresent(copy::overrideConfiguration);
    if (!tags.isEmpty()) {
      copy.tagging(tagging(tags));
    }
    return copy.build();
  }

  private static String tagging(List<Tag> tags) {
    return tags.stream()
        .map(t -> encode(t.key()) + "=" + encode(t.value()))
        .collect(Collectors.joining("&"));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
