package dev.replicator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replicator.testing.ContractValidator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/**
 * The server's validation constraints and the contract's agree, field by field, for every request
 * body a controller takes: the bean-validation annotations on the body's records ({@code @Size},
 * {@code @Pattern}, {@code @NotNull}/{@code @NotBlank}, {@code @Min}/{@code @Max}, enum constants)
 * against the schema that the route's operation names in openapi.yaml (lengths and item counts,
 * patterns, required properties, bounds, enum values). Patterns are compared by what they accept: a
 * set of probe strings must be accepted by both or by neither (the contract's patterns are ECMA-262
 * searches, the server's Java full matches), and every string the server reads refuses U+0000
 * ({@code StrictStringDeserializer}).
 *
 * <p>A rule's lengths, patterns and bounds are checked on the rule itself ({@code
 * RuleDraft.problems()}), because rules also arrive as AWS replication configurations; for its
 * input records only presence, required fields and enums are compared here, and {@code BadInputIT}
 * and {@code RuleApiIT} prove the rest. The same holds for a trust's role ARN ({@code
 * TrustSettings}).
 */
class ConstraintsAgreementTest {

  /**
   * Request records whose lengths, patterns and bounds are checked in the domain, not by
   * annotations.
   */
  private static final Set<String> CHECKED_IN_DOMAIN =
      Set.of(
          "RuleInput",
          "SourceInput",
          "FilterInput",
          "DestinationInput",
          "ReplicationTimeInput",
          "CreateTrust.roleArn",
          "UpdateTrust.roleArn");

  /**
   * Fields the server reads only to refuse them with a message saying what to do instead, which the
   * contract leaves out (its {@code additionalProperties: false} refuses them too).
   */
  private static final Set<String> READ_TO_REFUSE = Set.of("CreateTrust.externalId");

  private static final java.util.regex.Pattern CONTROLLER =
      java.util.regex.Pattern.compile("^package ([\\w.]+);", java.util.regex.Pattern.MULTILINE);

  /** Strings that tell the patterns of names, buckets, prefixes, keys and ARNs apart. */
  private static final List<String> PROBES =
      List.of(
          "",
          " ",
          "a",
          "ab",
          "abc",
          "my-bucket",
          "my.bucket.example",
          "My_Bucket",
          "-bucket",
          "bucket-",
          "a".repeat(63),
          "a".repeat(64),
          "192.168.0.1",
          "logs/2026/",
          "a b",
          "a\tb",
          "a\nb",
          "a\u0000b",
          "a\u001fb",
          "a\u007fb",
          "é",
          "ü-name",
          "x\u200by",
          "alice@example.com",
          "not-an-email",
          "arn:aws:iam::123456789012:role/replicator",
          "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
          "https://hooks.example.com/replicator",
          "http://127.0.0.1:9000",
          "STANDARD",
          "Department",
          "key=value",
          "session.failed",
          "rule.created",
          "UPPER",
          "0",
          "42");

  private record Mismatch(String where, String what) {
    @Override
    public String toString() {
      return where + ": " + what;
    }
  }

  @Test
  void everyRequestBodyIsConstrainedAsTheContractSays() throws Exception {
    OpenAPI spec = new OpenAPIV3Parser().read(ContractValidator.specPath().toString());
    Path sources = ContractValidator.specPath().getParent().resolve("backend/src/main/java");
    List<Mismatch> mismatches = new ArrayList<>();
    Set<String> compared = new TreeSet<>();
    try (var files = Files.walk(sources)) {
      for (Path file : files.filter(p -> p.toString().endsWith("Controller.java")).toList()) {
        String text = Files.readString(file);
        Matcher pkg = CONTROLLER.matcher(text);
        if (!text.contains("@Controller(") || !pkg.find()) {
          continue;
        }
        String name = file.getFileName().toString().replace(".java", "");
        Class<?> controller = Class.forName(pkg.group(1) + "." + name);
        for (Method method : controller.getDeclaredMethods()) {
          for (var parameter : method.getParameters()) {
            if (!parameter.isAnnotationPresent(Body.class) || !parameter.getType().isRecord()) {
              continue;
            }
            String route = route(controller, method);
            Schema<?> schema = requestSchema(spec, route);
            assertThat(schema).as("the contract's request body of %s", route).isNotNull();
            compare(spec, route, parameter.getType(), schema, mismatches, new HashSet<>());
            compared.add(route + " " + parameter.getType().getSimpleName());
          }
        }
      }
    }
    assertThat(compared)
        .as("request bodies compared")
        .anyMatch(route -> route.contains("CreateTrust"))
        .anyMatch(route -> route.contains("RuleInput"))
        .anyMatch(route -> route.contains("BatchJobRequest"));
    assertThat(mismatches)
        .as("constraints that differ between the server and openapi.yaml")
        .isEmpty();
  }

