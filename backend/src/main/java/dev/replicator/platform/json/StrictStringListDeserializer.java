package dev.replicator.platform.json;

import io.micronaut.core.type.Argument;
import io.micronaut.serde.Decoder;
import io.micronaut.serde.Deserializer;
import io.micronaut.serde.exceptions.SerdeException;
import io.micronaut.serde.exceptions.path.ReferencePath;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists of text accept only JSON strings as items. Serde reads {@code List<String>} with a shortcut
 * of its own that bypasses {@link StrictStringDeserializer} and would turn {@code [123, true,
 * null]} into {@code ["123", "true", null]}.
 */
@Singleton
public class StrictStringListDeserializer implements Deserializer<List<String>> {

  @Override
  public List<String> deserialize(
      Decoder decoder, DecoderContext context, Argument<? super List<String>> type)
      throws IOException {
    List<String> items = new ArrayList<>();
    try (Decoder array = decoder.decodeArray()) {
      while (array.hasNextArrayValue()) {
        try {
          items.add(StrictStringDeserializer.read(array));
        } catch (SerdeException e) {
          e.getPath().add(ReferencePath.ofCollection(List.class, type, items.size()));
          throw e;
        }
      }
    }
    return items;
  }
}
