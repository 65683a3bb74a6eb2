package dev.replicator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replicator.testing.ContractValidator;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The contract names every operation (operationId, unique and camelCase), so clients generated from
 * it — the dashboard's, a user's — get stable method names.
 */
class ContractShapeTest {

  private record Named(String route, String operationId) {}

  @Test
  void everyOperationHasAUniqueCamelCaseOperationId() {
    OpenAPI spec = new OpenAPIV3Parser().read(ContractValidator.specPath().toString());
    List<Named> operations = new ArrayList<>();
    spec.getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap()
                    .forEach(
                        (method, operation) ->
                            operations.add(new Named(method + " " + path, id(operation)))));

    assertThat(operations).isNotEmpty();
    assertThat(operations)
        .as("operations without an operationId")
        .allSatisfy(named -> assertThat(named.operationId()).as(named.route()).isNotBlank());
    assertThat(operations)
        .allSatisfy(
            named ->
                assertThat(named.operationId()).as(named.route()).matches("[a-z][a-zA-Z0-9]*"));
    Map<String, List<String>> byId =
        operations.stream()
            .collect(
                Collectors.groupingBy(
                    Named::operationId, Collectors.mapping(Named::route, Collectors.toList())));
    assertThat(byId.values().stream().filter(routes -> routes.size() > 1).toList())
        .as("operationIds used twice")
        .isEmpty();
  }

  private static String id(Operation operation) {
    return operation.getOperationId() == null ? "" : operation.getOperationId();
  }
}
