package dev.replicator.platform.json;

import io.micronaut.core.type.Argument;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Integers are JSON integers; the default would also take {@code "12"}, {@code true} and {@code
 * 1.9} (as 1).
 */
@Singleton
public class StrictIntegerDeserializer implements Deserializer<Integer> {

  @Override
  public Integer deserialize(
      Decoder decoder, DecoderContext context, Argument<? super Integer> type) throws IOException {
    return (int) WholeNumbers.read(decoder, Integer.MIN_VALUE, Integer.MAX_VALUE);
  }
}
