package dev.replicator.trust;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replicator.platform.crypto.MasterKeys;
import dev.replicator.testing.Api;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestS3;
import dev.replicator.testing.TestServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Master key rotation end to end: secrets sealed under the old key keep working after the switch,
 * are re-wrapped at start-up, and the old key can then be dropped.
 */
class SecretRotationIT {

  static final String NEW_KEY = "bmV3LW1hc3Rlci1rZXktZm9yLXJvdGF0aW9uLXRlc3Q=";

  @Test
  void secretsSurviveARotationAndEndUnderTheNewKey() {
    TestS3 s3 = TestS3.get();
    String bucket = s3.bucket(true);
    Map<String, Object> config = new HashMap<>(TestServer.LOOPBACK_ALLOWED);
    String tenant;
    String trustId;
    String webhookId;
    TestServer server = TestServer.start(config);
    try {
      Fixtures fixtures = new Fixtures(server);
      tenant = fixtures.tenant();
      trustId = Fixtures.trust(server.admin(), tenant, s3.trustBody(Fixtures.unique("rotated")));
      webhookId =
          server
              .admin()
              .post(
                  "/api/v1/tenants/" + tenant + "/webhooks",
                  Map.of(
                      "url",
                      "http://127.0.0.1:9/r",
                      "events",
                      java.util.List.of("OperationFailedReplication")))
              .json()
              .get("id")
              .asText();
    } finally {
      server.close();
    }
    String oldKeyId = MasterKeys.parse(TestServer.MASTER_KEY, "old").id();
    String newKeyId = MasterKeys.parse(NEW_KEY, "new").id();
    assertThat(keyIdOf(server, trustId)).isEqualTo(oldKeyId);

    Map<String, Object> rotated = new HashMap<>(config);
    rotated.put("replicator.master-key", NEW_KEY);
    rotated.put("replicator.master-key-previous", TestServer.MASTER_KEY);
    try (TestServer after = TestServer.start(server.database(), rotated)) {
      assertThat(keyIdOf(after, trustId)).as("re-wrapped at start-up").isEqualTo(newKeyId);
      assertThat(
              Sql.text(
                  after.database(),
                  "SELECT secret_master_key_id FROM webhooks WHERE id = '" + webhookId + "'"))
          .as("webhook secrets too")
          .isEqualTo(newKeyId);
      Api.Response rotate = after.admin().post("/api/v1/admin/secrets/rotate");
      assertThat(rotate.json().get("rewrapped").asInt()).isZero();
      assertThat(rotate.json().get("remainingWithPreviousKey").asInt()).isZero();
    }

    Map<String, Object> newOnly = new HashMap<>(config);
    newOnly.put("replicator.master-key", NEW_KEY);
    try (TestServer later = TestServer.start(server.database(), newOnly)) {
      Api.Response report =
          later
              .admin()
              .post(
                  "/api/v1/tenants/" + tenant + "/trusts/" + trustId + "/verify",
                  Map.of("bucket", bucket));
      assertThat(report.json().get("ok").asBoolean()).as(report.body()).isTrue();
    }
  }

  @Test
  void withoutThePreviousKeyAnOldSecretIsReportedNotGuessed() {
    TestS3 s3 = TestS3.get();
    TestServer server = TestServer.start(TestServer.LOOPBACK_ALLOWED);
    String tenant = new Fixtures(server).tenant();
    String trustId = Fixtures.trust(server.admin(), tenant, s3.trustBody(Fixtures.unique("lost")));
    server.close();

    Map<String, Object> wrongKey = new HashMap<>(TestServer.LOOPBACK_ALLOWED);
    wrongKey.put("replicator.master-key", NEW_KEY);
    try (TestServer after = TestServer.start(server.database(), wrongKey)) {
      Api.Response report =
          after
              .admin()
              .post(
                  "/api/v1/tenants/" + tenant + "/trusts/" + trustId + "/verify",
                  Map.of("bucket", s3.bucket(true)));
      assertThat(report.status()).isEqualTo(200);
      assertThat(report.json().get("checks").get(0).get("detail").asText())
          .contains("REPLICATOR_MASTER_KEY_PREVIOUS");
    }
  }

  static String keyIdOf(TestServer server, String trustId) {
    return Sql.text(
        server.database(), "SELECT secret_master_key_id FROM trusts WHERE id = '" + trustId + "'");
  }
}
