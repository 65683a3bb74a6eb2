package dev.replicator.platform.json;

import io.micronaut.core.type.Argument;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Ids are strings in the canonical UUID form. The default fails with an error that carries no field
 * path inside lists, and {@link UUID#fromString} also takes short forms such as {@code 1-2-3-4-5}.
 */
@Singleton
public class StrictUuidDeserializer implements Deserializer<UUID> {

  private static final Pattern CANONICAL =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  @Override
  public UUID deserialize(Decoder decoder, DecoderContext context, Argument<? super UUID> type)
      throws IOException {
    JsonNode node = decoder.decodeNode();
    if (!node.isString()) {
      throw JsonValues.mismatch("a UUID string", node);
    }
    if (!CANONICAL.matcher(node.getStringValue()).matches()) {
      throw new InvalidJsonValueException(
          "must be a UUID such as 0190b7e2-7c4a-7d3e-9a1b-3f5e6a7b8c9d");
    }
    return UUID.fromString(node.getStringValue());
  }
}
