package dev.replicator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replicator.testing.ContractValidator;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every operation of the contract shows what it takes and what it answers: each JSON request body
 * and each JSON response body (the shared problem responses included) has an {@code example} or
 * named {@code examples}, and every example is valid against its schema. The examples are checked
 * with the validator that checks the integration tests' exchanges: a request example as the body of
 * a request to its operation, a response example as the body of that operation's response with that
 * status, so that an example of a shared response is checked for every operation that refers to it.
 * A problem example's {@code status} is its response's. Examples of text bodies (Prometheus text,
 * CSV) must be text.
 */
class ContractExamplesTest {

  /** The value of every uuid path or query parameter the checked requests need. */
  static final String ID = "01a19bc1-50a0-7933-acc3-fc0ec09d0f04";

  static final ObjectMapper JSON = new ObjectMapper();

  static OpenAPI spec;
  static OpenApiInteractionValidator validator;

  /**
   * One body of the contract: an operation's request body, or one of its responses, in one type.
   */
  record Body(
      String operationId,
      PathItem.HttpMethod method,
      String path,
      List<Parameter> parameters,
      Integer status,
      String mediaType,
      MediaType content) {

    boolean isRequest() {
      return status == null;
    }

    boolean isJson() {
      return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    String label() {
      return operationId
          + (isRequest() ? " request body" : " " + status + " response")
          + " ("
          + mediaType
          + ")";
    }
  }

  /** One example of a body; {@code name} is null for the single {@code example}. */
  record BodyExample(Body body, String name, Object value) {

    @Override
    public String toString() {
      return body.label() + (name == null ? " example" : " example '" + name + "'");
    }
  }

  @BeforeAll
  static void load() throws IOException {
    spec = new OpenAPIV3Parser().read(ContractValidator.specPath().toString());
    // Built as ContractValidator builds its own: credentials are not what an example shows.
    validator =
        OpenApiInteractionValidator.createForInlineApiSpecification(
                Files.readString(ContractValidator.specPath()))
            .withLevelResolver(
                LevelResolver.create()
                    .withLevel("validation.request.security.missing", ValidationReport.Level.IGNORE)
                    .build())
            .build();
  }

  @Test
  void everyJsonBodyHasAnExample() {
    List<Body> bodies = bodies();
    assertThat(bodies).anyMatch(Body::isRequest).anyMatch(body -> !body.isRequest());
    assertThat(
            bodies.stream()
                .filter(Body::isJson)
                .filter(body -> examplesOf(body).isEmpty())
                .map(Body::label))
        .as("JSON bodies in openapi.yaml without an example")
        .isEmpty();
  }

  @Test
  void everyExampleMatchesItsSchema() {
    List<BodyExample> examples = bodies().stream().flatMap(b -> examplesOf(b).stream()).toList();
    assertThat(examples)
        .anyMatch(example -> example.body().isRequest())
        .anyMatch(example -> example.body().mediaType().equals("application/problem+json"));
    List<String> failures = new ArrayList<>();
    for (BodyExample example : examples) {
      problemsOf(example).forEach(problem -> failures.add(example + ": " + problem));
    }
    assertThat(failures).as("examples in openapi.yaml that do not match their schema").isEmpty();
  }

  static List<Body> bodies() {
    List<Body> bodies = new ArrayList<>();
    spec.getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap()
                    .forEach(
                        (method, operation) ->
                            bodies.addAll(bodiesOf(path, item, method, operation))));
    return bodies;
  }

  static List<Body> bodiesOf(
      String path, PathItem item, PathItem.HttpMethod method, Operation operation) {
    List<Parameter> parameters = new ArrayList<>();
    for (List<Parameter> declared :
        Arrays.asList(item.getParameters(), operation.getParameters())) {
      if (declared != null) {
        declared.forEach(
            parameter ->
                parameters.add(
                    resolve(parameter, Parameter::get$ref, spec.getComponents().getParameters())));
      }
    }
    List<Body> bodies = new ArrayList<>();
    BiConsumer<Integer, Content> add =
        (status, content) ->
            content.forEach(
                (type, media) ->
                    bodies.add(
                        new Body(
                            operation.getOperationId(),
                            method,
                            path,
                            parameters,
                            status,
                            type,
                            media)));
    RequestBody request =
        resolve(
            operation.getRequestBody(),
            RequestBody::get$ref,
            spec.getComponents().getRequestBodies());
    if (request != null && request.getContent() != null) {
      add.accept(null, request.getContent());
    }
    operation
        .getResponses()
        .forEach(
            (status, declared) -> {
              ApiResponse response =
                  resolve(declared, ApiResponse::get$ref, spec.getComponents().getResponses());
              if (response.getContent() != null) {
                add.accept(Integer.valueOf(status), response.getContent());
              }
            });
    return bodies;
  }

