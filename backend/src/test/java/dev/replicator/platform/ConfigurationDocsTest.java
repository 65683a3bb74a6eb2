package dev.replicator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replicator.testing.ContractValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's configuration table names exactly the environment variables the server reads
 * (application.yml and logback.xml), each with the default the server applies.
 */
class ConfigurationDocsTest {

  /** {@code ${NAME:default}} in application.yml, {@code ${NAME:-default}} in logback.xml. */
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):-?([^}]*)}");

  /** A row of the table: {@code | `NAME` | default | meaning |}. */
  private static final Pattern ROW =
      Pattern.compile("^\\| `([A-Z][A-Z0-9_]*)` \\|([^|]*)\\|", Pattern.MULTILINE);

  private static final Pattern FIRST_CODE = Pattern.compile("`([^`]*)`");

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
