package dev.replicator.platform.problem;

import io.micronaut.context.annotation.Primary;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import jakarta.inject.Singleton;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every error the framework produces (no route, wrong method, a request line or header fields
 * too long to read, unreadable body, authentication, unexpected failures) into {@code
 * application/problem+json} with a detail a person can act on. Unexpected failures get a reference
 * that is also logged, and never the exception text, which may hold internal details.
 */
@Primary
@Singleton
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {

  private static final Logger LOG = LoggerFactory.getLogger(ProblemErrorResponseProcessor.class);

  private final NettyHttpServerConfiguration server;

  public ProblemErrorResponseProcessor(NettyHttpServerConfiguration server) {
    this.server = server;
  }

  @Override
  public MutableHttpResponse<Problem> processResponse(
      ErrorContext context, MutableHttpResponse<?> response) {
    Optional<Throwable> unreadable = RequestHead.failure(context.getRequest());
    Problem problem;
    if (unreadable.isPresent()) {
      problem = unreadableHead(unreadable.get());
      // The rest of the connection cannot be read after a head that could not be: close it after
      // this answer.
      response.status(problem.status()).header(HttpHeaders.CONNECTION, "close");
    } else {
      HttpStatus status = response.getStatus();
      List<Problem.FieldError> errors =
          status == HttpStatus.BAD_REQUEST
              ? context.getRootCause().map(RequestFieldErrors::of).orElse(List.of())
              : List.of();
      Optional<String> parameter =
          status == HttpStatus.BAD_REQUEST ? invalidParameter(context) : Optional.empty();
      if (parameter.isPresent()) {
        problem = Problems.of(status, "validation-failed", parameter.get(), errors);
      } else if (invalidValue(errors)) {
        problem =
            Problems.of(
                status,
                "validation-failed",
                "The request is invalid: "
                    + errors.get(0).field()
                    + " "
                    + errors.get(0).message()
                    + ".",
                errors);
      } else {
        problem = Problems.of(status, typeOf(status), detail(context, status), errors);
      }
    }
    if (context.getRequest().getMethod() == HttpMethod.HEAD) {
      return response.contentType(Problem.MEDIA_TYPE).body(null);
    }
    return response.contentType(Problem.MEDIA_TYPE).body(problem);
  }

  /**
   * Micronaut answers every head Netty could not read with 413 or 400; say which limit or rule it
   * broke.
   */
  private Problem unreadableHead(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return Problems.of(
          HttpStatus.REQUEST_URI_TOO_LONG,
          "uri-too-long",
          "The request line (method, path and query "
              + "string) is longer than the "
              + server.getMaxInitialLineLength()
              + " bytes this server accepts. Shorten the "
              + "path or query string; see /openapi.yaml for each endpoint's parameters.",
          List.of());
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return Problems.of(
          HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
          "header-fields-too-large",
          "The request's header "
              + "fields are larger than the "
              + server.getMaxHeaderSize()
              + " bytes (all of them together) this server "
              + "accepts. Send only the headers the API needs: an API token in Authorization is well under 100 bytes.",
          List.of());
    }
    return Problems.of(
        HttpStatus.BAD_REQUEST,
        "invalid-http",
        "The request is not valid HTTP/1.1: its request line or "
            + "header fields could not be read.",
        List.of());
  }

  /**
   * A value of the wrong type or format; an unknown field or a malformed body keeps its own detail.
   */
  private static boolean invalidValue(List<Problem.FieldError> errors) {
    return errors.size() == 1
        && !errors.get(0).message().equals(RequestFieldErrors.UNKNOWN_FIELD)
        && !errors.get(0).message().equals(RequestFieldErrors.NOT_ONE_VALUE);
  }

  private String detail(ErrorContext context, HttpStatus status) {
    String path = context.getRequest().getPath();
    return switch (status) {
      case NOT_FOUND -> "Nothing exists at " + path + ". Check the URL against /openapi.yaml.";
      case METHOD_NOT_ALLOWED ->
          context.getRequest().getMethod()
              + " is not supported on "
              + path
              + ". Check /openapi.yaml for the methods it takes.";
      case UNSUPPORTED_MEDIA_TYPE ->
          "Send the request body as JSON with the header Content-Type: application/json.";
      case NOT_ACCEPTABLE -> "This endpoint answers with JSON; accept application/json.";
      case UNAUTHORIZED ->
          "Authentication is required: send Authorization: Bearer <token> with an API token, or sign in to the dashboard.";
      case FORBIDDEN -> "Your credentials do not allow this request.";
      case BAD_REQUEST -> badRequestDetail(context);
      case REQUEST_ENTITY_TOO_LARGE ->
          "The request body is larger than the "
              + server.getMaxRequestSize()
              + " bytes this server accepts.";
      default ->
          status.getCode() >= 500 ? unexpected(context) : messages(context, status.getReason());
    };
  }

  /** The detail for a path or query parameter that is not of its type. */
  private static Optional<String> invalidParameter(ErrorContext context) {
    return context
        .getRootCause()
        .filter(ConversionErrorException.class::isInstance)
        .map(ConversionErrorException.class::cast)
        .filter(e -> !e.getArgument().getAnnotationMetadata().hasAnnotation(Body.class))
        .map(ProblemErrorResponseProcessor::invalidParameter);
  }

  private static String badRequestDetail(ErrorContext context) {
    String message = messages(context, "The request could not be read.");
    if (message.contains("Unknown property")) {
      return "The request body has a field this endpoint does not know: "
          + UnknownFields.describe(message)
          + ". Remove it; see /openapi.yaml for the accepted fields.";
    }
    if (message.contains("Required argument") || message.contains("Required Body")) {
      return "The request body is missing; send a JSON object as described in /openapi.yaml.";
    }
    if (message.contains("JSON")
        || message.contains("Unexpected character")
        || message.contains("Unexpected end")
        || message.contains("deserializ")
        || message.contains("Failed to convert argument")) {
      return "The request body is not valid JSON for this endpoint ("
          + BodyErrors.summarize(message)
          + "). Send a JSON object as described in /openapi.yaml.";
    }
    return message;
  }

  /**
   * A path or query parameter that is not of its type, e.g. "'foo' is not a valid selector: use one
   * of liveness, readiness."
   */
  private static String invalidParameter(ConversionErrorException e) {
    String value = e.getConversionError().getOriginalValue().map(String::valueOf).orElse("");
    String shown = value.length() > 100 ? value.substring(0, 100) + "…" : value;
    Class<?> type = e.getArgument().getType();
    String choices =
        type.isEnum()
            ? ": use one of "
                + Arrays.stream(type.getEnumConstants())
                    .map(c -> c.toString().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "))
            : "";
    return "'"
        + shown
        + "' is not a valid "
        + e.getArgument().getName()
        + choices
        + ". See /openapi.yaml.";
  }

  private static String messages(ErrorContext context, String fallback) {
    String joined =
        context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
    return joined.isBlank() ? fallback : joined;
  }

  private static String unexpected(ErrorContext context) {
    String reference = UUID.randomUUID().toString();
    LOG.error(
        "Unexpected error {} on {} {}",
        reference,
        context.getRequest().getMethod(),
        context.getRequest().getPath(),
        context.getRootCause().orElse(null));
    return "The server failed unexpectedly. Retry later; if it persists, give the operator this reference: "
        + reference
        + ".";
  }

  private static String typeOf(HttpStatus status) {
    return switch (status) {
      case NOT_FOUND -> "not-found";
      case UNAUTHORIZED -> "unauthenticated";
      case FORBIDDEN -> "forbidden";
      case BAD_REQUEST -> "invalid-request";
      case METHOD_NOT_ALLOWED -> "method-not-allowed";
      case UNSUPPORTED_MEDIA_TYPE -> "unsupported-media-type";
      default -> status.getCode() >= 500 ? "internal-error" : "http-" + status.getCode();
    };
  }
}
