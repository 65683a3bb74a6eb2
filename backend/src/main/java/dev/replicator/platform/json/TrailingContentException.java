package dev.replicator.platform.json;

import io.micronaut.http.codec.CodecException;

/** A JSON body with something after its value: a second document, or text that is not JSON. */
public class TrailingContentException extends CodecException {

  public TrailingContentException(int line, int column) {
    super(
        "Unexpected content after the end of the JSON value (line "
            + line
            + ", column "
            + column
            + "): send exactly one JSON value");
  }
}
