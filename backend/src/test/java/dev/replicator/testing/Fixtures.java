package dev.replicator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Creates tenants, tokens and users through the API, as a user of the product would. */
public final class Fixtures {

  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  public static final String PASSWORD = "a-long-enough-password";

  private final TestServer server;

  public Fixtures(TestServer server) {
    this.server = server;
  }

  /**
   * The body of {@code POST .../rules}: a rule named {@code name} from {@code trust}'s bucket
   * {@code source}, scanned every {@code scanIntervalSeconds} (0: never), to {@code destinations}.
   */
  @SafeVarargs
  public static Map<String, Object> ruleBody(
      String name,
      int scanIntervalSeconds,
      String trust,
      String source,
      Map<String, Object>... destinations) {
    return Map.of(
        "name",
        name,
        "scanIntervalSeconds",
        scanIntervalSeconds,
        "source",
        destination(trust, source),
        "destinations",
        List.of(destinations));
  }

  /** A rule's source or destination: a bucket reached with a trust. */
  public static Map<String, Object> destination(String trust, String bucket) {
    return Map.of("trustId", trust, "bucket", bucket);
  }

  public static String unique(String prefix) {
    return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + System.nanoTime() % 100000;
  }

  public String tenant() {
    Api.Response response =
        server.admin().post("/api/v1/tenants", Map.of("name", unique("tenant")));
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json().get("id").asText();
  }

  /** Creates a token and returns its secret. */
  public String token(String tenantId, String role) {
    return tokenResponse(tenantId, role).json().get("token").asText();
  }

  public Api.Response tokenResponse(String tenantId, String role) {
    Api.Response response =
        server
            .admin()
            .post(
                "/api/v1/tenants/" + tenantId + "/tokens",
                Map.of("name", unique("token"), "role", role));
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response;
  }

  /** Creates a user and returns its id; its password is {@link #PASSWORD}. */
  public String user(String tenantId, String email, String role) {
    Api.Response response =
        server
            .admin()
            .post(
                "/api/v1/tenants/" + tenantId + "/users",
                Map.of("email", email, "password", PASSWORD, "role", role));
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json().get("id").asText();
  }

  public Api as(String token) {
    return server.api().withToken(token);
  }
}
