package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Api;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.MotoServer;
import dev.replicator.testing.RandomFiles;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Cross-account replication against moto with IAM enforced: the source is read with an access key
 * of account 123456789012, the replica is written by assuming a role of account 444455556666.
 */
class CrossAccountIT {

  static final String OTHER_ACCOUNT = "444455556666";
  static final String ALLOW_S3 =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";
  static final String ALLOW_ASSUME =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sts:AssumeRole\",\"Resource\":\"*\"}]}";

  static MotoServer moto;
  static AccessKey replicator;
  static AccessKey sourceUser;
  static String roleArn;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    Optional<Path> executable = MotoServer.executable();
    Assumptions.assumeTrue(
        executable.isPresent(),
        "moto_server is not installed, so there is no multi-account S3 and STS server to replicate across accounts with");
    moto = MotoServer.start(executable.get(), 8);
    try (IamClient iam = moto.iam()) {
      iam.createUser(b -> b.userName("replicator"));
      replicator = iam.createAccessKey(b -> b.userName("replicator")).accessKey();
      iam.putUserPolicy(
          b -> b.userName("replicator").policyName("assume").policyDocument(ALLOW_ASSUME));
      iam.createUser(b -> b.userName("source"));
      sourceUser = iam.createAccessKey(b -> b.userName("source")).accessKey();
      iam.putUserPolicy(b -> b.userName("source").policyName("s3").policyDocument(ALLOW_S3));
      roleArn =
          iam.createRole(
                  b ->
                      b.roleName("replica-writer")
                          .assumeRolePolicyDocument(
                              "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                                  + "{\"AWS\":\"arn:aws:iam::123456789012:user/replicator\"},\"Action\":\"sts:AssumeRole\"}]}")
                          .overrideConfiguration(
                              o -> o.putHeader("x-moto-account-id", OTHER_ACCOUNT)))
              .role()
              .arn();
      iam.putRolePolicy(
          b ->
              b.roleName("replica-writer")
                  .policyName("s3")
                  .policyDocument(ALLOW_S3)
                  .overrideConfiguration(o -> o.putHeader("x-moto-account-id", OTHER_ACCOUNT)));
    }
    Map<String, Object> config = new HashMap<>(TestServer.LOOPBACK_ALLOWED);
    config.put("replicator.aws.sts-endpoint", moto.endpoint());
    config.put("test.base-credentials.access-key-id", replicator.accessKeyId());
    config.put("test.base-credentials.secret-access-key", replicator.secretAccessKey());
    config.put("replicator.scan.tick", "200ms");
    config.put("replicator.worker.poll-interval", "100ms");
    config.put("replicator.worker.multipart-threshold", 6 * 1024 * 1024);
    config.put("replicator.worker.part-size", 5 * 1024 * 1024);
    config.put("replicator.worker.copy-cutoff", 6 * 1024 * 1024);
    config.put("replicator.worker.server-side-copy-above", 0);
    server = TestServer.start(config);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (moto != null) {
      moto.close();
    }
  }

  static S3Client s3(AwsCredentialsProvider credentials) {
    return S3Client.builder()
        .endpointOverride(URI.create(moto.endpoint()))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(credentials)
        .build();
  }

  @Test
  void aNewVersionIsReplicatedIntoAnotherAccountWithItsAttributes() {
    StsClient sts =
        StsClient.builder()
            .endpointOverride(URI.create(moto.endpoint()))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                MotoServer.credentials(replicator.accessKeyId(), replicator.secretAccessKey()))
            .build();
    S3Client accountA =
        s3(MotoServer.credentials(sourceUser.accessKeyId(), sourceUser.secretAccessKey()));
    S3Client accountB =
        s3(
            StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(
                    r -> r.roleArn(roleArn).roleSessionName("test-setup").externalId("test-setup"))
                .build());
    accountA.createBucket(b -> b.bucket("source-in-a"));
    accountA.putBucketVersioning(
        b ->
            b.bucket("source-in-a")
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    accountB.createBucket(b -> b.bucket("replica-in-b"));
    accountB.putBucketVersioning(
        b ->
            b.bucket("replica-in-b")
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));

    Fixtures fixtures = new Fixtures(server);
    String tenant = fixtures.tenant();
    Api admin = fixtures.as(fixtures.token(tenant, "ADMIN"));
    String sourceTrust =
        admin
            .post(
                "/api/v1/tenants/" + tenant + "/trusts",
                Map.of(
                    "name",
                    "account-a",
                    "type",
                    "STATIC",
                    "endpoint",
                    moto.endpoint(),
                    "region",
                    "us-east-1",
                    "pathStyle",
                    true,
                    "accessKeyId",
                    sourceUser.accessKeyId(),
                    "secretAccessKey",
                    sourceUser.secretAccessKey()))
            .json()
            .get("id")
            .asText();
    String destinationTrust =
        admin
            .post(
                "/api/v1/tenants/" + tenant + "/trusts",
                Map.of(
                    "name",
                    "account-b",
                    "type",
                    "ASSUME_ROLE",
                    "endpoint",
                    moto.endpoint(),
                    "region",
                    "us-east-1",
                    "pathStyle",
                    true,
                    "roleArn",
                    roleArn))
            .json()
            .get("id")
            .asText();
    JsonNode rule =
        admin
            .post(
                "/api/v1/tenants/" + tenant + "/rules",
                Fixtures.ruleBody(
                    "a-to-b",
                    30,
                    sourceTrust,
                    "source-in-a",
                    Fixtures.destination(destinationTrust, "replica-in-b")))
            .json();
    assertThat(rule.get("id")).as(rule.toString()).isNotNull();
    Eventually.untilTheSecondAfter(Instant.parse(rule.get("liveSince").asText()));

