package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * How a page of ListObjectVersions becomes a key's history, for the layouts the stores here answer
 * with.
 */
class SourceHistoryTest {

  private static final Instant SECOND = Instant.parse("2026-12-01T10:00:26Z");

  /** An entry of a listing as a store sends it: V for a version, M for a delete marker. */
  private record Listed(
      char kind, String key, String versionId, boolean latest, Instant lastModified) {}

  private static Listed v(String id, boolean latest, Instant at) {
    return new Listed('V', "k", id, latest, at);
  }

  private static Listed m(String id, boolean latest, Instant at) {
    return new Listed('M', "k", id, latest, at);
  }

  /**
   * The SDK's model of the answer and the raw answer, both from the entries in the store's order.
   */
  private static List<SourceHistory.Entry> history(Listed... answer) {
    ListObjectVersionsResponse.Builder page =
        ListObjectVersionsResponse.builder().isTruncated(false);
    List<ObjectVersion> versions = new ArrayList<>();
    List<DeleteMarkerEntry> markers = new ArrayList<>();
    StringBuilder raw =
        new StringBuilder(
            "<?xml version=\"1.0\"?><ListVersionsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Name>b</Name><Prefix>k</Prefix>");
    for (Listed entry : answer) {
      String element = entry.kind() == 'V' ? "Version" : "DeleteMarker";
      raw.append('<')
          .append(element)
          .append("><Key>")
          .append(entry.key())
          .append("</Key><VersionId>")
          .append(entry.versionId())
          .append("</VersionId><IsLatest>")
          .append(entry.latest())
          .append("</IsLatest></")
          .append(element)
          .append('>');
      if (entry.kind() == 'V') {
        versions.add(
            ObjectVersion.builder()
                .key(entry.key())
                .versionId(entry.versionId())
                .isLatest(entry.latest())
                .lastModified(entry.lastModified())
                .build());
      } else {
        markers.add(
            DeleteMarkerEntry.builder()
                .key(entry.key())
                .versionId(entry.versionId())
                .isLatest(entry.latest())
                .lastModified(entry.lastModified())
                .build());
      }
    }
    raw.append("</ListVersionsResult>");
    return SourceHistory.ofKey(
            page.versions(versions).deleteMarkers(markers).build(),
            raw.toString().getBytes(StandardCharsets.UTF_8),
            "k",
            true)
        .newestFirst();
  }

  private static List<String> ids(List<SourceHistory.Entry> entries) {
    return entries.stream().map(SourceHistory.Entry::versionId).toList();
  }

  @Test
  void anInterleavedAnswerIsTakenInItsOrderEvenWithinOneSecond() {
    // S3, Ceph RGW and MinIO: newest first, markers between versions.
    assertThat(
            ids(
                history(
                    v("v4", true, SECOND),
                    m("m1", false, SECOND),
                    v("v3", false, SECOND),
                    v("v2", false, SECOND))))
        .containsExactly("v4", "m1", "v3", "v2");
  }

  @Test
  void markersListedAfterTheVersionsAreMergedByTimeAMarkerNewerWithinItsSecond() {
    // moto: all versions, then all markers.
    Instant next = SECOND.plusSeconds(1);
    assertThat(
            ids(
                history(
                    v("v5", true, next),
                    v("v4", false, next),
                    v("v3", false, SECOND),
                    v("v2", false, SECOND),
                    m("m1", false, SECOND))))
        .containsExactly("v5", "v4", "m1", "v3", "v2");
  }

  @Test
  void markersListedBeforeTheCurrentVersionAreMergedAndTheCurrentVersionStaysNewest() {
    // S3Mock: all markers, then all versions.
    assertThat(ids(history(m("m1", false, SECOND), v("v3", true, SECOND), v("v2", false, SECOND))))
        .containsExactly("v3", "m1", "v2");
  }

  @Test
  void aCurrentMarkerListedAfterTheVersionsIsNewest() {
    assertThat(history(v("v2", false, SECOND), v("v1", false, SECOND), m("m1", true, SECOND)))
        .containsExactly(
            new SourceHistory.Entry("m1", true),
            new SourceHistory.Entry("v2", false),
            new SourceHistory.Entry("v1", false));
  }

  @Test
  void longerKeysAfterTheKeyAreNotPartOfItsHistory() {
    var page =
        SourceHistory.ofKey(
            ListObjectVersionsResponse.builder()
                .isTruncated(false)
                .versions(
                    ObjectVersion.builder()
                        .key("k")
                        .versionId("a")
                        .isLatest(true)
                        .lastModified(SECOND)
                        .build(),
                    ObjectVersion.builder()
                        .key("k/child")
                        .versionId("b")
                        .isLatest(true)
                        .lastModified(SECOND)
                        .build())
                .build(),
            ("<ListVersionsResult><Version><Key>k</Key></Version><Version><Key>k/child</Key></Version>"
                    + "</ListVersionsResult>")
                .getBytes(StandardCharsets.UTF_8),
            "k",
            true);
    assertThat(ids(page.newestFirst())).containsExactly("a");
    assertThat(page.otherKeyReached()).isTrue();
  }
}