  /** {@code METHOD /path} of a controller method that takes a body, in the contract's spelling. */
  private static String route(Class<?> controller, Method method) {
    String base = controller.getAnnotation(Controller.class).value();
    String verb;
    String path;
    if (method.isAnnotationPresent(Post.class)) {
      verb = "POST";
      path =
          first(method.getAnnotation(Post.class).value(), method.getAnnotation(Post.class).uri());
    } else if (method.isAnnotationPresent(Put.class)) {
      verb = "PUT";
      path = first(method.getAnnotation(Put.class).value(), method.getAnnotation(Put.class).uri());
    } else if (method.isAnnotationPresent(Patch.class)) {
      verb = "PATCH";
      path =
          first(method.getAnnotation(Patch.class).value(), method.getAnnotation(Patch.class).uri());
    } else {
      throw new AssertionError(
          controller.getSimpleName() + "." + method.getName() + " has no verb");
    }
    String full = (base + (path.equals("/") ? "" : path)).replaceAll("/+$", "");
    return verb + " " + full;
  }

  private static String first(String value, String uri) {
    return value.isEmpty() || value.equals("/") ? uri : value;
  }

  /** The schema of the JSON request body of {@code route}, its parameter names ignored. */
  private static @Nullable Schema<?> requestSchema(OpenAPI spec, String route) {
    String verb = route.substring(0, route.indexOf(' '));
    String path = shape(route.substring(route.indexOf(' ') + 1));
    for (Map.Entry<String, PathItem> entry : spec.getPaths().entrySet()) {
      if (!shape(entry.getKey()).equals(path)) {
        continue;
      }
      Operation operation =
          entry.getValue().readOperationsMap().get(PathItem.HttpMethod.valueOf(verb));
      if (operation == null || operation.getRequestBody() == null) {
        return null;
      }
      var media = operation.getRequestBody().getContent().get("application/json");
      return media == null ? null : resolve(spec, media.getSchema());
    }
    return null;
  }

  private static String shape(String path) {
    return path.replaceAll("\\{[^}]*}", "{}");
  }

  /** Follows {@code $ref}s, and a single-element {@code allOf} (a reference with a default). */
  private static Schema<?> resolve(OpenAPI spec, Schema<?> schema) {
    Schema<?> current = schema;
    while (current != null) {
      if (current.get$ref() != null) {
        String name = current.get$ref().substring(current.get$ref().lastIndexOf('/') + 1);
        current = spec.getComponents().getSchemas().get(name);
      } else if (current.getAllOf() != null && current.getAllOf().size() == 1) {
        current = current.getAllOf().get(0);
      } else {
        return current;
      }
    }
    return null;
  }

