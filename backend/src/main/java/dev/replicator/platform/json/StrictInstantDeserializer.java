package dev.replicator.platform.json;

import io.micronaut.core.type.Argument;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;

/**
 * Date-times are strings as {@link Timestamps} accepts them; the default would also take 123 (epoch
 * seconds).
 */
@Singleton
public class StrictInstantDeserializer implements Deserializer<Instant> {

  @Override
  public Instant deserialize(
      Decoder decoder, DecoderContext context, Argument<? super Instant> type) throws IOException {
    JsonNode node = decoder.decodeNode();
    if (!node.isString()) {
      throw JsonValues.mismatch("a date-time string", node);
    }
    return Timestamps.parse(node.getStringValue())
        .orElseThrow(() -> new InvalidJsonValueException(Timestamps.EXPECTED));
  }
}
