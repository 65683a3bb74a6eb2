package dev.replicator.platform.json;

import io.micronaut.serde.exceptions.SerdeException;

/**
 * A JSON value of the wrong type or out of range. The message is what the problem's {@code errors}
 * say about the field; serde records the field's path as the exception passes through the enclosing
 * objects and lists.
 */
public class InvalidJsonValueException extends SerdeException {

  public InvalidJsonValueException(String message) {
    super(message);
  }
}
