package dev.replicator.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Api;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.MotoServer;
import dev.replicator.testing.TestServer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Role trusts against a real STS-speaking server: moto, with IAM authentication and policies
 * enforced. Replicator runs as the IAM user "replicator" (allowed sts:AssumeRole) or "nobody"
 * (allowed nothing).
 */
class AssumeRoleIT {

  static final String ACCOUNT = "123456789012";

  static MotoServer moto;
  static AccessKey replicatorKey;
  static AccessKey nobodyKey;
  static String roleArn;
  static String bucket = "tenant-bucket-" + System.nanoTime() % 100000;
  static TestServer server;
  static TestServer unprivileged;

  @BeforeAll
  static void start() throws Exception {
    moto =
        MotoServer.startOrSkip(
            7,
            "moto_server is not installed, so there is no STS-speaking server to test role trusts against "
                + "(pip install 'moto[server]' provides one); these tests need a real STS and do not fake it");
    replicatorKey = moto.user("replicator", "assume", MotoServer.ALLOW_ASSUME);
    nobodyKey = moto.user("nobody");
    roleArn = moto.s3Role("tenant-role", "replicator", null); // of ACCOUNT, moto's default
    createVersionedBucketAsTheTenant();
    server = TestServer.start(serverProperties(replicatorKey));
    unprivileged = TestServer.start(serverProperties(nobodyKey));
  }

  static Map<String, Object> serverProperties(AccessKey key) {
    Map<String, Object> properties = new HashMap<>(TestServer.LOOPBACK_ALLOWED);
    properties.put("replicator.aws.sts-endpoint", moto.endpoint());
    properties.put("test.base-credentials.access-key-id", key.accessKeyId());
    properties.put("test.base-credentials.secret-access-key", key.secretAccessKey());
    return properties;
  }

  static void createVersionedBucketAsTheTenant() {
    try (StsClient sts = moto.sts(replicatorKey);
        StsAssumeRoleCredentialsProvider role =
            MotoServer.assumed(sts, roleArn, "tenant-setup", "setup");
        S3Client s3 = moto.s3(role)) {
      MotoServer.createVersioned(s3, bucket);
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
      unprivileged.close();
    }
    if (moto != null) {
      moto.close();
    }
  }

