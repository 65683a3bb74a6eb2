package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.Tag;

/** The rules by which a replica's HEAD and tags count as holding what the source version has. */
class ReplicaCheckTest {

  static final String STAMP = ReplicaStamp.SOURCE_VERSION_ID;

  /**
   * A source version as it was sent: text/csv with all content headers, two metadata entries and
   * the stamp.
   */
  static ReplicaCheck.Expected expected(Consumer<PutObjectRequest.Builder> change) {
    PutObjectRequest.Builder put =
        PutObjectRequest.builder()
            .bucket("b")
            .key("k")
            .contentLength(8L)
            .contentType("text/csv")
            .cacheControl("max-age=60")
            .contentDisposition("attachment; filename=q3.csv")
            .contentEncoding("identity")
            .contentLanguage("en")
            .metadata(Map.of("owner", "finance", STAMP, "v1"));
    change.accept(put);
    return ReplicaCheck.Expected.of(put.build(), "Tue, 01 Jan 2030 00:00:00 GMT");
  }

  /** The replica as the destination's HEAD shows it: the same, unless changed. */
  static HeadObjectResponse replica(Consumer<HeadObjectResponse.Builder> change) {
    HeadObjectResponse.Builder head =
        HeadObjectResponse.builder()
            .contentLength(8L)
            .versionId("r1")
            .contentType("text/csv")
            .cacheControl("max-age=60")
            .contentDisposition("attachment; filename=q3.csv")
            .contentEncoding("identity")
            .contentLanguage("en")
            .expiresString("Tue, 01 Jan 2030 00:00:00 GMT")
            .metadata(Map.of("owner", "finance", STAMP, "v1"));
    change.accept(head);
    return head.build();
  }

  static List<String> differences(
      Consumer<PutObjectRequest.Builder> sent, Consumer<HeadObjectResponse.Builder> shown) {
    return ReplicaCheck.differences(expected(sent), replica(shown));
  }

