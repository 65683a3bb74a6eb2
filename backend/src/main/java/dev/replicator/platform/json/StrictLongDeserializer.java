package dev.replicator.platform.json;

import io.micronaut.core.type.Argument;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import jakarta.inject.Singleton;
import java.io.IOException;

/** Like {@link StrictIntegerDeserializer}, for 64-bit fields. */
@Singleton
public class StrictLongDeserializer implements Deserializer<Long> {

  @Override
  public Long deserialize(Decoder decoder, DecoderContext context, Argument<? super Long> type)
      throws IOException {
    return WholeNumbers.read(decoder, Long.MIN_VALUE, Long.MAX_VALUE);
  }
}