  private static void compare(
      OpenAPI spec,
      String where,
      Class<?> record,
      Schema<?> schema,
      List<Mismatch> mismatches,
      Set<Class<?>> seen) {
    if (!seen.add(record)) {
      return;
    }
    schema = alternativesAsOne(spec, schema);
    Map<String, Schema> properties =
        schema.getProperties() == null ? Map.of() : schema.getProperties();
    List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
    for (RecordComponent component : record.getRecordComponents()) {
      String name = record.getSimpleName() + "." + component.getName();
      String field = where + " " + name;
      Schema<?> property = properties.get(component.getName());
      if (property == null) {
        if (!READ_TO_REFUSE.contains(name)
            || !Boolean.FALSE.equals(schema.getAdditionalProperties())) {
          mismatches.add(new Mismatch(field, "not in the contract's schema"));
        }
        continue;
      }
      property = resolve(spec, property);
      AnnotatedElement annotated = annotations(record, component);
      boolean mustBePresent =
          has(annotated, NotNull.class)
              || has(annotated, NotBlank.class)
              || has(annotated, NotEmpty.class)
              || component.getType().isPrimitive();
      if (mustBePresent != required.contains(component.getName())) {
        mismatches.add(
            new Mismatch(
                field,
                mustBePresent
                    ? "the server requires it, the contract does not list it as required"
                    : "the contract requires it, the server accepts it missing"));
      }
      boolean collection = Collection.class.isAssignableFrom(component.getType());
      if (!CHECKED_IN_DOMAIN.contains(record.getSimpleName())
          && !CHECKED_IN_DOMAIN.contains(name)) {
        compareValues(field, component, annotated, property, collection, mismatches);
      }
      Class<?> type = component.getType();
      if (type.isEnum()) {
        sameEnum(field, type, property, mismatches);
      } else if (type.isRecord()) {
        compare(spec, where, type, property, mismatches, seen);
      } else if (collection) {
        Class<?> element = elementType(component.getGenericType());
        Schema<?> items = resolve(spec, property.getItems());
        if (element != null && items != null) {
          if (element.isRecord()) {
            compare(spec, where, element, items, mismatches, seen);
          } else if (element.isEnum()) {
            sameEnum(field + "[]", element, items, mismatches);
          }
        }
      }
    }
  }

  /**
   * A {@code oneOf} of objects (a login by password or by token, a manifest as text or as an
   * object) as the one record the server reads it into: every alternative's properties, required
   * where every alternative requires them, closed where every alternative is. Which alternative a
   * body is, the server decides in code.
   */
  private static Schema<?> alternativesAsOne(OpenAPI spec, Schema<?> schema) {
    if (schema.getOneOf() == null) {
      return schema;
    }
    Map<String, Schema> properties = new LinkedHashMap<>();
    List<String> required = null;
    boolean closed = true;
    for (Schema<?> given : schema.getOneOf()) {
      Schema<?> alternative = resolve(spec, given);
      if (alternative.getProperties() != null) {
        alternative.getProperties().forEach(properties::putIfAbsent);
      }
      List<String> own = alternative.getRequired() == null ? List.of() : alternative.getRequired();
      required = required == null ? own : required.stream().filter(own::contains).toList();
      closed &= Boolean.FALSE.equals(alternative.getAdditionalProperties());
    }
    return new ObjectSchema()
        .properties(properties)
        .required(required == null ? List.of() : new ArrayList<>(required))
        .additionalProperties(!closed);
  }

  /** Lengths or item counts, numeric bounds and, for strings, what the patterns accept. */
  private static void compareValues(
      String field,
      RecordComponent component,
      AnnotatedElement annotated,
      Schema<?> property,
      boolean collection,
      List<Mismatch> mismatches) {
    Size size = annotated.getAnnotation(Size.class);
    Integer min = collection ? property.getMinItems() : property.getMinLength();
    Integer max = collection ? property.getMaxItems() : property.getMaxLength();
    int serverMin = size == null ? 0 : size.min();
    if (has(annotated, NotBlank.class) || has(annotated, NotEmpty.class)) {
      serverMin = Math.max(serverMin, 1);
    }
    equal(
        field, collection ? "minItems" : "minLength", serverMin, min == null ? 0 : min, mismatches);
    equal(
        field,
        collection ? "maxItems" : "maxLength",
        size == null || size.max() == Integer.MAX_VALUE ? null : size.max(),
        max,
        mismatches);
    Min lower = annotated.getAnnotation(Min.class);
    Max upper = annotated.getAnnotation(Max.class);
    equal(
        field,
        "minimum",
        lower == null ? null : lower.value(),
        longOf(property.getMinimum()),
        mismatches);
    equal(
        field,
        "maximum",
        upper == null ? null : upper.value(),
        longOf(property.getMaximum()),
        mismatches);
    if (component.getType() == String.class) {
      Pattern pattern = annotated.getAnnotation(Pattern.class);
      samePattern(
          field, pattern == null ? null : pattern.regexp(), property.getPattern(), mismatches);
    }
  }

