package dev.replicator.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replicator.testing.Api;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestServer;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The security model, endpoint by endpoint: which role may call what, that nobody reaches another
 * tenant's resources (always 404, never 403), and that revocation takes effect on the very next
 * request.
 */
class AccessControlIT {

  static TestServer server;
  static Fixtures fixtures;
  static String tenant;
  static String otherTenant;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestServer.LOOPBACK_ALLOWED);
    fixtures = new Fixtures(server);
    tenant = fixtures.tenant();
    otherTenant = fixtures.tenant();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /**
   * One API operation. {@code minimum} is the weakest tenant role allowed, or null when only the
   * platform administrator may call it. {@code path} builds the path for a tenant, creating a fresh
   * target where the operation consumes one (revoking a token, removing a user).
   */
  record Operation(
      String method,
      String template,
      Role minimum,
      int success,
      Function<String, String> path,
      Object body) {
    @Override
    public String toString() {
      return method + " " + template;
    }
  }

  static List<Operation> operations() {
    return List.of(
        new Operation("GET", "/api/v1/tenants", Role.VIEWER, 200, t -> "/api/v1/tenants", null),
        new Operation("POST", "/api/v1/tenants", null, 201, t -> "/api/v1/tenants", null),
        new Operation(
            "GET",
            "/api/v1/tenants/{tenantId}",
            Role.VIEWER,
            200,
            t -> "/api/v1/tenants/" + t,
            null),
        new Operation(
            "GET",
            "/api/v1/tenants/{tenantId}/tokens",
            Role.VIEWER,
            200,
            t -> "/api/v1/tenants/" + t + "/tokens",
            null),
        new Operation(
            "POST",
            "/api/v1/tenants/{tenantId}/tokens",
            Role.ADMIN,
            201,
            t -> "/api/v1/tenants/" + t + "/tokens",
            Map.of("name", "matrix", "role", "VIEWER")),
        new Operation(
            "DELETE",
            "/api/v1/tenants/{tenantId}/tokens/{tokenId}",
            Role.ADMIN,
            204,
            t ->
                "/api/v1/tenants/"
                    + t
                    + "/tokens/"
                    + fixtures.tokenResponse(t, "VIEWER").json().get("id").asText(),
            null),
        new Operation(
            "GET",
            "/api/v1/tenants/{tenantId}/users",
            Role.VIEWER,
            200,
            t -> "/api/v1/tenants/" + t + "/users",
            null),
        new Operation(
            "POST",
            "/api/v1/tenants/{tenantId}/users",
            Role.ADMIN,
            201,
            t -> "/api/v1/tenants/" + t + "/users",
            null),
        new Operation(
            "DELETE",
            "/api/v1/tenants/{tenantId}/users/{userId}",
            Role.ADMIN,
            204,
            t ->
                "/api/v1/tenants/"
                    + t
                    + "/users/"
                    + fixtures.user(t, Fixtures.unique("victim") + "@example.com", "VIEWER"),
            null),
        new Operation(
            "GET",
            "/api/v1/tenants/{tenantId}/audit",
            Role.VIEWER,
            200,
            t -> "/api/v1/tenants/" + t + "/audit",
            null),
        new Operation(
            "GET",
            "/api/v1/tenants/{tenantId}/trusts",
            Role.VIEWER,
            200,
            t -> "/api/v1/tenants/" + t + "/trusts",
            null),
        new Operation(
            "POST",
            "/api/v1/tenants/{tenantId}/trusts",
            Role.ADMIN,
            201,
            t -> "/api/v1/tenants/" + t + "/trusts",
            null),
        new Operation(
            "GET",
            "/api/v1/tenants/{tenantId}/trusts/{trustId}",
            Role.VIEWER,
            200,
            t -> "/api/v1/tenants/" + t + "/trusts/" + trust(t),
            null),
        new Operation(
            "PUT",
            "/api/v1/tenants/{tenantId}/trusts/{trustId}",
            Role.ADMIN,
            200,
            t -> "/api/v1/tenants/" + t + "/trusts/" + trust(t),
            null),
        new Operation(
            "DELETE",
            "/api/v1/tenants/{tenantId}/trusts/{trustId}",
            Role.ADMIN,
            204,
            t -> "/api/v1/tenants/" + t + "/trusts/" + trust(t),
            null),
        new Operation(
            "POST",
            "/api/v1/tenants/{tenantId}/trusts/{trustId}/verify",
            Role.OPERATOR,
            200,
            t -> "/api/v1/tenants/" + t + "/trusts/" + trust(t) + "/verify",
            Map.of("bucket", "some-bucket")),
        new Operation(
            "GET",
            "/api/v1/tenants/{tenantId}/trusts/{trustId}/verifications",
            Role.VIEWER,
            200,
            t -> "/api/v1/tenants/" + t + "/trusts/" + trust(t) + "/verifications",
            null),
        new Operation(
            "POST",
            "/api/v1/admin/secrets/rotate",
            null,
            200,
            t -> "/api/v1/admin/secrets/rotate",
            null),
        new Operation(
            "POST",
            "/api/v1/tenants/{tenantId}/events",
            Role.OPERATOR,
            202,
            t -> "/api/v1/tenants/" + t + "/events",
            Map.of("Records", List.of())),
        new Operation(
            "GET",
            "/api/v1/tenants/{tenantId}/rules",
            Role.VIEWER,
            200,
            t -> "/api/v1/tenants/" + t + "/rules",
            null),
        new Operation(
            "POST",
            "/api/v1/tenants/{tenantId}/rules",
            Role.ADMIN,
            201,
            t -> "/api/v1/tenants/" + t + "/rules",
            null),
        new Operation(
            "GET",
            "/api/v1/tenants/{tenantId}/rules/export",
            Role.VIEWER,
            200,
            t ->
                "/api/v1/tenants/"
                    + t
                    + "/rules/export?trustId="
                    + trust(t)
                    + "&bucket=source-bucket",
            null),
        new Operation(
            "POST",
            "/api/v1/tenants/{tenantId}/rules/import",
            Role.ADMIN,
            201,
            t -> "/api/v1/tenants/" + t + "/rules/import",
            null),
        new Operation(
            "GET",
            "/api/v1/tenants/{tenantId}/rules/{ruleId}/objects",
            Role.VIEWER,
            200,
            t -> "/api/v1/tenants/" + t + "/rules/" + rule(t) + "/objects",
            null),
        new Operation(
            "GET",
            "/api/v1/tenants/{tenantId}/rules/health",
            Role.VIEWER,
            200,
            t -> "/api/v1/tenants/" + t + "/rules/health",
            null),
        new Operation(
            "GET",
            "/api/v1/tenants/{tenantId}/rules/{ruleId}/metrics",
            Role.VIEWER,
            200,
            t -> "/api/v1/tenants/" + t + "/rules/" + rule(t) + "/metrics",
            null),
        new Operation(
            "GET",
            "/api/v1/tenants/{tenantId}/rules/{ruleId}/objects/summary",
            Role.VIEWER,
            200,
            t -> "/api/v1/tenants/" + t + "/rules/" + rule(t) + "/objects/summary",
            null),
        new Operation(
            "POST",
            "/api/v1/tenants/{tenantId}/rules/{ruleId}/objects/retry",
            Role.OPERATOR,
            202,
            t -> "/api/v1/tenants/" + t + "/rules/" + rule(t) + "/objects/retry",
            null),
        new Operation(
            "GET",
            "/api/v1/tenants/{tenantId}/batch-jobs",
            Role.VIEWER,
            200,
            t -> "/api/v1/tenants/" + t + "/batch-jobs",
            null),
        new Operation(
            "POST",
            "/api/v1/tenants/{tenantId}/batch-jobs",
            Role.OPERATOR,
            201,
            t -> "/api/v1/tenants/" + t + "/batch-jobs",
            null),
        new Operation(
            "GET",
            "/api/v1/tenants/{tenantId}/batch-jobs/{jobId}",
            Role.VIEWER,
            200,
            t -> "/api/v1/tenants/" + t + "/batch-jobs/" + batchJob(t),
            null),
        new Operation(
            "POST",
            "/api/v1/tenants/{tenantId}/batch-jobs/{jobId}/cancel",
            Role.OPERATOR,
            202,
            t -> "/api/v1/tenants/" + t + "/batch-jobs/" + batchJob(t) + "/cancel",
            null),
        new Operation(
            "GET",
            "/api/v1/tenants/{tenantId}/batch-jobs/{jobId}/report",
            Role.VIEWER,
            200,
            t -> "/api/v1/tenants/" + t + "/batch-jobs/" + batchJob(t) + "/report",
            null),
        new Operation(
            "GET",
            "/api/v1/tenants/{tenantId}/webhooks",
            Role.VIEWER,
            200,
            t -> "/api/v1/tenants/" + t + "/webhooks",
            null),
        new Operation(
            "POST",
            "/api/v1/tenants/{tenantId}/webhooks",
            Role.ADMIN,
            201,
            t -> "/api/v1/tenants/" + t + "/webhooks",
            WEBHOOK),
        new Operation(
            "GET",
            "/api/v1/tenants/{tenantId}/webhooks/{webhookId}",
            Role.VIEWER,
            200,
            t -> "/api/v1/tenants/" + t + "/webhooks/" + webhook(t),
            null),
        new Operation(
            "PUT",
            "/api/v1/tenants/{tenantId}/webhooks/{webhookId}",
            Role.ADMIN,
            200,
            t -> "/api/v1/tenants/" + t + "/webhooks/" + webhook(t),
            WEBHOOK),
        new Operation(
            "DELETE",
            "/api/v1/tenants/{tenantId}/webhooks/{webhookId}",
            Role.ADMIN,
            204,
            t -> "/api/v1/tenants/" + t + "/webhooks/" + webhook(t),
            null),
        new Operation(
            "POST",
            "/api/v1/tenants/{tenantId}/webhooks/{webhookId}/secret",
            Role.ADMIN,
            200,
            t -> "/api/v1/tenants/" + t + "/webhooks/" + webhook(t) + "/secret",
            null),
        new Operation(
            "POST",
            "/api/v1/tenants/{tenantId}/webhooks/{webhookId}/test",
            Role.OPERATOR,
            202,
            t -> "/api/v1/tenants/" + t + "/webhooks/" + webhook(t) + "/test",
            null),
        new Operation(
            "GET",
            "/api/v1/tenants/{tenantId}/webhooks/{webhookId}/deliveries",
            Role.VIEWER,
            200,
            t -> "/api/v1/tenants/" + t + "/webhooks/" + webhook(t) + "/deliveries",
            null),
        new Operation(
            "GET",
            "/api/v1/tenants/{tenantId}/rules/{ruleId}",
            Role.VIEWER,
            200,
            t -> "/api/v1/tenants/" + t + "/rules/" + rule(t),
            null),
        new Operation(
            "PUT",
            "/api/v1/tenants/{tenantId}/rules/{ruleId}",
            Role.ADMIN,
            200,
            t -> "/api/v1/tenants/" + t + "/rules/" + rule(t),
            null),
        new Operation(
            "DELETE",
            "/api/v1/tenants/{tenantId}/rules/{ruleId}",
            Role.ADMIN,
            204,
            t -> "/api/v1/tenants/" + t + "/rules/" + rule(t),
            null),
        new Operation("GET", "/api/v1/auth/me", Role.VIEWER, 200, t -> "/api/v1/auth/me", null),
        new Operation(
            "POST", "/api/v1/auth/logout", Role.VIEWER, 204, t -> "/api/v1/auth/logout", null));
  }

  /**
   * A fresh trust pointing at a closed local port: verifying it fails fast, which is fine for
   * access checks.
   */
  static String trust(String tenantId) {
    return Fixtures.trust(server.admin(), tenantId, trustBody());
  }

  static Map<String, Object> trustBody() {
    return Map.of(
        "name",
        Fixtures.unique("trust"),
        "type",
        "STATIC",
        "endpoint",
        "http://127.0.0.1:9",
        "region",
        "us-east-1",
        "pathStyle",
        true,
        "accessKeyId",
        "AKIAEXAMPLE",
        "secretAccessKey",
        "not-a-real-secret");
  }

  /** A fresh DISABLED rule (no source versioning check, so no S3 server is needed here). */
  static String rule(String tenantId) {
    return Fixtures.rule(server.admin(), tenantId, ruleBody(trust(tenantId))).get("id").asText();
  }

  static final Map<String, Object> WEBHOOK =
      Map.of("url", "http://127.0.0.1:9/hooks", "events", List.of("OperationFailedReplication"));

  /** A fresh webhook pointing at a closed local port. */
  static String webhook(String tenantId) {
    Api.Response created =
        server.admin().post("/api/v1/tenants/" + tenantId + "/webhooks", WEBHOOK);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  /**
   * A rule enabled behind the API's back: enabling through it would check the (absent) source
   * bucket's versioning.
   */
  static String enabledRule(String tenantId) {
    String rule = rule(tenantId);
    Sql.update(server.database(), "UPDATE rules SET status = 'ENABLED' WHERE id = '" + rule + "'");
    return rule;
  }

  static Map<String, Object> batchJobBody(String tenantId) {
    return Map.of(
        "ruleId", enabledRule(tenantId), "filter", Map.of("replicationStatuses", List.of("NONE")));
  }

  /**
   * A fresh batch job (its preparation cannot reach the closed port and keeps retrying, which is
   * fine here).
   */
  static String batchJob(String tenantId) {
    Api.Response created =
        server.admin().post("/api/v1/tenants/" + tenantId + "/batch-jobs", batchJobBody(tenantId));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  static Map<String, Object> ruleBody(String trustId) {
    return Map.of(
        "name",
        Fixtures.unique("rule"),
        "status",
        "DISABLED",
        "source",
        Map.of("trustId", trustId, "bucket", Fixtures.unique("src")),
        "destinations",
        List.of(Map.of("trustId", trustId, "bucket", "replica-bucket")));
  }

  /** Bodies that must be fresh per call because they must be unique. */
  static Object bodyFor(Operation operation, String tenantId) {
    if (operation.template().equals("/api/v1/tenants/{tenantId}/rules")
        || operation.template().equals("/api/v1/tenants/{tenantId}/rules/{ruleId}")) {
      return operation.method().equals("DELETE") || operation.method().equals("GET")
          ? null
          : ruleBody(trust(tenantId));
    }
    if (operation.template().equals("/api/v1/tenants/{tenantId}/batch-jobs")
        && operation.method().equals("POST")) {
      return batchJobBody(tenantId);
    }
    if (operation.template().endsWith("/rules/import")) {
      String trustId = trust(tenantId);
      return Map.of(
          "source",
          Map.of("trustId", trustId, "bucket", Fixtures.unique("src")),
          "destinationTrusts",
          Map.of("arn:aws:s3:::replica-bucket", trustId),
          "configuration",
          Map.of(
              "Rules",
              List.of(
                  Map.of(
                      "ID",
                      Fixtures.unique("imported"),
                      "Status",
                      "Disabled",
                      "Priority",
                      1,
                      "Filter",
                      Map.of(),
                      "Destination",
                      Map.of("Bucket", "arn:aws:s3:::replica-bucket")))));
    }
    return bodyFor(operation);
  }

  static Object bodyFor(Operation operation) {
    if (operation.template().startsWith("/api/v1/tenants/{tenantId}/trusts")
        && !operation.template().endsWith("/verify")) {
      return operation.method().equals("DELETE") || operation.method().equals("GET")
          ? null
          : trustBody();
    }
    if (operation.template().equals("/api/v1/tenants")) {
      return Map.of("name", Fixtures.unique("matrix"));
    }
    if (operation.template().endsWith("/users")) {
      return Map.of(
          "email",
          Fixtures.unique("matrix") + "@example.com",
          "password",
          Fixtures.PASSWORD,
          "role",
          "VIEWER");
    }
    return operation.body();
  }

  static Api.Response call(Api api, Operation operation, String tenantId) {
    String path = operation.path().apply(tenantId);
    Object body = bodyFor(operation, tenantId);
    return switch (operation.method()) {
      case "GET" -> api.get(path);
      case "DELETE" -> api.delete(path);
      case "PUT" -> api.put(path, body);
      default -> body == null ? api.post(path) : api.post(path, body);
    };
  }

  static Stream<Object[]> roleMatrix() {
    return operations().stream()
        .flatMap(op -> Stream.of(Role.values()).map(role -> new Object[] {op, role}));
  }

  @ParameterizedTest(name = "{1} {0}")
  @MethodSource("roleMatrix")
  void eachRoleMayCallExactlyWhatItsRoleAllows(Operation operation, Role role) {
    Api caller = fixtures.as(fixtures.token(tenant, role.name()));
    Api.Response response = call(caller, operation, tenant);
    boolean allowed = operation.minimum() != null && role.includes(operation.minimum());
    if (allowed) {
      assertThat(response.status()).as(response.body()).isEqualTo(operation.success());
    } else {
      assertThat(response.status()).as(response.body()).isEqualTo(403);
      assertThat(response.contentType()).startsWith("application/problem+json");
      assertThat(response.json().get("detail").asText()).isNotBlank();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void thePlatformAdministratorMayCallEverything(Operation operation) {
    Api.Response response = call(server.admin(), operation, tenant);
    assertThat(response.status()).as(response.body()).isEqualTo(operation.success());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void withoutCredentialsEveryOperationIsUnauthorized(Operation operation) {
    Api.Response response = call(server.api(), operation, tenant);
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.contentType()).startsWith("application/problem+json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void anotherTenantsAdminGetsNotFoundForEveryResourceOfThisTenant(Operation operation) {
    if (!operation.template().startsWith("/api/v1/tenants/{tenantId}")) {
      return;
    }
    Api intruder = fixtures.as(fixtures.token(otherTenant, "ADMIN"));
    Api.Response response = call(intruder, operation, tenant);
    assertThat(response.status()).as(response.body()).isEqualTo(404);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.body()).doesNotContain(otherTenant);
  }

  @Test
  void anotherTenantsResourcesCannotBeReachedThroughOnesOwnTenantPath() {
    String foreignToken = fixtures.tokenResponse(otherTenant, "VIEWER").json().get("id").asText();
    String foreignUser =
        fixtures.user(otherTenant, Fixtures.unique("foreign") + "@example.com", "VIEWER");
    Api admin = fixtures.as(fixtures.token(tenant, "ADMIN"));

    assertThat(admin.delete("/api/v1/tenants/" + tenant + "/tokens/" + foreignToken).status())
        .isEqualTo(404);
    assertThat(admin.delete("/api/v1/tenants/" + tenant + "/users/" + foreignUser).status())
        .isEqualTo(404);
    assertThat(server.admin().get("/api/v1/tenants/" + otherTenant + "/tokens").body())
        .contains(foreignToken);
    assertThat(server.admin().get("/api/v1/tenants/" + otherTenant + "/users").body())
        .contains(foreignUser);
  }

  @Test
  void aTenantListsOnlyItself() {
    Api viewer = fixtures.as(fixtures.token(tenant, "VIEWER"));
    Api.Response tenants = viewer.get("/api/v1/tenants");
    assertThat(tenants.json().get("items"))
        .extracting(t -> t.get("id").asText())
        .containsExactly(tenant);
  }

  @Test
  void unknownAndMalformedTenantIdsLookLikeAnyOtherTenant() {
    Api admin = fixtures.as(fixtures.token(tenant, "ADMIN"));
    Api.Response unknown = admin.get("/api/v1/tenants/00000000-0000-7000-8000-000000000000/tokens");
    Api.Response malformed = admin.unchecked().get("/api/v1/tenants/not-a-uuid/tokens");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(malformed.status()).isEqualTo(404);
  }

  @Test
  void aRevokedTokenStopsWorkingOnTheNextRequest() {
    Api.Response issued = fixtures.tokenResponse(tenant, "ADMIN");
    Api revoked = fixtures.as(issued.json().get("token").asText());
    assertThat(revoked.get("/api/v1/tenants/" + tenant + "/tokens").status()).isEqualTo(200);

    Api.Response revocation =
        server
            .admin()
            .delete("/api/v1/tenants/" + tenant + "/tokens/" + issued.json().get("id").asText());
    assertThat(revocation.status()).isEqualTo(204);

    Api.Response after = revoked.get("/api/v1/tenants/" + tenant + "/tokens");
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.json().get("detail").asText()).contains("Authorization: Bearer");
  }

  @Test
  void theRoleMatrixCoversEveryApiRouteOfTheServer() {
    Set<String> covered =
        operations().stream().map(Operation::toString).collect(Collectors.toSet());
    List<String> routes = new ArrayList<>();
    server
        .context()
        .getBean(Router.class)
        .uriRoutes()
        .map(route -> (UriRouteInfo<?, ?>) route)
        .filter(route -> route.getUriMatchTemplate().toPathString().startsWith("/api/"))
        .filter(route -> !route.getHttpMethodName().equals("HEAD"))
        .forEach(
            route ->
                routes.add(
                    route.getHttpMethodName() + " " + route.getUriMatchTemplate().toPathString()));
    routes.removeIf(route -> route.equals("POST /api/v1/auth/login"));
    assertThat(covered).containsAll(routes);
  }
}
