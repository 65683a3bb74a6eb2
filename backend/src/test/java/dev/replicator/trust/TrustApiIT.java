package dev.replicator.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Api;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.LogCapture;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Creating, reading, changing and deleting trusts; what is stored and what is never shown. */
class TrustApiIT {

  static final String PRINCIPAL = "arn:aws:iam::111122223333:role/replicator-server";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY-" + System.nanoTime();

  static TestServer server;
  static LogCapture logs;
  static String tenant;
  static Api admin;

  @BeforeAll
  static void start() {
    logs = new LogCapture();
    server = TestServer.start(Map.of("replicator.aws.principal-arn", PRINCIPAL));
    tenant = new Fixtures(server).tenant();
    admin = new Fixtures(server).as(new Fixtures(server).token(tenant, "ADMIN"));
  }

  @AfterAll
  static void stop() {
    server.close();
    String captured = logs.text();
    logs.close();
    assertThat(captured)
        .as("the secret access key never reaches a log line")
        .doesNotContain(SECRET);
  }

  static String trusts() {
    return "/api/v1/tenants/" + tenant + "/trusts";
  }

  static Map<String, Object> staticTrust(String name) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", name);
    body.put("type", "STATIC");
    body.put("endpoint", "https://s3.eu-central-1.wasabisys.com");
    body.put("region", "eu-central-1");
    body.put("pathStyle", true);
    body.put("accessKeyId", "AKIAIOSFODNN7EXAMPLE");
    body.put("secretAccessKey", SECRET);
    return body;
  }

  static Map<String, Object> roleTrust(String name) {
    return Map.of(
        "name",
        name,
        "type",
        "ASSUME_ROLE",
        "region",
        "us-east-1",
        "roleArn",
        "arn:aws:iam::444455556666:role/replicator-access");
  }

  @Test
  void aStaticTrustsSecretIsEncryptedAtRestAndNeverReturned() {
    Api.Response created = admin.post(trusts(), staticTrust(Fixtures.unique("wasabi")));

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode trust = created.json();
    String id = trust.get("id").asText();
    assertThat(trust.get("accessKeyId").asText()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
    assertThat(trust.get("endpoint").asText()).isEqualTo("https://s3.eu-central-1.wasabisys.com");
    assertThat(trust.get("compatibility").asText()).isEqualTo("AUTO");
    assertThat(trust.has("secretAccessKey")).isFalse();
    assertThat(created.body()).doesNotContain(SECRET);
    assertThat(admin.get(trusts() + "/" + id).body()).doesNotContain(SECRET);
    assertThat(admin.get(trusts()).body()).doesNotContain(SECRET);
    assertThat(admin.get("/api/v1/tenants/" + tenant + "/audit").body())
        .contains("trust.create")
        .doesNotContain(SECRET);

    assertThat(Sql.count(server.database(), "SELECT count(*) FROM trusts WHERE id = '" + id + "'"))
        .isEqualTo(1);
    assertThat(
            Sql.count(
                server.database(),
                "SELECT count(*) FROM trusts WHERE row_to_json(trusts)::text LIKE '%"
                    + SECRET
                    + "%'"))
        .isZero();
    assertThat(
            Sql.count(
                server.database(),
                "SELECT count(*) FROM trusts WHERE id = '"
                    + id
                    + "' AND "
                    + "position(convert_to('"
                    + SECRET
                    + "', 'UTF8') in secret_ciphertext) = 0 AND "
                    + "position(convert_to('"
                    + SECRET
                    + "', 'UTF8') in secret_wrapped_key) = 0 AND "
                    + "length(secret_ciphertext) > length('"
                    + SECRET
                    + "')"))
        .isEqualTo(1);
  }

  @Test
  void aRoleTrustGetsAGeneratedExternalIdAndAReadyTrustPolicy() {
    JsonNode first = admin.post(trusts(), roleTrust(Fixtures.unique("role"))).json();
    JsonNode second = admin.post(trusts(), roleTrust(Fixtures.unique("role"))).json();

    String externalId = first.get("externalId").asText();
    assertThat(externalId).startsWith("replicator-").hasSizeGreaterThan(30);
    assertThat(second.get("externalId").asText()).isNotEqualTo(externalId);
    JsonNode statement = first.get("trustPolicy").get("Statement").get(0);
    assertThat(statement.get("Effect").asText()).isEqualTo("Allow");
    assertThat(statement.get("Action").asText()).isEqualTo("sts:AssumeRole");
    assertThat(statement.get("Principal").get("AWS").asText()).isEqualTo(PRINCIPAL);
    assertThat(statement.get("Condition").get("StringEquals").get("sts:ExternalId").asText())
        .isEqualTo(externalId);
    assertThat(first.get("trustPolicyNote").isNull()).isTrue();
    assertThat(first.get("accessKeyId").isNull()).isTrue();
  }

  @Test
  void aTenantCannotChooseTheExternalId() {
    Map<String, Object> body = new HashMap<>(roleTrust(Fixtures.unique("chosen")));
    body.put("externalId", "the-id-of-another-tenant");
    Api.Response response = admin.unchecked().post(trusts(), body);
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("detail").asText())
        .contains("externalId")
        .contains("generated by Replicator");
  }

  @Test
  void updatingKeepsTheSecretUnlessANewOneIsGivenAndNeverChangesTypeOrExternalId() {
    String id = Fixtures.trust(admin, tenant, staticTrust(Fixtures.unique("update")));
    String before = ciphertextOf(id);

    Map<String, Object> rename = new HashMap<>(staticTrust("renamed-" + id));
    rename.remove("secretAccessKey");
    Api.Response renamed = admin.put(trusts() + "/" + id, rename);
    assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
    assertThat(renamed.json().get("name").asText()).isEqualTo("renamed-" + id);
    assertThat(ciphertextOf(id)).isEqualTo(before);

    Map<String, Object> newKey = new HashMap<>(rename);
    newKey.put("accessKeyId", "AKIANEWKEYEXAMPLE");
    Api.Response refused = admin.unchecked().put(trusts() + "/" + id, newKey);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().get("errors").get(0).get("field").asText())
        .isEqualTo("secretAccessKey");

    newKey.put("secretAccessKey", SECRET + "-2");
    assertThat(admin.put(trusts() + "/" + id, newKey).status()).isEqualTo(200);
    assertThat(ciphertextOf(id)).isNotEqualTo(before);

    Map<String, Object> retype = new HashMap<>(rename);
    retype.put("type", "ASSUME_ROLE");
    assertThat(admin.unchecked().put(trusts() + "/" + id, retype).status()).isEqualTo(400);

    JsonNode role = admin.post(trusts(), roleTrust(Fixtures.unique("role-update"))).json();
    Map<String, Object> roleRename = new HashMap<>(roleTrust("renamed-" + role.get("id").asText()));
    roleRename.remove("type");
    JsonNode updatedRole = admin.put(trusts() + "/" + role.get("id").asText(), roleRename).json();
    assertThat(updatedRole.get("externalId").asText()).isEqualTo(role.get("externalId").asText());
  }

  @Test
  void deletingATrustRemovesIt() {
    String id = Fixtures.trust(admin, tenant, staticTrust(Fixtures.unique("gone")));
    assertThat(admin.delete(trusts() + "/" + id).status()).isEqualTo(204);
    assertThat(admin.get(trusts() + "/" + id).status()).isEqualTo(404);
    assertThat(admin.get("/api/v1/tenants/" + tenant + "/audit").body()).contains("trust.delete");
  }

  @Test
  void namesAreUniquePerTenant() {
    String name = Fixtures.unique("twice");
    assertThat(admin.post(trusts(), staticTrust(name)).status()).isEqualTo(201);
    Api.Response again = admin.post(trusts(), staticTrust(name.toUpperCase()));
    assertThat(again.status()).isEqualTo(409);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1:9000",
        "http://169.254.169.254",
        "http://[::1]",
        "http://0x7f.1:9000",
        "http://localhost:9000",
        "http://10.1.2.3",
        "http://[fe80::1%25lo]/",
        "http://[::1%25lo]:9000/"
      })
  void internalEndpointsAreRefusedWithTheRuleAndHowToAllowThem(String endpoint) {
    Map<String, Object> body = staticTrust(Fixtures.unique("internal"));
    body.put("endpoint", endpoint);
    Api.Response response = admin.unchecked().post(trusts(), body);
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("detail").asText())
        .contains("endpoint guard")
        .contains("REPLICATOR_ALLOWED_ENDPOINT_CIDRS");
    assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("endpoint");
  }

  @Test
  void theGuardAppliesToTheStsEndpointToo() {
    Map<String, Object> body = new HashMap<>(roleTrust(Fixtures.unique("sts")));
    body.put("stsEndpoint", "http://169.254.169.254");
    Api.Response response = admin.unchecked().post(trusts(), body);
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo("stsEndpoint");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"name\": \"x\", \"type\": \"STATIC\", \"region\": \"us-east-1\", \"accessKeyId\": \"AKIA\"}",
        "{\"name\": \"x\", \"type\": \"STATIC\", \"region\": \"us-east-1\", \"secretAccessKey\": \"s\"}",
        "{\"name\": \"x\", \"type\": \"ASSUME_ROLE\", \"region\": \"us-east-1\"}",
        "{\"name\": \"x\", \"type\": \"ASSUME_ROLE\", \"region\": \"us-east-1\", \"roleArn\": \"arn:aws:iam::12:role/x\"}",
        "{\"name\": \"x\", \"type\": \"ASSUME_ROLE\", \"region\": \"us-east-1\", \"roleArn\": \"arn:aws:iam::123456789012:role/x\", \"accessKeyId\": \"AKIA\"}",
        "{\"name\": \"x\", \"type\": \"STATIC\", \"region\": \"US EAST\", \"accessKeyId\": \"AKIA\", \"secretAccessKey\": \"s\"}",
        "{\"name\": \"x\", \"type\": \"STATIC\", \"region\": \"us-east-1\", \"accessKeyId\": \"AKIA\", \"secretAccessKey\": \"s\", \"endpoint\": \"ftp://s3.example.com\"}",
        "{\"name\": \"x\", \"type\": \"FTP\", \"region\": \"us-east-1\"}",
        "{\"name\": \"x\", \"type\": \"STATIC\", \"region\": \"us-east-1\", \"accessKeyId\": \"AKIA\", \"secretAccessKey\": \"s\", \"compatibility\": \"MAYBE\"}"
      })
  void invalidTrustsAreRefusedAndNothingIsStored(String body) {
    long before = Sql.count(server.database(), "SELECT count(*) FROM trusts");
    Api.Response response = admin.unchecked().send("POST", trusts(), body, "application/json");
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(Sql.count(server.database(), "SELECT count(*) FROM trusts")).isEqualTo(before);
  }

  static String ciphertextOf(String id) {
    return Sql.text(
        server.database(),
        "SELECT encode(secret_ciphertext, 'hex') FROM trusts WHERE id = '" + id + "'");
  }
}
