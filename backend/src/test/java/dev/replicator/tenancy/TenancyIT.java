package dev.replicator.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Api;
import dev.replicator.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TenancyIT {

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
  void platformAdminCreatesATenantWhoseAdminTokenManagesTokensAndUsers() {
    Api admin = server.admin();
    Api.Response created = admin.post("/api/v1/tenants", Map.of("name", "acme"));
    assertThat(created.status()).isEqualTo(201);
    String tenantId = created.json().get("id").asText();
    assertThat(created.header("Location")).isEqualTo("/api/v1/tenants/" + tenantId);

    Api.Response token =
        admin.post(
            "/api/v1/tenants/" + tenantId + "/tokens", Map.of("name", "ci", "role", "ADMIN"));
    assertThat(token.status()).isEqualTo(201);
    String secret = token.json().get("token").asText();
    assertThat(secret).startsWith("rpl_");

    Api tenantAdmin = server.api().withToken(secret);
    Api.Response list = tenantAdmin.get("/api/v1/tenants/" + tenantId + "/tokens");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().get("items")).hasSize(1);
    assertThat(list.body()).doesNotContain(secret);

    Api.Response user =
        tenantAdmin.post(
            "/api/v1/tenants/" + tenantId + "/users",
            Map.of(
                "email",
                "alice@example.com",
                "password",
                "correct horse battery",
                "role",
                "VIEWER"));
    assertThat(user.status()).isEqualTo(201);
    assertThat(user.body()).doesNotContain("correct horse battery");

    Api.Response auditResponse = tenantAdmin.get("/api/v1/tenants/" + tenantId + "/audit");
    assertThat(auditResponse.body()).doesNotContain(secret).doesNotContain("correct horse battery");
    JsonNode audit = auditResponse.json().get("items");
    assertThat(audit)
        .extracting(e -> e.get("action").asText())
        .containsExactly("user.create", "token.create", "tenant.create");
  }
}
