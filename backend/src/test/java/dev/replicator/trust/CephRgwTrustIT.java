package dev.replicator.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Api;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.TestRgw;
import dev.replicator.testing.TestServer;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Verifying trusts against a real Ceph RADOS Gateway (16.2) with STS enabled: what RGW lacks
 * (GetCallerIdentity, the sts:ExternalId condition, telling wrong keys from missing permissions by
 * error code) must not turn into a false verdict. Replicator's own identity is the cluster's S3
 * user, which assumes roles made with radosgw-admin. Skipped where the Ceph packages are missing.
 */
class CephRgwTrustIT {

  static final String ALLOW_REPLICATOR =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Principal\":{\"AWS\":[\""
          + TestRgw.USER_ARN
          + "\"]},\"Action\":[\"sts:AssumeRole\"]%s}]}";
  static final String ALLOW_S3 =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:*\"],\"Resource\":[\"arn:aws:s3:::*\"]}]}";

  static TestRgw rgw;
  static TestServer server;
  static String tenant;
  static Api admin;
  static String bucket;

  @BeforeAll
  static void start() {
    if (!TestRgw.available()) {
      return; // each test is skipped with the reason, in skipIfNoRgw
    }
    rgw = TestRgw.get();
    bucket = rgw.bucket(true);
    Map<String, Object> config = new HashMap<>(TestServer.LOOPBACK_ALLOWED);
    config.put("test.base-credentials.access-key-id", TestRgw.ACCESS_KEY);
    config.put("test.base-credentials.secret-access-key", TestRgw.SECRET_KEY);
    config.put("replicator.aws.principal-arn", TestRgw.USER_ARN);
    server = TestServer.start(config);
    Fixtures fixtures = new Fixtures(server);
    tenant = fixtures.tenant();
    admin = fixtures.as(fixtures.token(tenant, "ADMIN"));
  }

  @BeforeEach
  void skipIfNoRgw() {
    TestRgw.assumeAvailable();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * A role of the cluster that Replicator's user may assume, with a trust policy condition (or
   * none) and s3:*.
   */
  static String role(String condition) {
    String name = Fixtures.unique("role").replaceAll("[^A-Za-z0-9_+=,.@-]", "-");
    rgw.admin(
        "role",
        "create",
        "--role-name=" + name,
        "--path=/",
        "--assume-role-policy-doc=" + String.format(ALLOW_REPLICATOR, condition));
    rgw.admin(
        "role-policy",
        "put",
        "--role-name=" + name,
        "--policy-name=s3",
        "--policy-doc=" + ALLOW_S3);
    return "arn:aws:iam:::role/" + name;
  }

  static Api.Response createRoleTrust(String roleArn) {
    Map<String, Object> body =
        Map.of(
            "name",
            Fixtures.unique("rgw-role"),
            "type",
            "ASSUME_ROLE",
            "endpoint",
            rgw.endpoint(),
            "stsEndpoint",
            rgw.endpoint(),
            "region",
            "us-east-1",
            "pathStyle",
            true,
            "compatibility",
            "S3_COMPATIBLE",
            "roleArn",
            roleArn);
    return admin.post("/api/v1/tenants/" + tenant + "/trusts", body);
  }

  static Map<String, JsonNode> verify(Api.Response created) {
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    Api.Response response =
        admin.post(
            "/api/v1/tenants/"
                + tenant
                + "/trusts/"
                + created.json().get("id").asText()
                + "/verify",
            Map.of("bucket", bucket));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    Map<String, JsonNode> checks = new LinkedHashMap<>();
    checks.put("_report", response.json());
    response.json().get("checks").forEach(check -> checks.put(check.get("name").asText(), check));
    return checks;
  }

  static Map<String, JsonNode> verifyStatic(String accessKey, String secret, String compatibility) {
    Map<String, Object> body = new HashMap<>(rgw.trustBody(Fixtures.unique("rgw-keys")));
    body.put("accessKeyId", accessKey);
    body.put("secretAccessKey", secret);
    body.put("compatibility", compatibility);
    return verify(admin.post("/api/v1/tenants/" + tenant + "/trusts", body));
  }

  static String report(Map<String, JsonNode> checks) {
    return checks.get("_report").toPrettyString();
  }

  @Test
  void aRoleTrustVerifiesAlthoughRgwHasNoGetCallerIdentity() {
    Map<String, JsonNode> checks = verify(createRoleTrust(role("")));

    assertThat(checks.get("_report").get("ok").asBoolean()).as(report(checks)).isTrue();
    JsonNode assume = checks.get("assume-role");
    assertThat(assume.get("state").asText()).isEqualTo("PASSED");
    assertThat(assume.get("detail").asText())
        .contains("does not offer GetCallerIdentity")
        .contains("405");
    assertThat(checks.get("_report").path("accountId").isTextual()).isFalse();
    assertThat(checks.keySet())
        .containsSubsequence(
            "assume-role", "bucket", "versioning", "object-lock", "list", "read", "write");
    assertThat(checks.values().stream().skip(1).map(c -> c.get("state").asText()))
        .as(report(checks))
        .containsOnly("PASSED");
  }

