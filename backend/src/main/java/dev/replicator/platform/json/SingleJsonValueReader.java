package dev.replicator.platform.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.micronaut.core.annotation.Order;
import io.micronaut.core.io.buffer.ByteBuffer;
import io.micronaut.core.io.buffer.ReferenceCounted;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.type.Argument;
import io.micronaut.core.type.Headers;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.body.MessageBodyReader;
import io.micronaut.http.codec.CodecException;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.body.JsonMessageHandler;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads JSON request bodies like the framework does, but only bodies that hold exactly one JSON
 * value. The parser stops after the first value, so {@code {"name": "a"} xyz} or two documents back
 * to back would otherwise be accepted, with the rest silently ignored.
 */
@Singleton
@Order(SingleJsonValueReader.ORDER)
@Consumes({
  MediaType.APPLICATION_JSON,
  MediaType.TEXT_JSON,
  MediaType.APPLICATION_HAL_JSON,
  MediaType.APPLICATION_JSON_GITHUB,
  MediaType.APPLICATION_JSON_FEED,
  MediaType.APPLICATION_JSON_PROBLEM,
  MediaType.APPLICATION_JSON_PATCH,
  MediaType.APPLICATION_JSON_MERGE_PATCH,
  MediaType.APPLICATION_JSON_SCHEMA
})
public class SingleJsonValueReader<T> implements MessageBodyReader<T>, Ordered {

  /**
   * Before the framework's {@link JsonMessageHandler}, which this delegates to (for the same media
   * types).
   */
  static final int ORDER = -100;

  private static final JsonFactory FACTORY = new JsonFactory();

  private final JsonMessageHandler<T> json;

  public SingleJsonValueReader(JsonMapper mapper) {
    this.json = new JsonMessageHandler<>(mapper);
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public boolean isReadable(Argument<T> type, MediaType mediaType) {
    return json.isReadable(type, mediaType);
  }

  @Override
  public T read(Argument<T> type, MediaType mediaType, Headers headers, ByteBuffer<?> buffer)
      throws CodecException {
    T value = readBytes(type, mediaType, headers, buffer.toByteArray());
    // as the framework's reader does: released here once read, by the caller when reading fails
    if (buffer instanceof ReferenceCounted counted) {
      counted.release();
    }
    return value;
  }

  @Override
  public T read(Argument<T> type, MediaType mediaType, Headers headers, InputStream input)
      throws CodecException {
    try {
      return readBytes(type, mediaType, headers, input.readAllBytes());
    } catch (IOException e) {
      throw new CodecException("The request body could not be read: " + e.getMessage(), e);
    }
  }

  private T readBytes(Argument<T> type, MediaType mediaType, Headers headers, byte[] bytes) {
    requireNothingAfterTheFirstValue(bytes);
    return json.read(type, mediaType, headers, new ByteArrayInputStream(bytes));
  }

  /**
   * A body that is not valid JSON up to the end of its first value is left to the framework's own
   * messages.
   */
  private static void requireNothingAfterTheFirstValue(byte[] bytes) {
    try (JsonParser parser = FACTORY.createParser(bytes)) {
      if (parser.nextToken() == null) {
        return;
      }
      parser.skipChildren();
      int line = parser.currentLocation().getLineNr();
      int column = parser.currentLocation().getColumnNr();
      JsonToken next;
      try {
        next = parser.nextToken();
      } catch (IOException e) {
        next = JsonToken.NOT_AVAILABLE;
      }
      if (next != null) {
        throw new TrailingContentException(line, column);
      }
    } catch (IOException e) {
      // not valid JSON: the framework's reader reports it
    }
  }
}
