package dev.replicator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Api;
import dev.replicator.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests too big to read answer the limit they broke, as problem+json with a true detail: 414 for
 * a long request line, 431 for large header fields, 413 only for a large body; and the server keeps
 * answering afterwards.
 */
class RequestLimitsIT {

  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aLongQueryStringIsUriTooLong() {
    Api.Response response =
        server.admin().unchecked().get("/api/v1/tenants?cursor=" + "c".repeat(100_000));
    assertProblem(response, 414, "request line");
    assertThat(response.json().get("detail").asText())
        .contains("4096 bytes")
        .doesNotContain("body");
    assertThat(server.admin().get("/api/v1/tenants").status()).isEqualTo(200);
  }

  @Test
  void aLongPathIsUriTooLong() {
    assertProblem(
        server.admin().unchecked().get("/api/v1/tenants/" + "p".repeat(100_000)),
        414,
        "request line");
  }

  @Test
  void aLargeAuthorizationHeaderIsRequestHeaderFieldsTooLarge() {
    Api.Response response =
        server.api().withToken("rpl_" + "t".repeat(20_000)).get("/api/v1/tenants");
    assertProblem(response, 431, "header fields");
    assertThat(response.json().get("detail").asText())
        .contains("8192 bytes")
        .doesNotContain("body");
    assertThat(server.admin().get("/api/v1/tenants").status()).isEqualTo(200);
  }

  @Test
  void aLargeBodyIsStillPayloadTooLarge() {
    Api.Response response =
        server
            .admin()
            .unchecked()
            .send(
                "POST",
                "/api/v1/tenants",
                "{\"name\": \"" + "n".repeat(11 * 1024 * 1024) + "\"}",
                "application/json");
    assertProblem(response, 413, "body");
  }

  @Test
  void anInvalidHealthSelectorSaysWhatIsWrongWithIt() {
    Api.Response response = server.api().unchecked().get("/health/nonsense");
    assertProblem(
        response, 400, "'nonsense' is not a valid selector: use one of liveness, readiness");
    assertThat(response.json().get("detail").asText())
        .doesNotContain("JSON")
        .doesNotContain("body");
  }

  @Test
  void anAcceptHeaderWithoutJsonIsNotAcceptable() {
    Api.Response response = server.admin().withAccept("text/csv").get("/api/v1/tenants");
    assertThat(response.status()).as(response.body()).isEqualTo(406);
  }

  static void assertProblem(Api.Response response, int status, String detailMentions) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.contentType()).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("detail").asText()).contains(detailMentions);
  }
}
