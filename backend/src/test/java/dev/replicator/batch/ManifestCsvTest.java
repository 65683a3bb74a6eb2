package dev.replicator.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestCsvTest {

  private static List<ManifestCsv.Line> read(String csv) {
    List<ManifestCsv.Line> lines = new ArrayList<>();
    try (ManifestCsv manifest = new ManifestCsv(new StringReader(csv), "src")) {
      manifest.forEachRemaining(lines::add);
    }
    return lines;
  }

  @Test
  void readsBucketKeyAndOptionalVersionWithUrlEncodedKeysAndQuotedFields() {
    List<ManifestCsv.Line> lines =
        read("src,a/b,v1\nsrc,with+space%2Bplus\n\"src\",\"comma,key\",\"\"\n");
    assertThat(lines)
        .extracting(ManifestCsv.Line::key)
        .containsExactly("a/b", "with space+plus", "comma,key");
    assertThat(lines).extracting(ManifestCsv.Line::versionId).containsExactly("v1", null, null);
    assertThat(lines).extracting(ManifestCsv.Line::number).containsExactly(1L, 2L, 3L);
    assertThat(lines).allSatisfy(line -> assertThat(line.problem()).isNull());
  }

  @Test
  void linesThatCannotBeUsedSayWhy() {
    List<ManifestCsv.Line> lines =
        read("other,key\nsrc\nsrc,,v\nsrc,%zz\nsrc,a,b,c\nsrc,a%00b\nsrc,a,v\u0000x\n");
    assertThat(lines)
        .extracting(ManifestCsv.Line::problem)
        .containsExactly(
            "names bucket 'other', not the rule's source bucket 'src'",
            "has 1 fields; expected bucket,key or bucket,key,versionId",
            "has an empty key",
            "has a key that is not URL-encoded correctly",
            "has 4 fields; expected bucket,key or bucket,key,versionId",
            "has a key with %00 (U+0000), which no S3 key holds",
            "holds the character U+0000 (NUL)");
    assertThat(lines.get(5).key()).isEqualTo("a%00b");
  }

  @Test
  void brokenCsvIsReportedAsSuch() {
    assertThatThrownBy(() -> read("src,\"unterminated\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not valid CSV");
  }
}
