package dev.replicator.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Api;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestServer;
import java.net.HttpCookie;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dashboard sign-in: sessions in cookies, sign-out, expiry, revocation and the brute-force limit.
 */
class SessionIT {

  static TestServer server;
  static Fixtures fixtures;
  static String tenant;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("replicator.auth.max-failures-per-email", 3));
    fixtures = new Fixtures(server);
    tenant = fixtures.tenant();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String email() {
    return Fixtures.unique("user") + "@example.com";
  }

  static Api.Response login(Api api, String email, String password) {
    return api.post("/api/v1/auth/login", Map.of("email", email, "password", password));
  }

  static String sessionCookie(Api.Response response) {
    HttpCookie cookie = HttpCookie.parse(response.header("Set-Cookie")).get(0);
    assertThat(cookie.getName()).isEqualTo("replicator_session");
    return cookie.getValue();
  }

  @Test
  void signingInSetsAnHttpOnlyStrictSessionCookieThatActsAsTheUser() {
    String email = email();
    fixtures.user(tenant, email, "OPERATOR");
    Api browser = server.api().withCookies();

    Api.Response response = login(browser, email.toUpperCase(), Fixtures.PASSWORD);

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().get("kind").asText()).isEqualTo("USER");
    assertThat(response.json().get("tenantId").asText()).isEqualTo(tenant);
    assertThat(response.json().get("role").asText()).isEqualTo("OPERATOR");
    assertThat(response.body()).doesNotContain(Fixtures.PASSWORD);
    String setCookie = response.header("Set-Cookie");
    assertThat(setCookie)
        .containsIgnoringCase("HttpOnly")
        .containsIgnoringCase("SameSite=Strict")
        .contains("Path=/")
        .contains("Max-Age=");

    assertThat(browser.get("/api/v1/auth/me").json().get("name").asText())
        .isEqualTo("user:" + email);
    assertThat(browser.get("/api/v1/tenants/" + tenant + "/tokens").status()).isEqualTo(200);
    Api.Response forbidden =
        browser.post(
            "/api/v1/tenants/" + tenant + "/tokens", Map.of("name", "x", "role", "VIEWER"));
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.json().get("detail").asText()).contains("ADMIN").contains("OPERATOR");
  }

  @Test
  void signingOutEndsTheSessionEvenIfTheCookieIsReplayed() {
    String email = email();
    fixtures.user(tenant, email, "VIEWER");
    Api.Response response = login(server.api(), email, Fixtures.PASSWORD);
    String cookie = sessionCookie(response);
    Api session = server.api().withCookie("replicator_session", cookie);
    assertThat(session.get("/api/v1/auth/me").status()).isEqualTo(200);

    Api.Response logout = session.post("/api/v1/auth/logout");

    assertThat(logout.status()).isEqualTo(204);
    assertThat(logout.header("Set-Cookie")).contains("replicator_session=").contains("Max-Age=0");
    assertThat(session.get("/api/v1/auth/me").status()).isEqualTo(401);
    assertThat(server.admin().get("/api/v1/tenants/" + tenant + "/audit").body())
        .contains("session.open")
        .contains("session.close");
  }

  @Test
  void aWrongPasswordIsAuditedInTheUsersTenantOnly() {
    String email = email();
    fixtures.user(tenant, email, "VIEWER");
    String otherTenant = fixtures.tenant();
    String otherEmail = email();
    fixtures.user(otherTenant, otherEmail, "VIEWER");

    assertThat(login(server.api().unchecked(), email, "wrong password").status()).isEqualTo(401);
    assertThat(login(server.api().unchecked(), "nobody-" + email, "wrong").status()).isEqualTo(401);

    JsonNode failed = auditOf(tenant, "action=session.failed").get("items");
    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).get("actor").asText()).isEqualTo("anonymous");
    assertThat(failed.get(0).get("target").asText()).isEqualTo("user:" + email);
    assertThat(failed.get(0).get("sourceIp").asText()).isEqualTo("127.0.0.1");
    assertThat(auditOf(otherTenant, "action=session.failed").get("items"))
        .as("another tenant's log shows nothing of this tenant's users")
        .isEmpty();
  }

  @Test
  void theAuditLogFiltersByActionActorAndTimeAndPagesWithinTheFilter() {
    String tenantId = fixtures.tenant();
    String email = email();
    fixtures.user(tenantId, email, "VIEWER");
    assertThat(login(server.api().unchecked(), email, "wrong password").status()).isEqualTo(401);
    assertThat(login(server.api(), email, Fixtures.PASSWORD).status()).isEqualTo(200);

    JsonNode sessions = auditOf(tenantId, "action=session").get("items");
    assertThat(sessions)
        .extracting(entry -> entry.get("action").asText())
        .containsExactly("session.open", "session.failed");
    assertThat(auditOf(tenantId, "").get("items"))
        .extracting(entry -> entry.get("action").asText())
        .startsWith("session.open", "session.failed")
        .contains("user.create");
    assertThat(auditOf(tenantId, "action=user.create").get("items"))
        .extracting(entry -> entry.get("target").asText())
        .singleElement()
        .asString()
        .contains(email);
    assertThat(auditOf(tenantId, "action=user").get("items")).hasSize(1);
    assertThat(auditOf(tenantId, "action=use").get("items"))
        .as("a group is a whole word before the dot")
        .isEmpty();

    assertThat(auditOf(tenantId, "actor=" + email.toUpperCase()).get("items"))
        .extracting(entry -> entry.get("action").asText())
        .containsExactly("session.open");

    String opened = sessions.get(0).get("at").asText();
    assertThat(auditOf(tenantId, "action=session&since=" + opened).get("items"))
        .extracting(entry -> entry.get("action").asText())
        .containsExactly("session.open");
    assertThat(auditOf(tenantId, "action=session&until=" + opened).get("items"))
        .extracting(entry -> entry.get("action").asText())
        .containsExactly("session.failed");

    JsonNode first = auditOf(tenantId, "action=session&limit=1");
    assertThat(first.get("items")).hasSize(1);
    JsonNode second =
        auditOf(tenantId, "action=session&limit=1&cursor=" + first.get("nextCursor").asText());
    assertThat(second.get("items"))
        .extracting(entry -> entry.get("action").asText())
        .containsExactly("session.failed");
    assertThat(second.get("nextCursor").isNull()).isTrue();
  }

  @Test
  void badAuditFiltersAreRefusedWithTheReason() {
    Api unchecked = server.admin().unchecked();
    String audit = "/api/v1/tenants/" + tenant + "/audit?";
    for (String[] bad :
        new String[][] {
          {"action=Session.Open!", "action"},
          {"since=yesterday", "since"},
          {"since=2026-01-02T00:00:00Z&until=2026-01-01T00:00:00Z", "since"},
          {"actor=" + "x".repeat(201), "actor"}
        }) {
      Api.Response refused = unchecked.get(audit + bad[0]);
      assertThat(refused.status()).as(bad[0]).isEqualTo(400);
      assertThat(refused.contentType()).startsWith("application/problem+json");
      assertThat(refused.body()).as(bad[0]).contains(bad[1]);
    }
  }

  private static JsonNode auditOf(String tenantId, String query) {
    return server.admin().get("/api/v1/tenants/" + tenantId + "/audit?" + query).json();
  }

  @Test
  void anExpiredSessionNoLongerWorks() {
    String email = email();
    fixtures.user(tenant, email, "VIEWER");
    Api session =
        server
            .api()
            .withCookie(
                "replicator_session", sessionCookie(login(server.api(), email, Fixtures.PASSWORD)));
    assertThat(session.get("/api/v1/auth/me").status()).isEqualTo(200);

    Sql.update(server.database(), "UPDATE sessions SET expires_at = now() - interval '1 second'");

    assertThat(session.get("/api/v1/auth/me").status()).isEqualTo(401);
  }

  @Test
  void removingAUserEndsItsSessionsAtOnce() {
    String email = email();
    String userId = fixtures.user(tenant, email, "ADMIN");
    Api session =
        server
            .api()
            .withCookie(
                "replicator_session", sessionCookie(login(server.api(), email, Fixtures.PASSWORD)));
    assertThat(session.get("/api/v1/auth/me").status()).isEqualTo(200);

    assertThat(server.admin().delete("/api/v1/tenants/" + tenant + "/users/" + userId).status())
        .isEqualTo(204);

    assertThat(session.get("/api/v1/auth/me").status()).isEqualTo(401);
    assertThat(login(server.api(), email, Fixtures.PASSWORD).status()).isEqualTo(401);
  }

  @Test
  void aTokenOpensASessionThatEndsWhenTheTokenIsRevoked() {
    Api.Response issued = fixtures.tokenResponse(tenant, "VIEWER");
    Api.Response response =
        server
            .api()
            .post("/api/v1/auth/login", Map.of("token", issued.json().get("token").asText()));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("kind").asText()).isEqualTo("TOKEN");
    Api session = server.api().withCookie("replicator_session", sessionCookie(response));
    assertThat(session.get("/api/v1/tenants/" + tenant).status()).isEqualTo(200);

    server
        .admin()
        .delete("/api/v1/tenants/" + tenant + "/tokens/" + issued.json().get("id").asText());

    assertThat(session.get("/api/v1/tenants/" + tenant).status()).isEqualTo(401);
  }

  @Test
  void thePlatformAdministratorSignsInWithTheAdminToken() {
    Api.Response response =
        server.api().post("/api/v1/auth/login", Map.of("token", TestServer.ADMIN_TOKEN));
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("platformAdmin").asBoolean()).isTrue();
    Api session = server.api().withCookie("replicator_session", sessionCookie(response));
    assertThat(
            session.post("/api/v1/tenants", Map.of("name", Fixtures.unique("by-session"))).status())
        .isEqualTo(201);
  }

  @Test
  void wrongCredentialsAreRefusedWithoutSayingWhichPartWasWrong() {
    String email = email();
    fixtures.user(tenant, email, "VIEWER");
    Api.Response wrongPassword = login(server.api(), email, "not-the-password");
    Api.Response unknownEmail = login(server.api(), email(), "not-the-password");
    Api.Response wrongToken = server.api().post("/api/v1/auth/login", Map.of("token", "rpl_nope"));

    assertThat(List.of(wrongPassword.status(), unknownEmail.status(), wrongToken.status()))
        .containsOnly(401);
    assertThat(wrongPassword.json().get("detail").asText())
        .isEqualTo(unknownEmail.json().get("detail").asText());
    assertThat(wrongPassword.header("Set-Cookie")).isNull();
  }

  @Test
  void aSessionCookieCannotBeUsedAsASignInToken() {
    String email = email();
    fixtures.user(tenant, email, "VIEWER");
    String cookie = sessionCookie(login(server.api(), email, Fixtures.PASSWORD));
    assertThat(server.api().post("/api/v1/auth/login", Map.of("token", cookie)).status())
        .isEqualTo(401);
  }

  @Test
  void repeatedFailuresForAnEmailAreLimitedEvenWithTheRightPasswordAfterwards() {
    String email = email();
    fixtures.user(tenant, email, "VIEWER");
    for (int i = 0; i < 3; i++) {
      assertThat(login(server.api(), email, "wrong-password-" + i).status()).isEqualTo(401);
    }

    Api.Response limited = login(server.api(), email, Fixtures.PASSWORD);

    assertThat(limited.status()).isEqualTo(429);
    assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 15 * 60);
    assertThat(limited.json().get("detail").asText()).contains("Wait");
    String other = email();
    fixtures.user(tenant, other, "VIEWER");
    assertThat(login(server.api(), other, Fixtures.PASSWORD).status()).isEqualTo(200);
  }

  @Test
  void signInNeedsEitherPasswordOrTokenNotBoth() {
    // Both bodies are outside the contract's oneOf, on purpose.
    Api api = server.api().unchecked();
    Api.Response both =
        api.post(
            "/api/v1/auth/login", Map.of("email", "a@example.com", "password", "x", "token", "y"));
    Api.Response neither = api.post("/api/v1/auth/login", Map.of());
    assertThat(both.status()).isEqualTo(400);
    assertThat(neither.status()).isEqualTo(400);
    assertThat(both.json().get("detail").asText()).contains("either");
  }
}