  static Map<String, JsonNode> verifyRole(TestServer target, String role) {
    Fixtures fixtures = new Fixtures(target);
    String tenant = fixtures.tenant();
    Api admin = fixtures.as(fixtures.token(tenant, "ADMIN"));
    Map<String, Object> body =
        Map.of(
            "name",
            Fixtures.unique("role"),
            "type",
            "ASSUME_ROLE",
            "region",
            "us-east-1",
            "roleArn",
            role,
            "endpoint",
            moto.endpoint(),
            "pathStyle",
            true);
    Api.Response created = admin.post("/api/v1/tenants/" + tenant + "/trusts", body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode report =
        admin
            .post(
                "/api/v1/tenants/"
                    + tenant
                    + "/trusts/"
                    + created.json().get("id").asText()
                    + "/verify",
                Map.of("bucket", bucket))
            .json();
    Map<String, JsonNode> checks = new LinkedHashMap<>();
    checks.put("_report", report);
    checks.put("_trust", created.json());
    report.get("checks").forEach(check -> checks.put(check.get("name").asText(), check));
    return checks;
  }

  @Test
  void aRoleTrustAssumesTheRoleAndReachesTheTenantsBucket() {
    Map<String, JsonNode> checks = verifyRole(server, roleArn);

    assertThat(checks.get("assume-role").get("ok").asBoolean())
        .as(checks.get("_report").toString())
        .isTrue();
    assertThat(checks.get("_report").get("accountId").asText()).isEqualTo(ACCOUNT);
    assertThat(checks.get("assume-role").get("detail").asText()).contains("account " + ACCOUNT);
    assertThat(checks.get("bucket").get("ok").asBoolean()).isTrue();
    assertThat(checks.get("versioning").get("ok").asBoolean()).isTrue();
    assertThat(checks.get("list").get("ok").asBoolean()).isTrue();
  }

  /** moto answers 500 to UploadPart on an unknown upload id: that is no refusal of s3:PutObject. */
  @Test
  void aServerErrorToTheWriteProbeIsReportedAsNotDeterminedWithTheStoresAnswer() {
    Map<String, JsonNode> checks = verifyRole(server, roleArn);

    JsonNode write = checks.get("write");
    assertThat(write.get("state").asText())
        .as(checks.get("_report").toString())
        .isEqualTo("UNDETERMINED");
    assertThat(write.get("ok").asBoolean()).isTrue();
    assertThat(write.get("detail").asText())
        .contains("Not determined")
        .contains("answered 500")
        .contains("no evidence of a missing permission");
    assertThat(checks.get("_report").get("ok").asBoolean())
        .as(checks.get("_report").toString())
        .isTrue();
  }

  @Test
  void theTrustPolicyNamesReplicatorsOwnIdentityFromSts() {
    JsonNode trust = verifyRole(server, roleArn).get("_trust");
    JsonNode statement = trust.get("trustPolicy").get("Statement").get(0);
    assertThat(statement.get("Principal").get("AWS").asText())
        .isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/replicator");
    assertThat(statement.get("Condition").get("StringEquals").get("sts:ExternalId").asText())
        .isEqualTo(trust.get("externalId").asText());
  }

  @Test
  void aRoleInAnotherAccountLandsInThatAccount() {
    Map<String, JsonNode> checks =
        verifyRole(server, "arn:aws:iam::444455556666:role/replicator-access");
    assertThat(checks.get("assume-role").get("ok").asBoolean()).isTrue();
    assertThat(checks.get("_report").get("accountId").asText()).isEqualTo("444455556666");
  }

  @Test
  void aRoleThatCannotBeAssumedIsReportedWithWhatToFix() {
    Map<String, JsonNode> checks = verifyRole(unprivileged, roleArn);

    JsonNode assume = checks.get("assume-role");
    assertThat(assume.get("ok").asBoolean()).isFalse();
    assertThat(assume.get("detail").asText())
        .contains("AssumeRoleNotPermitted")
        .contains("sts:ExternalId");
    assertThat(checks.get("bucket").get("detail").asText()).startsWith("Not checked");
    assertThat(checks.get("_report").get("ok").asBoolean()).isFalse();
  }

  @Test
  void wrongAccessKeysAreReportedAsSuch() {
    Fixtures fixtures = new Fixtures(server);
    String tenant = fixtures.tenant();
    Api admin = fixtures.as(fixtures.token(tenant, "ADMIN"));

    assertThat(
            verifyStatic(admin, tenant, "AKIADOESNOTEXIST", "whatever")
                .get("credentials")
                .get("detail")
                .asText())
        .contains("is not valid");
    assertThat(
            verifyStatic(admin, tenant, nobodyKey.accessKeyId(), "wrong-secret")
                .get("credentials")
                .get("detail")
                .asText())
        .contains("does not match");
    // A user that may do nothing at all is refused even ListBuckets, as a wrong key is on stores
    // that say only
    // AccessDenied (Ceph RGW): the report names both causes.
    Map<String, JsonNode> denied =
        verifyStatic(admin, tenant, nobodyKey.accessKeyId(), nobodyKey.secretAccessKey());
    assertThat(denied.get("credentials").get("detail").asText())
        .contains("even ListBuckets")
        .contains("s3:ListAllMyBuckets")
        .contains("s3:ListBucket");
  }

  static Map<String, JsonNode> verifyStatic(
      Api admin, String tenant, String accessKeyId, String secret) {
    Map<String, Object> body =
        Fixtures.with(
            MotoServer.trustBody(moto.endpoint(), accessKeyId, secret),
            "name",
            Fixtures.unique("keys"));
    String id = Fixtures.trust(admin, tenant, body);
    JsonNode report =
        admin
            .post(
                "/api/v1/tenants/" + tenant + "/trusts/" + id + "/verify", Map.of("bucket", bucket))
            .json();
    Map<String, JsonNode> checks = new LinkedHashMap<>();
    report.get("checks").forEach(check -> checks.put(check.get("name").asText(), check));
    assertThat(report.get("ok").asBoolean()).as(report.toString()).isFalse();
    assertThat(checks).as(report.toString()).containsKeys("credentials", "bucket");
    return checks;
  }
}
