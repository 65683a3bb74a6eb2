package dev.replicator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replicator.testing.ContractValidator;
import io.micronaut.core.bind.annotation.Bindable;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's configuration table names exactly the environment variables the server reads
 * (application.yml and logback.xml), each with the default the server applies; and the default a
 * settings record binds when a key is not set at all is the one application.yml gives the key's
 * variable, so that a default is one value wherever it is written.
 */
class ConfigurationDocsTest {

  /** {@code ${NAME:default}} in application.yml, {@code ${NAME:-default}} in logback.xml. */
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):-?([^}]*)}");

  /** A row of the table: {@code | `NAME` | default | meaning |}. */
  private static final Pattern ROW =
      Pattern.compile("^\\| `([A-Z][A-Z0-9_]*)` \\|([^|]*)\\|", Pattern.MULTILINE);

  private static final Pattern FIRST_CODE = Pattern.compile("`([^`]*)`");

  /** {@code @ConfigurationProperties("prefix")} in a source file. */
  private static final Pattern SETTINGS =
      Pattern.compile("@ConfigurationProperties\\(\"([a-z.-]+)\"\\)\\s*public record (\\w+)");

  private static final Pattern YAML_ENTRY = Pattern.compile("^( *)([\\w.-]+):(.*)$");

  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

  @Test
  void everySettingsRecordDefaultsAsApplicationYmlDoes() throws Exception {
    Path root = ContractValidator.specPath().getParent();
    Map<String, String> yml =
        flatten(Files.readAllLines(root.resolve("backend/src/main/resources/application.yml")));
    Map<String, String> checked = new TreeMap<>();
    try (var sources = Files.walk(root.resolve("backend/src/main/java"))) {
      for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
        String text = Files.readString(source);
        Matcher settings = SETTINGS.matcher(text);
        Matcher pkg = PACKAGE.matcher(text);
        if (!settings.find() || !pkg.find()) {
          continue;
        }
        Class<?> record = Class.forName(pkg.group(1) + "." + settings.group(2));
        for (RecordComponent component : record.getRecordComponents()) {
          // @Bindable targets parameters, fields and methods: on a record it reaches the accessor.
          Bindable bindable = component.getAccessor().getAnnotation(Bindable.class);
          String key = settings.group(1) + "." + kebab(component.getName());
          Matcher placeholder = PLACEHOLDER.matcher(yml.getOrDefault(key, ""));
          if (bindable == null || !placeholder.matches()) {
            continue;
          }
          assertThat(bindable.defaultValue())
              .as("the default of %s in %s and in application.yml", key, record.getSimpleName())
              .isEqualTo(placeholder.group(2).strip());
          checked.put(key, bindable.defaultValue());
        }
      }
    }
    assertThat(checked)
        .as("defaults checked")
        .containsKeys(
            "replicator.worker.concurrency", "replicator.batch.page-size", "replicator.data-dir");
  }

  /** {@code key: value} lines of a YAML file as {@code parent.child.key} (no lists or flows). */
  private static Map<String, String> flatten(List<String> lines) {
    Map<String, String> flat = new TreeMap<>();
    List<String> path = new ArrayList<>();
    List<Integer> indents = new ArrayList<>();
    for (String line : lines) {
      Matcher entry = YAML_ENTRY.matcher(line);
      if (!entry.matches()) {
        continue;
      }
      int indent = entry.group(1).length();
      while (!indents.isEmpty() && indents.get(indents.size() - 1) >= indent) {
        indents.remove(indents.size() - 1);
        path.remove(path.size() - 1);
      }
      path.add(entry.group(2));
      indents.add(indent);
      if (!entry.group(3).isBlank()) {
        flat.put(String.join(".", path), entry.group(3).strip());
      }
    }
    return flat;
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
  }

  @Test
  void readmeNamesEveryVariableWithItsDefault() throws IOException {
    Path root = ContractValidator.specPath().getParent();
    Map<String, String> server = new TreeMap<>();
    for (String resource : new String[] {"application.yml", "logback.xml"}) {
      Matcher m =
          PLACEHOLDER.matcher(
              Files.readString(root.resolve("backend/src/main/resources").resolve(resource)));
      while (m.find()) {
        server.put(m.group(1), m.group(2).strip());
      }
    }
    String readme = Files.readString(root.resolve("README.md"));
    String table = readme.substring(readme.indexOf("## Configuration"));
    table = table.substring(0, table.indexOf("\n## "));
    Map<String, String> documented = new TreeMap<>();
    Matcher row = ROW.matcher(table);
    while (row.find()) {
      documented.put(row.group(1), row.group(2).strip());
    }

    assertThat(documented.keySet()).as("variables in README").isEqualTo(server.keySet());
    server.forEach(
        (name, value) -> {
          if (!value.isEmpty()) {
            Matcher code = FIRST_CODE.matcher(documented.get(name));
            assertThat(code.find() ? code.group(1) : documented.get(name))
                .as("README's default of " + name)
                .isEqualTo(value);
          }
        });
  }
}
