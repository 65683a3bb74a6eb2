package dev.replicator.platform.json;

import io.micronaut.core.type.Argument;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Text fields accept only JSON strings. The default would turn {@code 5} into {@code "5"} and
 * {@code ["a"]} into {@code "a"}, storing something the client did not mean to send. U+0000 is
 * refused in every text: PostgreSQL cannot store it, and no field of this API has a use for it.
 */
@Singleton
public class StrictStringDeserializer implements Deserializer<String> {

  static final String NO_NUL = "must not contain the character U+0000 (NUL)";

  @Override
  public String deserialize(Decoder decoder, DecoderContext context, Argument<? super String> type)
      throws IOException {
    return read(decoder);
  }

  static String read(Decoder decoder) throws IOException {
    JsonNode node = decoder.decodeNode();
    if (!node.isString()) {
      throw JsonValues.mismatch("a string", node);
    }
    String value = node.getStringValue();
    if (value.indexOf('\0') >= 0) {
      throw new InvalidJsonValueException(NO_NUL);
    }
    return value;
  }
}
