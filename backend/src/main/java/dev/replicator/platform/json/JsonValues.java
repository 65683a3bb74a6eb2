package dev.replicator.platform.json;

import io.micronaut.json.tree.JsonNode;

/** Names a JSON value's kind for the strict deserializers' messages. */
final class JsonValues {

  private JsonValues() {}

  static String describe(JsonNode node) {
    if (node.isNull()) {
      return "null";
    }
    if (node.isArray()) {
      return "an array";
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isNumber()) {
      return "a number";
    }
    if (node.isString()) {
      return "a string";
    }
    return node.isBoolean() ? "a boolean" : "another JSON value";
  }

  /** The message becomes the field's {@code message} in the problem's {@code errors}. */
  static InvalidJsonValueException mismatch(String expected, JsonNode node) {
    return new InvalidJsonValueException("must be " + expected + ", not " + describe(node));
  }
}
