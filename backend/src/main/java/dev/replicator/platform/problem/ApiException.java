package dev.replicator.platform.problem;

import io.micronaut.http.HttpStatus;
import java.util.List;
import java.util.OptionalLong;

/**
 * A failure the caller can act on. The message becomes the problem {@code detail}, so it says what
 * went wrong and what to do about it.
 */
public class ApiException extends RuntimeException {

  private final HttpStatus status;
  private final String type;
  private final List<Problem.FieldError> errors;

  public ApiException(
      HttpStatus status, String type, String detail, List<Problem.FieldError> errors) {
    super(detail);
    this.status = status;
    this.type = type;
    this.errors = List.copyOf(errors);
  }

  public ApiException(HttpStatus status, String type, String detail) {
    this(status, type, detail, List.of());
  }

  public static ApiException notFound(String what) {
    return new ApiException(HttpStatus.NOT_FOUND, "not-found", what + " was not found.");
  }

  public static ApiException badRequest(String detail) {
    return new ApiException(HttpStatus.BAD_REQUEST, "invalid-request", detail);
  }

  public static ApiException invalidField(String field, String message) {
    return new ApiException(
        HttpStatus.BAD_REQUEST,
        "validation-failed",
        "The request is invalid: " + field + " " + message + ".",
        List.of(new Problem.FieldError(field, message)));
  }

  /**
   * Several invalid fields of one request: the detail names them all, e.g. "The rule is invalid:
   * name is blank; …".
   */
  public static ApiException invalidFields(String subject, List<Problem.FieldError> errors) {
    return new ApiException(
        HttpStatus.BAD_REQUEST,
        "validation-failed",
        "The "
            + subject
            + " is invalid: "
            + String.join("; ", errors.stream().map(e -> e.field() + " " + e.message()).toList())
            + ".",
        errors);
  }

  public static ApiException conflict(String detail) {
    return new ApiException(HttpStatus.CONFLICT, "conflict", detail);
  }

  public static ApiException forbidden(String detail) {
    return new ApiException(HttpStatus.FORBIDDEN, "forbidden", detail);
  }

  /**
   * How long the client should wait before retrying, sent as {@code Retry-After}; empty for most
   * failures.
   */
  public OptionalLong retryAfterSeconds() {
    return OptionalLong.empty();
  }

  public HttpStatus status() {
    return status;
  }

  public String type() {
    return type;
  }

  public List<Problem.FieldError> errors() {
    return errors;
  }
}
