package dev.replicator.platform.json;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.Decoder;
import java.io.IOException;
import java.math.BigInteger;

/**
 * Reads a JSON integer as the schema's {@code type: integer} means it: a number without a fraction,
 * in range.
 */
final class WholeNumbers {

  private WholeNumbers() {}

  static long read(Decoder decoder, long min, long max) throws IOException {
    JsonNode node = decoder.decodeNode();
    if (!node.isNumber()) {
      throw JsonValues.mismatch("an integer", node);
    }
    Number number = node.getNumberValue();
    BigInteger value;
    if (number instanceof Integer
        || number instanceof Long
        || number instanceof Short
        || number instanceof Byte) {
      value = BigInteger.valueOf(number.longValue());
    } else if (number instanceof BigInteger big) {
      value = big;
    } else {
      throw new InvalidJsonValueException(
          "must be an integer, not a number with a fraction or exponent");
    }
    if (value.compareTo(BigInteger.valueOf(min)) < 0
        || value.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new InvalidJsonValueException("must be an integer between " + min + " and " + max);
    }
    return value.longValueExact();
  }
}
