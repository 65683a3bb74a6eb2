package dev.replicator.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventPayloadTest {

  @Test
  void theSignatureIsAnHmacOfTimeAndBody() {
    // HMAC-SHA256("key", "1700000000.{}"), computed independently with openssl dgst -sha256 -hmac
    // key.
    assertThat(EventPayload.signature("key", Instant.ofEpochSecond(1_700_000_000L), "{}"))
        .isEqualTo(
            "t=1700000000,v1=9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae");
  }
}
