package dev.replicator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replicator.testing.Api;
import dev.replicator.testing.ContractValidator;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestServer;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation in openapi.yaml, including operations added later, refuses hostile input with a
 * problem ({@code application/problem+json}) whose 4xx status the contract declares for it, and
 * stores nothing: a JSON body with content after the document, two documents back to back, U+0000
 * in every text field, each field with a JSON type its schema does not allow, the body itself as an
 * array; each query parameter holding U+0000 or 100 characters of junk (which may also be answered
 * with a declared 2xx). The cases are generated from the contract, called as the platform
 * administrator so that authorization hides nothing. Tenant, trust and rule ids are real (a
 * disabled rule without scans, so nothing calls a store or changes rows in the background), other
 * ids are unknown. Operations with neither a request body nor query parameters get no case.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EveryOperationIT {

  static final String NUL = "a\u0000b";
  static final String JUNK = "'\"<>;&=+%#/\\?{}[]|^~`!*()é日本 ".repeat(4).substring(0, 100);
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Cases that cannot show what this test claims, as "METHOD /path case", each with why. They must
   * name cases that the contract still generates ({@link #exclusionsNameGeneratedCases}).
   */
  static final Set<String> EXCLUDED =
      Set.of(
          // U+0000 in every string of an S3 event notification puts it in the event name too, and
          // a record whose event name is no creation is rightly ignored (202). HostileInputIT sends
          // U+0000 in the fields of creation records.
          "POST /api/v1/tenants/{tenantId}/events nul-strings");

  /**
   * Tables left out of the before-and-after count: Flyway's own history, and tables whose rows
   * change when requests are refused. Of those there are none so far: the administrator's bearer
   * token opens no session, and refused requests write neither audit entries nor sign-in attempts
   * (login_failures).
   */
  static final Set<String> CHANGING_TABLES = Set.of("flyway_schema_history");

  /**
   * Path and query parameters that name the resources {@link #start} creates, so requests get past
   * their lookup.
   */
  static final Set<String> REAL_IDS = Set.of("tenantId", "trustId", "ruleId");

  static TestServer server;
  static Api admin;
  static final Map<String, String> ids = new LinkedHashMap<>();
  static String rowsBefore;

  /**
   * One hostile request; {@code mayPass} when the case is valid input a declared 2xx may answer.
   */
  record Case(
      String operation,
      String name,
      String method,
      String path,
      String body,
      boolean mayPass,
      Set<Integer> declared) {

    @Override
    public String toString() {
      return operation + " " + name;
    }
  }

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.LOOPBACK_ALLOWED);
    String tenant = new Fixtures(server).tenant();
    ids.put("tenantId", tenant);
    ids.put(
        "trustId",
        Fixtures.trust(
            server.admin(),
            tenant,
            Map.of(
                "name",
                "trust",
                "type",
                "STATIC",
                "endpoint",
                "http://127.0.0.1:9",
                "region",
                "us-east-1",
                "accessKeyId",
                "key",
                "secretAccessKey",
                "secret")));
    ids.put(
        "ruleId",
        Fixtures.rule(
                server.admin(),
                tenant,
                Fixtures.with(
                    Fixtures.ruleBody(
                        "rule",
                        0,
                        ids.get("trustId"),
                        "source",
                        Fixtures.destination(ids.get("trustId"), "replica")),
                    "status",
                    "DISABLED"))
            .get("id")
            .asText());
    admin = server.admin().unchecked();
    rowsBefore = rowCounts();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static OpenAPI contract() {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    options.setResolveFully(true);
    return new OpenAPIV3Parser().read(ContractValidator.specPath().toString(), null, options);
  }

  static List<Case> generated() {
    List<Case> cases = new ArrayList<>();
    contract()
        .getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap()
                    .forEach(
                        (method, operation) ->
                            cases.addAll(casesOf(method.name(), path, item, operation))));
    return cases;
  }

  static Stream<Case> cases() {
    return generated().stream().filter(c -> !EXCLUDED.contains(c.toString()));
  }

  static List<Case> casesOf(String method, String path, PathItem item, Operation operation) {
    String name = method + " " + path;
    Set<Integer> declared =
        operation.getResponses().keySet().stream()
            .map(Integer::valueOf)
            .collect(Collectors.toCollection(TreeSet::new));
    List<Parameter> parameters = new ArrayList<>();
    if (item.getParameters() != null) {
      parameters.addAll(item.getParameters());
    }
    if (operation.getParameters() != null) {
      parameters.addAll(operation.getParameters());
    }
    String target = path;
    for (Parameter parameter : parameters) {
      if ("path".equals(parameter.getIn()) && !REAL_IDS.contains(parameter.getName())) {
        target = target.replace("{" + parameter.getName() + "}", validText(parameter.getSchema()));
      }
    }
    List<Case> cases = new ArrayList<>();
    if (operation.getRequestBody() != null) {
      MediaType json = operation.getRequestBody().getContent().get("application/json");
      if (json == null) {
        cases.add(new Case(name, "non-JSON body", method, null, null, false, declared));
      } else {
        cases.addAll(bodyCases(name, method, target, json.getSchema(), declared));
      }
    }
    List<Parameter> query = parameters.stream().filter(p -> "query".equals(p.getIn())).toList();
    String junk = URLEncoder.encode(JUNK, StandardCharsets.UTF_8);
    for (Parameter parameter : query) {
      cases.add(
          new Case(
              name,
              "?" + parameter.getName() + "=NUL",
              method,
              target + queryString(query, parameter, "a%00b"),
              null,
              false,
              declared));
      cases.add(
          new Case(
              name,
              "?" + parameter.getName() + "=junk",
              method,
              target + queryString(query, parameter, junk),
              null,
              true,
              declared));
    }
    return cases;
  }

  static List<Case> bodyCases(
      String operation, String method, String path, Schema<?> schema, Set<Integer> declared) {
    Map<String, Object> valid = requiredFields(schema);
    List<Case> cases = new ArrayList<>();
    cases.add(
        new Case(
            operation, "trailing-content", method, path, json(valid) + "xyz", false, declared));
    cases.add(
        new Case(
            operation, "two-documents", method, path, json(valid) + json(valid), false, declared));
    cases.add(
        new Case(operation, "nul-strings", method, path, json(withNul(schema)), false, declared));
    cases.add(
        new Case(operation, "array-body", method, path, "[" + json(valid) + "]", false, declared));
    properties(schema)
        .forEach(
            (field, fieldSchema) -> {
              Map<String, Object> body = new LinkedHashMap<>(valid);
              body.put(field, wrongType(fieldSchema));
              cases.add(
                  new Case(
                      operation, "wrong-type " + field, method, path, json(body), false, declared));
            });
    return cases;
  }

  static String queryString(List<Parameter> query, Parameter hostile, String value) {
    return query.stream()
        .filter(p -> p == hostile || Boolean.TRUE.equals(p.getRequired()))
        .map(
            p ->
                p.getName()
                    + "="
                    + (p == hostile
                        ? value
                        : REAL_IDS.contains(p.getName())
                            ? "{" + p.getName() + "}"
                            : validText(p.getSchema())))
        .collect(Collectors.joining("&", "?", ""));
  }

  @Test
  @Order(1)
  void exclusionsNameGeneratedCases() {
    Set<String> generated = generated().stream().map(Case::toString).collect(Collectors.toSet());
    assertThat(generated).containsAll(EXCLUDED);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  @Order(2)
  void isRefusedWithADeclaredProblem(Case hostile) {
    assertThat(hostile.path())
        .as("cannot build this request: add the case to EXCLUDED, saying why")
        .isNotNull();
    String path = hostile.path();
    for (Map.Entry<String, String> id : ids.entrySet()) {
      path = path.replace("{" + id.getKey() + "}", id.getValue());
    }
    Api.Response response =
        admin.send(
            hostile.method(),
            path,
            hostile.body(),
            hostile.body() == null ? null : "application/json");

    assertThat(hostile.declared()).as("statuses openapi.yaml declares").contains(response.status());
    if (hostile.mayPass() && response.status() < 300) {
      return;
    }
    assertThat(response.status()).as(response.body()).isBetween(400, 499);
    assertThat(response.contentType()).as(response.body()).startsWith("application/problem+json");
  }

  @Test
  @Order(3)
  void nothingWasStored() {
    assertThat(rowCounts()).isEqualTo(rowsBefore);
  }

  static String rowCounts() {
    return Sql.rowCounts(
        server.database(),
        Sql.tables(server.database()).stream().filter(t -> !CHANGING_TABLES.contains(t)).toList());
  }

  /** The fields of an object schema; of a {@code oneOf} of objects, every alternative's. */
  static Map<String, Schema> properties(Schema<?> schema) {
    if (schema.getOneOf() != null) {
      Map<String, Schema> all = new LinkedHashMap<>();
      schema.getOneOf().forEach(alternative -> all.putAll(properties(alternative)));
      return all;
    }
    return schema.getProperties() == null ? Map.of() : schema.getProperties();
  }

  /** A valid object: its required fields; of a {@code oneOf}, those of its first alternative. */
  static Map<String, Object> requiredFields(Schema<?> schema) {
    if (schema.getOneOf() != null) {
      return requiredFields(schema.getOneOf().get(0));
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
    properties(schema)
        .forEach(
            (field, fieldSchema) -> {
              if (required.contains(field)) {
                fields.put(field, validValue(fieldSchema));
              }
            });
    return fields;
  }

  static Object validValue(Schema<?> given) {
    Schema<?> schema = plain(given);
    return switch (typeOf(schema)) {
      case "boolean" -> false;
      case "integer", "number" -> schema.getMinimum() == null ? 1 : schema.getMinimum().intValue();
      case "array" -> List.of(validValue(schema.getItems()));
      case "object" -> requiredFields(schema);
      default -> validText(schema);
    };
  }

  static String validText(Schema<?> given) {
    Schema<?> schema = plain(given);
    if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
      return String.valueOf(schema.getEnum().get(0));
    }
    String format = schema.getFormat() == null ? "" : schema.getFormat();
    return switch (format) {
      case "uuid" -> UUID.randomUUID().toString();
      case "date-time" -> "2026-01-01T00:00:00Z";
      case "email" -> "someone@example.com";
      case "uri" -> "https://example.com/";
      default -> {
        int length = Math.max(schema.getMinLength() == null ? 8 : schema.getMinLength(), 8);
        yield "x"
            .repeat(
                schema.getMaxLength() == null ? length : Math.min(length, schema.getMaxLength()));
      }
    };
  }

  /**
   * The schema's fields, optional ones too, with U+0000 in every text and valid values elsewhere.
   */
  static Object withNul(Schema<?> given) {
    Schema<?> schema = plain(given);
    return switch (typeOf(schema)) {
      case "string" -> NUL;
      case "array" -> List.of(withNul(schema.getItems()));
      case "object" -> {
        Map<String, Object> fields = new LinkedHashMap<>();
        properties(schema).forEach((field, fieldSchema) -> fields.put(field, withNul(fieldSchema)));
        yield fields;
      }
      default -> validValue(schema);
    };
  }

  static Object wrongType(Schema<?> schema) {
    return switch (typeOf(schema)) {
      case "string" -> 12345;
      case "boolean" -> "true";
      case "integer", "number" -> "1";
      case "array" -> "x";
      default -> List.of("x");
    };
  }

  static String typeOf(Schema<?> given) {
    Schema<?> schema = plain(given);
    if (schema.getType() != null) {
      return schema.getType();
    }
    return properties(schema).isEmpty() ? "string" : "object";
  }

  /**
   * A field written {@code allOf: [{$ref: ...}]} (to give it a default) as the schema it refers to.
   */
  static Schema<?> plain(Schema<?> schema) {
    if (schema instanceof ComposedSchema composed
        && composed.getAllOf() != null
        && composed.getAllOf().size() == 1) {
      return plain(composed.getAllOf().get(0));
    }
    return schema;
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
