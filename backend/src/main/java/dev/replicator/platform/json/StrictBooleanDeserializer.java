package dev.replicator.platform.json;

import io.micronaut.core.type.Argument;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Booleans are {@code true} or {@code false}; the default would also take {@code "yes"}, {@code
 * "true"} and 1.
 */
@Singleton
public class StrictBooleanDeserializer implements Deserializer<Boolean> {

  @Override
  public Boolean deserialize(
      Decoder decoder, DecoderContext context, Argument<? super Boolean> type) throws IOException {
    JsonNode node = decoder.decodeNode();
    if (!node.isBoolean()) {
      throw JsonValues.mismatch("true or false", node);
    }
    return node.getBooleanValue();
  }
}