  @Test
  void staticKeysInAwsModeVerifyAgainstTheStoreWhenItsStsHasNoGetCallerIdentity() {
    Map<String, JsonNode> checks = verifyStatic(TestRgw.ACCESS_KEY, TestRgw.SECRET_KEY, "AWS");

    assertThat(checks.get("credentials").get("state").asText())
        .as(report(checks))
        .isEqualTo("PASSED");
    assertThat(checks.get("credentials").get("detail").asText())
        .contains("The store accepted the access key");
    assertThat(checks.get("bucket").get("state").asText()).as(report(checks)).isEqualTo("PASSED");
  }

  @Test
  void aWrongSecretAndAnUnknownKeyAreReportedAsBadCredentialsNotAsBucketPermissions() {
    for (Map<String, JsonNode> checks :
        List.of(
            verifyStatic(TestRgw.ACCESS_KEY, "not-the-secret", "S3_COMPATIBLE"),
            verifyStatic("no-such-access-key", "whatever", "S3_COMPATIBLE"))) {
      JsonNode credentials = checks.get("credentials");
      assertThat(credentials.get("state").asText()).as(report(checks)).isEqualTo("FAILED");
      assertThat(credentials.get("detail").asText())
          .contains("wrong secret or an unknown access key")
          .doesNotContain("accepted");
      assertThat(checks.get("bucket").get("state").asText()).isEqualTo("NOT_CHECKED");
      assertThat(checks.get("_report").get("ok").asBoolean()).isFalse();
    }
  }

  @Test
  void rgwDeniesAssumeRoleUnderAnExternalIdConditionAndTheReportSaysWhatToDoInstead() {
    String conditioned =
        role(",\"Condition\":{\"StringEquals\":{\"sts:ExternalId\":\"replicator-rgw-test\"}}");
    try (StsClient sts =
        StsClient.builder()
            .endpointOverride(URI.create(rgw.endpoint()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(TestRgw.ACCESS_KEY, TestRgw.SECRET_KEY)))
            .build()) {
      assertThatThrownBy(
              () ->
                  sts.assumeRole(
                      b ->
                          b.roleArn(conditioned)
                              .roleSessionName("probe")
                              .externalId("replicator-rgw-test")))
          .as("RGW 16 denies AssumeRole with the very external ID its trust policy requires")
          .isInstanceOfSatisfying(
              StsException.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }

    Map<String, JsonNode> checks = verify(createRoleTrust(conditioned));

    JsonNode assume = checks.get("assume-role");
    assertThat(assume.get("state").asText()).as(report(checks)).isEqualTo("FAILED");
    assertThat(assume.get("detail").asText())
        .contains("sts:ExternalId condition")
        .contains("will not help")
        .contains("Do not remove the condition")
        .contains("STATIC trust");
    assertThat(checks.get("bucket").get("state").asText()).isEqualTo("NOT_CHECKED");
  }

  @Test
  void rgwRoleArnsAreAcceptedForTrustsWithTheStoresOwnStsButNotForAws() {
    assertThat(createRoleTrust("arn:aws:iam:::role/replicator").status()).isEqualTo(201);
    assertThat(createRoleTrust("arn:aws:iam::tenant_one:role/replicator").status()).isEqualTo(201);
    assertThat(createRoleTrust("arn:aws:iam::123456789012:role/replicator").status())
        .isEqualTo(201);
    Api.Response notAnArn =
        admin
            .unchecked()
            .post(
                "/api/v1/tenants/" + tenant + "/trusts",
                Map.of(
                    "name",
                    Fixtures.unique("rgw-role"),
                    "type",
                    "ASSUME_ROLE",
                    "stsEndpoint",
                    rgw.endpoint(),
                    "region",
                    "us-east-1",
                    "roleArn",
                    "not-an-arn"));
    assertThat(notAnArn.status()).as("a request openapi.yaml's pattern refuses too").isEqualTo(400);

    Api.Response aws =
        admin.post(
            "/api/v1/tenants/" + tenant + "/trusts",
            Map.of(
                "name",
                Fixtures.unique("aws-role"),
                "type",
                "ASSUME_ROLE",
                "region",
                "us-east-1",
                "roleArn",
                "arn:aws:iam:::role/replicator"));
    assertThat(aws.status()).as(aws.body()).isEqualTo(400);
    assertThat(aws.body()).contains("roleArn").contains("stsEndpoint");
  }
}
