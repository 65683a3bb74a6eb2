package dev.replicator.platform.problem;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import java.util.List;

/** Builds problem responses; the {@code type} is a stable URI that names the kind of failure. */
public final class Problems {

  private static final String TYPE_BASE = "https://replicator.dev/problems/";

  private Problems() {}

  public static Problem of(
      HttpStatus status, String type, String detail, List<Problem.FieldError> errors) {
    return new Problem(
        TYPE_BASE + type,
        status.getReason(),
        status.getCode(),
        detail,
        errors.isEmpty() ? null : errors);
  }

  public static MutableHttpResponse<Problem> response(Problem problem) {
    return HttpResponse.<Problem>status(HttpStatus.valueOf(problem.status()))
        .contentType(Problem.MEDIA_TYPE)
        .body(problem);
  }

  public static MutableHttpResponse<Problem> response(ApiException e) {
    return response(of(e.status(), e.type(), e.getMessage(), e.errors()));
  }
}
