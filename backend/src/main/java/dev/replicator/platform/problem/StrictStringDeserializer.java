package dev.replicator.platform.problem;

import io.micronaut.core.type.Argument;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Text fields accept only JSON strings. The default would turn {@code 5} into {@code "5"} and {@code ["a"]} into
 * {@code "a"}, storing something the client did not mean to send.
 */
@Singleton
public class StrictStringDeserializer implements Deserializer<String> {

  @Override
  public String deserialize(Decoder decoder, DecoderContext context, Argument<? super String> type) throws IOException {
    JsonNode node = decoder.decodeNode();
    if (node.isString()) {
      return node.getStringValue();
    }
    throw decoder.createDeserializationException("expected a string but got " + describe(node), null);
  }

  @Override
  public String deserializeNullable(Decoder decoder, DecoderContext context, Argument<? super String> type)
      throws IOException {
    return decoder.decodeNull() ? null : deserialize(decoder, context, type);
  }

  private static String describe(JsonNode node) {
    if (node.isArray()) {
      return "an array";
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isNumber()) {
      return "a number";
    }
    return node.isBoolean() ? "a boolean" : "another JSON value";
  }
}
