package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replicator.trust.Compatibility;
import dev.replicator.trust.Trust;
import dev.replicator.trust.TrustType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.Tag;

class TagCountsTest {

  static final HeadObjectResponse NO_COUNT = HeadObjectResponse.builder().build();
  static final List<Tag> TAGS = List.of(Tag.builder().key("team").value("blue").build());

  final TagCounts counts = new TagCounts();

  @Test
  void aCountShownIsBelievedOnEveryStore() {
    Trust store = store("http://rgw.test:7480");
    assertThat(counts.mayHaveTags(store, HeadObjectResponse.builder().tagCount(0).build(), true))
        .isFalse();
    assertThat(counts.mayHaveTags(store, HeadObjectResponse.builder().tagCount(2).build(), true))
        .isTrue();
  }

  @Test
  void onAwsNoCountMeansNoTags() {
    assertThat(counts.mayHaveTags(store(null), NO_COUNT, true)).isFalse();
    assertThat(counts.mayHaveTags(store("https://s3.eu-west-1.amazonaws.com"), NO_COUNT, true))
        .isFalse();
  }

  @Test
  void elsewhereNoCountMeansNoTagsOnlyOnceATaggedVersionShowedItsCount() {
    Trust store = store("http://rgw.test:7480");
    Trust sameEndpoint = store("http://rgw.test:7480");
    assertThat(counts.mayHaveTags(store, NO_COUNT, true))
        .as("nothing known of the store yet")
        .isTrue();
    counts.read(store, NO_COUNT, true, List.of());
    assertThat(counts.mayHaveTags(store, NO_COUNT, true))
        .as("an untagged version proves nothing")
        .isTrue();

    counts.read(store, HeadObjectResponse.builder().tagCount(1).build(), true, TAGS);
    assertThat(counts.mayHaveTags(sameEndpoint, NO_COUNT, true)).isFalse();
    assertThat(counts.mayHaveTags(store("http://other.test:7480"), NO_COUNT, true)).isTrue();
    assertThat(counts.mayHaveTags(sameEndpoint, NO_COUNT, false))
        .as("a HEAD's answer, which the store has not yet shown a count in")
        .isTrue();
  }

  @Test
  void aStoreThatHidTheCountOfATaggedVersionHasEveryVersionsTagsRead() {
    Trust store = store("http://s3mock.test:9090");
    counts.read(store, NO_COUNT, true, TAGS);
    assertThat(counts.mayHaveTags(store, NO_COUNT, true)).isTrue();
  }

  @Test
  void cephRgwSaysWhoItIsAndShowsTheCountOfEveryTaggedVersion() {
    HeadObjectResponse fromRgw =
        (HeadObjectResponse)
            HeadObjectResponse.builder()
                .sdkHttpResponse(
                    SdkHttpResponse.builder()
                        .statusCode(200)
                        .putHeader("x-rgw-object-type", "Normal")
                        .build())
                .build();
    assertThat(counts.mayHaveTags(store("http://rgw.test:7480"), fromRgw, true))
        .as("nothing learnt, but the answer is RGW's")
        .isFalse();
    assertThat(counts.mayHaveTags(store("http://rgw.test:7480"), NO_COUNT, true))
        .as("an answer without RGW's header")
        .isTrue();
  }

  @Test
  void aStoreWithoutObjectTagsHasNoneToRead() {
    Trust store = store("http://r2.test");
    counts.notImplemented(store);
    assertThat(counts.mayHaveTags(store, NO_COUNT, true)).isFalse();
  }

  private static Trust store(String endpoint) {
    return new Trust(
        UUID.randomUUID(),
        UUID.randomUUID(),
        "store",
        TrustType.STATIC,
        endpoint,
        "us-east-1",
        true,
        Compatibility.AUTO,
        "AKIDEXAMPLE",
        null,
        null,
        null,
        null,
        null,
        null,
        Instant.now(),
        Instant.now());
  }
}
