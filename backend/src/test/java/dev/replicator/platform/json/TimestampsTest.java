package dev.replicator.platform.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimestampsTest {

  @Test
  void acceptsRfc3339DateTimesWithAnOffsetFrom1970To9999() {
    assertThat(Timestamps.parse("2026-01-01T00:00:00Z"))
        .contains(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(Timestamps.parse("2026-01-01T02:00:00.5+02:00"))
        .contains(Instant.parse("2026-01-01T00:00:00.5Z"));
    assertThat(Timestamps.parse("1970-01-01T00:00:00Z")).contains(Instant.EPOCH);
    assertThat(Timestamps.parse("9999-12-31T23:59:59.999Z")).isPresent();
  }

  @Test
  void refusesWhatPostgresqlCannotStoreOrIsNotADateTime() {
    assertThat(Timestamps.parse("+999999999-12-31T23:59:59Z")).isEmpty();
    assertThat(Timestamps.parse("+10000-01-01T00:00:00Z")).isEmpty();
    assertThat(Timestamps.parse("0000-01-01T00:00:00Z")).isEmpty();
    assertThat(Timestamps.parse("1969-12-31T23:59:59Z")).isEmpty();
    assertThat(Timestamps.parse("2026-01-01T00:00:00")).isEmpty();
    assertThat(Timestamps.parse("2026-01-01")).isEmpty();
    assertThat(Timestamps.parse("123")).isEmpty();
  }
}
