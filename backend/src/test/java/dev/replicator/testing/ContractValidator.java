package dev.replicator.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Checks real exchanges of the test suite against the repository's openapi.yaml. */
public final class ContractValidator {

  private static OpenApiInteractionValidator validator;

  /**
   * Unchecked requests may go where the contract has nothing (unknown paths and methods), on
   * purpose.
   */
  private static final java.util.Set<String> OFF_CONTRACT_REQUESTS =
      java.util.Set.of(
          "validation.request.path.missing", "validation.request.operation.notAllowed");

  private ContractValidator() {}

  public static Path specPath() {
    Path here = Path.of("").toAbsolutePath();
    Path candidate = here.resolve("openapi.yaml");
    return Files.exists(candidate) ? candidate : here.getParent().resolve("openapi.yaml");
  }

  static synchronized OpenApiInteractionValidator validator() {
    if (validator == null) {
      try {
        validator =
            OpenApiInteractionValidator.createForInlineApiSpecification(
                    Files.readString(specPath()))
                // Authentication is exercised by the tests themselves, including requests without
                // credentials.
                .withLevelResolver(
                    LevelResolver.create()
                        .withLevel(
                            "validation.request.security.missing", ValidationReport.Level.IGNORE)
                        .build())
                .build();
      } catch (IOException e) {
        throw new IllegalStateException("cannot read openapi.yaml", e);
      }
    }
    return validator;
  }

  static void check(
      String method,
      String path,
      boolean bearer,
      String contentType,
      String body,
      Api.Response response,
      boolean checkRequest) {
    String rawPath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    String query = path.contains("?") ? path.substring(path.indexOf('?') + 1) : "";
    Request.Method m = Request.Method.valueOf(method);
    SimpleRequest.Builder request = new SimpleRequest.Builder(m, rawPath);
    if (bearer) {
      request.withAuthorization("Bearer x");
    }
    if (contentType != null) {
      request.withContentType(contentType);
    }
    if (body != null) {
      request.withBody(body);
    }
    for (String pair : query.split("&")) {
      if (!pair.isEmpty()) {
        String[] kv = pair.split("=", 2);
        request.withQueryParam(
            kv[0],
            kv.length > 1
                ? java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8)
                : "");
      }
    }
    SimpleResponse.Builder simpleResponse = SimpleResponse.Builder.status(response.status());
    String type = response.contentType();
    if (type != null) {
      simpleResponse.withContentType(type);
    }
    if (response.body() != null && !response.body().isEmpty()) {
      simpleResponse.withBody(response.body());
    }
    response
        .headers()
        .forEach(
            (k, v) -> {
              if (!k.equalsIgnoreCase("content-type")) {
                simpleResponse.withHeader(k, v);
              }
            });
    ValidationReport report =
        checkRequest
            ? validator().validate(request.build(), simpleResponse.build())
            : validator().validateResponse(rawPath, m, simpleResponse.build());
    List<ValidationReport.Message> errors =
        report.getMessages().stream()
            .filter(msg -> msg.getLevel() == ValidationReport.Level.ERROR)
            .filter(msg -> checkRequest || !OFF_CONTRACT_REQUESTS.contains(msg.getKey()))
            .toList();
    if (!errors.isEmpty()) {
      throw new AssertionError(
          "The exchange "
              + method
              + " "
              + path
              + " -> "
              + response.status()
              + " does not match openapi.yaml:\n"
              + errors.stream()
                  .map(ValidationReport.Message::toString)
                  .collect(Collectors.joining("\n"))
              + "\nresponse body: "
              + response.body());
    }
  }
}
