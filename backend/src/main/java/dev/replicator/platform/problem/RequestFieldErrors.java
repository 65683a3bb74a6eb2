package dev.replicator.platform.problem;

import dev.replicator.platform.json.InvalidJsonValueException;
import dev.replicator.platform.json.TrailingContentException;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.annotation.Body;
import io.micronaut.serde.exceptions.SerdeException;
import io.micronaut.serde.exceptions.path.CollectionItemReferencePath;
import io.micronaut.serde.exceptions.path.MapItemReferencePath;
import io.micronaut.serde.exceptions.path.PropertyReferencePath;
import io.micronaut.serde.exceptions.path.ReferencePath;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the field behind a request the framework could not read: the JSON path of a body value of
 * the wrong type or unknown name (from the path serde records while deserializing), the name of a
 * query parameter that did not convert, or {@code body} for a body that is not one JSON value.
 */
final class RequestFieldErrors {

  static final String UNKNOWN_FIELD = "is not a field of this request; see /openapi.yaml";
  static final String NOT_ONE_VALUE = "must be exactly one JSON value, with nothing after it";

  private static final Pattern UNKNOWN = Pattern.compile("Unknown property \\[([^\\]]{1,100})]");
  private static final Map<Class<?>, String> KINDS =
      Map.of(
          Integer.class,
          "an integer",
          int.class,
          "an integer",
          Long.class,
          "an integer",
          long.class,
          "an integer",
          Boolean.class,
          "true or false",
          boolean.class,
          "true or false",
          String.class,
          "a string",
          UUID.class,
          "a UUID such as 0190b7e2-7c4a-7d3e-9a1b-3f5e6a7b8c9d",
          Instant.class,
          "an RFC 3339 date-time such as 2026-01-01T00:00:00Z");

  private RequestFieldErrors() {}

  static List<Problem.FieldError> of(Throwable failure) {
    SerdeException located = null;
    InvalidJsonValueException ours = null;
    ConversionErrorException conversion = null;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TrailingContentException) {
        return List.of(new Problem.FieldError("body", NOT_ONE_VALUE));
      }
      if (t instanceof SerdeException e && (located == null || located.getPath().isEmpty())) {
        located = e;
      }
      if (t instanceof InvalidJsonValueException e && ours == null) {
        ours = e;
      }
      if (t instanceof ConversionErrorException e && conversion == null) {
        conversion = e;
      }
    }
    if (located != null) {
      return fromBody(located, ours);
    }
    if (conversion != null
        && !conversion.getArgument().getAnnotationMetadata().hasAnnotation(Body.class)) {
      return List.of(
          new Problem.FieldError(
              conversion.getArgument().getName(), expected(conversion.getArgument())));
    }
    return List.of();
  }

  /**
   * {@code ours}, when the failure came from one of the strict deserializers, says what was wrong.
   */
  private static List<Problem.FieldError> fromBody(
      SerdeException located, InvalidJsonValueException ours) {
    String path = path(located.getPath());
    Matcher unknown = UNKNOWN.matcher(String.valueOf(located.getMessage()));
    if (unknown.find()) {
      String name = unknown.group(1);
      String field =
          path.equals(name) || path.endsWith("." + name)
              ? path
              : path.isEmpty() ? name : path + "." + name;
      return List.of(new Problem.FieldError(field, UNKNOWN_FIELD));
    }
    if (path.isEmpty()) {
      return List.of();
    }
    String message =
        ours != null ? ours.getMessage() : expected(valueType(located.getPath().get(0)));
    return List.of(new Problem.FieldError(path, message));
  }

  /**
   * The type of the value at the innermost entry: a list's or map's entries have their container's
   * item type.
   */
  private static Argument<?> valueType(ReferencePath innermost) {
    Argument<?>[] items = innermost.getArgument().getTypeParameters();
    if (innermost instanceof CollectionItemReferencePath && items.length == 1) {
      return items[0];
    }
    if (innermost instanceof MapItemReferencePath && items.length == 2) {
      return items[1];
    }
    return innermost.getArgument();
  }

  /** The path's entries run from the innermost value out. */
  private static String path(List<ReferencePath> entries) {
    StringBuilder path = new StringBuilder();
    for (int i = entries.size() - 1; i >= 0; i--) {
      ReferencePath entry = entries.get(i);
      if (entry instanceof CollectionItemReferencePath item) {
        path.append('[').append(item.index()).append(']');
      } else {
        String name =
            entry instanceof MapItemReferencePath key
                ? key.key()
                : entry instanceof PropertyReferencePath property
                    ? property.property().getName()
                    : "?";
        path.append(path.length() == 0 ? "" : ".").append(name);
      }
    }
    return path.toString();
  }

  private static String expected(Argument<?> argument) {
    Class<?> type = argument == null ? Object.class : argument.getType();
    if (type.isEnum()) {
      return "must be one of "
          + String.join(
              ", ", Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList());
    }
    return Optional.ofNullable(KINDS.get(type))
        .map(kind -> "must be " + kind)
        .orElse("has the wrong type or format");
  }
}
