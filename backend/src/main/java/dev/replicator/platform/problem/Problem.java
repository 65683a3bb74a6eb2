package dev.replicator.platform.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** An RFC 9457 problem document, the body of every error response. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    String type, String title, int status, String detail, @Nullable List<FieldError> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";

  /**
   * One invalid field of a request; {@code field} is a JSON path such as {@code role} or {@code
   * filter.prefix}.
   */
  @Serdeable
  public record FieldError(String field, String message) {}
}