    String version =
        accountA
            .putObject(
                b ->
                    b.bucket("source-in-a")
                        .key("ledger.json")
                        .contentType("application/json")
                        .cacheControl("no-cache")
                        .metadata(Map.of("team", "finance"))
                        .tagging("class=confidential"),
                RequestBody.fromString("{\"total\": 42}"))
            .versionId();
    Sql.update(
        server.database(), "UPDATE rule_scans SET next_scan_at = now() - interval '1 second'");

    Eventually.await(
        "the replica in account B",
        Duration.ofSeconds(45),
        () -> !accountB.listObjectVersions(b -> b.bucket("replica-in-b")).versions().isEmpty(),
        Eventually.tasksOf(server.database()));

    HeadObjectResponse replica =
        accountB.headObject(b -> b.bucket("replica-in-b").key("ledger.json"));
    assertThat(
            accountB
                .getObjectAsBytes(b -> b.bucket("replica-in-b").key("ledger.json"))
                .asUtf8String())
        .isEqualTo("{\"total\": 42}");
    assertThat(replica.contentType()).isEqualTo("application/json");
    assertThat(replica.cacheControl()).isEqualTo("no-cache");
    assertThat(replica.metadata())
        .containsEntry("team", "finance")
        .containsEntry("replicator-source-version-id", version);
    assertThat(accountB.getObjectTagging(b -> b.bucket("replica-in-b").key("ledger.json")).tagSet())
        .anySatisfy(
            tag -> assertThat(tag.key() + "=" + tag.value()).isEqualTo("class=confidential"));
  }

  @Test
  void onOneAwsCompatibleEndpointTheStoreCopiesServerSide() throws Exception {
    S3Client accountA =
        s3(MotoServer.credentials(sourceUser.accessKeyId(), sourceUser.secretAccessKey()));
    for (String bucket : List.of("same-endpoint-source", "same-endpoint-replica")) {
      accountA.createBucket(b -> b.bucket(bucket));
      accountA.putBucketVersioning(
          b ->
              b.bucket(bucket)
                  .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }
    Fixtures fixtures = new Fixtures(server);
    String tenant = fixtures.tenant();
    Api admin = fixtures.as(fixtures.token(tenant, "ADMIN"));
    String trust =
        admin
            .post(
                "/api/v1/tenants/" + tenant + "/trusts",
                Map.of(
                    "name",
                    "aws-like",
                    "type",
                    "STATIC",
                    "endpoint",
                    moto.endpoint(),
                    "region",
                    "us-east-1",
                    "pathStyle",
                    true,
                    "compatibility",
                    "AWS",
                    "accessKeyId",
                    sourceUser.accessKeyId(),
                    "secretAccessKey",
                    sourceUser.secretAccessKey()))
            .json()
            .get("id")
            .asText();
    JsonNode rule =
        admin
            .post(
                "/api/v1/tenants/" + tenant + "/rules",
                Fixtures.ruleBody(
                    "server-side",
                    30,
                    trust,
                    "same-endpoint-source",
                    Fixtures.destination(trust, "same-endpoint-replica")))
            .json();
    Eventually.untilTheSecondAfter(Instant.parse(rule.get("liveSince").asText()));
    accountA.putObject(
        b ->
            b.bucket("same-endpoint-source")
                .key("copied.txt")
                .contentType("text/plain")
                .metadata(Map.of("origin", "a"))
                .tagging("k=v"),
        RequestBody.fromString("copied by the store"));
    Path large = Files.createTempFile("large", ".bin");
    String largeMd5 = RandomFiles.write(large, 13L * 1024 * 1024, 7);
    accountA.putObject(
        b -> b.bucket("same-endpoint-source").key("large.bin"), RequestBody.fromFile(large));
    Sql.update(
        server.database(), "UPDATE rule_scans SET next_scan_at = now() - interval '1 second'");

    Eventually.await(
        "the server-side replicas",
        Duration.ofSeconds(45),
        () ->
            Sql.count(
                    server.database(),
                    "SELECT count(*) FROM replication_tasks WHERE source_key IN ('copied.txt', 'large.bin') "
                        + "AND state = 'COMPLETED'")
                == 2,
        Eventually.tasksOf(server.database()));
    try (var replica =
        accountA.getObject(b -> b.bucket("same-endpoint-replica").key("large.bin"))) {
      assertThat(RandomFiles.md5(replica)).isEqualTo(largeMd5);
    }
    assertThat(accountA.headObject(b -> b.bucket("same-endpoint-replica").key("large.bin")).eTag())
        .endsWith("-3\"");
    assertThat(moto.requestLog())
        .as("UploadPartCopy: no part went through the worker")
        .doesNotContain("GET /same-endpoint-source/large.bin?versionId=");

    HeadObjectResponse replica =
        accountA.headObject(b -> b.bucket("same-endpoint-replica").key("copied.txt"));
    assertThat(replica.contentType()).isEqualTo("text/plain");
    assertThat(replica.metadata())
        .containsEntry("origin", "a")
        .containsKey("replicator-source-version-id");
    assertThat(
            accountA
                .getObjectTagging(b -> b.bucket("same-endpoint-replica").key("copied.txt"))
                .tagSet())
        .hasSize(1);
    assertThat(
            accountA
                .getObjectAsBytes(b -> b.bucket("same-endpoint-replica").key("copied.txt"))
                .asUtf8String())
        .isEqualTo("copied by the store");
    assertThat(moto.requestLog())
        .as("no byte went through the worker")
        .doesNotContain("GET /same-endpoint-source/copied.txt?versionId=");
  }
}
