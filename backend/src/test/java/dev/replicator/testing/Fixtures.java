package dev.replicator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates tenants, tokens, users, trusts and rules through the API, as a user of the product would.
 * Each creation must answer 201; when it does not, the test fails with the response.
 */
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

  /** {@code ruleBody} with delete marker replication on. */
  public static Map<String, Object> withDeleteMarkers(Map<String, ?> ruleBody) {
    return with(ruleBody, "deleteMarkerReplication", true);
  }

  /** A rule's source or destination: a bucket reached with a trust. */
  public static Map<String, Object> destination(String trust, String bucket) {
    return Map.of("trustId", trust, "bucket", bucket);
  }

  /** A copy of {@code body} with {@code key} set to {@code value}, e.g. a trust's endpoint. */
  public static Map<String, Object> with(Map<String, ?> body, String key, Object value) {
    Map<String, Object> copy = new HashMap<>(body);
    copy.put(key, value);
    return copy;
  }

  public static String unique(String prefix) {
    return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + System.nanoTime() % 100000;
  }

  /** What {@code response} created, once it is sure that it created something (201). */
  public static JsonNode created(Api.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json();
  }

  /** Creates a tenant named {@code name} as the platform admin {@code admin}; returns its id. */
  public static String tenant(Api admin, String name) {
    return created(admin.post("/api/v1/tenants", Map.of("name", name))).get("id").asText();
  }

  /** Creates a trust of {@code tenant} (the body of {@code POST .../trusts}); returns its id. */
  public static String trust(Api api, String tenant, Map<String, ?> body) {
    return created(api.post("/api/v1/tenants/" + tenant + "/trusts", body)).get("id").asText();
  }

  /** Creates a rule of {@code tenant} (e.g. a {@link #ruleBody}); returns the rule. */
  public static JsonNode rule(Api api, String tenant, Map<String, ?> body) {
    return created(api.post("/api/v1/tenants/" + tenant + "/rules", body));
  }

  /** Creates a rule as {@link #rule} does, and waits {@link #untilLive until it is live}. */
  public static JsonNode liveRule(Api api, String tenant, Map<String, ?> body) {
    JsonNode rule = rule(api, tenant, body);
    untilLive(rule);
    return rule;
  }

  /**
   * Waits for the second after {@code rule}'s {@code liveSince}: versions written from then on
   * count as live for it (see {@link Eventually#untilTheSecondAfter}).
   */
  public static void untilLive(JsonNode rule) {
    Eventually.untilTheSecondAfter(Instant.parse(rule.get("liveSince").asText()));
  }

  public String tenant() {
    return tenant(server.admin(), unique("tenant"));
  }

  /** A new tenant, the API as its ADMIN, its one trust, and its rule through that trust. */
  public record TenantRule(String tenant, Api admin, String trust, JsonNode rule) {}

  /**
   * Creates a tenant with an ADMIN token, a trust of it made of {@code trustBody}, and a rule named
   * {@code name} from {@code source} to {@code destination} through that trust, scanned every
   * {@code scanIntervalSeconds} (0: never).
   */
  public TenantRule tenantRule(
      Map<String, ?> trustBody,
      String name,
      int scanIntervalSeconds,
      String source,
      String destination) {
    String tenant = tenant();
    Api admin = as(token(tenant, "ADMIN"));
    String trust = trust(admin, tenant, trustBody);
    JsonNode rule =
        rule(
            admin,
            tenant,
            ruleBody(name, scanIntervalSeconds, trust, source, destination(trust, destination)));
    return new TenantRule(tenant, admin, trust, rule);
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
    created(response);
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
    return created(response).get("id").asText();
  }

  public Api as(String token) {
    return server.api().withToken(token);
  }
}
