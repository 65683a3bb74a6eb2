package dev.replicator.replication;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;

/**
 * A source bucket's versions, page by page, as the reconciliation scan and batch jobs read them.
 * The markers of a page are the checkpoint a restarted reader resumes from.
 */
public final class SourceListing {

  private SourceListing() {}

  /**
   * Up to {@code pageSize} versions under {@code prefix}, after the markers (both null: from the
   * start).
   */
  public static ListObjectVersionsResponse page(
      S3Client client,
      String bucket,
      @Nullable String prefix,
      @Nullable String keyMarker,
      @Nullable String versionIdMarker,
      int pageSize) {
    return client.listObjectVersions(
        b -> {
          b.bucket(bucket).maxKeys(pageSize);
          if (prefix != null) {
            b.prefix(prefix);
          }
          if (keyMarker != null) {
            b.keyMarker(keyMarker);
            if (versionIdMarker != null) {
              b.versionIdMarker(versionIdMarker);
            }
          }
        });
  }

  /** The key marker of the next page; null after the last page. */
  public static @Nullable String nextKeyMarker(ListObjectVersionsResponse page) {
    return Boolean.TRUE.equals(page.isTruncated()) ? page.nextKeyMarker() : null;
  }

  /** The version id marker of the next page; null after the last page. */
  public static @Nullable String nextVersionIdMarker(ListObjectVersionsResponse page) {
    return Boolean.TRUE.equals(page.isTruncated()) ? page.nextVersionIdMarker() : null;
  }

  /**
   * The page's versions, and its delete markers if {@code deleteMarkers}, whose Last-Modified
   * {@code include} takes.
   */
  public static List<SourceVersion> versions(
      ListObjectVersionsResponse page, boolean deleteMarkers, Predicate<Instant> include) {
    List<SourceVersion> versions = new ArrayList<>();
    page.versions().stream()
        .filter(v -> include.test(v.lastModified()))
        .forEach(
            v ->
                versions.add(
                    new SourceVersion(
                        v.key(), v.versionId(), false, v.size(), v.eTag(), v.lastModified())));
    if (deleteMarkers) {
      page.deleteMarkers().stream()
          .filter(m -> include.test(m.lastModified()))
          .forEach(
              m ->
                  versions.add(
                      new SourceVersion(
                          m.key(), m.versionId(), true, null, null, m.lastModified())));
    }
    return versions;
  }
}
