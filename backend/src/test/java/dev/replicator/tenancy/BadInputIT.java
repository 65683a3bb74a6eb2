package dev.replicator.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Api;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.TestServer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input of every kind gets a 4xx problem+json with a detail a person can act on, never a 500,
 * and changes nothing: after every case the tenants, tokens, users and audit log are exactly as
 * before.
 */
class BadInputIT {

  static TestServer server;
  static String tenant;
  static String snapshot;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    Fixtures fixtures = new Fixtures(server);
    tenant = fixtures.tenant();
    fixtures.token(tenant, "ADMIN");
    snapshot = snapshot();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void nothingWasStored() {
    assertThat(snapshot()).isEqualTo(snapshot);
  }

  static String snapshot() {
    Api admin = server.admin();
    return admin.get("/api/v1/tenants").body()
        + admin.get("/api/v1/tenants/" + tenant + "/tokens").body()
        + admin.get("/api/v1/tenants/" + tenant + "/users").body()
        + admin.get("/api/v1/tenants/" + tenant + "/audit").body();
  }

  static Stream<Arguments> malformedBodies() {
    String tenants = "/api/v1/tenants";
    String tokens = "/api/v1/tenants/{tenant}/tokens";
    String users = "/api/v1/tenants/{tenant}/users";
    return Stream.of(
        Arguments.of(tenants, "{", 400, "not valid JSON"),
        Arguments.of(tenants, "{\"name\": \"x\",}", 400, "not valid JSON"),
        Arguments.of(tenants, "[]", 400, ""),
        Arguments.of(tenants, "\"acme\"", 400, ""),
        Arguments.of(tenants, "null", 400, ""),
        Arguments.of(tenants, "", 400, ""),
        Arguments.of(tenants, "{}", 400, "name"),
        Arguments.of(tenants, "{\"name\": \"\"}", 400, "name"),
        Arguments.of(tenants, "{\"name\": \"   \"}", 400, "name"),
        Arguments.of(tenants, "{\"name\": null}", 400, "name"),
        Arguments.of(tenants, "{\"name\": {\"nested\": 1}}", 400, ""),
        Arguments.of(tenants, "{\"name\": [\"a\"]}", 400, ""),
        Arguments.of(tenants, "{\"name\": \"" + "x".repeat(101) + "\"}", 400, "name"),
        Arguments.of(tenants, "{\"name\": \"a\\u0000b\"}", 400, "name"),
        Arguments.of(tenants, "{\"name\": \"acme\", \"plan\": \"gold\"}", 400, "'plan'"),
        Arguments.of(tokens, "{\"name\": \"ci\"}", 400, "role"),
        Arguments.of(tokens, "{\"name\": \"ci\", \"role\": \"ROOT\"}", 400, ""),
        Arguments.of(tokens, "{\"name\": \"ci\", \"role\": \"admin\"}", 400, ""),
        Arguments.of(tokens, "{\"name\": \"ci\", \"role\": 1}", 400, ""),
        Arguments.of(
            tokens,
            "{\"name\": \"ci\", \"role\": \"VIEWER\", \"token\": \"rpl_chosen\"}",
            400,
            "'token'"),
        Arguments.of(
            users,
            "{\"email\": \"not-an-email\", \"password\": \"a-long-enough-password\", \"role\": \"VIEWER\"}",
            400,
            "email"),
        Arguments.of(
            users,
            "{\"email\": \"bob@example.com\", \"password\": \"short\", \"role\": \"VIEWER\"}",
            400,
            "password"),
        Arguments.of(
            users,
            "{\"email\": \"bob@example.com\", \"password\": \""
                + "p".repeat(300)
                + "\", \"role\": \"VIEWER\"}",
            400,
            "password"),
        Arguments.of(
            users, "{\"email\": \"bob@example.com\", \"role\": \"VIEWER\"}", 400, "password"),
        Arguments.of(
            users,
            "{\"email\": \"bob@example.com\", \"password\": \"a-long-enough-password\", \"role\": \"VIEWER\", \"admin\": true}",
            400,
            "'admin'"));
  }

  @ParameterizedTest(name = "{0} <- {1}")
  @MethodSource("malformedBodies")
  void malformedBodiesAreRejectedWithAProblem(
      String path, String body, int status, String detailMentions) {
    Api.Response response =
        server
            .admin()
            .unchecked()
            .send("POST", path.replace("{tenant}", tenant), body, "application/json");
    assertProblem(response, status);
    assertThat(response.json().get("detail").asText()).contains(detailMentions);
  }

  @Test
  void validationProblemsListEachInvalidField() {
    Api.Response response =
        server
            .admin()
            .unchecked()
            .send(
                "POST",
                "/api/v1/tenants/" + tenant + "/users",
                "{\"email\": \"nope\", \"password\": \"short\", \"role\": \"VIEWER\"}",
                "application/json");
    assertProblem(response, 400);
    JsonNode errors = response.json().get("errors");
    assertThat(errors)
        .extracting(e -> e.get("field").asText())
        .containsExactly("email", "password");
  }

  @Test
  void aBodyThatIsNotJsonIsUnsupported() {
    Api.Response response =
        server.admin().unchecked().send("POST", "/api/v1/tenants", "name=acme", "text/plain");
    assertProblem(response, 415);
    assertThat(response.json().get("detail").asText()).contains("application/json");
  }

  @Test
  void badPaginationParametersAreRejected() {
    Api admin = server.admin().unchecked();
    assertProblem(admin.get("/api/v1/tenants?limit=0"), 400);
    assertProblem(admin.get("/api/v1/tenants?limit=1001"), 400);
    assertProblem(admin.get("/api/v1/tenants?limit=ten"), 400);
    Api.Response cursor = admin.get("/api/v1/tenants?cursor=not-a-cursor");
    assertProblem(cursor, 400);
    assertThat(cursor.json().get("detail").asText()).contains("nextCursor");
  }

  @Test
  void unknownApiPathsAndMethodsAreProblems() {
    Api admin = server.admin().unchecked();
    Api.Response missing = admin.get("/api/v1/nothing-here");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.contentType()).startsWith("application/problem+json");
    Api.Response method = admin.send("PUT", "/api/v1/tenants", "{}", "application/json");
    assertThat(method.status()).isEqualTo(405);
    assertThat(method.contentType()).startsWith("application/problem+json");
  }

  @Test
  void aDuplicateTenantNameIsAConflict() {
    Api.Response response =
        server
            .admin()
            .unchecked()
            .send(
                "POST",
                "/api/v1/tenants",
                "{\"name\": \"" + existingTenantName().toUpperCase() + "\"}",
                "application/json");
    assertProblem(response, 409);
    assertThat(response.json().get("detail").asText()).contains("already exists");
  }

  static String existingTenantName() {
    return server.admin().get("/api/v1/tenants/" + tenant).json().get("name").asText();
  }

  static void assertProblem(Api.Response response, int status) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("type").asText()).isNotBlank();
    assertThat(problem.get("title").asText()).isNotBlank();
    assertThat(problem.get("detail").asText())
        .isNotBlank()
        .doesNotContain("Exception")
        .doesNotContain("dev.replicator");
  }
}