  /** A component's annotations: on records they reach the field or the accessor by target. */
  private static AnnotatedElement annotations(Class<?> record, RecordComponent component) {
    List<Annotation> all = new ArrayList<>(Arrays.asList(component.getAccessor().getAnnotations()));
    try {
      all.addAll(Arrays.asList(record.getDeclaredField(component.getName()).getAnnotations()));
    } catch (NoSuchFieldException e) {
      throw new AssertionError(e);
    }
    return new AnnotatedElement() {
      @Override
      public <T extends Annotation> T getAnnotation(Class<T> type) {
        return all.stream().filter(type::isInstance).map(type::cast).findFirst().orElse(null);
      }

      @Override
      public Annotation[] getAnnotations() {
        return all.toArray(Annotation[]::new);
      }

      @Override
      public Annotation[] getDeclaredAnnotations() {
        return getAnnotations();
      }
    };
  }

  private static boolean has(AnnotatedElement element, Class<? extends Annotation> type) {
    return element.getAnnotation(type) != null;
  }

  private static @Nullable Class<?> elementType(Type type) {
    if (type instanceof ParameterizedType parameterized
        && parameterized.getActualTypeArguments()[0] instanceof Class<?> element) {
      return element;
    }
    return null;
  }

  private static @Nullable Long longOf(@Nullable BigDecimal value) {
    return value == null ? null : value.longValueExact();
  }

  private static void equal(
      String field,
      String keyword,
      @Nullable Object server,
      @Nullable Object contract,
      List<Mismatch> out) {
    if (server == null ? contract != null : !server.equals(contract)) {
      out.add(new Mismatch(field, keyword + ": server " + server + ", contract " + contract));
    }
  }

  /**
   * Whether the server's pattern (a full match, absent: any string) and the contract's (a search,
   * absent: any string) accept the same probes. Probes with U+0000 are left out: the server refuses
   * it in every string, and the contract says so once for all strings.
   */
  private static void samePattern(
      String field, @Nullable String server, @Nullable String contract, List<Mismatch> out) {
    java.util.regex.Pattern full =
        java.util.regex.Pattern.compile(server == null ? "(?s).*" : server);
    java.util.regex.Pattern search =
        java.util.regex.Pattern.compile(contract == null ? "" : contract);
    List<String> disagree =
        PROBES.stream()
            .filter(probe -> probe.indexOf(0) < 0)
            .filter(probe -> full.matcher(probe).matches() != search.matcher(probe).find())
            .map(ConstraintsAgreementTest::visible)
            .toList();
    if (!disagree.isEmpty()) {
      out.add(
          new Mismatch(
              field,
              "pattern: server "
                  + server
                  + " and contract "
                  + contract
                  + " disagree on "
                  + disagree));
    }
  }

  private static String visible(String probe) {
    StringBuilder shown = new StringBuilder("\"");
    probe
        .codePoints()
        .forEach(
            c ->
                shown.append(
                    c < 0x20 || c == 0x7f || c == 0x200b
                        ? String.format("\\u%04x", c)
                        : new String(Character.toChars(c))));
    return shown.append('"').toString();
  }

  private static void sameEnum(
      String field, Class<?> type, Schema<?> property, List<Mismatch> out) {
    Set<String> server = new TreeSet<>();
    for (Object constant : type.getEnumConstants()) {
      server.add(((Enum<?>) constant).name());
    }
    Set<String> contract = new TreeSet<>();
    if (property.getEnum() != null) {
      property.getEnum().forEach(value -> contract.add(String.valueOf(value)));
    }
    if (!server.equals(contract)) {
      out.add(new Mismatch(field, "enum: server " + server + ", contract " + contract));
    }
  }
}
