package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replicator.trust.Compatibility;
import dev.replicator.trust.Trust;
import dev.replicator.trust.TrustType;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeptAttributesTest {

  final KeptAttributes kept = new KeptAttributes();
  final Trust destination = store("http://rgw.test:7480");

  @Test
  void aShapeIsKnownOnlyInTheBucketWhereAReplicaShowedIt() {
    ReplicaCheck.Expected first =
        expected(Map.of("replicator-source-version-id", "v1", "team", "blue"), "text/plain");
    assertThat(kept.known(destination, "replica", first)).as("nothing shown yet").isFalse();

    kept.shownKept(destination, "replica", first);

    ReplicaCheck.Expected sameShape =
        expected(Map.of("replicator-source-version-id", "v2", "Team", "green"), "image/png");
    assertThat(kept.known(destination, "replica", sameShape))
        .as("other values, same names and headers")
        .isTrue();
    assertThat(kept.known(destination, "other-bucket", sameShape)).isFalse();
    assertThat(kept.known(store("http://rgw.test:7480"), "replica", sameShape))
        .as("another trust")
        .isFalse();
  }

  @Test
  void otherNamesOtherHeadersOrMuchLongerMetadataAreAnotherShape() {
    kept.shownKept(destination, "replica", expected(Map.of("team", "blue"), "text/plain"));

    assertThat(
            kept.known(destination, "replica", expected(Map.of("team_name", "blue"), "text/plain")))
        .as("RGW renames names with _")
        .isFalse();
    assertThat(kept.known(destination, "replica", expected(Map.of("team", "blue"), null)))
        .isFalse();
    assertThat(
            kept.known(
                destination, "replica", expected(Map.of("team", "b".repeat(1500)), "text/plain")))
        .as("a size the bucket has not kept")
        .isFalse();
  }

  @Test
  void valuesBeyondPlainAsciiAreAlwaysReadBack() {
    ReplicaCheck.Expected umlaut = expected(Map.of("note", "grün"), "text/plain");
    kept.shownKept(destination, "replica", umlaut);
    assertThat(kept.known(destination, "replica", umlaut)).isFalse();
  }

  private static ReplicaCheck.Expected expected(Map<String, String> metadata, String contentType) {
    return new ReplicaCheck.Expected(10, metadata, contentType, null, null, null, null, null);
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