  static Map<String, String> metadata(String... pairs) {
    Map<String, String> metadata = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      metadata.put(pairs[i], pairs[i + 1]);
    }
    return metadata;
  }

  @Test
  void aReplicaShowingWhatWasSentHasNoDifferences() {
    assertThat(differences(p -> {}, h -> {})).isEmpty();
  }

  @Test
  void metadataNamesCountInAnyCaseAndValuesWithoutSurroundingBlanks() {
    // Ceph RGW lowercases metadata names; S3Mock keeps them as sent.
    assertThat(
            differences(
                p -> p.metadata(metadata("Owner", "finance", STAMP, "v1")),
                h -> h.metadata(metadata("owner", " finance ", STAMP.toUpperCase(), "v1"))))
        .isEmpty();
  }

  @Test
  void metadataTheReplicaHasBeyondTheSourcesIsNoDifference() {
    assertThat(
            differences(
                p -> {},
                h -> h.metadata(metadata("owner", "finance", STAMP, "v1", "added-by-store", "x"))))
        .isEmpty();
  }

  @Test
  void missingOrChangedMetadataIsNamed() {
    assertThat(differences(p -> {}, h -> h.metadata(metadata("owner", "Finance"))))
        .containsExactly(
            "metadata \"owner\" is \"Finance\" instead of \"finance\"",
            "metadata \"" + STAMP + "\" is missing");
  }

  @Test
  void aMetadataNameAStoreRewroteIsMissingAndSaysWhatTheStoreShows() {
    // Ceph RGW turns '_' in metadata names into '-': a client asking for cost_centre finds nothing.
    assertThat(
            differences(
                p -> p.metadata(metadata("cost_centre", "7", STAMP, "v1")),
                h -> h.metadata(metadata("cost-centre", "7", STAMP, "v1"))))
        .containsExactly(
            "metadata \"cost_centre\" is missing (the store shows it as \"cost-centre\")");
  }

  @ParameterizedTest(name = "sent \"{0}\", shown \"{1}\"")
  @CsvSource(
      delimiter = '|',
      nullValues = "NONE",
      value = {
        "Text/CSV; Charset=\"UTF-8\"     | text/csv;charset=utf-8", // S3Mock rewrites media types
        "text/plain;  charset=\"utf-8\"  | text/plain;charset=utf-8",
        "multipart/form-data; boundary=A | multipart/form-data;boundary=A",
        "NONE                            | binary/octet-stream", // AWS's and RGW's default
        "NONE                            | application/octet-stream", // S3Mock's default
        "binary/octet-stream             | application/octet-stream",
        "application/octet-stream        | NONE",
      })
  void contentTypesThatMeanTheSameAreTheSame(String sent, String shown) {
    assertThat(differences(p -> p.contentType(sent), h -> h.contentType(shown))).isEmpty();
  }

  @ParameterizedTest(name = "sent \"{0}\", shown \"{1}\"")
  @CsvSource(
      delimiter = '|',
      nullValues = "NONE",
      value = {
        "text/csv                        | text/plain", // S3Mock's CopyObject keeps the old type
        "multipart/form-data; boundary=A | multipart/form-data; boundary=a",
        "text/csv                        | binary/octet-stream",
        "image/svg+xml                   | NONE",
      })
  void differentContentTypesAreADifference(String sent, String shown) {
    assertThat(differences(p -> p.contentType(sent), h -> h.contentType(shown)))
        .singleElement()
        .asString()
        .startsWith("Content-Type is");
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        "Tue, 01 Jan 2030 00:00:00 GMT",
        "Tue, 1 Jan 2030 00:00:00 GMT",
        "Tuesday, 01-Jan-30 00:00:00 GMT", // RFC 850
        "Tue Jan  1 00:00:00 2030", // asctime
        "2030-01-01T00:00:00Z",
        "2030-01-01T00:00:00.000Z",
      })
  void expiresIsTheInstantItNamesInAnyHttpDateFormat(String shown) {
    assertThat(differences(p -> {}, h -> h.expiresString(shown))).isEmpty();
  }

  @Test
  void expiresThatIsMissingOrAnotherInstantOrOtherTextIsADifference() {
    assertThat(differences(p -> {}, h -> h.expiresString(null)))
        .containsExactly("Expires is missing (the source has \"Tue, 01 Jan 2030 00:00:00 GMT\")");
    assertThat(differences(p -> {}, h -> h.expiresString("Wed, 02 Jan 2030 00:00:00 GMT")))
        .hasSize(1);
    assertThat(ReplicaCheck.sameExpires("0", "0")).isTrue();
    assertThat(ReplicaCheck.sameExpires("0", "Thu, 01 Jan 1970 00:00:00 GMT")).isFalse();
    assertThat(ReplicaCheck.sameExpires(null, " ")).isTrue();
    assertThat(ReplicaCheck.sameExpires(null, "0")).isFalse();
  }

  @Test
  void withoutTheSourcesTextExpiresIsWhatWasSent() {
    PutObjectRequest put =
        PutObjectRequest.builder()
            .metadata(Map.of())
            .expires(Instant.parse("2030-01-01T00:00:00Z"))
            .build();
    assertThat(ReplicaCheck.Expected.of(put, null).expires())
        .isEqualTo("Tue, 1 Jan 2030 00:00:00 GMT");
    assertThat(
            ReplicaCheck.sameExpires(
                ReplicaCheck.Expected.of(put, null).expires(), "Tue, 01 Jan 2030 00:00:00 GMT"))
        .isTrue();
  }

  @Test
  void contentCodingsLanguagesAndCacheDirectivesCountInAnyCaseAndSpacing() {
    assertThat(
            differences(
                p ->
                    p.contentEncoding("gzip, br")
                        .contentLanguage("en-US")
                        .cacheControl("max-age=60, public"),
                h ->
                    h.contentEncoding("GZIP,br")
                        .contentLanguage("en-us")
                        .cacheControl("max-age = 60,Public")))
        .isEmpty();
  }

  @Test
  void theAwsChunkedCodingS3RemovesIsIgnored() {
    assertThat(
            differences(p -> p.contentEncoding("gzip"), h -> h.contentEncoding("aws-chunked,gzip")))
        .isEmpty();
    assertThat(differences(p -> p.contentEncoding(null), h -> h.contentEncoding("aws-chunked")))
        .isEmpty();
  }

  @Test
  void aDispositionTypeCountsInAnyCaseButAFileNameAsItIs() {
    assertThat(
            differences(
                p -> p.contentDisposition("Attachment;  filename=\"a b.csv\""),
                h -> h.contentDisposition("attachment; filename=\"a b.csv\"")))
        .isEmpty();
    assertThat(
            differences(
                p -> p.contentDisposition("attachment; filename=Q3.csv"),
                h -> h.contentDisposition("attachment; filename=q3.csv")))
        .containsExactly(
            "Content-Disposition is \"attachment; filename=q3.csv\" instead of \"attachment; filename=Q3.csv\"");
  }

  @Test
  void droppedContentHeadersAreEachNamed() {
    // LocalS3 keeps only Content-Type of the content headers.
    assertThat(
            differences(
                p -> {},
                h ->
                    h.cacheControl(null)
                        .contentDisposition(null)
                        .contentEncoding(null)
                        .contentLanguage(null)))
        .containsExactly(
            "Cache-Control is missing (the source has \"max-age=60\")",
            "Content-Disposition is missing (the source has \"attachment; filename=q3.csv\")",
            "Content-Encoding is missing (the source has \"identity\")",
            "Content-Language is missing (the source has \"en\")");
  }

  @Test
  void aHeaderTheSourceDoesNotHaveIsADifferenceWhenTheReplicaHasIt() {
    assertThat(differences(p -> p.cacheControl(null), h -> h.cacheControl("no-store")))
        .containsExactly("Cache-Control is \"no-store\" instead of none");
  }

  @Test
  void aDifferentSizeIsADifference() {
    assertThat(differences(p -> {}, h -> h.contentLength(7L)))
        .containsExactly("the size is 7 bytes instead of 8");
  }

  @Test
  void tagsAreTheSameSetOfKeysAndValuesInAnyOrder() {
    List<Tag> source = List.of(tag("team", "data"), tag("label", "a b+c"));
    assertThat(ReplicaCheck.sameTags(source, List.of(tag("label", "a b+c"), tag("team", "data"))))
        .isTrue();
    // S3Mock stores x-amz-tagging without URL-decoding it.
    assertThat(
            ReplicaCheck.sameTags(source, List.of(tag("team", "data"), tag("label", "a%20b%2Bc"))))
        .isFalse();
    // Ceph RGW ignores x-amz-tagging on CreateMultipartUpload and on CopyObject with REPLACE.
    assertThat(ReplicaCheck.sameTags(source, List.of())).isFalse();
    assertThat(ReplicaCheck.sameTags(source, null)).isFalse();
    assertThat(
            ReplicaCheck.sameTags(
                source, List.of(tag("team", "data"), tag("label", "a b+c"), tag("extra", "1"))))
        .isFalse();
    assertThat(ReplicaCheck.describeTags(source)).isEqualTo("label=a b+c, team=data");
    assertThat(ReplicaCheck.describeTags(List.of())).isEqualTo("none");
  }

  @Test
  void onlyATagCountTheStoreShowsCanSayTheTagsDifferWithoutReadingThem() {
    assertThat(ReplicaCheck.tagCountDiffers(2, 0))
        .isTrue(); // RGW after CreateMultipartUpload with tags
    assertThat(ReplicaCheck.tagCountDiffers(2, 2))
        .isFalse(); // same count: the values still need reading
    assertThat(ReplicaCheck.tagCountDiffers(2, null)).isFalse(); // S3Mock shows no count
  }

  @Test
  void retentionAndLegalHoldCountWhenTheHeadShowsThemToTheSecond() {
    ObjectLocks.Lock lock =
        new ObjectLocks.Lock("GOVERNANCE", Instant.parse("2030-01-01T00:00:00.250Z"), "ON");
    HeadObjectResponse rgw =
        HeadObjectResponse.builder()
            .objectLockMode("GOVERNANCE")
            .objectLockRetainUntilDate(Instant.parse("2030-01-01T00:00:00.000000000Z"))
            .objectLockLegalHoldStatus("ON")
            .build();
    assertThat(ReplicaCheck.showsRetention(lock, rgw)).isTrue();
    assertThat(ReplicaCheck.showsLegalHold(lock, rgw)).isTrue();

    HeadObjectResponse s3mock =
        HeadObjectResponse.builder().build(); // stores the lock but shows none of it in HEAD
    assertThat(ReplicaCheck.showsRetention(lock, s3mock)).isFalse();
    assertThat(ReplicaCheck.showsLegalHold(lock, s3mock)).isFalse();

    assertThat(
            ReplicaCheck.showsRetention(lock, rgw.toBuilder().objectLockMode("COMPLIANCE").build()))
        .isFalse();
    assertThat(
            ReplicaCheck.showsRetention(
                lock,
                rgw.toBuilder()
                    .objectLockRetainUntilDate(Instant.parse("2030-01-01T00:00:01Z"))
                    .build()))
        .isFalse();
    assertThat(
            ReplicaCheck.showsLegalHold(
                lock, rgw.toBuilder().objectLockLegalHoldStatus("OFF").build()))
        .isFalse();
  }

  static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }
}
