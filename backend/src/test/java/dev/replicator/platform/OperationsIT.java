package dev.replicator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replicator.testing.Api;
import dev.replicator.testing.ContractValidator;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.TestServer;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Health, metrics, the served contract and the dashboard's static files. */
class OperationsIT {

  static TestServer server;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> raw(String path, String accept)
      throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
            .header("Accept", accept)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthIsUpWhileTheDatabaseAnswers() {
    Api.Response health = server.api().get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asText()).isEqualTo("UP");
  }

  @Test
  void prometheusServesMetricsIncludingHttpRequests() {
    server.admin().get("/api/v1/tenants");
    Api.Response metrics = server.api().get("/prometheus");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.contentType()).startsWith("text/plain");
    assertThat(metrics.body())
        .contains("jvm_memory_used_bytes")
        .contains("http_server_requests_seconds_count");
  }

  @Test
  void theServedContractIsTheRepositorysOpenapiYaml() throws IOException {
    Api.Response spec = server.api().get("/openapi.yaml");
    assertThat(spec.status()).isEqualTo(200);
    assertThat(spec.body()).isEqualTo(Files.readString(ContractValidator.specPath()));
  }

  @Test
  void everyRouteOfTheServerIsInTheContractAndEveryContractPathIsARoute() {
    Set<String> served = new TreeSet<>();
    server
        .context()
        .getBean(Router.class)
        .uriRoutes()
        .map(route -> (UriRouteInfo<?, ?>) route)
        .filter(route -> !route.getHttpMethodName().equals("HEAD"))
        .forEach(
            route ->
                served.add(
                    route.getHttpMethodName() + " " + route.getUriMatchTemplate().toPathString()));
    served.add("GET /health");
    served.add("GET /prometheus");

    OpenAPI contract = new OpenAPIV3Parser().read(ContractValidator.specPath().toString());
    Set<String> documented = new TreeSet<>();
    contract
        .getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap()
                    .keySet()
                    .forEach(
                        (PathItem.HttpMethod method) ->
                            documented.add(method.name().toUpperCase(Locale.ROOT) + " " + path)));

    assertThat(documented).isEqualTo(served);
  }

  @Test
  void theDashboardIsServedAtTheRootAndForClientSideRoutes() throws Exception {
    HttpResponse<String> root = raw("/", "text/html");
    assertThat(root.statusCode()).isEqualTo(200);
    assertThat(root.body()).contains("<div id=\"root\">");

    HttpResponse<String> route =
        raw(
            "/tenants/" + new Fixtures(server).tenant() + "/tokens",
            "text/html,application/xhtml+xml");
    assertThat(route.statusCode()).isEqualTo(200);
    assertThat(route.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(route.body()).isEqualTo(root.body());
  }

  @Test
  void aMissingAssetOrApiPathIsA404NotTheDashboard() throws Exception {
    HttpResponse<String> asset = raw("/assets/missing-1234.js", "*/*");
    assertThat(asset.statusCode()).isEqualTo(404);
    assertThat(asset.body()).doesNotContain("<div id=\"root\">");

    HttpResponse<String> api = raw("/api/v1/tenants/x/nothing", "text/html");
    assertThat(api.statusCode()).isIn(401, 404);
    assertThat(api.body()).doesNotContain("<div id=\"root\">");

    HttpResponse<String> json = raw("/tenants/abc", "application/json");
    assertThat(json.statusCode()).isEqualTo(404);
    assertThat(json.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
  }
}