  static List<BodyExample> examplesOf(Body body) {
    List<BodyExample> examples = new ArrayList<>();
    if (body.content().getExample() != null) {
      examples.add(new BodyExample(body, null, body.content().getExample()));
    }
    if (body.content().getExamples() != null) {
      body.content()
          .getExamples()
          .forEach(
              (name, example) ->
                  examples.add(
                      new BodyExample(
                          body,
                          name,
                          resolve(example, Example::get$ref, spec.getComponents().getExamples())
                              .getValue())));
    }
    return examples;
  }

  /** What is wrong with an example: the validator's errors, and a problem's status. */
  static List<String> problemsOf(BodyExample example) {
    Body body = example.body();
    if (example.value() == null) {
      return List.of("has no value");
    }
    if (!body.isJson()) {
      return example.value() instanceof String
          ? List.of()
          : List.of("is not text, as a " + body.mediaType() + " body is");
    }
    String json;
    try {
      json = JSON.writeValueAsString(example.value());
    } catch (JsonProcessingException e) {
      return List.of("cannot be written as JSON: " + e.getMessage());
    }
    String path = concretePath(body);
    Request.Method method = Request.Method.valueOf(body.method().name());
    ValidationReport report =
        body.isRequest()
            ? validator.validateRequest(request(body, method, path, json))
            : validator.validateResponse(
                path,
                method,
                SimpleResponse.Builder.status(body.status())
                    .withContentType(body.mediaType())
                    .withBody(json)
                    .build());
    List<String> problems = new ArrayList<>();
    report.getMessages().stream()
        .filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
        .forEach(message -> problems.add(message.getKey() + ": " + message.getMessage()));
    if (body.mediaType().endsWith("problem+json")) {
      JsonNode status = readTree(json).get("status");
      if (status == null || status.asInt() != body.status()) {
        problems.add("its status is " + status + ", not its response's " + body.status());
      }
    }
    return problems;
  }

  /** A request to the example's operation, with every required query parameter. */
  static Request request(Body body, Request.Method method, String path, String json) {
    SimpleRequest.Builder request =
        new SimpleRequest.Builder(method, path).withContentType(body.mediaType()).withBody(json);
    for (Parameter parameter : body.parameters()) {
      if ("query".equals(parameter.getIn()) && Boolean.TRUE.equals(parameter.getRequired())) {
        request.withQueryParam(parameter.getName(), sample(parameter.getSchema()));
      }
    }
    return request.build();
  }

  static String concretePath(Body body) {
    String path = body.path();
    for (Parameter parameter : body.parameters()) {
      if ("path".equals(parameter.getIn())) {
        path = path.replace("{" + parameter.getName() + "}", sample(parameter.getSchema()));
      }
    }
    return path;
  }

  /** A value a parameter of this schema accepts. */
  static String sample(Schema<?> schema) {
    Schema<?> resolved =
        schema.get$ref() == null
            ? schema
            : spec.getComponents().getSchemas().get(schema.get$ref().replaceAll(".*/", ""));
    if (resolved.getEnum() != null && !resolved.getEnum().isEmpty()) {
      return String.valueOf(resolved.getEnum().get(0));
    }
    if ("uuid".equals(resolved.getFormat())) {
      return ID;
    }
    if ("integer".equals(resolved.getType())) {
      return resolved.getMinimum() == null ? "1" : resolved.getMinimum().toString();
    }
    return "example";
  }

  /** The component a local {@code $ref} names, or the object itself. */
  static <T> T resolve(T value, Function<T, String> ref, Map<String, T> components) {
    if (value == null || ref.apply(value) == null) {
      return value;
    }
    String name = ref.apply(value).substring(ref.apply(value).lastIndexOf('/') + 1);
    T component = components == null ? null : components.get(name);
    assertThat(component).as("the component " + ref.apply(value)).isNotNull();
    return component;
  }

  static JsonNode readTree(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
